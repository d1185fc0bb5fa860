"""SPEC §11's matching, against a reference fold: random registers whose aliases are added and
removed at random recorded times, and merged, asked at random `known_at`. A name matches the
people whose spellings, as known then, equal it after NFKC, case folding and marks removed; two
or more people (after merges) make it ambiguous."""

from __future__ import annotations

import os
import unicodedata
from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from parley.domain.catalog import BUILT_IN
from parley.domain.facts import FAR_FUTURE, Fact
from parley.domain.fuzzy_dates import FuzzyDate
from parley.domain.register import Register, names_in
from parley.domain.timeline import fold
from tests.examples import examples

CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
T0 = datetime(2025, 12, 1, tzinfo=UTC)
BASES = ("Anna Adler", "Boris Bauer", "Chen Costa", "Dara Dumas")
# Spellings of a few names that the matching rule makes one: case, accents, compatibility forms.
SPELLINGS = st.sampled_from(BASES).flatmap(
    lambda base: st.sampled_from(
        (base, base.upper(), base.replace("a", "á"), base.replace("e", "é").lower(), base.replace("A", "Ａ"))
    )
)
PEOPLE = [f"person/p{i}" for i in range(3)]
PERSON = BUILT_IN.subject_class("person")


def key(name: str) -> str:
    folded = unicodedata.normalize("NFKC", name).casefold()
    return "".join(c for c in unicodedata.normalize("NFD", folded) if not unicodedata.combining(c))


@st.composite
def histories(draw):
    """Per person, events valid in valid-time order, each recorded at a random time."""
    facts: list[Fact] = []
    for subject in draw(st.lists(st.sampled_from(PEOPLE), min_size=1, max_size=3, unique=True)):
        name = draw(SPELLINGS)
        held = [name]
        steps = [("PersonRegistered", {"name": name, "aliases": []})]
        for _ in range(draw(st.integers(0, 5))):
            spelling = draw(SPELLINGS)
            twin = next((h for h in held[1:] if key(h) == key(spelling)), None)
            if twin is not None:
                held.remove(twin)
                steps.append(("AliasRemoved", {"alias": twin}))
            elif all(key(h) != key(spelling) for h in held):
                held.append(spelling)
                steps.append(("AliasAdded", {"alias": spelling}))
        if draw(st.booleans()):
            steps.append(("PersonMerged", {"into": draw(st.sampled_from([p for p in PEOPLE if p != subject]))}))
        for day, (type_name, data) in enumerate(steps, start=1):
            recorded = T0 + timedelta(minutes=draw(st.integers(0, 20)))
            facts.append(
                Fact(
                    event_id=f"{subject}#{day}",
                    subject=subject,
                    version=day,
                    type=type_name,
                    occurred=FuzzyDate.parse(f"2025-11-{day:02d}"),
                    data=data,
                    sources=[],
                    note=None,
                    recorded_at=recorded,
                    recorded_by="t",
                )
            )
    return facts


def reference(facts: list[Fact], known_at: datetime, name: str) -> object:
    """Whom `name` matches as known at `known_at`, folded here independently of the domain."""
    spellings: dict[str, list[str]] = {}
    merged: dict[str, str] = {}
    for fact in sorted((f for f in facts if f.recorded_at <= known_at), key=lambda f: (f.subject, f.version)):
        held = spellings.get(fact.subject)
        if fact.type == "PersonRegistered":
            spellings[fact.subject] = [fact.data["name"]]
        elif held is None:
            continue  # not registered as known then: the record does not exist yet
        elif fact.type == "AliasAdded" and all(key(h) != key(fact.data["alias"]) for h in held):
            held.append(fact.data["alias"])
        elif fact.type == "AliasRemoved" and fact.data["alias"] in held[1:]:
            held.remove(fact.data["alias"])
        elif fact.type == "PersonMerged":
            merged[fact.subject] = fact.data["into"]

    def end(subject: str) -> str:
        seen = {subject}
        while subject in merged and merged[subject] not in seen:
            subject = merged[subject]
            seen.add(subject)
            if subject not in spellings:
                break
        return subject

    found = sorted({end(s) for s, held in spellings.items() if any(key(h) == key(name) for h in held)})
    if not found:
        return None
    return found[0] if len(found) == 1 else {"ambiguous": found}


def register_at(facts: list[Fact], known_at: datetime) -> Register:
    entries = {}
    for subject in {f.subject for f in facts}:
        state = fold(PERSON, [f for f in facts if f.subject == subject], FAR_FUTURE, known_at).state
        if state is not None:
            entries[subject] = PERSON.register_entry(state)
    return Register.of(entries)


@settings(max_examples=examples(40) if CI else 400, deadline=None)
@given(histories(), st.integers(-1, 21), SPELLINGS)
def test_matching_is_the_reference_folds_at_every_known_at(facts: list[Fact], minute: int, name: str) -> None:
    known_at = T0 + timedelta(minutes=minute)
    assert register_at(facts, known_at).match(name) == reference(facts, known_at, name)


def test_names_are_found_at_each_path_disputed_alternatives_included() -> None:
    state = {
        "head": {"disputed": [{"value": "A", "sources": ["x"]}, {"value": "B", "sources": ["y"]}]},
        "former_heads": ["C"],
        "members": [{"name": "D"}, {"name": "E"}],
        "statements": [{"speaker": "F"}],
    }
    assert names_in(state, BUILT_IN.person_paths("delegation")) == ["A", "B", "C", "D", "E", "F"]
    assert names_in(None, ("head",)) == [] and names_in({"head": None}, ("head",)) == []
