"""SPEC §11 over HTTP: names given under random spellings and scripts (case, accents, compatibility
forms) resolve to the person a reference matching says, as the register was known at each moment
asked, on both backends. The reference folds spellings independently: NFKC, case folding and marks
removed; each name is made from one person's spelling, so whom it should match is known."""

from __future__ import annotations

import itertools
import unicodedata

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.examples import examples

# Each person's spellings: the name, its own script, another transliteration.
PEOPLE = [
    ("Andriy Yermak", "Андрій Єрмак", "Andrey Yermak"),
    ("Rustem Umerov", "Рустем Умєров", "Rustem Oumerov"),
    ("Marco Rubio", "Марко Рубіо", "Marko Rubio"),
    ("Steve Witkoff", "Стів Віткофф", "Steven Witkoff"),
]
COUNTER = itertools.count()


def key(name: str) -> str:
    folded = unicodedata.normalize("NFKC", name).casefold()
    return "".join(c for c in unicodedata.normalize("NFD", folded) if not unicodedata.combining(c))


def written(spelling: str, how: int) -> str:
    """The spelling as a report might write it: as is, in capitals, lower case, accented, full width."""
    if how == 1:
        return spelling.upper()
    if how == 2:
        return spelling.lower()
    if how == 3:
        return unicodedata.normalize("NFC", spelling.replace("a", "a\u0301").replace("о", "о\u0301"))
    if how == 4 and spelling.isascii():
        return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in spelling)
    return spelling


@st.composite
def stories(draw):
    chosen = draw(st.lists(st.integers(0, len(PEOPLE) - 1), min_size=1, max_size=3, unique=True))
    people = []
    for index in chosen:
        spellings = PEOPLE[index]
        registered = draw(st.lists(st.sampled_from(spellings[1:]), unique=True, max_size=2))
        later = [s for s in spellings[1:] if s not in registered and draw(st.booleans())]
        people.append((index, registered, later))
    named = draw(
        st.lists(
            st.tuples(st.sampled_from(chosen), st.integers(0, 2), st.integers(0, 4)),
            min_size=1,
            max_size=3,
            unique_by=lambda t: t[0],
        )
    )
    return people, named


@settings(max_examples=examples(5), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(stories())
def test_names_under_any_spelling_resolve_as_the_reference_says_as_known_then(client, story) -> None:
    people, named = story
    run = next(COUNTER)
    tag = f" Q{run}"  # each run's own people: earlier runs' records would make every name ambiguous
    sources = [{"name": "Reuters"}]
    names = [written(PEOPLE[index][which] + tag, how) for index, which, how in named]
    members = {
        "type": "DelegationFormed",
        "subject": f"delegation/run-{run}",
        "occurred": "2025-11-20",
        "sources": sources,
        "data": {"party": "Ukraine", "members": [{"name": n} for n in names]},
    }
    assert client.post("/events", json=members).status_code == 201, names
    held: dict[str, list[str]] = {}  # as known after each write: person -> spellings
    moments = []
    for index, registered, _ in people:
        person = f"person/p{index}-run-{run}"
        body = {
            "type": "PersonRegistered",
            "subject": person,
            "occurred": "2025-11-01",
            "sources": sources,
            "data": {"name": PEOPLE[index][0] + tag, "aliases": [s + tag for s in registered]},
        }
        receipt = client.post("/events", json=body)
        assert receipt.status_code == 201, receipt.text
        held[person] = [PEOPLE[index][0] + tag, *(s + tag for s in registered)]
        moments.append((receipt.json()["recorded_at"], {p: list(s) for p, s in held.items()}))
    for index, _, later in people:
        person = f"person/p{index}-run-{run}"
        for alias in later:
            body = {
                "type": "AliasAdded",
                "subject": person,
                "occurred": "2025-11-02",
                "sources": sources,
                "data": {"alias": alias + tag},
            }
            receipt = client.post("/events", json=body)
            assert receipt.status_code == 201, receipt.text
            held[person].append(alias + tag)
            moments.append((receipt.json()["recorded_at"], {p: list(s) for p, s in held.items()}))
    for known_at, spellings in moments:
        expected = {}
        for name in names:
            found = sorted(p for p, held_then in spellings.items() if any(key(s) == key(name) for s in held_then))
            if found:
                expected[name] = found[0] if len(found) == 1 else {"ambiguous": found}
        answer = client.get(f"/subjects/delegation/run-{run}", params={"known_at": known_at}).json()
        assert answer["people"] == expected, (known_at, names)
        # A person's mentions (read from the search projection's index of names) are the names that
        # resolve to them alone, as known then; a person not yet registered then is 404.
        for person in held:
            mentioned = client.get(f"/subjects/{person}/mentions", params={"known_at": known_at})
            if person not in spellings:
                assert mentioned.status_code == 404, mentioned.text
                continue
            listed = [(e["subject"], m["field"], m["name"]) for e in mentioned.json()["events"] for m in e["mentions"]]
            assert listed == [(f"delegation/run-{run}", "members[].name", n) for n in names if expected.get(n) == person]
