"""`parley replay`: each event with its subject's state just before and just after it, as the
record stood when the event was recorded, in recorded or valid-time order (SPEC §7)."""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import uuid
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from typer.testing import CliRunner

from parley.domain.facts import FAR_FUTURE
from parley.domain.fuzzy_dates import FuzzyDate
from parley.domain.subjects import SubjectId
from parley.domain.timeline import fold
from parley.scripts import replay as replay_module
from parley.scripts.cli import cli
from parley.scripts.opening import opened
from parley.scripts.replay import Pins, as_read, replay
from parley.scripts.transfer import import_lines
from parley.service.commands import Submission
from tests.processes import PARLEY, ROOT

START = datetime(2025, 12, 1, tzinfo=UTC)


def _line(
    subject: str, type_name: str, occurred: str, data: dict[str, Any], minute: int, event_id: str | None = None
) -> dict[str, Any]:
    return {
        "event_id": event_id or str(uuid.uuid4()),
        "type": type_name,
        "subject": subject,
        "occurred": occurred,
        "sources": [{"name": "Reuters", "published": "2025-11-30"}],
        "data": data,
        "recorded_at": (START + timedelta(minutes=minute)).isoformat(),
        "recorded_by": "tests",
    }


def scenario(seed: int = 7) -> list[dict[str, Any]]:
    """Two subjects whose events are recorded out of valid-time order, with fuzzy and open dates,
    ties on one instant, and retractions of a revision and of a statement."""
    rng = random.Random(seed)
    plan, delegation = "plan/us-peace-plan", "delegation/ukraine"
    later: list[tuple[str, str, str, dict[str, Any]]] = []
    for i in range(25):
        occurred = rng.choice([f"2025-11-{rng.randint(2, 28):02d}", "2025-11", "../2025-11-12", "2025-11-20/..", "2025-11-14"])
        later.append((plan, "PlanRevised", occurred, {"point_count": 100 + i}))
        later.append(
            (
                plan,
                "StatementRecorded",
                f"2025-11-{rng.randint(2, 28):02d}",
                {"speaker": rng.choice(["Marco Rubio", "Rustem Umerov"]), "quote": f"said {i}"},
            )
        )
    for i in range(8):
        later.append((delegation, "DelegationHeadReplaced", f"2025-11-{3 * i + 3:02d}", {"new_head": f"Head {i}"}))
    rng.shuffle(later)
    lines = [
        _line(
            plan,
            "PlanProposed",
            "2025-11-01",
            {"title": "Plan", "proposed_by": "United States", "point_count": 28, "topics": ["territory"]},
            0,
        ),
        _line(delegation, "DelegationFormed", "2025-11-01", {"party": "Ukraine", "head": "Andriy Yermak", "members": []}, 1),
    ]
    for subject, type_name, occurred, data in later:
        lines.append(_line(subject, type_name, occurred, data, len(lines)))
    revision = next(line for line in lines if line["type"] == "PlanRevised")
    statement = next(line for line in lines if line["type"] == "StatementRecorded")
    for withdrawn in (revision, statement):
        lines.append(
            _line(plan, "EventRetracted", "2025-11-29", {"event_id": withdrawn["event_id"], "reason": "misreported"}, len(lines))
        )
    lines.append(_line(plan, "StatementRecorded", "2025-11-29", {"speaker": "Marco Rubio", "quote": "after"}, len(lines)))
    return lines


@pytest.fixture
def recorded(system) -> list[dict[str, Any]]:
    lines = scenario()
    import_lines(system.app, [json.dumps(line) for line in lines], "tests")
    return lines


def reference(system, pins: Pins) -> dict[int, dict[str, Any]]:
    """Each line from the reference fold: the subject's facts recorded before the event (and with
    it), folded at the event's latest instant."""
    log, after = [], 0
    while page := system.app.log(after, 1000):
        digests = system.app.digests(page[0][0], page[-1][0])  # as /events reads them (SPEC §15)
        log += [(position, replace(event.as_fact(), digest=digests.get(position))) for position, event in page]
        after = page[-1][0]
    known = [(p, f) for p, f in log if pins.known_at is None or f.recorded_at <= pins.known_at]
    lines = {}
    for position, fact in known:
        if pins.until is not None and position > pins.until:
            break
        if (pins.subject and fact.subject != str(pins.subject)) or (pins.kind and not fact.subject.startswith(pins.kind)):
            continue
        kind = fact.subject.split("/")[0]
        earlier = [f for p, f in known if p < position and f.subject == fact.subject]
        as_of = fact.occurred.latest or FAR_FUTURE
        before = fold(kind, earlier, as_of, None).state
        after_state = fold(kind, [*earlier, fact], as_of, None).state
        lines[position] = {
            "event": as_read(position, fact),
            "before": _unsaid(before),
            "after": _unsaid(after_state),
            "withdrawn": _missing(before, after_state),
            "said": _missing(after_state, before),
        }
    return lines


