"""SPEC §11's `GET /search`: people by any spelling in any script, the subjects and statements that
name them, and event text, ranked by Parley's own score, from an index kept by a projection."""

from __future__ import annotations

from typing import Any

import pytest

from parley.projections.search import Search
from parley.projections.search_reads import EXPANDED
from tests.integration.helpers import assert_problem

YERMAK = {
    "type": "PersonRegistered",
    "subject": "person/andriy-yermak",
    "occurred": "../2025-11-22",
    "sources": [{"name": "Forbes"}],
    "data": {
        "name": "Andriy Yermak",
        "aliases": ["Andrey Yermak", "Андрій Єрмак"],
        "description": "Head of the Presidential Office",
    },
}
UKRAINE = {
    "type": "DelegationFormed",
    "subject": "delegation/ukraine",
    "occurred": "2025-11-22",
    "sources": [{"name": "Reuters", "quote": "Ukraine's team, led by Andrey Yermak"}],
    "data": {"party": "Ukraine", "head": "Andrey Yermak", "members": [{"name": "Rustem Umerov"}]},
}
SAID = {
    "type": "StatementRecorded",
    "subject": "delegation/ukraine",
    "occurred": "2025-11-23",
    "sources": [{"name": "Axios"}],
    "data": {"speaker": "ANDRIY YERMÁK", "quote": "We made good progress in Geneva"},
}
RUBIO = {
    "type": "TripScheduled",
    "subject": "trip/rubio-geneva",
    "occurred": "2025-11-21",
    "sources": [{"name": "Reuters"}],
    "data": {"traveller": "Marco Rubio", "destination": "Geneva", "planned_for": "2025-11-23"},
}


def post(client, body: dict[str, Any]) -> dict[str, Any]:
    response = client.post("/events", json=body)
    assert response.status_code == 201, response.text
    return response.json()


def found(client, q: str, **params: Any) -> list[dict[str, Any]]:
    response = client.get("/search", params={"q": q, **params})
    assert response.status_code == 200, response.text
    return response.json()["hits"]


def about(hits: list[dict[str, Any]]) -> list[tuple[str, str]]:
    return [(hit["type"], hit["subject"]) for hit in hits]


@pytest.fixture
def recorded(client) -> dict[str, dict[str, Any]]:
    return {
        name: post(client, body) for name, body in (("yermak", YERMAK), ("ukraine", UKRAINE), ("said", SAID), ("rubio", RUBIO))
    }


SPELLINGS = ["Andrey Yermak", "andriy", "Андрій Єрмак", "Єрмак", "ANDRIY YERMÁK", "yerm"]


def test_every_spelling_finds_the_person_and_what_names_them(client, recorded) -> None:
    for q in SPELLINGS:
        spelled(found(client, q), recorded)


def spelled(hits: list[dict[str, Any]], recorded: dict[str, dict[str, Any]]) -> None:
    assert hits[0]["type"] == "person" and hits[0]["subject"] == "person/andriy-yermak", hits
    assert hits[0]["name"] == "Andriy Yermak" and hits[0]["field"] in ("name", "aliases")
    assert hits[0]["events"] == [recorded["yermak"]["event_id"]]
    delegation = next(hit for hit in hits if hit["type"] == "subject")
    assert delegation["subject"] == "delegation/ukraine" and delegation["field"] == "data.head"
    assert delegation["text"] == "Andrey Yermak" and recorded["ukraine"]["event_id"] in delegation["events"]
    statement = next(hit for hit in hits if hit["type"] == "statement")
    assert statement["event_id"] == recorded["said"]["event_id"] and statement["field"] == "data.speaker"
    assert statement["quote"] == "We made good progress in Geneva"
    assert ("subject", "trip/rubio-geneva") not in about(hits)


def test_words_of_any_field_find_subjects_and_statements_ranked_by_field(client, recorded) -> None:
    hits = found(client, "geneva")
    # The trip's slug and its destination (weight 3 beats a quote's 2); the statement's quote.
    assert about(hits) == [("subject", "trip/rubio-geneva"), ("statement", "delegation/ukraine")]
    assert hits[0]["field"] == "subject" and hits[0]["score"] > hits[1]["score"]
    assert hits[1]["field"] == "data.quote"
    assert about(found(client, "RUBIÓ marco")) == [("subject", "trip/rubio-geneva")]
    assert found(client, "rubio", kind="delegation") == []
    assert about(found(client, "umerov")) == [("subject", "delegation/ukraine")]
    assert found(client, "umerov")[0]["field"] == "data.members[].name"
    assert about(found(client, "reuters led")) == [("subject", "delegation/ukraine")]  # a source's quote


