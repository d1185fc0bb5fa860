"""The drafter (SPEC §13): events proposed from an English news report, for a person to confirm.

Sentence by sentence: the kinds' cues say what happened or is planned, the sentence's people,
places, parties, dates and counts fill the event's data, and the subject is found among those
the report or the store already has, else proposed new (created first by its kind's creating
event). A quote with a verb of saying is a statement. Each proposal says which words led to it
(`why`) and how sure it is (`confidence`); what it could not find is listed under `missing`.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Any

from parley.domain.catalog import Catalog
from parley.domain.fuzzy_dates import FuzzyDate
from parley.domain.register import names_in
from parley.domain.subject import Subject
from parley.service.drafting.context import Context, context_of
from parley.service.drafting.cues import Cue, cues_of
from parley.service.drafting.dates import DateMention, Tense, dates_in
from parley.service.drafting.entities import Found, Mention, People, party_of
from parley.service.drafting.gazetteer import CITY_COUNTRY
from parley.service.drafting.sentences import Sentence, sentences
from parley.service.drafting.subjects import Known, agrees, identity_fields, plain, same_subject, slug_of

STATEMENT = "StatementRecorded"
SPEECH = re.compile(r"\b(said|says|say|saying|noted|notes|noting|called|calls|calling|told|tells|added|adds|stated|"
                    r"states|described|describes|characteri[sz]ed|characteri[sz]es|emphasi[sz]ed|emphasi[sz]es|"
                    r"stressed|insisted|warned|wrote|declared|confirmed|remarked|argued|urged|vowed|according to|"
                    r"acknowledged|insists|warns|told reporters)\b", re.IGNORECASE)
FUTURE = re.compile(r"\b(will|would|shall|is to|are to|was to|were to|expected to|due to|set to|scheduled to|"
                    r"planned to|plans to|planning to|going to|slated to|is due|are due|next)\b", re.IGNORECASE)
HEDGES = re.compile(r"\b(reportedly|may|might|could|possibly|unconfirmed|rumou?red|according to|sources said|"
                    r"people familiar|unnamed)\b", re.IGNORECASE)
CREATING = re.compile(r"\b(?:form|nam|sen[dt]|dispatch|assembl|appoint|propos|unveil|present|draft|submit|tabl|float|"
                      r"offer|put forward|schedul|plan|announc|set up|creat|establish)", re.IGNORECASE)
DISTINCT = ("status",)  # fields whose two values are two events, never one told twice
PASSIVE = re.compile(r"^(?:[\w|]+\s+)*?(?:take place|took place|was\|were held)\s*$")
HOME_TITLE = re.compile(r"(?:the\s+)?(?:president|prime minister|premier|foreign minister|defen[cs]e minister)",
                        re.IGNORECASE)
PRONOUN = re.compile(r"^(?:[\w,]+\s+){0,4}?(he|she)\b", re.IGNORECASE)
COUNT = re.compile(r"\b(\d{1,4})(?:\s*(?:or|and|-|–|to)\s*(\d{1,4}))?[\s-]*(?:-?points?|-point|items|articles|clauses)\b",
                   re.IGNORECASE)
DATELINE = re.compile(r"^\s*([A-Z][A-Z'.-]+(?: [A-Z][A-Z'.-]+){0,2})(?:(?:,| \()[^\n]{0,40}?)?\s[-–—]\s")
PLACE_AFTER = re.compile(r"\b(?:in|to|at)\s+((?:[A-Z][\w'’-]+)(?:\s+(?:el-|al-)?[A-Z][\w'’-]+){0,2})")


class Weak(str):
    """A value read from the words around a cue rather than named by it: it names a new subject, but
    does not tell a subject from one the report already has."""

# An item of a kind's item list named by its number (SPEC §12: "point 7", "point No. 7", "the 12th point").
ITEM = re.compile(r"\b(?P<noun>point|clause|article|paragraph)s?\s+(?:no\.?\s*|number\s+)?(?P<n>\d{1,3})\b|"
                  r"\b(?P<nth>\d{1,3})(?:st|nd|rd|th)\s+(?P<noun2>point|clause|article|paragraph)\b", re.IGNORECASE)


@dataclass
class Proposal:
    type: str
    kind: str
    subject: str
    new_subject: bool
    occurred: str
    data: dict[str, Any]
    sentence: Sentence
    why: list[str]
    confidence: float
    missing: list[str] = field(default_factory=list)
    people: dict[str, str] = field(default_factory=dict)


@dataclass
class Reading:
    """One sentence as read: what it names, when, and in which tense."""

    sentence: Sentence
    found: Found
    dates: list[DateMention]
    tense: Tense
    last_person: Mention | None
    cues: list[int] = field(default_factory=list)  # where the sentence's cues begin

    def next_cue(self, at: int) -> int:
        """Where the cue after `at` begins: a date after it is that cue's ("consultations in Switzerland
        on the plan put forward last week": last week is the plan's)."""
        return min((c for c in self.cues if c > at), default=len(self.sentence.text))


