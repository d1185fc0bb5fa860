"""CloudEvents 1.0 (SPEC §8): `parley export --format cloudevents` and the live feed with
`?format=cloudevents` send the same events, and the CloudEvents SDK's strict parser reads them.

On SQLite only: the feed's events come from the same view on both backends, and
tests/integration/test_exports.py reads PostgreSQL's exported CloudEvents with the same SDK.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from cloudevents.core.formats.json import JSONFormat
from cloudevents.core.v1.event import CloudEvent

from tests.e2e.conftest import Service, start_service
from tests.e2e.sse import open_feed
from tests.processes import parley

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Service, str]]:
    url = f"sqlite:///{tmp_path_factory.mktemp('cloudevents') / 'parley.db'}"
    for running in start_service(url, count=1, example=False):
        yield running, url


def test_the_export_and_the_feed_send_the_same_cloudevents_and_the_sdk_reads_them(service):
    running, database_url = service
    subject = f"trip/ce-{uuid.uuid4().hex[:8]}"
    with running.writer() as writer:
        sent = [
            writer.post("/events", json=body).json()
            for body in (
                {
                    "type": "TripScheduled",
                    "subject": subject,
                    "occurred": "../2025-11-28",
                    "sources": [{"name": "Reuters", "url": "https://www.reuters.com/"}],
                    "note": "first word of it",
                    "data": {"traveller": "Steve Witkoff", "destination": "Moscow", "planned_for": "2025-12-02"},
                },
                {
                    "type": "TripCompleted",
                    "subject": subject,
                    "occurred": "2025-12-02T11:00:00+03:00",
                    "sources": [{"name": "TASS"}],
                    "data": {},
                },
            )
        ]
    exported = parley("export", "--format", "cloudevents", database_url=database_url).stdout.splitlines()
    with open_feed(running.url, {"after": 0, "format": "cloudevents"}) as feed:
        streamed = [feed.next_message() for _ in exported]
    assert [m.data for m in streamed] == exported  # byte for byte
    assert [m.id for m in streamed] == [str(s["position"]) for s in sent]

    scheduled, completed = (JSONFormat().read(None, line) for line in exported)
    assert isinstance(scheduled, CloudEvent) and scheduled.get_specversion() == "1.0"
    assert (scheduled.get_id(), scheduled.get_source(), scheduled.get_type(), scheduled.get_subject()) == (
        sent[0]["event_id"],
        "/parley",
        "org.parley.TripScheduled",
        subject,
    )
    assert scheduled.get_time().isoformat() == sent[0]["recorded_at"].replace("Z", "+00:00")
    assert scheduled.get_datacontenttype() == "application/json"
    assert scheduled.get_data() == {
        "data": {"traveller": "Steve Witkoff", "destination": "Moscow", "planned_for": "2025-12-02"},
        "sources": [{"name": "Reuters", "url": "https://www.reuters.com/"}],
        "note": "first word of it",
    }
    extensions = {
        name: scheduled.get_extension(name)
        for name in (
            "position",
            "version",
            "kind",
            "occurred",
            "occurredprecision",
            "dateprec",
            "occurredearliest",
            "occurredlatest",
            "recordedby",
        )
    }
    assert extensions == {
        "position": sent[0]["position"],
        "version": 1,
        "kind": "trip",
        "occurred": "../2025-11-28",
        "occurredprecision": "open",
        "dateprec": 5,
        "occurredearliest": None,
        "occurredlatest": "2025-11-28T23:59:59.999999Z",
        "recordedby": extensions["recordedby"],
    }
    assert extensions["recordedby"].startswith("e2e-")
    assert (completed.get_extension("occurredearliest"), completed.get_extension("occurredprecision")) == (
        "2025-12-02T08:00:00.000000Z",
        "instant",
    )
    for event in (scheduled, completed):
        for name, value in event.get_attributes().items():
            assert name.isalnum() and name.islower() and isinstance(value, (str, int)) or name == "time", (name, value)
