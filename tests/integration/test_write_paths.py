"""The fast write paths answer as the careful one: group commit, optimistic decisions, cached subjects.

Concurrent single records share a transaction yet each is answered on its own; a decision
made on a stale cached subject, or on a subject assumed new, is decided again when the store
refuses it, so another process's writes are never overwritten nor missed.
"""

from __future__ import annotations

import threading
import uuid

import pytest

from parley.domain.errors import RuleBroken
from parley.domain.fuzzy_dates import FuzzyDate
from parley.domain.subjects import SubjectId
from parley.service.bootstrap import build
from parley.service.commands import EventIdReused, Submission

FORMED = {"party": "Ukraine", "head": "Andriy Yermak", "members": [{"name": "Andriy Yermak"}]}


def submission(subject: str, type_name: str, data: dict, occurred: str = "2025-11-20", event_id: str | None = None) -> Submission:
    return Submission(
        subject=SubjectId.parse(subject),
        type=type_name,
        occurred=FuzzyDate.parse(occurred),
        sources=[{"name": "Reuters"}],
        data=data,
        event_id=event_id,
    )


def said(subject: str, day: int, event_id: str | None = None) -> Submission:
    return submission(
        subject, "StatementRecorded", {"speaker": "Rustem Umerov", "quote": f"day {day}"}, f"2025-11-{day:02d}", event_id
    )


def in_threads(count: int, work) -> list:
    """Run work(i) on `count` threads started together; each result or raised error, in order."""
    results: list = [None] * count
    start = threading.Barrier(count)

    def run(i: int) -> None:
        start.wait()
        try:
            results[i] = work(i)
        except Exception as error:  # noqa: BLE001 - the error is the result under test
            results[i] = error

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_concurrent_records_are_each_stored_once_in_consecutive_versions(system):
    system.app.record(submission("delegation/ukraine", "DelegationFormed", FORMED), "tests")
    receipts = in_threads(12, lambda i: system.app.record(said("delegation/ukraine", 21 + i % 9), "tests"))
    assert all(r.created for r in receipts)
    assert sorted(r.version for r in receipts) == list(range(2, 14))
    assert len({r.position for r in receipts}) == 12
    assert len(system.app.subjects.load(SubjectId.parse("delegation/ukraine")).facts) == 13


def test_one_refusal_in_a_group_refuses_only_its_own_event(system):
    system.app.record(submission("delegation/ukraine", "DelegationFormed", FORMED), "tests")

    def work(i: int):
        if i == 0:
            return system.app.record(
                submission("delegation/ukraine", "DelegationHeadReplaced", {"new_head": "Andriy Yermak"}, "2025-11-25"), "tests"
            )
        return system.app.record(said("delegation/ukraine", 22), "tests")

    results = in_threads(8, work)
    assert isinstance(results[0], RuleBroken) and results[0].rule == "head-differs"
    assert all(r.created for r in results[1:])
    assert system.app.subjects.load(SubjectId.parse("delegation/ukraine")).version == 8


def test_the_same_event_id_posted_at_once_is_stored_once_and_repeats_are_not_created(system):
    system.app.record(submission("delegation/ukraine", "DelegationFormed", FORMED), "tests")
    event_id = str(uuid.uuid4())
    receipts = in_threads(6, lambda i: system.app.record(said("delegation/ukraine", 23, event_id), "tests"))
    assert sum(r.created for r in receipts) == 1
    assert {(r.event_id, r.version, r.position) for r in receipts} == {(event_id, 2, receipts[0].position)}
    assert system.app.subjects.load(SubjectId.parse("delegation/ukraine")).version == 2


def test_an_event_id_reused_with_other_content_is_refused_even_at_once(system):
    system.app.record(submission("delegation/ukraine", "DelegationFormed", FORMED), "tests")
    event_id = str(uuid.uuid4())
    results = in_threads(4, lambda i: system.app.record(said("delegation/ukraine", 20 + i, event_id), "tests"))
    assert sum(not isinstance(r, Exception) for r in results) == 1
    assert all(isinstance(r, EventIdReused) for r in results if isinstance(r, Exception))


@pytest.fixture
def other_process(settings):
    """The same store opened a second time: its own cache, as another `parley serve` has."""
    other = build(settings)
    try:
        yield other
    finally:
        other.close()


def test_a_subject_cached_before_another_process_wrote_is_brought_up_to_date(system, other_process):
    system.app.record(submission("delegation/ukraine", "DelegationFormed", FORMED), "tests")
    system.app.record(said("delegation/ukraine", 21), "tests")  # cached here at version 2
    other_process.app.record(
        submission("delegation/ukraine", "DelegationHeadReplaced", {"new_head": "Rustem Umerov"}, "2025-11-25"), "tests"
    )
    with pytest.raises(RuleBroken) as refused:  # decided on the fresh state, not the cached one
        system.app.record(
            submission("delegation/ukraine", "DelegationHeadReplaced", {"new_head": "Rustem Umerov"}, "2025-11-26"), "tests"
        )
    assert refused.value.rule == "head-differs"
    receipt = system.app.record(said("delegation/ukraine", 27), "tests")
    assert receipt.version == 4


def test_a_creation_assumed_new_is_refused_when_another_process_created_the_subject(system, other_process):
    other_process.app.record(submission("delegation/ukraine", "DelegationFormed", FORMED), "tests")
    with pytest.raises(RuleBroken) as refused:
        system.app.record(submission("delegation/ukraine", "DelegationFormed", FORMED), "tests")
    assert refused.value.rule == "created-once"
    batch = system.app.record_batch([said("delegation/ukraine", 22), said("delegation/ukraine", 23)], "tests")
    assert [r.version for r in batch] == [2, 3]


def test_batches_racing_over_shared_subjects_from_two_stores_are_decided_in_an_order(system, settings):
    """SPEC §14: batches and single writes sharing subjects, from two applications over one
    database (as two processes), all stored, none failing for racing, in consecutive versions."""
    other = build(settings)
    try:
        shared = [f"delegation/shared-{i}" for i in range(3)]
        for subject in shared:
            system.app.record(submission(subject, "DelegationFormed", FORMED), "tests")

        def write(i: int):
            app = (system, other)[i % 2].app
            if i % 3 == 2:
                return [app.record(said(shared[i % 3], 21 + i % 9), "tests")]
            batch = [
                said(shared[i % 3], 21 + i % 9),
                said(shared[(i + 1) % 3], 21 + i % 9),
                submission(f"delegation/new-{i}", "DelegationFormed", FORMED),
            ]
            return app.record_batch(batch, "tests")

        written = in_threads(30, write)

        assert [w for w in written if isinstance(w, Exception)] == []
        receipts = [r for w in written for r in w]
        assert all(r.created for r in receipts) and len({r.position for r in receipts}) == len(receipts)
        for subject in shared:
            facts = other.app.subjects.load(SubjectId.parse(subject)).facts
            assert [f.version for f in facts] == list(range(1, len(facts) + 1))
        assert sum(len(other.app.subjects.load(SubjectId.parse(s)).facts) for s in shared) == 3 + sum(
            1 for r in receipts if r.subject in shared
        )
    finally:
        other.close()
