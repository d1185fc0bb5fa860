"""What the drafter holds while it reads a report: each sentence as read (`Reading`), the events
proposed so far (`Proposal`), and the state every step shares (`State`: the catalog, the store's
subjects, the report's dateline, lead party and proposals)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from parley.domain.catalog import Catalog
from parley.service.drafting.context import Context
from parley.service.drafting.cues import cues_of
from parley.service.drafting.dates import DateMention, Tense
from parley.service.drafting.entities import Found, Mention, People
from parley.service.drafting.sentences import Sentence
from parley.service.drafting.subjects import Known


class Weak(str):
    """A value read from the words around a cue rather than named by it: it names a new subject, but
    does not tell a subject from one the report already has."""


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


class State:
    """What every step of the drafter reads and adds to while it reads one report."""

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
        self.institutions: list[tuple[str, str]] = []  # (name, party): "Azerbaijan's foreign ministry" for "the ministry"
        self.home: str | None = None  # the dateline's country: an unqualified "President" in wire copy is its
        self.homes: dict[str, str] = {}  # a person of a bare title → the country the report first gave them

    @staticmethod
    def _inside_quote(reading: Reading, at: int) -> bool:
        return any(q.start <= at < q.end for q in reading.found.quotes)