class Drafter:
    def __init__(self, catalog: Catalog, known: Known, published: date):
        self.catalog = catalog
        self.known = known
        self.published = published
        self.people = People(known.register)
        self.cues = cues_of(catalog)
        # What a report calls subjects ("the Ukrainian delegation", "the US plan"): a party named
        # beside one of them is that subject's party.
        self.nouns = tuple(dict.fromkeys(("side", *(n for cls in catalog.classes for n in cls.drafting_nouns))))
        self.in_report: list[tuple[str, str, dict[str, Any]]] = []  # (kind, subject, identity), in order proposed
        self.proposals: list[Proposal] = []
        self.dated: dict[str, str] = {}
        self.dateline: str | None = None  # a subject's day in the report (a meeting held on a day)
        self.context = Context()
        self.lead: str | None = None
        self.wanted: tuple[str, ...] = ()  # the fields the cue being proposed assigns
        self.home: str | None = None  # the dateline's country: an unqualified "President" in wire copy is its

    def draft(self, text: str) -> list[Proposal]:
        self.context = context_of(text)
        dateline = DATELINE.match(text)
        if dateline is not None:  # "GENEVA, Nov 23 -": where the report was filed, and what happens "here"
            self.dateline = " ".join(w.capitalize() for w in dateline.group(1).split())
            self.home = party_of(dateline.group(0))
        last_person: Mention | None = None
        for sentence in sentences(text):
            found = self.people.find(sentence.text)
            self._from_context(sentence.text, found)
            if self.lead is None:  # the report's first party: whom "the two men signed" speaks of, failing all else
                named = sorted([(p.start, p.value) for p in found.parties] + [(p.start, p.party) for p in found.people
                                                                             if p.party])
                self.lead = named[0][1] if named else None
            if self.home is not None:
                found.people = [replace(p, party=self.home) if p.party is None and p.role and HOME_TITLE.fullmatch(p.role)
                                else p for p in found.people]
            if dateline is not None and sentence.start <= dateline.start(1) < sentence.end:
                found.places = [p for p in found.places if p.start + sentence.start >= dateline.end()]
                found.parties = [p for p in found.parties if p.start + sentence.start >= dateline.end()]
            tense: Tense = "future" if FUTURE.search(sentence.text) else "past"
            reading = Reading(sentence, found, dates_in(sentence.text, self.published, tense), tense, last_person)
            self._read(reading)
            if found.people:
                last_person = min(found.people, key=lambda p: p.start)
        return self.proposals

    def _from_context(self, text: str, found: Found) -> None:
        """What the report as a whole says of a sentence's words: "the Qatari capital" is Doha, "the
        government" the party whose government the report named."""
        for capital in self.context.capital(text):
            found.places = [p for p in found.places if not capital.start <= p.start < capital.end] + [capital]
            found.parties = [p for p in found.parties if not capital.start <= p.start < capital.end]
        if self.context.government:
            for match in re.finditer(r"\bgovernment\b", text, re.IGNORECASE):
                if not any(0 <= match.start() - p.end <= 12 for p in found.parties):
                    found.parties.append(Mention(self.context.government, match.start(), match.end()))
            found.parties.sort(key=lambda p: p.start)

    # One sentence.

    def _read(self, reading: Reading) -> None:
        taken: list[tuple[int, int, Cue, re.Match[str]]] = []
        for cue in self.cues:  # longest phrase first: "was replaced by" before "replaced"
            for match in cue.pattern.finditer(reading.sentence.text):
                if any(match.start() < e and s < match.end() for s, e, _, _ in taken):
                    continue
                if any(value == "@item" for _, value in cue.assigned) and not ITEM.search(reading.sentence.text):
                    continue  # an item's event that names no item ("the plan dropped nine points") is not one
                if not self._inside_quote(reading, match.start()) and self._about_its_kind(reading, cue, match):
                    taken.append((match.start(), match.end(), cue, match))
        reading.cues = sorted(t[0] for t in taken)
        for _, _, cue, match in sorted(taken, key=lambda t: t[0]):  # then in the order the sentence tells them
            self._propose(reading, cue, match)
        self._statement(reading)

    def _about_its_kind(self, reading: Reading, cue: Cue, match: re.Match[str]) -> bool:
        """A cue that names nothing of its kind ("is expected to take place", "was held") is the kind's
        only when one of its nouns comes just before it: "the swap is expected to take place" is not."""
        if not PASSIVE.search(cue.text.partition("=>")[0]):
            return True
        nouns = self.catalog.subject_class(cue.kind).drafting_nouns
        before = reading.sentence.text[max(0, match.start() - 60):match.start()].lower()
        return any(re.search(rf"\b{re.escape(noun)}\b", before) for noun in nouns)

    @staticmethod
    def _inside_quote(reading: Reading, at: int) -> bool:
        return any(q.start <= at < q.end for q in reading.found.quotes)

    def _propose(self, reading: Reading, cue: Cue, match: re.Match[str]) -> None:
        cls = self.catalog.subject_class(cue.kind)
        why = [f"'{match.group().strip()}' ({cue.type})"]
        data, used_date = self._fill(reading, cls, cue.type, cue.assigned, match.start(), match.end(), why,
                                     before=cue.before, after=cue.after,
                                     gap=(match.start(), match.end("gap")) if "gap" in match.re.groupindex else None)
        occurred = self._occurred(reading, match.start(), used_date, planned=used_date is not None, why=why)
        occurred = _lasting(reading.sentence.text, match, occurred, self.published, why)
        if cue.type == cls.creation.__name__ and not occurred.startswith("..") and not CREATING.search(match.group()):
            occurred = f"../{occurred.split('/')[-1]}"  # "the team, led by X, said on Friday": formed by then
        confidence = 0.55 + (0.1 if cue.assigned or cue.before or cue.after else 0)
        identity = self._identity(reading, cls, cue.type, data, match.start(), match.end())
        if cue.type != cls.creation.__name__ and not occurred.startswith(".."):
            for name, fmt in identity_fields(cls.drafting_subject):  # "ten days of talks" name the month they began
                if fmt == "month" and name not in data:
                    identity[name] = occurred.split("/")[0]
        fields = cls.data_models[cue.type].model_fields
        data = {name: value for name, value in data.items() if name in fields}  # what named the subject only
        self.wanted = tuple(name for name, _ in cue.assigned)  # what it lacks is said as what it wanted
        self._add(reading, cls, cue.type, data, occurred, why, confidence, match.start(), identity=identity)
        self.wanted = ()

    def _fill(self, reading: Reading, cls: type[Subject], type_name: str, assigned: tuple[tuple[str, str], ...],
              start: int, end: int, why: list[str], *, before: str | None = None,
              after: str | None = None, actors: bool = True,
              gap: tuple[int, int] | None = None) -> tuple[dict[str, Any], DateMention | None]:
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
            return 0 if match.start() < end and start < match.end() else min(abs(match.start() - end),
                                                                             abs(start - match.end()))
        found = min(ITEM.finditer(reading.sentence.text), key=distance)  # `_read` saw one
        number = int(found.group("n") or found.group("nth"))
        noun = (found.group("noun") or found.group("noun2")).lower()
        keys = {item[spec.key] for subject, state in self.known.states if subject.partition("/")[0] == cls.kind
                for field_name, spec in cls.item_lists.items() for item in state.get(field_name) or ()
                if item.get("number") == number}
        key = keys.pop() if len(keys) == 1 else f"{noun}-{number}"
        why.append(f"{name} '{key}' ('{found.group().strip()}')")
        return key

    def _role(self, reading: Reading, role: str, start: int, end: int, why: list[str],
              name: str, nouns: tuple[str, ...] = ()) -> tuple[Any, DateMention | None]:
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
            broker = named[0].value if named else self.context.broker
            if broker is None:  # who did it: the first party, or person of a party, named before it
                subjects = sorted([(p.start, p.value) for p in reading.found.parties if p.end <= start] +
                                  [(p.start, p.party) for p in reading.found.people if p.end <= start and p.party])
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

    def _person_near(self, reading: Reading, start: int, end: int, where: str,
                     gap: tuple[int, int] | None = None) -> Mention | None:
        """The person named just before a cue (`gap`: the words a cue allows between them and it, where
        they must end), else the pronoun's person; or the first named after it."""
        people = reading.found.people
        if where == "before":
            before = [p for p in people if p.end <= start] if gap is None else \
                [p for p in people if gap[0] - 2 <= p.end <= gap[1]]
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

    def _place(self, reading: Reading, start: int, end: int) -> str | None:
        """Where: a place the gazetteer knows (a venue by its city), or a country, nearest after the
        cue, else nearest it; else a capitalised name after "in", "to" or "at"; else the dateline's
        city. What is read only from the words around it, or the dateline, is a `Weak` place."""
        text = reading.sentence.text
        titled = [(p.start - len(p.role or "") - 2, p.start) for p in reading.found.people
                  if p.role and text[:p.start].rstrip(" ,").endswith(p.role)]  # a title written before the name
        countries = [p for p in reading.found.parties if text[p.start:p.end].lower() == p.value.lower()]
        places = [p for p in (*reading.found.places, *countries) if not any(s <= p.start < e for s, e in titled)
                  and not re.match(r"['’]s\b|\s*(spokes|officials?|aide|envoy|adviser|negotiator)", text[p.end:])]
        near = [p for p in places if end <= p.start <= end + 30 and re.search(r"(?:\b(?:in|to|at|for)\s+(?:the\s+)?|^\s*)$",
                                                                                text[end:p.start])]
        if near:
            if near[0] in countries and self.dateline and self._country_of(self.dateline) == near[0].value and \
                    re.search(r"\bin\s+$", text[end:near[0].start]):
                return self.dateline  # "consultations in Switzerland" datelined GENEVA
            return near[0].value  # "travel to Egypt", "held talks in Geneva"
        cities = [p for p in places if p not in countries]
        after = sorted((p for p in cities if p.start >= end), key=lambda p: p.start)
        if after:
            return after[0].value
        if cities:
            return min(cities, key=lambda p: abs(p.start - start)).value
        if self.dateline:
            return Weak(self.dateline)
        if countries:
            return Weak(min(countries, key=lambda p: abs(p.start - start)).value)
        people = [(p.start, p.end) for p in reading.found.people]
        for match in PLACE_AFTER.finditer(text):
            name = match.group(1)
            if not any(s < match.end(1) and match.start(1) < e for s, e in people) and \
                    name.split()[0].lower() not in ("the", "this", "his", "her", "their", "its"):
                return Weak(name)
        return Weak(self.dateline) if self.dateline else None

    def _country_of(self, city: str) -> str | None:
        return CITY_COUNTRY.get(city.lower()) or party_of(city) or self.home

    def _party(self, reading: Reading, start: int, end: int, kind_nouns: tuple[str, ...]) -> str | None:
        parties = reading.found.parties
        text = reading.sentence.text
        nouns = [m.start() for noun in ("side", *kind_nouns) for m in re.finditer(rf"\b{re.escape(noun)}\b", text)]
        inside = [n for n in nouns if start <= n <= end]
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

    def _occurred(self, reading: Reading, at: int, used: DateMention | None, *, planned: bool,
                  why: list[str]) -> str:
        """When it happened: the sentence's date nearest the cue that is not the planned date; else
        on or before the publication date."""
        candidates = [d for d in reading.dates if d is not used and d.start < reading.next_cue(at)]
        if planned or reading.tense == "future" and used is not None:
            candidates = [d for d in candidates if d.end <= at]
        if candidates and not (planned and reading.tense == "future"):
            mention = min(candidates, key=lambda d: abs(d.start - at))
            if not _after(mention.fuzzy, self.published):
                if used is None:
                    why.append(mention.reading)
                return mention.fuzzy
        return f"../{self.published.isoformat()}"

    # Statements.

    def _statement(self, reading: Reading) -> None:
        found = reading.found
        verb = SPEECH.search(reading.sentence.text)
        quotes = [q for q in found.quotes if len(q.value.split()) >= 2]
        if verb is None or not quotes:
            return
        outside = [p for p in found.people if not self._inside_quote(reading, p.start)]
        before = [p for p in outside if p.end <= verb.start()]
        after = [p for p in outside if p.start >= verb.end()]
        speaker = before[-1] if before else (self._pronoun(reading, verb.start()) or (after[0] if after else None))
        if speaker is None:
            return
        why = [f"a quote with '{verb.group()}'", f"speaker '{speaker.value}'"]
        data: dict[str, Any] = {"speaker": speaker.value}
        if speaker.role:
            data["role"] = speaker.role
        data["quote"] = " … ".join(q.value.strip(" ,.") for q in quotes)
        subject = self._statement_subject(reading, speaker)
        if subject is None:
            return
        kind, identity, said_at = subject
        cls = self.catalog.subject_class(kind)
        occurred = None
        if reading.dates and reading.tense == "past":
            mention = reading.dates[0]
            if not _after(mention.fuzzy, self.published):
                occurred = mention.fuzzy
                why.append(mention.reading)
        if occurred is None:
            occurred = self.dated.get(said_at or "", f"../{self.published.isoformat()}")
        self._add(reading, cls, STATEMENT, data, occurred, why, 0.7, verb.start(), identity=identity,
                  subject=said_at)

    def _statement_subject(self, reading: Reading,
                           speaker: Mention) -> tuple[str, dict[str, Any], str | None] | None:
        """The meeting or trip the statement was made at when the sentence says so, else the
        speaker's delegation (the kind that names a party)."""
        text = reading.sentence.text.lower()
        here = [p for p in self.proposals if p.sentence is reading.sentence
                and self.catalog.subject_class(p.kind).has_expectations()]
        if here:
            return here[-1].kind, {}, here[-1].subject
        for cls in self.catalog.classes:
            if cls.has_expectations() and any(re.search(rf"\b{re.escape(n)}\b", text) for n in cls.drafting_nouns):
                recent = next((s for k, s, _ in reversed(self.in_report) if k == cls.kind), None)
                if recent is not None:
                    return cls.kind, {}, recent
        party = speaker.party or self._party_of_person(speaker.value)
        party_kind = next((cls for cls in self.catalog.classes if "{party}" in cls.drafting_subject), None)
        if party is None or party_kind is None:
            held = self._held_nearest()
            return (held.partition("/")[0], {}, held) if held else None  # said where the report's talks were held
        return party_kind.kind, {"party": party}, None

    def _held_nearest(self) -> str | None:
        """The subject the report tells was held (a meeting) nearest its publication, if any."""
        held = [p for p in self.proposals if self.catalog.subject_class(p.kind).has_expectations()
                and p.type in self.catalog.subject_class(p.kind).concluded_by[:1] and not p.occurred.startswith("..")]
        if not held:
            return None
        def distance(proposal: Proposal) -> int:
            last = proposal.occurred.split("/")[-1]
            try:
                return abs((date.fromisoformat(last) - self.published).days)
            except ValueError:
                return 10_000
        return min(held, key=distance).subject

    # Proposals and their subjects.

    def _add(self, reading: Reading, cls: type[Subject], type_name: str, data: dict[str, Any], occurred: str,
             why: list[str], confidence: float, at: int, *, identity: dict[str, Any] | None = None,
             subject: str | None = None) -> None:
        fields = identity_fields(cls.drafting_subject)
        if identity is None:
            identity = self._identity(reading, cls, type_name, data, at)
        new = False
        if subject is None:
            recent = next((s for k, s, _ in reversed(self.in_report) if k == cls.kind), None)
            resolved = self._resolve(cls, fields, identity)
            if resolved is None and recent is not None and all(
                    isinstance(v, Weak) or v is None or fmt for (name, fmt), v in
                    ((f, identity.get(f[0])) for f in fields)):
                resolved = recent  # only words around it say which: the one the report is about
            if resolved is None:
                first = fields[0][0] if fields else None
                if first is not None and plain(identity.get(first)) is None:
                    return  # nothing names a new subject
                slug = slug_of(cls.drafting_subject, identity, set(cls.person_fields) | _singles(cls))
                if slug is None:
                    return
                subject, new = f"{cls.kind}/{slug}", True
            else:
                subject = resolved
        creation = cls.creation.__name__
        if new and type_name != creation:
            self._create_first(reading, cls, subject, identity, occurred, at)
        elif type_name == creation and not new:
            self._merge(type_name, subject, data, why)
            return
        if new or type_name == creation:
            self.in_report.append((cls.kind, subject, identity))
        if type_name != STATEMENT and self._merge(type_name, subject, data, why, occurred):
            return
        named = set(names_in(data, cls.event_types[type_name].person_fields))
        for earlier in self.proposals:
            if earlier.subject != subject or earlier.sentence is not reading.sentence or earlier.type != creation \
                    or type_name == creation:
                continue
            if not earlier.occurred.startswith(".."):
                earlier.occurred = f"../{occurred.split('/')[-1]}" if not occurred.startswith("..") else occurred
            for path in cls.event_types[creation].person_fields:  # "led by X, who was appointed instead of Y":
                if "." not in path and "[]" not in path and earlier.data.get(path) in named:  # X came with the later event
                    del earlier.data[path]
        missing = _missing(cls, type_name, data, self.wanted)
        confidence += 0.1 if not new else 0
        confidence += 0.1 if not occurred.startswith("..") else 0
        confidence -= 0.15 * len(missing) + (0.1 if HEDGES.search(reading.sentence.text) else 0)
        if type_name in cls.concluded_by[:1] and not occurred.startswith(".."):
            self.dated.setdefault(subject, occurred)
        people = self._people_in(cls, type_name, data)
        self.proposals.append(Proposal(type_name, cls.kind, subject, new, occurred, data, reading.sentence, why,
                                       round(min(0.95, max(0.05, confidence)), 2), missing, people))

    def _people_in(self, cls: type[Subject], type_name: str, data: dict[str, Any]) -> dict[str, str]:
        """The names of people in the data that the register knows, each to its person."""
        names = names_in(data, cls.event_types[type_name].person_fields)
        return {name: person for name in names if (person := self.people.match(name)) is not None}

    def _identity(self, reading: Reading, cls: type[Subject], type_name: str, data: dict[str, Any],
                  at: int, until: int | None = None) -> dict[str, Any]:
        """The values of the fields that name the subject: from the event's data, else read from the
        sentence as the kind's creating cues read them."""
        identity: dict[str, Any] = {}
        creation = cls.creation.__name__
        assigned: dict[str, str] = {}
        for name, declared in (a for text in cls.drafting_cues.get(creation, ()) for a in _assignments(text)):
            if declared == "@broker" or name not in assigned:  # a subject named only by what befell it: by its broker
                assigned[name] = declared
        for name, _ in identity_fields(cls.drafting_subject):
            if name in data:
                identity[name] = data[name]
                continue
            cue = assigned.get(name, "@actor" if name in _singles(cls) else None)
            if cue is not None and cue.startswith("@"):
                value, _ = self._role(reading, cue, at, until if cue == "@broker" and until else at, [], name,
                                      cls.drafting_nouns)
                if cue == "@date" and value is None:
                    value = f"../{self.published.isoformat()}"
                identity[name] = value
        return identity

    def _resolve(self, cls: type[Subject], fields: list[tuple[str, str | None]],
                 identity: dict[str, Any]) -> str | None:
        for kind, subject, theirs in reversed(self.in_report):
            if kind == cls.kind and same_subject(fields, identity, theirs):
                return subject
        for subject, state in self.known.states:
            if subject.startswith(cls.kind + "/") and same_subject(fields, identity, state):
                return subject
        if all(plain(identity.get(name)) is None for name, fmt in fields if fmt is None):
            return next((s for k, s, _ in reversed(self.in_report) if k == cls.kind), None)
        return None

    def _create_first(self, reading: Reading, cls: type[Subject], subject: str, identity: dict[str, Any],
                      occurred: str, at: int) -> None:
        creation = cls.creation.__name__
        model = cls.data_models[creation]
        required = {name for name, info in model.model_fields.items() if info.is_required()}
        assigned = tuple(a for text in cls.drafting_cues.get(creation, ())[:1] for a in _assignments(text)
                         if a[0] in required)  # what the report says of it is another event's
        why = [f"{subject} is new: created first by {creation}"]
        data, _ = self._fill(reading, cls, creation, assigned, at, at, why, actors=False)
        data.update({k: v for k, v in identity.items() if v is not None and not str(v).startswith("..")})
        data = {name: value for name, value in data.items() if name in cls.data_models[creation].model_fields}
        if any(fmt for _, fmt in identity_fields(cls.drafting_subject)):
            for name, fmt in identity_fields(cls.drafting_subject):
                if fmt and identity.get(name):
                    data[name] = identity[name]
        latest = occurred.split("/")[-1] if not occurred.startswith("..") else occurred.removeprefix("../")
        created = f"../{latest}" if latest and latest != ".." else f"../{self.published.isoformat()}"
        self.in_report.append((cls.kind, subject, identity))
        missing = _missing(cls, creation, data)
        people = self._people_in(cls, creation, data)
        self.proposals.append(Proposal(creation, cls.kind, subject, True, created, data, reading.sentence, why,
                                       round(max(0.05, 0.45 - 0.1 * len(missing)), 2), missing, people))

    def _merge(self, type_name: str, subject: str, data: dict[str, Any], why: list[str],
               occurred: str | None = None) -> bool:
        """A second mention of an event already proposed adds what it knows to the first."""
        for earlier in reversed(self.proposals):
            if earlier.type == type_name and earlier.subject == subject and (
                    occurred is None or _overlap(earlier.occurred, occurred)) and not any(
                    plain(earlier.data.get(k)) and plain(v) and plain(earlier.data[k]) != plain(v)
                    for k, v in data.items() if k in DISTINCT):  # agreed and rejected are two events
                for name, value in data.items():
                    if name not in earlier.data or earlier.data[name] in ([], None):
                        earlier.data[name] = value
                        earlier.missing = [m for m in earlier.missing if m.split(".")[1] != name]
                if occurred and earlier.occurred.startswith("..") and not occurred.startswith(".."):
                    earlier.occurred = occurred
                earlier.why.append("also: " + "; ".join(why))
                return True
        return False


