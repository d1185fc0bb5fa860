"""Subject addresses: `kind/slug`, each mapped to one stable stream id."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from uuid import UUID, uuid5

from parley.domain.errors import InvalidSubject

# Which kinds exist is the catalog's to say (catalog.py); an address only has the form of one.
KIND = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
SLUG = re.compile(r"^[a-z0-9-]{1,80}$")

# Fixed forever: changing it would move every subject to a new stream.
SUBJECT_NAMESPACE = UUID("5b0f3c1e-8d9a-4c52-9a57-3f1f4e6a2b10")


@dataclass(frozen=True, order=True)
class SubjectId:
    kind: str
    slug: str

    @classmethod
    def parse(cls, text: str) -> SubjectId:
        return _parse(text) if cls is SubjectId and type(text) is str else _parse_unchecked(cls, text)

    def __str__(self) -> str:
        return f"{self.kind}/{self.slug}"

    @property
    def stream_id(self) -> UUID:
        """The same subject is the same stream on every machine and in every import."""
        return _stream_id(str(self))


@lru_cache(maxsize=65536)
def _parse(text: str) -> SubjectId:
    """Cached, as `_stream_id` is: every event of a write names its subject (the object is frozen)."""
    return _parse_unchecked(SubjectId, text)


def _parse_unchecked(cls: type[SubjectId], text: str) -> SubjectId:
    kind, _, slug = str(text).partition("/")
    if not KIND.match(kind):
        raise InvalidSubject(f"{text!r}: the kind must be lower-case letters, digits and '_', before a '/'")
    if not SLUG.match(slug):
        raise InvalidSubject(f"{text!r}: the slug must be 1-80 lower-case letters, digits and '-'")
    return cls(kind, slug)


@lru_cache(maxsize=65536)
def _stream_id(subject: str) -> UUID:
    return uuid5(SUBJECT_NAMESPACE, subject)  # a SHA-1 each time, asked for several times a write