def _unsaid(state: dict[str, Any] | None) -> dict[str, Any] | None:
    return None if state is None else {**state, "statements": []}


def _missing(state: dict[str, Any] | None, other: dict[str, Any] | None) -> list[dict[str, Any]]:
    """The statements in `state` and not in `other`."""
    theirs = (other or {}).get("statements", [])
    return [s for s in (state or {}).get("statements", []) if s not in theirs]


def replayed(system, pins: Pins) -> list[Any]:
    return list(replay(system.app, pins))


def assert_matches(system, pins: Pins) -> list[Any]:
    expected = reference(system, pins)
    got = replayed(system, pins)
    assert [r.position for r in got if pins.order == "recorded"] == ([*expected] if pins.order == "recorded" else [])
    assert sorted(r.position for r in got) == sorted(expected)
    for item in got:
        want = expected[item.position]
        assert as_read(item.position, item.step.fact) == want["event"]
        assert (item.step.before, item.step.after) == (want["before"], want["after"]), item.position
        assert (item.step.withdrawn, item.step.said) == (want["withdrawn"], want["said"]), item.position
    return got


def test_each_event_shows_its_subject_just_before_and_just_after_it(system, recorded):
    got = assert_matches(system, Pins())
    assert len(got) == len(recorded)
    # Both ways of finding a state are exercised: one step onto the last, and a refold when an
    # event is backdated behind one recorded earlier.
    latest = [r.step.fact.occurred.latest for r in got if r.step.fact.type == "PlanRevised"]
    assert any(a and b and b < a for a, b in zip(latest, latest[1:]))


def test_valid_order_walks_latest_instants_and_shows_each_event_as_in_recorded_order(system, recorded):
    by_position = {r.position: r.line() for r in replayed(system, Pins())}
    walked = assert_matches(system, Pins(order="valid"))
    keys = [(r.step.fact.occurred.latest is None, r.step.fact.occurred.latest or FAR_FUTURE, r.position) for r in walked]
    assert keys == sorted(keys)
    assert all(r.line() == by_position[r.position] for r in walked)


@pytest.mark.parametrize("order", ["recorded", "valid"])
def test_subjects_forgotten_to_bound_memory_are_reloaded_to_the_same_lines(system, recorded, monkeypatch, order):
    monkeypatch.setattr(replay_module, "KEPT_FACTS", 3)
    monkeypatch.setattr(replay_module, "KEPT_SUBJECTS", 1)
    assert len(assert_matches(system, Pins(order=order))) == len(recorded)
    assert len(assert_matches(system, Pins(order=order, kind="plan"))) == len(recorded) - 9