def _assignments(text: str) -> list[tuple[str, str]]:
    _, _, assigned = text.partition("=>")
    return [(n.strip(), v.strip()) for n, _, v in (item.partition("=") for item in assigned.split(";") if "=" in item)]


def _singles(cls: type[Subject]) -> set[str]:
    return {p for t in cls.event_types.values() for p in t.person_fields if "[]" not in p and "." not in p}


NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
           "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "several": 3, "a few": 3}
LASTING = re.compile(r"\b(\d{1,2}|a few|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|several)"
                     r"[\s-]+(day|week)s?\b", re.IGNORECASE)


def _lasting(text: str, match: re.Match[str], occurred: str, published: date, why: list[str]) -> str:
    """An event told as lasting ("after ten days of talks", "nearly a week of negotiations") ends on the
    day the sentence gives (or the publication) and began that many days before."""
    lasting = LASTING.search(text[max(0, match.start() - 25):match.end()])
    if lasting is None or "/" in occurred.strip("."):
        return occurred
    count = int(lasting.group(1)) if lasting.group(1).isdigit() else NUMBERS[lasting.group(1).lower()]
    days = count * (7 if lasting.group(2).lower() == "week" else 1)
    try:
        end = date.fromisoformat(occurred.removeprefix("../")) if occurred.removeprefix("../") else published
    except ValueError:
        return occurred
    start = end - timedelta(days=days - 1)
    if start == end:
        return occurred
    why.append(f"'{lasting.group()}' → {start.isoformat()}/{end.isoformat()}")
    return f"{start.isoformat()}/{end.isoformat()}"


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


