"""Releases (SPEC §15): numbered, signed, pinned; what changed between two; each checked by the
standalone script and by `parley verify DIR --key`."""

from __future__ import annotations

import json
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from parley.scripts.cli import cli
from tests.integration.helpers import assert_problem, event, new_id, replaced, signing
from tests.integration.test_verifying import run_script


def test_two_releases_their_changes_and_their_signatures(database_url: str, tmp_path: Path) -> None:
    with signing(database_url, tmp_path) as (runner, env, releases, public_key, system, client):
        first = client.post("/events", json=event(event_id=new_id())).json()
        replaced_head = client.post("/events", json=replaced(event_id=new_id())).json()
        made = runner.invoke(cli, ["release", "--note", "the first", "--out", str(releases)], env=env)
        assert made.exit_code == 0, made.output
        assert "release 1: 2 events" in made.output and "signed by key" in made.output

        other = client.post(
            "/events",
            json=event(
                event_id=new_id(),
                subject="delegation/russia",
                data={"party": "Russia", "head": "Kirill Dmitriev", "members": [{"name": "Kirill Dmitriev"}]},
            ),
        ).json()
        retraction = client.post(
            "/events",
            json={
                "type": "EventRetracted",
                "subject": "delegation/ukraine",
                "occurred": "2025-12-01",
                "event_id": new_id(),
                "sources": [{"name": "Axios"}],
                "data": {"event_id": replaced_head["event_id"], "reason": "corrected"},
            },
        ).json()
        assert runner.invoke(cli, ["release", "--out", str(releases)], env=env).exit_code == 0

        listed = client.get("/releases").json()["releases"]
        assert [(r["release"], r["note"], r["pin"]["position"]) for r in listed] == [
            (1, "the first", replaced_head["position"]),
            (2, None, retraction["position"]),
        ]
        assert listed == [json.loads((releases / str(n) / "release.json").read_text()) for n in (1, 2)]

        changed = client.get("/releases/2/changes", params={"since": 1}).json()
        assert [a["event_id"] for a in changed["added"]] == [other["event_id"], retraction["event_id"]]
        assert changed["withdrawn"] == [
            {"event_id": replaced_head["event_id"], "retracted_by": retraction["event_id"], "subject": "delegation/ukraine"}
        ]
        assert changed["subjects_changed"] == ["delegation/russia", "delegation/ukraine"]
        said = runner.invoke(cli, ["release", "changes", "2", "--since", "1"], env=env)
        assert said.exit_code == 0 and json.loads(said.stdout) == changed
        assert_problem(client.get("/releases/9/changes", params={"since": 1}), 404)
        assert_problem(client.get("/releases/1/changes", params={"since": 2}), 422)
        assert first["event_id"] not in {a["event_id"] for a in changed["added"]}

    second = releases / "2"
    checked = run_script("release", str(second), "--key", public_key)
    assert checked.returncode == 0 and "4 events" in checked.stdout, checked.stderr
    assert runner.invoke(cli, ["verify", str(second), "--key", public_key]).exit_code == 0
    stranger = Ed25519PrivateKey.generate().public_key().public_bytes(Encoding.Raw, PublicFormat.Raw).hex()
    assert run_script("release", str(second), "--key", stranger).returncode == 1
    refused = runner.invoke(cli, ["verify", str(second), "--key", stranger])
    assert refused.exit_code == 1 and "signature does not verify" in refused.output

    lines = (second / "chain.jsonl").read_text(encoding="utf-8").splitlines()
    entry = json.loads(lines[2])
    entry["body"]["data"]["party"] = "Russian Federation"
    (second / "chain.jsonl").write_text("\n".join([*lines[:2], json.dumps(entry), *lines[3:]]) + "\n", encoding="utf-8")
    assert run_script("release", str(second), "--key", public_key).returncode == 1
    tampered = runner.invoke(cli, ["verify", str(second), "--key", public_key])
    assert tampered.exit_code == 1 and "chain.jsonl" in tampered.output
