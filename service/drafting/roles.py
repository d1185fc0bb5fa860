"""Who, what and how many a cue's sentence names, to fill the event's data (SPEC §13): the person
doing it, the people named, the party, a date, a count of points, a quote, an item named by its
number; the place is `places`'."""

from __future__ import annotations

import json
import re
from typing import Any

from parley.domain.register import names_in
from parley.domain.subject import Subject
from parley.service.drafting.dates import DateMention
from parley.service.drafting.entities import Mention
from parley.service.drafting.gazetteer import CAPITALS
from parley.service.drafting.places import Places
from parley.service.drafting.reading import Reading, Weak
from parley.service.drafting.subjects import agrees, plain, slugify

PRONOUN = re.compile(r"^(?:[\w,]+\s+){0,4}?(he|she)\b", re.IGNORECASE)
COUNT = re.compile(
    r"\b(\d{1,4})(?:\s*(?:or|and|-|–|to)\s*(\d{1,4}))?[\s-]*(?:-?points?|-point|items|articles|clauses)\b", re.IGNORECASE
)
# An item of a kind's item list named by its number (SPEC §12: "point 7", "point No. 7", "the 12th point").
ITEM = re.compile(
    r"\b(?P<noun>point|clause|article|paragraph)s?\s+(?:no\.?\s*|number\s+)?(?P<n>\d{1,3})\b|"
    r"\b(?P<nth>\d{1,3})(?:st|nd|rd|th)\s+(?P<noun2>point|clause|article|paragraph)\b",
    re.IGNORECASE,
)

# Two parties an agreement is between: "a treaty between Chile and Peru".
BETWEEN = re.compile(r"\bbetween\s+(?:the\s+)?[A-Z][\w.'’ -]{0,40}?\band\s+(?:the\s+)?[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*)*")

AGREED = re.compile(r"\b(?:sign|agree|reach|initial|conclud|struck|seal|clinch)", re.IGNORECASE)

# A verb of giving with its receiver after it ("handed Kyiv a memorandum"): the party there received it.
GIVEN = re.compile(r"(?:handed|gave|given|sent|delivered|offered|presented|passed|showed)\s+(?:the\s+)?(?=[A-Z])")


