"""Statements (SPEC §13): a quote with a verb of saying, by the person nearest the verb, belonging
to the meeting or trip it was made at when the report says so, else to the speaker's delegation."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from parley.service.drafting.entities import Mention, party_of
from parley.service.drafting.occurred import is_after
from parley.service.drafting.proposing import STATEMENT, Proposing
from parley.service.drafting.reading import Proposal, Reading

SPEECH = re.compile(
    r"\b(said|says|say|saying|noted|notes|noting|called|calls|calling|told|tells|added|adds|stated|"
    r"states|described|describes|characteri[sz]ed|characteri[sz]es|emphasi[sz]ed|emphasi[sz]es|"
    r"stressed|insisted|warned|wrote|declared|confirmed|remarked|argued|urged|vowed|according to|"
    r"acknowledged|insists|warns|told reporters)\b",
    re.IGNORECASE,
)

MEDIATOR = re.compile(r"\b(?:mediat|facilitat)", re.IGNORECASE)
# Who speaks for a party when no person does: its ministry, its seat of government, its spokesman.
INSTITUTION = re.compile(
    r"(?:\b[Tt]he\s+|\b[Aa]n?\s+)?(?P<name>(?:(?:[A-Z][\w.-]*(?:['’]s)?|[a-z]+['’]s)\s+){0,3}?"
    r"(?P<noun>foreign ministry|defen[cs]e ministry|ministry|White House|Kremlin|State Department|"
    r"Foreign Office|presidency|Elysee|Élysée|Pentagon|government|cabinet|army|military|"
    r"spokes(?:man|woman|person)|panel|mediators?))\b"
)


class Statements(Proposing):
    """Proposes the statements a sentence quotes."""

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
            speaker = self._institution(reading, verb.start(), verb.end())
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
        # the day said beside the verb ("said on Friday", "on Friday said"), not one of another clause
        beside = [d for d in reading.dates if 0 <= d.start - verb.end() <= 30 or 0 <= verb.start() - d.end <= 30]
        if beside and reading.tense == "past":
            mention = beside[0]
            if not is_after(mention.fuzzy, self.published):
                occurred = mention.fuzzy
                why.append(mention.reading)
        if occurred is None:
            occurred = self.dated.get(said_at or "", f"../{self.published.isoformat()}")
        self._add(reading, cls, STATEMENT, data, occurred, why, 0.7, verb.start(), identity=identity, subject=said_at)

    def _remember_institutions(self, text: str) -> None:
        """The institutions a sentence names with their party, for "the ministry" later."""
        for match in INSTITUTION.finditer(text):
            party = party_of(match.group("name"))
            if party is not None:
                self.institutions.append((match.group("name").strip(), party))

    def _institution(self, reading: Reading, start: int, end: int) -> Mention | None:
        """An institution that speaks when no person does: "The White House called the talks "…"",
        ""…," the ministry said" (the one the report named before: "Azerbaijan's foreign ministry")."""
        text = reading.sentence.text
        found = [m for m in INSTITUTION.finditer(text) if m.end() <= start or 0 <= m.start() - end <= 5]
        found = [m for m in found if not self._inside_quote(reading, m.start())]
        if not found:
            return None
        match = min(found, key=lambda m: abs(m.start() - start))
        words = match.group("name").strip()
        party = party_of(words)
        if party is None:  # "the ministry": the latest the report named with a party
            noun = match.group("noun").lower()
            named = next(((n, p) for n, p in reversed(self.institutions) if n.lower().endswith(noun)), None)
            if named is not None:
                words, party = named
            else:
                party = next((p.value for p in reading.found.parties if p.end <= match.start()), None)
        name = f"{words[0].upper()}{words[1:]}"
        return Mention(name, match.start(), match.end(), party=party)

    def _statement_subject(self, reading: Reading, speaker: Mention) -> tuple[str, dict[str, Any], str | None] | None:
        """The meeting or trip the statement was made at when the sentence says so, else the
        speaker's delegation (the kind that names a party)."""
        text = reading.sentence.text.lower()
        here = [
            p for p in self.proposals if p.sentence is reading.sentence and self.catalog.subject_class(p.kind).has_expectations()
        ]
        if here:
            return here[-1].kind, {}, here[-1].subject
        for cls in self.catalog.classes:
            if cls.has_expectations() and any(re.search(rf"\b{re.escape(n)}\b", text) for n in cls.drafting_nouns):
                recent = next((s for k, s, _ in reversed(self.in_report) if k == cls.kind), None)
                if recent is not None:
                    return cls.kind, {}, recent
        party = speaker.party or self._party_of_person(speaker.value)
        party_kind = next((cls for cls in self.catalog.classes if "{party}" in cls.drafting_subject), None)
        if speaker.role and MEDIATOR.search(speaker.role):
            party = None  # "Brazil's mediator": no party to the talks, so its words are theirs
        if party is None or party_kind is None:
            held = self._held_nearest()
            return (held.partition("/")[0], {}, held) if held else None  # said where the report's talks were held
        return party_kind.kind, {"party": party}, None

    def _held_nearest(self) -> str | None:
        """The subject the report tells was held (a meeting) nearest its publication, if any."""
        held = [
            p
            for p in self.proposals
            if self.catalog.subject_class(p.kind).has_expectations()
            and p.type in self.catalog.subject_class(p.kind).concluded_by[:1]
            and not p.occurred.startswith("..")
        ]
        if not held:
            return None

        def distance(proposal: Proposal) -> int:
            last = proposal.occurred.split("/")[-1]
            try:
                return abs((date.fromisoformat(last) - self.published).days)
            except ValueError:
                return 10_000

        return min(held, key=distance).subject
