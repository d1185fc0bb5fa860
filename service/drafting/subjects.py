"""Which subject a drafted event is about: one the report already proposed, one the store holds,
or a new one with a proposed slug (SPEC §13). A kind's `drafting_subject` says which fields of
its data name a subject ("{traveller}-{destination}") and how its slug is written."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from parley.domain.names import match_key
from parley.domain.values import is_disputed

FIELD = re.compile(r"\{([a-z_]+)(?::(month))?\}")


@dataclass
class Known:
    """What the store holds when a draft is made: the register and each subject's state now."""

    register: Any
    states: list[tuple[str, dict[str, Any]]] = field(default_factory=list)


@dataclass
class Candidate:
    subject: str
    identity: dict[str, Any]
    new: bool


def identity_fields(template: str) -> list[tuple[str, str | None]]:
    return [(m.group(1), m.group(2)) for m in FIELD.finditer(template)]


def slug_of(template: str, identity: dict[str, Any], person_fields: set[str]) -> str | None:
    """The slug `template` gives those values; None when they name nothing."""

    def part(match: re.Match[str]) -> str:
        value = plain(identity.get(match.group(1)))
        if value is None:
            return ""
        if match.group(2) == "month":
            return month_of(value) or ""
        if match.group(1) in person_fields:
            value = value.split()[-1]
        return slugify(value)

    slug = re.sub(r"-{2,}", "-", FIELD.sub(part, template)).strip("-")
    return slug[:80].strip("-") or None


def slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def month_of(fuzzy: str) -> str | None:
    found = re.search(r"\d{4}-\d{2}", fuzzy)
    return found.group() if found else None


def plain(value: Any) -> str | None:
    """A value to compare: a disputed one by its first alternative."""
    if is_disputed(value):
        value = value["disputed"][0]["value"]
    return value if isinstance(value, str) and value.strip() else None


def agrees(name: str, fmt: str | None, ours: Any, theirs: Any) -> bool | None:
    """True when two values of an identity field are the same, False when they differ, None when
    either is unknown. People agree on a surname ("Witkoff" is "Steve Witkoff")."""
    a, b = plain(ours), plain(theirs)
    if a is None or b is None:
        return None
    if fmt == "month":
        return month_of(a) == month_of(b) if month_of(a) and month_of(b) else None
    ka, kb = match_key(a), match_key(b)
    return ka == kb or ka.split()[-1] == kb.split()[-1] or slugify(a) == slugify(b)


def same_subject(fields: list[tuple[str, str | None]], ours: dict[str, Any], theirs: dict[str, Any]) -> bool:
    verdicts = [agrees(name, fmt, ours.get(name), theirs.get(name)) for name, fmt in fields]
    return False not in verdicts and True in verdicts
