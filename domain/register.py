"""Who is who (SPEC §11): matching the names events give to the people registered.

A kind whose subjects are people declares `register_entry` (its spellings and the record it is
merged into, from a state); a kind whose states name people declares `person_fields`, the paths
of those names (`"head"`, `"former_heads[]"`, `"members[].name"`; every kind's statements name
their speakers). A `Register` is built from the register kinds' states as known at one time and
answers, for each name, the one person it matches under SPEC §14's matching rule, or that it is
ambiguous; the rules of a write compare people through a `Who` as the write is decided. Nothing
here is folded into a state: `people` is computed when an answer is read.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from parley.domain.names import match_key
from parley.domain.values import is_disputed

Entry = tuple[list[str], str | None]  # a person's spellings (name first), and the record it is merged into
Match = str | dict[str, list[str]]  # "person/<slug>", or {"ambiguous": ["person/…", …]}
SPEAKERS = ("statements[].speaker",)
PEOPLE = "people"  # the field of every answer that shows a state, beside `state`
EXAMPLE = {"Andrey Yermak": "person/andriy-yermak"}


class Who:
    """Who is who, from two lookups a register keeps: each record's entry, and the records that
    hold each matching key. A name matches the records merged into one final record; a key held
    by two final records is ambiguous."""

    def entry(self, subject: str) -> Entry | None:
        raise NotImplementedError

    def records(self, key: str) -> frozenset[str]:
        raise NotImplementedError

    def final(self, subject: str) -> str:
        """The record a person's record is one with: itself, or the end of its merges (a merge into
        an unregistered record ends there; a cycle ends where it would come back)."""
        seen = {subject}
        while (entry := self.entry(subject)) is not None and (into := entry[1]) is not None and into not in seen:
            seen.add(into)
            subject = into
        return subject

    def people(self, name: str) -> frozenset[str]:
        """Every person a name matches, ambiguous or not (each the record a chain of merges ends at)."""
        return frozenset(self.final(record) for record in self.records(match_key(name)))

    def match(self, name: str) -> Match | None:
        people = self.people(name)
        if not people:
            return None
        if len(people) == 1:
            return next(iter(people))
        return {"ambiguous": sorted(people)}

    def spelling_of(self, person: str, name: str) -> str | None:
        """How the records ending at `person` write `name` (for a refusal to quote), or None."""
        key = match_key(name)
        for record in sorted(self.records(key)):
            entry = self.entry(record)
            if entry is not None and self.final(record) == person:
                return next((spelling for spelling in entry[0] if match_key(spelling) == key), None)
        return None

    def people_in(self, names: Iterable[str]) -> dict[str, Match]:
        """`people` of an answer: each name as given that matches, and whom it matches."""
        found: dict[str, Match] = {}
        for name in names:
            if name not in found and (matched := self.match(name)) is not None:
                found[name] = matched
        return found

    def with_records(self, own: Mapping[str, Entry | None]) -> Who:
        """This register with those records' entries instead (None: not registered)."""
        return Overlaid(self, dict(own)) if own else self


@dataclass(frozen=True)
class Register(Who):
    """The people known as of one time, read whole: by the matching key of each spelling, the
    final records it names (`by_key`) and the records that hold it (`by_record_key`)."""

    by_key: Mapping[str, frozenset[str]] = field(default_factory=dict)
    entries: Mapping[str, Entry] = field(default_factory=dict)
    by_record_key: Mapping[str, frozenset[str]] = field(default_factory=dict)
    by_person: Mapping[str, frozenset[str]] = field(default_factory=dict)  # the keys naming each person alone

    @classmethod
    def of(cls, entries: Mapping[str, Entry]) -> Register:
        by_key: dict[str, set[str]] = {}
        by_record_key: dict[str, set[str]] = {}
        for subject, (spellings, _) in entries.items():
            final = merged_end(subject, entries)
            for spelling in spellings:
                by_key.setdefault(match_key(spelling), set()).add(final)
                by_record_key.setdefault(match_key(spelling), set()).add(subject)
        by_person: dict[str, set[str]] = {}
        for key, people in by_key.items():
            if len(people) == 1:
                by_person.setdefault(next(iter(people)), set()).add(key)
        return cls(
            {key: frozenset(people) for key, people in by_key.items()},
            dict(entries),
            {key: frozenset(records) for key, records in by_record_key.items()},
            {person: frozenset(keys) for person, keys in by_person.items()},
        )

    def entry(self, subject: str) -> Entry | None:
        return self.entries.get(subject)

    def records(self, key: str) -> frozenset[str]:
        return self.by_record_key.get(key, frozenset())

    def people(self, name: str) -> frozenset[str]:
        return self.by_key.get(match_key(name), frozenset())

    def names_of(self, person: str) -> frozenset[str]:
        """The matching keys that resolve to that one person (an ambiguous name resolves to nobody)."""
        return self.by_person.get(person, frozenset())

    def people_in(self, names: Iterable[str]) -> dict[str, Match]:
        return super().people_in(names) if self.by_key else {}


