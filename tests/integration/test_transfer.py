"""Export and import round-trip, and `parley example` loads the scenario idempotently."""

from __future__ import annotations

import io

from parley.domain.subjects import SubjectId
from parley.scripts.transfer import ImportRefused, export, import_lines
from parley.service.bootstrap import build
from parley.service.settings import Settings
from tests.integration.helpers import event, replaced


def exported(system) -> list[str]:
    out = io.StringIO()
    export(system.app, out)
    return out.getvalue().splitlines()


def test_export_then_import_into_an_empty_store_gives_the_identical_log(client, system, tmp_path):
    client.post("/events", json=event())
    client.post("/events", json=replaced(note="dated only as before the Florida meeting"))
    retracted = client.post(
        "/events", json=event(type="DelegationMemberJoined", occurred="2025-11-22", data={"name": "Rustem Umerov"})
    ).json()["event_id"]
    client.post(
        "/events", json=event(type="EventRetracted", occurred="2025-11-25", data={"event_id": retracted, "reason": "misreported"})
    )
    lines = exported(system)
    assert len(lines) == 4

    copy = build(Settings(database_url=f"sqlite:///{tmp_path / 'copy.db'}"))
    try:
        assert import_lines(copy.app, lines, "tests") == (4, 0)
        assert exported(copy) == lines
        system.projection.catch_up()
        copy.projection.catch_up()
        for as_of in ("2025-11-21", "2025-11-23", "2025-12-01"):
            from parley.domain.fuzzy_dates import end_of

            ours = system.state_reads.state(SubjectId("delegation", "ukraine"), end_of(as_of), None)
            theirs = copy.state_reads.state(SubjectId("delegation", "ukraine"), end_of(as_of), None)
            assert _without_positions(ours) == _without_positions(theirs)
    finally:
        copy.close()


def test_importing_the_same_file_twice_records_nothing_new(system):
    import json

    from parley.api.examples import scenario

    lines = [json.dumps(e) for e in scenario()]
    assert import_lines(system.app, lines, "tests") == (len(lines), 0)
    assert import_lines(system.app, lines, "tests") == (0, len(lines))


def test_a_bad_line_stops_the_import_and_names_the_line(system):
    import json

    lines = [json.dumps(event(event_id="11111111-1111-4111-8111-111111111111")), "{not json"]
    try:
        import_lines(system.app, lines, "tests")
    except ImportRefused as refused:
        assert refused.line == 2
    else:
        raise AssertionError("the bad line was accepted")


def _without_positions(answer):
    """An answer as another store gives it: positions and digests (each store's own chain) aside."""
    return {**answer, "pending": [{k: v for k, v in e.items() if k not in ("position", "digest")} for e in answer["pending"]]}
