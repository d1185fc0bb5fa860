"""Checkpoints, proofs, keys and the chain file, judged by tools/check_parley.py, the standalone
standard-library checker a reader would use, not by the code that made them (SPEC §15)."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from parley.api.main import create_app
from parley.scripts.cli import cli
from parley.service import merkle
from parley.service.bootstrap import System, build
from parley.service.chain_store import chain_lines
from parley.service.settings import Settings
from tests.integration.helpers import assert_problem, event, new_id

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "tools" / "check_parley.py"
_spec = importlib.util.spec_from_file_location("check_parley", SCRIPT)
check = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(check)
EVENTS = 9  # with chunks of 4 leaves: whole chunks, a tail, and trees of every shape up to 9


@pytest.fixture
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(merkle, "CHUNK", 4)


def record(client: TestClient, count: int) -> list[dict]:
    bodies = [
        event(
            event_id=new_id(),
            subject=f"delegation/d{i}",
            data={"party": f"Party «{i}»", "head": "A B", "members": [{"name": "A B"}, {"name": "C D"}]},
        )
        for i in range(count)
    ]
    assert client.post("/events/batch", json={"events": bodies}).status_code == 201
    return client.get("/events?limit=1000").json()["events"]


def chain_file(system: System, path: Path) -> Path:
    lines = chain_lines(system.app.database, system.app.recorder.events_table_name, 2**62)
    path.write_text("".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines), encoding="utf-8")
    return path


def run_script(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(SCRIPT), *args], capture_output=True, text=True, timeout=60)


def test_the_standalone_script_checks_the_chain_file_and_names_a_changed_value(
    client: TestClient, system: System, tmp_path: Path, small_chunks: None
) -> None:
    events = record(client, EVENTS)
    path = chain_file(system, tmp_path / "chain.jsonl")
    lines = check.read_lines(path)
    assert [line["digest"] for line in lines] == [e["digest"] for e in events]
    done = run_script("chain", str(path))
    assert done.returncode == 0, done.stderr
    assert done.stdout.split()[-1] == client.get("/checkpoints/latest").json()["root"]

    lines[5]["body"]["data"]["members"][1]["name"] = "C E"
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    done = run_script("chain", str(path))
    assert done.returncode == 1 and f"line 6 (position {events[5]['position']})" in done.stderr
    assert "data.members.1.name" in done.stderr


def test_every_inclusion_and_consistency_proof_checks_with_the_standalone_script(
    client: TestClient, system: System, small_chunks: None
) -> None:
    events = record(client, EVENTS)
    digests = [bytes.fromhex(e["digest"]) for e in events]
    # Every tree size on SQLite; on PostgreSQL, for time, the whole tree (the SQL is the same).
    sizes = range(1, EVENTS + 1) if not system.app.database.postgres else [EVENTS]
    for n, at in ((n, events[n - 1]) for n in sizes):
        checkpoint = client.get(f"/checkpoints/{at['position']}").json()
        assert checkpoint == {"position": at["position"], "size": n, "root": check.mth(digests[:n]).hex()}
        for leaf, cited in enumerate(events[:n]):
            proof = client.get(f"/events/{cited['event_id']}/proof", params={"position": at["position"]}).json()
            assert proof["leaf_index"] == leaf and proof["checkpoint"] == checkpoint
            check.check_inclusion(proof)
        for m, earlier in enumerate(events[:n], start=1):
            proof = client.get(f"/checkpoints/{at['position']}/consistency", params={"from": earlier["position"]}).json()
            assert (proof["from"]["size"], proof["to"]["size"]) == (m, n)
            check.check_consistency(proof)
    # A proof altered anywhere no longer checks.
    proof = client.get(f"/events/{events[2]['event_id']}/proof").json()
    proof["audit_path"][1] = "00" * 32
    with pytest.raises(check.Failed):
        check.check_inclusion(proof)
    proof = client.get(f"/checkpoints/{events[-1]['position']}/consistency", params={"from": events[5]["position"]}).json()
    proof["proof"][0] = "00" * 32
    with pytest.raises(check.Failed):
        check.check_consistency(proof)


def test_a_proof_beyond_the_log_or_of_no_event_is_refused(client: TestClient) -> None:
    events = record(client, 3)
    last = events[-1]["position"]
    assert_problem(client.get(f"/checkpoints/{last + 1}"), 422)
    assert_problem(client.get(f"/checkpoints/{last}/consistency", params={"from": last + 1}), 422)
    assert_problem(client.get(f"/events/{events[2]['event_id']}/proof", params={"position": events[1]["position"]}), 422)
    assert_problem(client.get(f"/events/{new_id()}/proof"), 404)
    assert client.get("/checkpoints/0").json() == {"position": 0, "size": 0, "root": check.mth([]).hex()}
    assert client.get("/keys").json() == {"keys": []}


@pytest.fixture
def signed(database_url: str, tmp_path: Path) -> Iterator[tuple[TestClient, str]]:
    made = CliRunner().invoke(cli, ["key", "create", str(tmp_path / "signing.key")])
    assert made.exit_code == 0, made.output
    public_key = made.stdout.strip().splitlines()[0]
    again = CliRunner().invoke(cli, ["key", "create", str(tmp_path / "signing.key")])
    assert again.exit_code == 2 and "never overwritten" in again.output
    system = build(Settings(database_url=database_url, signing_key=tmp_path / "signing.key"))
    try:
        with TestClient(create_app(system.settings, system)) as client:
            client.headers["Authorization"] = f"Bearer {system.tokens.create('tester')}"
            yield client, public_key
    finally:
        system.close()


def test_a_signed_checkpoint_checks_against_the_served_key_and_no_other(signed: tuple[TestClient, str]) -> None:
    client, public_key = signed
    record(client, 3)
    keys = client.get("/keys").json()["keys"]
    assert [(k["algorithm"], k["public_key"]) for k in keys] == [("Ed25519", public_key)]
    checkpoint = client.get("/checkpoints/latest").json()
    assert checkpoint["key_id"] == keys[0]["key_id"]
    check.check_checkpoint(checkpoint, public_key)
    for forged in ({**checkpoint, "size": 2}, {**checkpoint, "root": "00" * 32}):
        with pytest.raises(check.Failed):
            check.check_checkpoint(forged, public_key)
    other = Ed25519PrivateKey.generate().public_key().public_bytes(Encoding.Raw, PublicFormat.Raw).hex()
    with pytest.raises(check.Failed):
        check.check_checkpoint(checkpoint, other)


def test_verify_store_checks_the_trees_kept_hashes_against_the_chain(
    client: TestClient, system: System, small_chunks: None
) -> None:
    """A kept subtree hash (merkle_chunks) changed in the database would make every later checkpoint
    and proof wrong while each event still matched its digest: verify names it."""
    from parley.service.chain_store import verify

    events = record(client, EVENTS)
    assert client.get("/checkpoints/latest").status_code == 200  # the tree keeps its two whole chunks
    table = system.app.recorder.events_table_name
    assert verify(system.app.database, table) == (EVENTS, None)
    with system.app.database.transaction(commit=True) as cursor:
        assert cursor.scalar("SELECT count(*) FROM merkle_chunks") == EVENTS // 4
        cursor.execute("UPDATE merkle_chunks SET hash = ? WHERE chunk = 1", (bytes(32),))
    checked, broken = verify(system.app.database, table)
    assert broken is not None and broken.position == events[4]["position"] and "leaves 4–7" in broken.reason, broken
    with system.app.database.transaction(commit=True) as cursor:
        cursor.execute("DELETE FROM merkle_chunks WHERE chunk = 1")
        cursor.execute(
            "INSERT INTO merkle_chunks (chunk, first_position, next_position, hash) VALUES (?, ?, ?, ?)",
            (7, 10**6, 10**6 + 4, bytes(32)),
        )
    checked, broken = verify(system.app.database, table)
    assert checked == EVENTS and broken is not None and "which the chain does not hold" in broken.reason, broken
