"""`parley.client.Client` against a live server: typed answers from the API's own models, a
lost answer retried without a duplicate, and the live feed resumed across a restart."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import httpx
import pytest

from parley.client import Client, EventOut, ParleyError, Receipt, SubjectState
from parley.domain.delegation import DelegationState
from parley.domain.person import PersonState
from parley.domain.plan import PlanState
from parley.scripts.opening import opened
from parley.scripts.transfer import import_lines
from parley.service.bootstrap import build
from parley.service.settings import Settings
from tests.e2e.conftest import FAST_FEED, Service
from tests.processes import ROOT, free_port, start_server

pytestmark = pytest.mark.e2e


def formed(slug: str, **changes) -> dict:
    return {
        "type": "DelegationFormed",
        "subject": f"delegation/{slug}",
        "occurred": "2025-11-20",
        "sources": [{"name": "Reuters"}],
        "data": {"party": slug.title(), "head": "A. Head", "members": []},
        **changes,
    }


def test_reads_come_back_typed_as_the_api_serves_them(example_service: Service):
    with Client(example_service.url) as parley:
        ukraine = parley.state("delegation/ukraine", as_of="2025-11-30")
        assert isinstance(ukraine, SubjectState) and isinstance(ukraine.state, DelegationState)
        assert ukraine.state.head == "Rustem Umerov" and ukraine.state.former_heads == ["Andriy Yermak"]
        plan = parley.state("plan/us-peace-plan", as_of="2025-11-24").state
        assert isinstance(plan, PlanState) and plan.point_count is not None
        according = parley.state("plan/us-peace-plan", as_of="2025-11-24", source=["Axios"]).state
        assert isinstance(according, PlanState) and according.point_count == 19
        history = parley.history("delegation/ukraine")
        assert [e.type for e in history.events][:2] == ["DelegationFormed", "DelegationHeadReplaced"]
        log = list(parley.log())
        assert len(log) >= 20 and all(isinstance(e, EventOut) for e in log)
        assert [e.position for e in parley.log(after=log[4].position, limit=3)] == [e.position for e in log[5:8]]
        assert parley.get_event(log[0].event_id) == log[0]
        window = parley.changes("2025-11-22", "2025-12-01")
        changed = {c.subject: c for c in window.subjects}
        head = next(f for f in changed["delegation/ukraine"].changes if f.field == "head")
        assert (head.before, head.after) == ("Andriy Yermak", "Rustem Umerov")
        assert window.events[head.caused_by[0]].type == "DelegationHeadReplaced"
        trips = list(parley.log(kinds=["trip"], types=["TripScheduled"]))
        assert [e.subject for e in trips] == ["trip/witkoff-moscow"]
        assert {s.subject for s in parley.states(as_of="2025-11-30", kind="meeting")} >= {"meeting/florida-round"}
        # People (SPEC §11): who the names are, a person's roles, mentions, and who held an office then.
        assert ukraine.people == {"Rustem Umerov": "person/rustem-umerov", "Andriy Yermak": "person/andriy-yermak"}
        umerov = parley.state("person/rustem-umerov", as_of="2025-11-25").state
        assert isinstance(umerov, PersonState) and [(r.subject, r.role) for r in umerov.roles] == [
            ("delegation/ukraine", "member")
        ]
        assert any(e.type == "DelegationHeadReplaced" for e in parley.mentions("person/rustem-umerov").events)
        holders = parley.office_holders("person", "Secretary of State", as_of="2025-11-25").holders
        assert [h.subject for h in holders] == ["person/marco-rubio"]
        assert changed["delegation/ukraine"].people["Rustem Umerov"] == "person/rustem-umerov"
        with pytest.raises(ParleyError) as missing:
            parley.state("delegation/nowhere")
        assert missing.value.status == 404 and missing.value.problem["title"]


def test_writes_one_or_a_batch_and_refusals_carry_the_problem(example_service: Service):
    with Client(example_service.url, token=example_service.token) as parley:
        receipt = parley.record(formed(f"c-{uuid.uuid4().hex[:8]}"))
        assert isinstance(receipt, Receipt) and receipt.version == 1
        batch = parley.record_batch([formed(f"c-{uuid.uuid4().hex[:8]}") for _ in range(2)])
        assert [r.version for r in batch] == [1, 1] and batch[0].position < batch[1].position
        with pytest.raises(ParleyError) as refused:
            parley.record(formed(receipt.subject.split("/")[1]))
        assert refused.value.status == 409
    with Client(example_service.url) as anonymous, pytest.raises(ParleyError) as unauthorised:
        anonymous.record(formed("no-token"))
    assert unauthorised.value.status == 401


class LosesFirstAnswer(httpx.HTTPTransport):
    """Delivers each request, but the first answer never reaches the client."""

    def __init__(self) -> None:
        super().__init__()
        self.lost = 0

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = super().handle_request(request)
        if self.lost == 0 and request.method == "POST":
            response.read()
            self.lost += 1
            raise httpx.ReadTimeout("the answer was lost", request=request)
        return response


@pytest.mark.parametrize("with_id", [True, False], ids=["given-id", "client-made-id"])
def test_a_lost_answer_is_retried_with_the_same_event_id(example_service: Service, with_id: bool):
    slug = f"lost-{uuid.uuid4().hex[:8]}"
    event = formed(slug, **({"event_id": str(uuid.uuid4())} if with_id else {}))
    transport = LosesFirstAnswer()
    with Client(example_service.url, token=example_service.token, transport=transport, backoff=0.01) as parley:
        receipt = parley.record(event)
        assert transport.lost == 1
        history = parley.history(f"delegation/{slug}")
    assert [e.event_id for e in history.events] == [receipt.event_id], "the retry stored the event twice"
    if with_id:
        assert receipt.event_id == event["event_id"]


def test_follow_resumes_after_the_last_event_seen_when_the_server_comes_back(tmp_path: Path):
    url = f"sqlite:///{tmp_path / 'parley.db'}"
    system = build(Settings(database_url=url))
    token = system.tokens.create("follower")
    system.close()
    port = free_port()
    server = start_server(url, port=port, env=FAST_FEED)
    try:
        with Client(server.url, token=token, backoff=0.2, attempts=30) as parley:
            first = [parley.record(formed(f"f-{n}")) for n in range(2)]
            feed = parley.follow(after=0)
            assert [next(feed).event_id for _ in first] == [r.event_id for r in first]
            server.kill()
            while_down = formed("f-while-down", event_id=str(uuid.uuid4()))
            with opened(url) as system:  # recorded while no server runs
                import_lines(system.app, [json.dumps(while_down)], "tests")
            server = start_server(url, port=port, env=FAST_FEED)
            later = parley.record(formed("f-later"))
            assert [next(feed).event_id for _ in range(2)] == [while_down["event_id"], later.event_id], (
                "the feed missed or repeated an event"
            )
    finally:
        server.kill()


def test_compare_names_its_causes_and_the_client_reads_them(example_service: Service):
    plan = f"plan/c-{uuid.uuid4().hex[:8]}"

    def on(type_name: str, occurred: str, **data: object) -> dict:
        return {"type": type_name, "subject": plan, "occurred": occurred, "sources": [{"name": "Axios"}], "data": data}

    with Client(example_service.url, token=example_service.token) as parley:
        parley.record_batch(
            [
                on("PlanProposed", "2025-11-20", title="A plan", proposed_by="United States", topics=[]),
                on("PlanPointAdded", "2025-11-20", key="territory", number=1, text="Draft"),
                on("PlanPointAdded", "2025-11-20", key="amnesty", number=2),
            ]
        )
        receipts = parley.record_batch(
            [
                on("PlanRevised", "2025-11-23", summary="After Geneva"),
                on("PlanPointChanged", "2025-11-24", key="territory", text="Reworded"),
                on("PlanPointRemoved", "2025-11-24", key="amnesty"),
            ]
        )
        compared = parley.compare(plan, from_revision=0, to_revision=1)
        assert compared.from_.revision == 0 and compared.causes == 2
        [changed] = compared.changed
        assert changed.changes and (changed.changes[0].before, changed.changes[0].after) == ("Draft", "Reworded")
        causes = [*changed.caused_by, *compared.removed[0].caused_by]
        assert [e.event_id for e in parley.events([*causes, *causes])] == [r.event_id for r in receipts[1:]]
        assert parley.compare(plan, "2025-11-20", "2025-11-24").removed[0].key == "amnesty"


def test_statements_per_speaker_through_the_client(example_service: Service):
    shown = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "replays" / "speakers_client.py"), example_service.url],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
        env=os.environ,
    )
    assert shown.stdout == (
        "speaker,statements\nMarco Rubio,3\nAxios,1\nDmitry Peskov,1\nRustem Umerov,1\nThe Wall Street Journal,1\n"
    )


def test_the_client_module_is_typed(tmp_path: Path):
    # mypy reads packages from folders: lay `parley` out as it is installed.
    tree = tmp_path / "parley"
    tree.mkdir()
    for folder in ("client", "api", "domain", "service", "projections", "scripts"):
        (tree / folder).symlink_to(ROOT / folder)
    checked = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "-p",
            "parley.client",
            "--strict",
            "--follow-imports=silent",
            "--cache-dir",
            str(tmp_path / "cache"),
        ],
        cwd=tmp_path,
        env={**os.environ, "MYPYPATH": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
