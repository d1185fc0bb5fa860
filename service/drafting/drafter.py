"""The drafter (SPEC §13): events proposed from an English news report, for a person to confirm.

The parts: `sentences` and `dates` (a report's sentences and the dates they give), `entities`,
`context` and `gazetteer` (the people, places and parties they name), `cues` (each kind's phrases),
`roles` and `places` (what a cue's sentence gives its fields), `occurred` (when it happened),
`proposing` and `subjects` (which subject it is about, merged with what the report said before),
`signatories` (who signed for a party), `statements` (quotes), `confidence` (how sure and what is missing); this module reads the report
and its cues. Each step is a class over the shared `reading.State`, the next built on the last.

Sentence by sentence: the kinds' cues say what happened or is planned, the sentence's people,
places, parties, dates and counts fill the event's data, and the subject is found among those
the report or the store already has, else proposed new (created first by its kind's creating
event). A quote with a verb of saying is a statement. Each proposal says which words led to it
(`why`) and how sure it is (`confidence`); what it could not find is listed under `missing`.
"""

from __future__ import annotations

import re
from dataclasses import replace

from parley.service.drafting.context import context_of
from parley.service.drafting.cues import Cue
from parley.service.drafting.dates import Tense, dates_in
from parley.service.drafting.entities import Found, Mention, parties_in, party_of
from parley.service.drafting.gazetteer import CAPITALS, CITY_COUNTRY, PLACES
from parley.service.drafting.groups import groups_in
from parley.service.drafting.occurred import begun, lasting, occurred_at
from parley.service.drafting.proposing import singles
from parley.service.drafting.reading import Proposal, Reading
from parley.service.drafting.roles import ITEM
from parley.service.drafting.sentences import sentences
from parley.service.drafting.signatories import Signatories
from parley.service.drafting.subjects import identity_fields, slug_of

FUTURE = re.compile(
    r"\b(will|would|shall|is to|are to|was to|were to|expected to|due to|set to|scheduled to|"
    r"planned to|plans to|planning to|going to|slated to|is due|are due|next)\b",
    re.IGNORECASE,
)
CREATING = re.compile(
    r"\b(?:form|nam|sen[dt]|dispatch|assembl|appoint|propos|unveil|present|draft|submit|tabl|float|"
    r"offer|put forward|schedul|plan|announc|set up|creat|establish)",
    re.IGNORECASE,
)
PASSIVE = re.compile(r"^(?:[\w|]+\s+)*?(?:take place|took place|was\|were held|concluded\|ended in)\s*$")
HOME_TITLE = re.compile(r"(?:the\s+)?(?:president|prime minister|premier|foreign minister|defen[cs]e minister)", re.IGNORECASE)
CAPITAL_OF = re.compile(r"\bthe\s+\w+(?:\s\w+)?\s+capital\b", re.IGNORECASE)  # "the Austrian capital" names a place
# A city the report names by what it is rather than its name: in wire copy, the dateline's.
THE_CITY = re.compile(r"\bthe\s+(?:[A-Z][\w'’-]*\s+){0,3}(?:[a-z][a-z-]+\s+)?(?:city|town|port|resort|capital)\b(?!\s+of\b)")
OPENING = re.compile(r"^(?:In|From)\s+([A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+){0,2}),")
DATELINE = re.compile(r"^\s*([A-Z][A-Z'.-]+(?: [A-Z][A-Z'.-]+){0,2})(?:(?:,| \()[^\n]{0,40}?)?\s[-–—]\s")


