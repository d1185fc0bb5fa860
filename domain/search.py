"""Finding subjects, people and statements by words in any script (SPEC §11's search).

Text is searched word by word under SPEC §14's matching rule, applied to each word: NFKC, case
folded, marks removed, look-alike letters folded (`match_key`), so "RUBIÓ" finds "Rubio" and a
Cyrillic "о" inside a Latin word changes nothing. Words of the query match words of a text
exactly or as their beginning ("yerm" finds "Yermak"). Spellings in other scripts ("Андрій
Єрмак") are one person through the register, not through transliteration: the search finds the
person by any alias, then what names the person under any of their spellings.

The score is Parley's own, so both backends rank alike: each word of the query counts 2 where a
word of a field equals it, 1 where one begins with it, times the field's weight (a person's
spellings 5, a name an event gives 4, the subject's slug 3, other data 2, notes and sources 1);
an event's score is the sum over the query's words of the best field for each.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from parley.domain.names import match_key
from parley.domain.redacted import is_redacted
from parley.domain.register import names_in
from parley.domain.subjects import SubjectId
from parley.domain.values import is_disputed

WORD = re.compile(r"[^\W_]+")
MAX_QUERY = 200  # characters of `q`
MAX_WORDS = 12
SPELLING, NAME, SLUG, DATA, ASIDE = 5, 4, 3, 2, 1
# What a hit is about: a record of the register (a person), a subject whose events match, a statement.
PERSON, SUBJECT, STATEMENT = "person", "subject", "statement"

Field = tuple[str, str]  # a field's path ("data.head", "subject", "sources[].quote") and its text
Worded = tuple[str, str, Sequence[str]]  # a field, its text and its words


@lru_cache(maxsize=65536)
def _folded_word(word: str) -> tuple[str, ...]:
    return tuple(WORD.findall(match_key(word).lower()))


def words(text: str) -> list[str]:
    """A text's words as searched: each folded by the matching rule (a fold may split one in two)."""
    return [folded for word in WORD.findall(text) for folded in _folded_word(word)]


def query_words(q: str) -> list[str]:
    """The distinct words of a query, in order."""
    return list(dict.fromkeys(words(q)))


def fields_of(subject: SubjectId, data: Mapping[str, Any], sources: Sequence[Mapping[str, Any]], note: str | None) -> list[Field]:
    """Every text of an event a reader may search it by: the subject's slug, each text of its data
    (disputed alternatives under the field's path), its note, and its sources' names and quotes;
    a redacted value is none of them."""
    found: list[Field] = [("subject", subject.slug.replace("-", " "))]
    found += [(f"data.{path}", text) for path, text in _leaves(data, "")]
    if isinstance(note, str) and note:  # a redacted note is a marker, which holds no words (SPEC §15)
        found.append(("note", note))
    for source in sources:
        found += [(f"sources[].{key}", source[key]) for key in ("name", "quote") if isinstance(source.get(key), str)]
    return found


def _leaves(value: Any, path: str) -> Iterator[tuple[str, str]]:
    if isinstance(value, str):
        yield path, value
    elif is_redacted(value):
        return
    elif is_disputed(value):
        for alternative in value["disputed"]:
            yield from _leaves(alternative.get("value"), path)
    elif isinstance(value, Mapping):
        for key, inner in value.items():
            yield from _leaves(inner, f"{path}.{key}" if path else key)
    elif isinstance(value, list):
        for inner in value:
            yield from _leaves(inner, f"{path}[]")


def named(data: Mapping[str, Any], person_fields: Iterable[str]) -> list[tuple[str, str]]:
    """(field, name) of each person an event's data names at its type's `person_fields`."""
    return [(f"data.{path}", name) for path in person_fields for name in names_in(data, [path])]


def weight(field: str, name_fields: frozenset[str]) -> int:
    if field in name_fields:
        return NAME
    if field == "subject":
        return SLUG
    return DATA if field.startswith("data.") else ASIDE


def word_score(wanted: str, have: Sequence[str]) -> int:
    """2 when a word equals the one wanted, 1 when one begins with it, else 0."""
    best = 0
    for word in have:
        if word == wanted:
            return 2
        if word.startswith(wanted):
            best = 1
    return best


@dataclass(frozen=True)
class Scored:
    score: int
    field: str
    text: str


def worded(fields: Iterable[Field]) -> list[Worded]:
    """Each field with its words, as the index keeps them (worked out once, when indexed)."""
    return [(field, text, words(text)) for field, text in fields]


def scored(
    asked: Sequence[str],
    fields: Iterable[Worded],
    weigh: Mapping[str, int] | None = None,
    name_fields: frozenset[str] = frozenset(),
) -> Scored | None:
    """An event's score for the query's words, and its best field; None when a word matches nowhere."""
    per_word = [0] * len(asked)
    best: Scored | None = None
    for field, text, have in fields:
        counts = [word_score(wanted, have) for wanted in asked]
        if not any(counts):
            continue
        factor = (weigh or {}).get(field) or weight(field, name_fields)
        per_word = [max(old, count * factor) for old, count in zip(per_word, counts)]
        mine = sum(counts) * factor
        if best is None or mine > best.score:
            best = Scored(mine, field, text)
    if best is None or not all(per_word):
        return None
    return Scored(sum(per_word), best.field, best.text)


def full_match(asked: Sequence[str], factor: int) -> int:
    """The score of a field that holds every word of the query exactly."""
    return 2 * len(asked) * factor