def test_answers_are_as_known_and_as_of_and_a_retraction_withdraws(client, recorded) -> None:
    added = post(
        client,
        {
            "type": "AliasAdded",
            "subject": "person/andriy-yermak",
            "occurred": "../2025-11-22",
            "sources": [{"name": "Reuters"}],
            "data": {"alias": "Andrij Jermak"},
        },
    )
    # Named by a spelling no event gives: equal scores, the newest first.
    assert about(found(client, "jermak")) == [
        ("person", "person/andriy-yermak"),
        ("statement", "delegation/ukraine"),
        ("subject", "delegation/ukraine"),
    ]
    assert found(client, "jermak", known_at=recorded["rubio"]["recorded_at"]) == []
    post(
        client,
        {
            "type": "AliasRemoved",
            "subject": "person/andriy-yermak",
            "occurred": "2025-12-01",
            "sources": [{"name": "Reuters"}],
            "data": {"alias": "Andrij Jermak"},
        },
    )
    assert found(client, "jermak") == []
    assert about(found(client, "jermak", known_at=added["recorded_at"]))[0] == ("person", "person/andriy-yermak")
    # The statement of 23 November is not certain by the 22nd.
    assert "statement" not in [hit["type"] for hit in found(client, "progress", as_of="2025-11-22")]
    post(
        client,
        {
            "type": "EventRetracted",
            "subject": "delegation/ukraine",
            "occurred": "2025-11-24",
            "sources": [{"name": "Axios"}],
            "data": {"event_id": recorded["said"]["event_id"], "reason": "Misquoted"},
        },
    )
    assert found(client, "progress") == []
    assert about(found(client, "progress", known_at=added["recorded_at"])) == [("statement", "delegation/ukraine")]


BAD = [
    ({}, "query.q"),
    ({"q": ""}, "query.q"),
    ({"q": "x" * 201}, "query.q"),
    ({"q": "yermak", "limit": "0"}, "query.limit"),
    ({"q": "yermak", "kind": "planet"}, "query.kind"),
    ({"q": "yermak", "as_of": "soon"}, "query.as_of"),
    ({"q": "yermak", "page": "2"}, "query.page"),
]


def test_bad_queries_are_refused_naming_the_parameter(client, recorded) -> None:
    for params, field in BAD:
        problem = assert_problem(client.get("/search", params=params), 422)
        assert field in str(problem), (params, problem)
    # Every q the schema allows is answered: no letter or digit finds nothing; past 12 words, the first 12.
    assert found(client, "!!! \x95 ??") == []
    twelve = ["a", "an", "and", "andr", "andri", "andriy", "y", "ye", "yer", "yerm", "yerma", "yermak"]
    assert about(found(client, " ".join([*twelve, "zzz"])))[0] == ("person", "person/andriy-yermak")


def test_the_index_is_a_projection_rebuilt_and_reprojected_from_the_log(client, system, recorded) -> None:
    before = {q: found(client, q) for q in ("Єрмак", "geneva", "umerov")}
    generation, position = system.search.current()
    assert position == system.app.recorder.max_notification_id()
    assert system.search.rebuild() > 0
    assert system.search.current() == (generation + 1, position)  # a new generation, built to the same position
    assert {q: found(client, q) for q in before} == before
    # Re-projecting a subject (as a redaction does) makes its rows again from its events alone.
    search: Search = system.search.projection
    with system.search.database.transaction(commit=True) as cursor:
        search.forget(cursor, system.search.current()[0], ["delegation/ukraine"])
    assert "delegation/ukraine" not in [hit["subject"] for hit in found(client, "umerov")]
    system.search.reproject(["delegation/ukraine"], system.redactions.subject_events)
    assert {q: found(client, q) for q in before} == before