def _missing(cls: type[Subject], type_name: str, data: dict[str, Any], wanted: tuple[str, ...] = ()) -> list[str]:
    model = cls.data_models[type_name]
    missing = [f"data.{name}" for name, info in model.model_fields.items() if info.is_required() and name not in data]
    # A model that takes one of several fields (a point's change: a number, a text or a topic) and has
    # none: the one the cue wanted, else the first.
    extra = model.model_config.get("json_schema_extra")
    declared: Any = extra.get("anyOf", ()) if isinstance(extra, dict) else ()
    alternatives: list[list[str]] = [list(a["required"]) for a in declared if isinstance(a, dict) and a.get("required")]
    if alternatives and not any(all(name in data for name in names) for names in alternatives):
        names = [n for names in alternatives for n in names]
        missing.append(f"data.{next((n for n in wanted if n in names), names[0])}")
    for name, value in data.items():
        if isinstance(value, dict) and "disputed" in value:
            missing += [f"data.{name}.disputed.{i}.sources" for i, alt in enumerate(value["disputed"])
                        if not alt["sources"]]
    return missing


def _after(fuzzy: str, published: date) -> bool:
    try:
        earliest = FuzzyDate.parse(fuzzy).earliest
    except Exception:  # noqa: BLE001 - an unreadable date is not a future one
        return False
    return earliest is not None and earliest.date() > published


def _overlap(a: str, b: str) -> bool:
    try:
        x, y = FuzzyDate.parse(a), FuzzyDate.parse(b)
    except Exception:  # noqa: BLE001
        return False
    return (x.earliest is None or y.latest is None or x.earliest <= y.latest) and \
        (y.earliest is None or x.latest is None or y.earliest <= x.latest)
