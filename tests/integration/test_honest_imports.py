"""`parley import` keeps recorded time honest (SPEC §14, §4): a line keeps its `recorded_at`
only when it is not before the store's last recorded time when the import began and not after
now; an exact repeat is recognised first; `--restamp` records the others now, keeping the
file's time as `imported_recorded_at`. No answer once given for an (as_of, known_at) changes."""

from __future__ import annotations

import io
import json
import uuid
from datetime import UTC, datetime, timedelta

import pytest

from parley.domain.fuzzy_dates import end_of
from parley.domain.subjects import SubjectId
from parley.scripts.transfer import ImportRefused, export, import_lines, last_recorded
from tests.integration.helpers import event, replaced

NOW = datetime.now(UTC)
SUBJECT = "delegation/ukraine"


def line(recorded_at: datetime, **changes) -> str:
    body = {"event_id": str(uuid.uuid4()), "recorded_at": recorded_at.isoformat(), "recorded_by": "archive", **changes}
    return json.dumps(event(**body) if "type" not in changes else {**event(), **body})


def head(new_head: str, recorded_at: datetime) -> str:
    body = replaced(new_head, event_id=str(uuid.uuid4()))
    return json.dumps({**body, "recorded_at": recorded_at.isoformat(), "recorded_by": "archive"})


def exported(system) -> list[str]:
    out = io.StringIO()
    export(system.app, out)
    return out.getvalue().splitlines()


def imported(system, lines, **options):
    return import_lines(system.app, lines, "tests", floor=last_recorded(system), **options)


def answer(system, known_at):
    system.projection.catch_up()
    return system.state_reads.state(SubjectId.parse(SUBJECT), end_of("2025-12-31"), known_at)


@pytest.fixture
def store(system):
    """A store whose last recording was ten minutes ago: the delegation formed, its head replaced."""
    imported(system, [line(NOW - timedelta(minutes=20), subject=SUBJECT), head("Rustem Umerov", NOW - timedelta(minutes=10))])
    return system


def test_a_line_recorded_before_the_stores_last_recorded_time_is_refused_and_no_answer_changes(store):
    given = answer(store, NOW - timedelta(minutes=5))
    with pytest.raises(ImportRefused) as refused:
        imported(store, [head("Kyrylo Budanov", NOW - timedelta(hours=1))])
    assert refused.value.line == 1
    assert "recorded_at" in refused.value.reason and "--restamp" in refused.value.reason
    assert answer(store, NOW - timedelta(minutes=5)) == given
    assert len(exported(store)) == 2


def test_a_line_recorded_after_now_is_refused_even_into_an_empty_store(system):
    with pytest.raises(ImportRefused) as refused:
        imported(system, [line(datetime(2099, 1, 1, tzinfo=UTC), subject=SUBJECT)])
    assert refused.value.line == 1 and "after now" in refused.value.reason
    assert exported(system) == []


def test_lines_of_one_file_in_any_order_after_the_last_recorded_time_keep_their_times(store):
    later, sooner = NOW - timedelta(minutes=2), NOW - timedelta(minutes=8)
    assert imported(store, [head("Kyrylo Budanov", later), head("Andriy Yermak", sooner)]) == (2, 0)
    kept = [json.loads(text)["recorded_at"] for text in exported(store)[2:]]
    assert kept == [later.isoformat(), sooner.isoformat()]


def test_an_exact_repeat_is_recognised_before_its_time_is_judged(store):
    lines = exported(store)
    assert imported(store, lines) == (0, 2)
    assert exported(store) == lines


def test_restamp_records_the_line_now_keeps_the_files_time_and_changes_no_answer_given(store):
    given = answer(store, NOW - timedelta(minutes=5))
    stale, future = NOW - timedelta(hours=1), datetime(2099, 1, 1, tzinfo=UTC)
    lines = [head("Kyrylo Budanov", stale), head("Andriy Yermak", future)]
    assert imported(store, lines, restamp=True) == (2, 0)

    assert answer(store, NOW - timedelta(minutes=5)) == given
    assert answer(store, None)["state"]["head"] == "Andriy Yermak"
    restamped = [json.loads(text) for text in exported(store)[2:]]
    assert [r["imported_recorded_at"] for r in restamped] == [stale.isoformat(), future.isoformat()]
    assert all(NOW <= datetime.fromisoformat(r["recorded_at"]) <= datetime.now(UTC) for r in restamped)
    # The export of a restamped event imports as the repeat it is: its file time is ignored.
    assert imported(store, exported(store)) == (0, 4)


def test_history_and_the_log_show_the_time_a_restamp_did_not_keep_on_those_events_only(store, client):
    stale = NOW - timedelta(hours=1)
    imported(store, [head("Kyrylo Budanov", stale)], restamp=True)
    store.projection.catch_up()

    history = client.get(f"/subjects/{SUBJECT}/history").json()["events"]
    kept = {e["event_id"]: e.get("imported_recorded_at", "absent") for e in history}
    assert sorted(kept.values(), key=lambda t: t == "absent") == [stale.isoformat().replace("+00:00", "Z"), "absent", "absent"]
    log = client.get("/events").json()["events"]
    assert {e["event_id"]: e.get("imported_recorded_at", "absent") for e in log} == kept
    restamped = next(i for i, t in kept.items() if t != "absent")
    assert client.get(f"/events/{restamped}").json()["imported_recorded_at"] == kept[restamped]