def test_the_people_half_reads_an_index_of_the_registers_events_alone(client, system, recorded) -> None:
    """A common word is looked up among people in the register's events only (`search_people`), not
    among every event that holds it: the index holds the person's records and nothing else."""
    post(
        client,
        {
            "type": "OfficeTaken",
            "subject": "person/andriy-yermak",
            "occurred": "../2025-11-22",
            "sources": [{"name": "Reuters"}],
            "data": {"office": "Head of the Office", "organisation": "Geneva"},
        },
    )
    generation = system.search.current()[0]
    t = Search.tables_of(generation)
    column = "position" if system.search.database.postgres else "rowid"

    def people_indexed() -> list[str]:
        system.search.catch_up()  # what a read applies first
        with system.search.database.transaction(commit=False) as cursor:
            return [
                row["subject"]
                for row in cursor.execute(
                    f"SELECT d.subject FROM {t.people} p JOIN {t.docs} d ON d.position = p.{column} ORDER BY d.position"
                ).fetchall()
            ]

    assert people_indexed() == ["person/andriy-yermak", "person/andriy-yermak"]
    # Found by a word the trip and the statement hold too, in the people half and the others alike.
    assert about(found(client, "geneva")) == [
        ("subject", "trip/rubio-geneva"),
        ("person", "person/andriy-yermak"),
        ("statement", "delegation/ukraine"),
    ]
    with system.search.database.transaction(commit=True) as cursor:
        system.search.projection.forget(cursor, generation, ["person/andriy-yermak"])
    assert people_indexed() == []
    system.search.reproject(["person/andriy-yermak"], system.redactions.subject_events)
    assert people_indexed() == ["person/andriy-yermak", "person/andriy-yermak"]


def test_a_redacted_quote_and_source_are_found_no_more(client, system, recorded) -> None:
    admin = {"Authorization": f"Bearer {system.tokens.create('editor', 'admin')}"}
    assert about(found(client, "progress")) == [("statement", "delegation/ukraine")]
    assert about(found(client, "axios")) == [("statement", "delegation/ukraine")]
    answer = client.post(
        f"/events/{recorded['said']['event_id']}/redactions",
        headers=admin,
        json={"fields": ["data.quote", "sources.0.name"], "reason": "Source protection"},
    )
    assert answer.status_code in (200, 201), answer.text
    assert found(client, "progress") == [] and found(client, "axios") == []
    # The speaker is not redacted: still found by his spelling, through the register.
    assert ("statement", "delegation/ukraine") in about(found(client, "Андрій"))


def test_a_words_beginning_finds_what_the_whole_words_would_however_many_it_begins(client, system) -> None:
    """On SQLite a beginning is read as the words the index holds that begin with it (`search_terms`),
    or, past EXPANDED of them, as FTS5's own prefix: the same events either way, on both backends.
    A word no row holds any more (its subject re-projected without it) leaves the list of words."""
    bodies = [
        {**RUBIO, "subject": f"trip/t{index}", "data": {**RUBIO["data"], "destination": f"Zqplace{index}"}}
        for index in range(EXPANDED + 2)
    ]
    for body in bodies:
        post(client, body)
    subjects = lambda q: {hit["subject"] for hit in found(client, q, limit=100)}  # noqa: E731
    assert subjects("zqplace") == {body["subject"] for body in bodies}  # more words begin so than are expanded
    assert subjects("zqplace1") == {f"trip/t{index}" for index in (1, *range(10, 20))}
    assert subjects("zqplacex") == set()
    if system.search.database.postgres:
        return
    generation = system.search.current()[0]
    terms = Search.tables_of(generation).terms
    with system.search.database.transaction(commit=True) as cursor:
        system.search.projection.forget(cursor, generation, ["trip/t3"])
        held = {row["term"] for row in cursor.execute(f"SELECT term FROM {terms}").fetchall()}
    assert "zqplace3" not in held and {"zqplace4", "zqplace30", "rubio"} <= held
    assert subjects("zqplace3") == {f"trip/t{index}" for index in range(30, 40)}


def test_a_search_reads_without_parallel_workers_on_postgresql(system) -> None:
    """Each lookup reads at most a few hundred rows; at a million events PostgreSQL planned parallel
    scans for them, whose workers took 20-200 ms to start on a busy machine for a millisecond's work."""
    with system.search_queries._reading() as cursor:
        if system.search.database.postgres:
            assert cursor.scalar("SHOW max_parallel_workers_per_gather") == "0"
        assert cursor.scalar("SELECT 1") == 1  # SQLite has no such workers: the same read, as it was