class Drafter(Signatories):
    """Reads a report sentence by sentence and proposes the events its cues tell."""

    def draft(self, text: str) -> list[Proposal]:
        self.context = context_of(text)
        self.people.groups = groups_in(text)
        dateline = DATELINE.match(text)
        if dateline is not None:  # "GENEVA, Nov 23 -": where the report was filed, and what happens "here"
            self.dateline = " ".join(w.capitalize() for w in dateline.group(1).split())
            self.home = party_of(dateline.group(0))
            rest = CAPITAL_OF.sub("", text[dateline.end() :])
            told = {
                p.value
                for p in parties_in(rest)  # "Havana" names a place, not a party of the talks
                if re.sub(r"['’]s$", "", rest[p.start : p.end].lower()) not in PLACES
            }
            if self.home not in told and told & set(CAPITALS):
                self.home = None  # a report from Vienna on other states' talks: its "President" is not Austria's
        last_person: Mention | None = None
        for sentence in sentences(text):
            found = self.people.find(sentence.text)
            self._from_context(sentence.text, found)
            if self.lead is None:  # the report's first party: whom "the two men signed" speaks of, failing all else
                named = sorted(
                    [(p.start, p.value) for p in found.parties] + [(p.start, p.party) for p in found.people if p.party]
                )
                self.lead = named[0][1] if named else None
            found.people = [self._at_home(p, sentence.text) for p in found.people]
            if dateline is not None and sentence.start <= dateline.start(1) < sentence.end:
                found.places = [p for p in found.places if p.start + sentence.start >= dateline.end()]
                found.parties = [p for p in found.parties if p.start + sentence.start >= dateline.end()]
            tense: Tense = "future" if FUTURE.search(sentence.text) else "past"
            reading = Reading(sentence, found, dates_in(sentence.text, self.published, tense), tense, last_person)
            self._read(reading)
            self._remember_institutions(sentence.text)
            if found.people:
                last_person = min(found.people, key=lambda p: p.start)
        self._short_names()
        return self.proposals

    def _at_home(self, person: Mention, text: str) -> Mention:
        """A bare title's country ("President X"): the one the report gave the person first; else the city a
        sentence opens on; else the party whose government the report names; else the dateline's."""
        if person.party is not None or not person.role or not HOME_TITLE.fullmatch(person.role):
            return person
        home = self.homes.get(person.value) or self._opening_home(text) or self.context.government or self.home
        if home is None:
            return person
        self.homes.setdefault(person.value, home)
        return replace(person, party=home)

    @staticmethod
    def _opening_home(text: str) -> str | None:
        """A sentence that opens on a city ("In Jerusalem, Prime Minister …") is told from there: its bare
        titles are that city's country's, not the dateline's."""
        opening = OPENING.match(text)
        if opening is None:
            return None
        return CITY_COUNTRY.get(opening.group(1).lower()) or party_of(opening.group(1))

    def _short_names(self) -> None:
        """A new subject named after a person is named by the word the report calls them by alone
        ("Abiy" for Abiy Ahmed, "Xi" for Xi Jinping), when that is not their last name."""
        renamed: dict[str, str] = {}
        for kind, subject, identity in self.in_report:
            cls = self.catalog.subject_class(kind)
            people = set(cls.person_fields) | singles(cls)
            short = {
                name: self.people.short[value]
                for name, value in identity.items()
                if name in people and isinstance(value, str) and value in self.people.short
            }
            if not short or subject in renamed:
                continue
            slug = slug_of(cls.drafting_subject, {**identity, **short}, people)
            if (
                slug is not None
                and f"{kind}/{slug}" != subject
                and any(p.subject == subject and p.new_subject for p in self.proposals)
            ):
                renamed[subject] = f"{kind}/{slug}"
        for proposal in self.proposals:
            if proposal.subject in renamed:
                old, proposal.subject = proposal.subject, renamed[proposal.subject]
                proposal.why = [w.replace(old, proposal.subject) for w in proposal.why]

    def _from_context(self, text: str, found: Found) -> None:
        """What the report as a whole says of a sentence's words: "the Qatari capital" is Doha, "the
        government" the party whose government the report named."""
        for capital in self.context.capital(text):
            found.places = [p for p in found.places if not capital.start <= p.start < capital.end] + [capital]
            found.parties = [p for p in found.parties if not capital.start <= p.start < capital.end]
        for match in THE_CITY.finditer(text) if self.dateline else ():  # "the Red Sea city": the dateline's
            named = party_of(match.group())
            if (named is None or named == self._country_of(self.dateline or "")) and not any(
                p.start < match.end() and match.start() < p.end for p in found.places
            ):
                found.places.append(Mention(self.dateline or "", match.start(), match.end()))
                found.parties = [p for p in found.parties if not match.start() <= p.start < match.end()]
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
                if any(
                    match.start() < e and s < match.end() and not ((cue.beside or other.beside) and other.kind != cue.kind)
                    for s, e, other, _ in taken
                ):
                    continue
                if any(value == "@item" for _, value in cue.assigned) and not ITEM.search(reading.sentence.text):
                    continue  # an item's event that names no item ("the plan dropped nine points") is not one
                if not self._inside_quote(reading, match.start()) and self._about_its_kind(reading, cue, match):
                    taken.append((match.start(), match.end(), cue, match))
        reading.cues = sorted(t[0] for t in taken)
        for _, _, cue, match in sorted(taken, key=lambda t: t[0]):  # then in the order the sentence tells them
            self._propose(reading, cue, match)
        self._signatories(reading)
        self._statement(reading)

    def _about_its_kind(self, reading: Reading, cue: Cue, match: re.Match[str]) -> bool:
        """A cue that names nothing of its kind ("is expected to take place", "was held") is the kind's
        only when one of its nouns comes just before it: "the swap is expected to take place" is not."""
        if not PASSIVE.search(cue.text.partition("=>")[0]):
            return True
        nouns = self.catalog.subject_class(cue.kind).drafting_nouns
        before = reading.sentence.text[max(0, match.start() - 60) : match.start()].lower()
        return any(re.search(rf"\b{re.escape(noun)}\b", before) for noun in nouns)

    def _propose(self, reading: Reading, cue: Cue, match: re.Match[str]) -> None:
        cls = self.catalog.subject_class(cue.kind)
        why = [f"'{match.group().strip()}' ({cue.type})"]
        data, used_date = self._fill(
            reading,
            cls,
            cue.type,
            cue.assigned,
            match.start(),
            match.end(),
            why,
            before=cue.before,
            after=cue.after,
            gap=(match.start(), match.end("gap")) if "gap" in match.re.groupindex else None,
        )
        occurred = occurred_at(reading, match.start(), used_date, self.published, planned=used_date is not None, why=why)
        occurred = lasting(reading.sentence.text, match, occurred, self.published, why)
        occurred = begun(match, occurred, self.published, why)
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