class Roles(Places):
    """The values a sentence gives the fields a cue names."""

    def _fill(
        self,
        reading: Reading,
        cls: type[Subject],
        type_name: str,
        assigned: tuple[tuple[str, str], ...],
        start: int,
        end: int,
        why: list[str],
        *,
        before: str | None = None,
        after: str | None = None,
        actors: bool = True,
        gap: tuple[int, int] | None = None,
    ) -> tuple[dict[str, Any], DateMention | None]:
        """The data a cue's assignments and the event type's people give, from the sentence."""
        people_paths = cls.event_types[type_name].person_fields
        singles = {p for p in people_paths if "[]" not in p and "." not in p}
        data: dict[str, Any] = {}
        used_date: DateMention | None = None
        for name, where in ((before, "before"), (after, "after")):
            if name is None:
                continue
            if name not in people_paths:  # a party (or place) named there: "put forward by Washington"
                side = [p for p in reading.found.parties if (p.start >= end if where == "after" else p.end <= start)]
                if side:
                    party = side[0] if where == "after" else side[-1]
                    data[name] = party.value
                    why.append(f"{name} '{party.value}' (named {where} it)")
                continue
            person = self._person_near(reading, start, end, where, gap if where == "before" else None)
            if person is not None:
                data[name] = person.value
                why.append(f"{name} '{person.value}' (named {where} it)")
        for name in sorted(singles - set(data)) if actors else ():
            actor = self._actor(reading, start, end)
            if actor is not None:
                data[name] = actor.value
                why.append(f"{name} '{actor.value}'")
        for path in people_paths:
            if "[]" in path:
                list_name = path.split("[]")[0]
                if list_name not in data and not any(n == list_name for n, _ in assigned):
                    data[list_name] = self._everyone(reading)
        for name, value in assigned:
            if name in data:
                continue
            if value == "@item":
                data[name] = self._item(reading, cls, start, end, why, name)
                continue
            if value.startswith("@"):
                filled, date_used = self._role(reading, value, start, end, why, name, cls.drafting_nouns)
                if filled is not None:
                    data[name] = filled
                if date_used is not None:
                    used_date = date_used
            else:
                literal = _literal(value, data)
                if literal is not None:
                    data[name] = literal
        return data, used_date

    def _item(self, reading: Reading, cls: type[Subject], start: int, end: int, why: list[str], name: str) -> str:
        """The key of the item the sentence names by number nearest the cue ("point 7"): the key of the
        known subject's item of that number when one item has it, else the noun and number ("point-7")."""

        def distance(match: re.Match[str]) -> int:
            return 0 if match.start() < end and start < match.end() else min(abs(match.start() - end), abs(start - match.end()))

        found = min(ITEM.finditer(reading.sentence.text), key=distance)  # `_read` saw one
        number = int(found.group("n") or found.group("nth"))
        noun = (found.group("noun") or found.group("noun2")).lower()
        keys = {
            item[spec.key]
            for subject, state in self.known.states
            if subject.partition("/")[0] == cls.kind
            for field_name, spec in cls.item_lists.items()
            for item in state.get(field_name) or ()
            if item.get("number") == number
        }
        key = keys.pop() if len(keys) == 1 else f"{noun}-{number}"
        why.append(f"{name} '{key}' ('{found.group().strip()}')")
        return key

    def _role(
        self, reading: Reading, role: str, start: int, end: int, why: list[str], name: str, nouns: tuple[str, ...] = ()
    ) -> tuple[Any, DateMention | None]:
        found = reading.found
        if role == "@actor":
            actor = self._actor(reading, start, end)
            return (actor.value if actor else None), None
        if role == "@people":
            return self._everyone(reading), None
        if role == "@place":
            place = self._place(reading, start, end)
            if place:
                why.append(f"{name} '{place}'")
            return place, None
        if role == "@broker":  # who brokered what the report tells, else who did it, else the party near
            named = [p for p in reading.found.parties if start <= p.start and p.end <= end]  # "an American proposal"
            broker = self.context.broker or self._joint(reading, start, end) or (named[0].value if named else None)
            if broker is None:  # who did it: the first party, or person of a party, named before it
                subjects = sorted(
                    [(p.start, p.value) for p in reading.found.parties if p.end <= start]
                    + [(p.start, p.party) for p in reading.found.people if p.end <= start and p.party]
                )
                broker = subjects[0][1] if subjects else None
                if broker is None and not reading.found.parties:
                    broker = self.lead
            if broker is not None:
                why.append(f"{name} '{broker}' (brokered it)" if broker == self.context.broker else f"{name} '{broker}'")
                return broker, None
            role = "@party"
        if role == "@party":
            party = self._party(reading, start, end, nouns or self.nouns)
            if party:
                why.append(f"{name} '{party}'")
            return party, None
        if role == "@date":
            after = [d for d in reading.dates if d.start >= start]
            mentions = after or reading.dates
            if not mentions:
                return None, None
            mention = mentions[0]
            why.append(f"{name} {mention.reading}")
            return mention.fuzzy, mention
        if role == "@count":
            count = _count(reading.sentence.text, end)
            if count is not None:
                why.append(f"{name} '{count[1]}'")
                return count[0], None
            return None, None
        if role == "@quote":
            return (found.quotes[0].value if found.quotes else None), None
        if role == "@sentence":
            return reading.sentence.text, None
        return None, None

    @staticmethod
    def _joint(reading: Reading, start: int, end: int) -> str | None:
        """Two states that made an agreement no one mediated, which is named by both ("The leaders of Peru
        and Chile signed", "a treaty between Chile and Peru": `Chile-Peru`); an armed group's agreement
        with a government is the government's, and one of three or more the first's."""
        text = reading.sentence.text
        if not AGREED.search(text, start, end):
            return None  # only what they agreed: "the plan was cut after talks between …" is the plan's own
        found = reading.found
        named = sorted(
            [(p.start, p.end, p.value) for p in found.parties] + [(p.start, p.end, p.party) for p in found.people if p.party]
        )
        between = BETWEEN.search(text, start, min(len(text), end + 60))
        if between is not None:
            pair = [m for m in named if between.start() <= m[0] < between.end()]
        else:
            pair = [m for m in named if m[1] <= start]
            if len(pair) == 2 and not re.fullmatch(r"[\w\s'’]{0,30}?\band\s+(?:the\s+)?", text[pair[0][1] : pair[1][0]]):
                return None  # not one coordination: "Chile's president said Peru signed"
        values = sorted({m[2] for m in pair}, key=slugify)
        if len(pair) != 2 or len(values) != 2 or not all(v in CAPITALS for v in values):
            return None
        return "-".join(values)

    def _person_near(
        self, reading: Reading, start: int, end: int, where: str, gap: tuple[int, int] | None = None
    ) -> Mention | None:
        """The person named just before a cue (`gap`: the words a cue allows between them and it, where
        they must end), else the pronoun's person; or the first named after it."""
        people = reading.found.people
        if where == "before":
            before = (
                [p for p in people if p.end <= start] if gap is None else [p for p in people if gap[0] - 2 <= p.end <= gap[1]]
            )
            if before:
                return before[-1]
            return self._pronoun(reading, start)
        after = [p for p in people if p.start >= end]
        return after[0] if after else None

    def _actor(self, reading: Reading, start: int, end: int) -> Mention | None:
        """The person doing what the cue says: the nearest named before it, else a pronoun's
        person from the sentence before, else the first named after it."""
        before = [p for p in reading.found.people if p.end <= start]
        if before:
            return before[-1]
        pronoun = self._pronoun(reading, start)
        if pronoun is not None:
            return pronoun
        after = [p for p in reading.found.people if p.start >= end]
        return after[0] if after else None

    @staticmethod
    def _pronoun(reading: Reading, start: int) -> Mention | None:
        before = reading.sentence.text[:start]
        match = PRONOUN.search(before) or re.search(r"[”\"’,]\s*(he|she)\s*$", before, re.IGNORECASE)
        return reading.last_person if match else None

    @staticmethod
    def _everyone(reading: Reading) -> list[dict[str, str]]:
        names = list(dict.fromkeys(p.value for p in reading.found.people))
        return [{"name": n} for n in names]

    def _party(self, reading: Reading, start: int, end: int, kind_nouns: tuple[str, ...]) -> str | None:
        parties = reading.found.parties
        text = reading.sentence.text
        nouns = [m.start() for noun in ("side", *kind_nouns) for m in re.finditer(rf"\b{re.escape(noun)}\b", text)]
        inside = [n for n in nouns if start <= n <= end]
        given = GIVEN.match(text, start)
        if given is not None:  # "Russia handed Kyiv a memorandum": Kyiv received it; the giver is named before
            parties = [p for p in parties if not given.end() <= p.start < given.end() + 2]
            givers = [p for p in parties if p.end <= start]
            if givers:
                return givers[-1].value
            actor = self._actor(reading, start, end)
            if actor is not None and (actor.party or self._party_of_person(actor.value)):
                return actor.party or self._party_of_person(actor.value)
        before = [p for p in parties if inside and p.end <= inside[0] and inside[0] - p.end <= 30]
        if before:
            return before[-1].value  # "Ukraine's delegation was headed by"
        subject = [p for p in parties if 0 <= start - p.end <= 2]
        if subject:
            return subject[-1].value  # "Russia was represented by"
        noun = inside[0] if inside else end
        doers = [p for p in reading.found.people if p.party and start - 60 <= p.end <= noun]
        if doers:
            return doers[-1].party  # "Secretary of State Mike Pompeo will lead the negotiations with North Korean officials"
        beside = [p for p in parties if any(0 <= n - p.end <= 30 for n in nouns)]
        if beside:
            return min(beside, key=lambda p: abs(p.start - start)).value  # "the American proposal"
        if parties:
            return Weak(min(parties, key=lambda p: abs(p.start - start)).value)
        actor = self._actor(reading, start, end)
        if actor is not None:
            party = actor.party or self._party_of_person(actor.value)
            return Weak(party) if party else None
        return None

    def _party_of_person(self, name: str) -> str | None:
        """A person's party as the report or the store knows it: the party of a subject whose data
        or state names them."""
        for proposal in self.proposals:
            party = plain(proposal.data.get("party"))
            paths = self.catalog.subject_class(proposal.kind).event_types[proposal.type].person_fields
            if party and any(agrees("name", None, name, n) for n in names_in(proposal.data, paths)):
                return party
        for subject, state in self.known.states:
            party = plain(state.get("party"))
            paths = self.catalog.person_paths(subject.partition("/")[0])
            if party and any(agrees("name", None, name, n) for n in names_in(state, paths)):
                return party
        return None


def _literal(value: str, data: dict[str, Any]) -> Any:
    try:
        return json.loads(value)
    except ValueError:
        pass
    missing = [name for name in re.findall(r"\{([a-z_]+)\}", value) if plain(data.get(name)) is None]
    if missing:
        return None
    return re.sub(r"\{([a-z_]+)\}", lambda m: plain(data[m.group(1)]) or "", value)


def _count(text: str, after: int) -> tuple[Any, str] | None:
    """A count of points: nearest after the cue, else the last in the sentence; "19 or 22" disputed."""
    matches = list(COUNT.finditer(text))
    if not matches:
        return None
    following = [m for m in matches if m.start() >= after]
    match = following[0] if following else matches[-1]
    first, second = int(match.group(1)), match.group(2)
    if second is not None and int(second) != first:
        return {"disputed": [{"value": first, "sources": []}, {"value": int(second), "sources": []}]}, match.group()
    return first, match.group()