class Kept(Who):
    """A register kept up to date in place, one record at a time (`replace`), by whoever reads the
    log as it grows (service/register_now.py, `parley replay`). Its lookups' values are replaced,
    never changed, so a reader on another thread sees each whole."""

    def __init__(self) -> None:
        self.entries: dict[str, Entry] = {}
        self.by_record_key: dict[str, frozenset[str]] = {}

    def entry(self, subject: str) -> Entry | None:
        return self.entries.get(subject)

    def records(self, key: str) -> frozenset[str]:
        return self.by_record_key.get(key, frozenset())

    def replace(self, subject: str, entry: Entry | None) -> None:
        """The record's entry as it now is (None: not registered)."""
        before = self.entries.get(subject)
        gone = {match_key(s) for s in before[0]} if before else set()
        come = {match_key(s) for s in entry[0]} if entry else set()
        if entry is None:
            self.entries.pop(subject, None)
        else:
            self.entries[subject] = entry
        for key in gone - come:
            self.by_record_key[key] = self.by_record_key[key] - {subject}
        for key in come - gone:
            self.by_record_key[key] = self.by_record_key.get(key, frozenset()) | {subject}


class Overlaid(Who):
    """A register with some records' entries replaced: those a write has changed, not yet stored."""

    def __init__(self, base: Who, own: dict[str, Entry | None]):
        self.base, self.own = base, own
        self.own_keys = {
            subject: frozenset(match_key(s) for s in entry[0]) if entry else frozenset() for subject, entry in own.items()
        }

    def entry(self, subject: str) -> Entry | None:
        return self.own[subject] if subject in self.own else self.base.entry(subject)

    def records(self, key: str) -> frozenset[str]:
        return frozenset(
            {r for r in self.base.records(key) if r not in self.own} | {r for r, keys in self.own_keys.items() if key in keys}
        )


def merged_end(subject: str, entries: Mapping[str, Entry]) -> str:
    """The record a chain of merges ends at (a merge into an unregistered record ends there; a
    cycle of merges ends where it would come back)."""
    seen = {subject}
    while (into := entries[subject][1]) is not None and into not in seen:
        seen.add(into)
        if into not in entries:
            return into
        subject = into
    return subject


def mentions_in(data: Mapping[str, Any], paths: Iterable[str], keys: frozenset[str]) -> list[dict[str, str]]:
    """Where an event's data names a person of those matching keys: each field and the name given."""
    return [{"field": path, "name": name} for path in paths for name in _walk(data, path.split(".")) if match_key(name) in keys]


def names_in(state: Mapping[str, Any] | None, paths: Iterable[str], *, disputed: bool = True) -> list[str]:
    """The names a state holds at those paths, in order, disputed alternatives included unless not asked."""
    if not state:
        return []
    return [name for path in paths for name in _walk(state, path.split("."), disputed)]


def _walk(value: Any, steps: list[str], disputed: bool = True) -> Iterator[str]:
    if not steps:
        yield from _names(value, disputed)
        return
    step, rest = steps[0], steps[1:]
    many = step.endswith("[]")
    inner = value.get(step.removesuffix("[]")) if isinstance(value, Mapping) else None
    for item in (inner or []) if many else [inner]:
        yield from _walk(item, rest, disputed)


def _names(value: Any, disputed: bool = True) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif disputed and is_disputed(value):
        yield from (alternative["value"] for alternative in value["disputed"] if isinstance(alternative["value"], str))