def test_known_at_replays_only_what_the_record_held_then(system, recorded):
    moment = START + timedelta(minutes=len(recorded) // 2, seconds=30)
    pins = Pins(known_at=moment)
    got = assert_matches(system, pins)
    assert len(got) == len(recorded) // 2 + 1
    assert_matches(system, Pins(known_at=moment, order="valid"))


def test_an_event_is_shown_as_recorded_and_its_retraction_comes_later(system, client, recorded):
    lines = [r.line() for r in replayed(system, Pins())]
    withdrawn = next(line for line in lines if line["type"] == "PlanRevised")
    logged = client.get("/events", params={"after": withdrawn["position"] - 1, "limit": 1}).json()["events"][0]
    assert logged["retracted_by"] is not None
    shown = {k: v for k, v in withdrawn.items() if k not in ("as_of", "state_before", "state_after", "changes", "people")}
    assert shown == {**logged, "retracted_by": None, "retracted_at": None}
    retraction = next(
        line for line in lines if line["type"] == "EventRetracted" and line["data"]["event_id"] == withdrawn["event_id"]
    )
    assert retraction["position"] > withdrawn["position"]
    if withdrawn["occurred_latest"] and withdrawn["occurred_latest"] <= retraction["occurred_latest"]:
        assert retraction["state_after"]["revision"] == retraction["state_before"]["revision"] - 1


def test_statements_show_only_what_was_said_or_withdrawn(system, recorded):
    lines = [r.line() for r in replayed(system, Pins(subject=SubjectId.parse("plan/us-peace-plan")))]
    said = [line for line in lines if line["type"] == "StatementRecorded" and line["occurred"] != "2025-11-29"]
    assert said[0]["changes"] == [
        {
            "field": "statements",
            "before": [],
            "after": [
                {
                    "speaker": said[0]["data"]["speaker"],
                    "role": None,
                    "quote": said[0]["data"]["quote"],
                    "occurred": said[0]["occurred"],
                }
            ],
        }
    ]
    assert all("statements" not in (line["state_after"] or {}) for line in lines)
    withdrawn = [line for line in lines if line["type"] == "EventRetracted"][1]
    assert withdrawn["changes"][0]["field"] == "statements" and len(withdrawn["changes"][0]["before"]) == 1


def test_a_subject_a_kind_and_a_position_choose_what_is_replayed(system, recorded):
    only = assert_matches(system, Pins(subject=SubjectId.parse("delegation/ukraine")))
    assert {r.step.fact.subject for r in only} == {"delegation/ukraine"} and len(only) == 9
    assert len(assert_matches(system, Pins(kind="plan"))) == len(recorded) - 9
    until = assert_matches(system, Pins(until=only[4].position))
    assert until[-1].position <= only[4].position


def test_the_command_prints_text_or_json_lines_and_a_bar_only_when_watched(tmp_path):
    url = f"sqlite:///{tmp_path / 'parley.db'}"
    example = (ROOT / "scripts" / "example.jsonl").read_text().splitlines()
    with opened(url) as system:
        import_lines(system.app, example, "parley-example")
    run = CliRunner().invoke(cli, ["replay", "--json", "--database", url])
    lines = [json.loads(line) for line in run.stdout.splitlines()]
    assert len(lines) == 35 and [line["position"] for line in lines] == sorted(line["position"] for line in lines)
    head = next(line for line in lines if line["type"] == "DelegationHeadReplaced")
    assert {"field": "head", "before": "Andriy Yermak", "after": "Rustem Umerov"} in head["changes"]

    text = CliRunner().invoke(cli, ["replay", "--subject", "delegation/ukraine", "--database", url]).stdout
    assert "head  Andriy Yermak → Rustem Umerov" in text and "Forbes, 2025-11-30" in text
    assert "meeting/" not in text

    refused = CliRunner().invoke(cli, ["replay", "--order", "sideways", "--database", url])
    assert refused.exit_code == 2 and "--order takes recorded or valid" in refused.stderr

    # Rich draws its bar only on a terminal; these make it draw into the pipe, as on one.
    watched = {**os.environ, "PARLEY_DATABASE_URL": url, "TTY_COMPATIBLE": "1", "TTY_INTERACTIVE": "1"}
    with (tmp_path / "out.jsonl").open("w") as out:
        shown = subprocess.run(
            [*PARLEY, "replay", "--json", "--order", "valid"],
            env=watched,
            stdout=out,
            stderr=subprocess.PIPE,
            text=True,
            check=True,
            timeout=60,
        )
    assert "replaying" in shown.stderr and "replayed 35 events" in shown.stderr
    assert sorted((tmp_path / "out.jsonl").read_text().splitlines()) == sorted(run.stdout.splitlines())


def test_a_store_with_old_topics_replays_every_event(tmp_path):
    # store-v2 was written before the one import package: its topics are `domain.…`.
    shutil.copy(ROOT / "tests" / "fixtures" / "store-v2.sqlite", tmp_path / "v2.sqlite")
    exported = (ROOT / "tests" / "fixtures" / "store-v2.jsonl").read_text().splitlines()
    with opened(f"sqlite:///{tmp_path / 'v2.sqlite'}") as system:
        for order in ("recorded", "valid"):
            lines = [r.line() for r in replay(system.app, Pins(order=order))]
            assert sorted(line["event_id"] for line in lines) == sorted(json.loads(e)["event_id"] for e in exported)
        retraction = next(line for line in lines if line["type"] == "EventRetracted")
        assert retraction["changes"], "the retraction in the old store changes its subject back"


def test_text_from_the_store_is_shown_with_its_control_characters_escaped(tmp_path):
    """An event stored before SPEC §14 may hold ESC, BEL or a bidi override: `parley replay` shows
    them as escapes, never sends them to the terminal (and rich markup in a name stays text)."""
    url = f"sqlite:///{tmp_path / 'parley.db'}"
    with opened(url) as system:  # as an old store holds it: the domain takes what the API now refuses
        system.app.record(
            Submission(
                subject=SubjectId.parse("delegation/old"),
                type="DelegationFormed",
                occurred=FuzzyDate.parse("2025-11-20"),
                sources=[{"name": "Wire\u202eerif"}],
                data={"party": "Red \x1b[31mparty\x07", "head": "[bold]X[/bold]", "members": []},
            ),
            "old",
        )
    text = CliRunner().invoke(cli, ["replay", "--database", url]).stdout
    assert "\x1b" not in text and "\x07" not in text and "\u202e" not in text
    assert "Red \\x1b[31mparty\\x07" in text and "Wire\\u202eerif" in text and "[bold]X[/bold]" in text
