"""Signatories (SPEC §13): who signs an agreement for a party leads that party's delegation ("X and Y put
their names to the accord", "the deal was signed by X and by Y"), unless they are its head of state or
government, whom coders do not take for a negotiator, or the mediator, who signs as a witness."""

from __future__ import annotations

import re

from parley.service.drafting.occurred import occurred_at
from parley.service.drafting.reading import Reading
from parley.service.drafting.statements import Statements

# The verb with its signatories before it ("put their names to") or after it ("was signed by").
SIGNED_BEFORE = re.compile(r"\b(?:put|puts|putting)\s+their\s+(?:names|signatures)\s+to\b", re.IGNORECASE)
SIGNED_AFTER = re.compile(
    r"\b(?:was|were|been|is|are)\s+(?:\w+\s+)?(?:signed|initial+ed)\s+(?:[\w,'’-]+\s+){0,8}?by\b", re.IGNORECASE
)
# Where the signatories end and the onlookers begin.
ONLOOKERS = re.compile(
    r"\b(?:in\s+the\s+presence\s+of|watched|witnessed|attended|flanked|looked\s+on|as\s+\w+\s+looked)\b", re.IGNORECASE
)
LEADERS = re.compile(r"\b(?:president|prime minister|premier|king|queen|emir|sultan|chancellor|leader)\b", re.IGNORECASE)
GOVERNMENT = re.compile(r"\bgovernment\b", re.IGNORECASE)


class Signatories(Statements):
    """Proposes a delegation headed by each signatory the sentence names with a party."""

    def _signatories(self, reading: Reading) -> None:
        text = reading.sentence.text
        before, after = SIGNED_BEFORE.search(text), SIGNED_AFTER.search(text)
        if before is not None:
            signers = [p for p in reading.found.people if p.end <= before.start()]
            at = before.start()
        elif after is not None:
            stop = ONLOOKERS.search(text, after.end())
            signers = [p for p in reading.found.people if p.start >= after.end() and (stop is None or p.end <= stop.start())]
            at = after.start()
        else:
            return
        kind = next((cls for cls in self.catalog.classes if cls.drafting_subject == "{party}"), None)
        if kind is None:
            return
        leaders = any(p.role and LEADERS.search(p.role) for p in signers)
        for person in signers:
            party = person.party or self._party_of_person(person.value)
            if party is None and person.role and GOVERNMENT.search(person.role):
                party = self.context.government  # "Government chief negotiator X"
            if (
                party is None
                or party == self.context.broker
                or (person.role and (LEADERS.search(person.role) or leaders and "counterpart" in person.role))
            ):  # "and his counterpart"
                continue
            why = [f"'{text[at : at + 40].strip()}' (signed for {party})", f"head '{person.value}'"]
            occurred = occurred_at(reading, at, None, self.published, planned=False, why=why)
            occurred = f"../{occurred.split('/')[-1]}" if not occurred.startswith("..") else occurred
            self._add(
                reading,
                kind,
                kind.creation.__name__,
                {"party": party, "head": person.value, "members": []},
                occurred,
                why,
                0.55,
                person.start,
                identity={"party": party},
            )
