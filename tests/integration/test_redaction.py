"""Redaction with an audit (SPEC §15, issue 35): a source's name, a quote and a note removed for
good — from every answer, export and index, and from the database's files — while the chain,
checkpoints and proofs still verify with the standalone checker, and a write token cannot redact."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing
from pathlib import Path
from typing import Any

import psycopg
import pytest
from fastapi.testclient import TestClient

from parley.api.main import create_app
from parley.service.bootstrap import System, build
from parley.service.exports.package import write_package  # noqa: F401  (kept: the export the test reads)
from parley.service.settings import Settings
from tests.integration.helpers import assert_problem, event, new_id, stored_rows

ROOT = Path(__file__).resolve().parents[2]
CHECKER = ROOT / "tools" / "check_parley.py"
SOURCE = "Whistleblower Qzxv Anonymous"
QUOTE = "the envoy said Kxqvz Plorbtuz would resign"
NOTE = "heard from Vqrxt at dinner"
REASON = "the source asked to be protected"
REDACTED = {"redacted": True, "reason": REASON}
STATEMENT = {
    "type": "StatementRecorded",
    "subject": "delegation/ukraine",
    "occurred": "2025-11-23",
    "sources": [{"name": "Forbes"}],
}
NAMES: dict[str, str] = {}


@pytest.fixture
def admin(system: System) -> str:
    return system.tokens.create("editor", "admin")


def _write(client: TestClient) -> dict[str, str]:
    formed = client.post("/events", json=event(event_id=new_id()))
    assert formed.status_code == 201, formed.text
    statement = {
        "type": "StatementRecorded",
        "subject": "delegation/ukraine",
        "occurred": "2025-11-23",
        "event_id": new_id(),
        "note": NOTE,
        "sources": [{"name": SOURCE, "quote": "as told"}, {"name": "Forbes"}],
        "data": {"speaker": "Andriy Yermak", "quote": QUOTE},
    }
    said = client.post("/events", json=statement)
    assert said.status_code == 201, said.text
    return {"formed": formed.json()["event_id"], "statement": said.json()["event_id"]}


def _answers(client: TestClient) -> str:
    """Every answer a reader can get that shows the statement, for every known_at, as one text."""
    reads = [
        "/events",
        "/events?source=" + SOURCE,
        "/subjects/delegation/ukraine",
        "/subjects/delegation/ukraine?known_at=2025-01-01T00:00:00Z&as_of=2025-12-01",
        "/subjects/delegation/ukraine/history",
        "/changes?from=2025-11-01",
        "/state",
        "/export/events.csv",
        "/export/sources.csv",
        "/export/statements.csv",
        "/search?q=Kxqvz",
        "/search?q=Whistleblower",
        "/search?q=Vqrxt",
    ]
    texts = []
    for path in reads:
        response = client.get(path)
        assert response.status_code < 500, (path, response.text)
        texts.append(response.text)
    return "\n".join(texts)


def _store_files(system: System) -> list[Path]:
    if not system.app.database.postgres:
        path = Path(system.app.env["SQLITE_DBNAME"])
        return [p for p in (path, Path(f"{path}-wal"), Path(f"{path}-journal")) if p.exists()]
    env = system.app.env
    with psycopg.connect(
        host=env["POSTGRES_HOST"],
        port=env["POSTGRES_PORT"],
        dbname=env["POSTGRES_DBNAME"],
        user=env["POSTGRES_USER"],
        autocommit=True,
    ) as connection:
        directory = Path(connection.execute("SHOW data_directory").fetchone()[0])
        rows = connection.execute(
            "SELECT pg_relation_filepath(c.oid), c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
            " WHERE n.nspname IN ('public', 'pg_toast') AND c.relkind IN ('r', 't', 'i', 'm')"
            " AND pg_relation_filepath(c.oid) IS NOT NULL"
        ).fetchall()
    files = [directory / row[0] for row in rows]
    NAMES.update({(directory / row[0]).name: row[1] for row in rows})
    if not files or not files[0].parent.exists() or not _readable(files[0].parent):
        pytest.skip("the PostgreSQL data directory is not readable here")
    return [f for f in files if f.exists()]


def _readable(directory: Path) -> bool:
    try:
        next(directory.iterdir(), None)
        return True
    except PermissionError:
        return False


def _bytes_found(files: list[Path], *values: str) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for file in files:
        data = file.read_bytes()
        for value in values:
            if value.encode() in data:
                found.setdefault(value, []).append(NAMES.get(file.name, file.name))
    return found


def _check(tmp_path: Path, kind: str, document: object) -> subprocess.CompletedProcess[str]:
    path = tmp_path / f"{kind}.json"
    if isinstance(document, list):
        path.write_text("".join(json.dumps(line) + "\n" for line in document))
    else:
        path.write_text(json.dumps(document))
    return subprocess.run([sys.executable, str(CHECKER), kind, str(path)], capture_output=True, text=True, timeout=60)


def test_a_redacted_name_quote_and_note_are_gone_everywhere_and_the_chain_still_verifies(
    system: System, client: TestClient, admin: str, tmp_path: Path
) -> None:
    ids = _write(client)
    before = client.get("/checkpoints/latest").json()
    proof_before = client.get(f"/events/{ids['statement']}/proof?position={before['position']}").json()
    assert SOURCE in _answers(client) and QUOTE in _answers(client)

    asked = {"fields": ["sources.0.name", "data.quote", "note"], "reason": REASON}
    answer = client.post(f"/events/{ids['statement']}/redactions", json=asked, headers={"Authorization": f"Bearer {admin}"})
    assert answer.status_code == 201, answer.text
    assert answer.json()["redacted"] == ["sources.0.name", "data.quote", "note"]

    # every answer, export and index: the marker, never the value
    texts = _answers(client)
    assert not {SOURCE, QUOTE, NOTE} & {v for v in (SOURCE, QUOTE, NOTE) if v in texts}
    shown = client.get(f"/events/{ids['statement']}").json()
    assert shown["sources"][0]["name"] == REDACTED and shown["data"]["quote"] == REDACTED and shown["note"] == REDACTED
    assert shown["sources"][0]["quote"] == "as told" and shown["sources"][1] == {"name": "Forbes"}
    assert client.get("/events", params={"source": SOURCE}).json()["events"] == []
    assert all(client.get("/search", params={"q": word}).json()["hits"] == [] for word in ("Kxqvz", "Qzxv", "Vqrxt"))
    past = client.get("/subjects/delegation/ukraine", params={"as_of": "2025-12-01", "known_at": shown["recorded_at"]})
    assert past.status_code == 200 and QUOTE not in past.text

    # the audit: an event on the redactions stream; the chain and the older checkpoint still hold
    audit = system.redactions.recorded()
    assert [(r.recorded_by, r.data["event_id"], r.data["fields"], r.data["reason"]) for r in audit] == [
        ("editor", ids["statement"], ["sources.0.name", "data.quote", "note"], REASON)
    ]
    after = client.get("/checkpoints/latest").json()
    assert after["size"] == before["size"] + 1
    again = client.get(f"/checkpoints/{before['position']}").json()
    assert again["root"] == before["root"]
    proof = client.get(f"/events/{ids['statement']}/proof?position={after['position']}").json()
    assert _check(tmp_path, "inclusion", proof).returncode == 0
    assert _check(tmp_path, "inclusion", proof_before).returncode == 0
    consistency = client.get(f"/checkpoints/{after['position']}/consistency?from={before['position']}").json()
    assert _check(tmp_path, "consistency", consistency).returncode == 0
    from parley.service.chain_store import chain_lines, verify

    assert verify(system.app.database, system.app.recorder.events_table_name)[1] is None
    lines = list(chain_lines(system.app.database, system.app.recorder.events_table_name, after["position"]))
    checked = _check(tmp_path, "chain", lines)
    assert checked.returncode == 0, checked.stderr
    assert "redacted" in checked.stdout
    assert SOURCE not in json.dumps(lines) and QUOTE not in json.dumps(lines)

    # the bytes are gone from the database's files
    assert _bytes_found(_store_files(system), SOURCE, QUOTE, NOTE) == {}


def test_a_write_token_cannot_redact_and_bad_requests_store_nothing(system: System, client: TestClient, admin: str) -> None:
    ids = _write(client)
    asked = {"fields": ["data.quote"], "reason": REASON}
    rows = stored_rows(system)
    assert_problem(client.post(f"/events/{ids['statement']}/redactions", json=asked), 403)
    as_admin = {"Authorization": f"Bearer {admin}"}
    bad = [
        (f"/events/{new_id()}/redactions", asked, 404),
        (f"/events/{ids['statement']}/redactions", {"fields": ["data.nothing"], "reason": REASON}, 422),
        (f"/events/{ids['statement']}/redactions", {"fields": ["occurred"], "reason": REASON}, 422),
        (f"/events/{ids['statement']}/redactions", {"fields": ["subject"], "reason": REASON}, 422),
        (f"/events/{ids['statement']}/redactions", {"fields": ["data.speaker"], "reason": REASON}, 422),
        (f"/events/{ids['statement']}/redactions", {"fields": ["sources.5.name"], "reason": REASON}, 422),
        (f"/events/{ids['statement']}/redactions", {"fields": ["data.quote"], "reason": "  "}, 422),
        (f"/events/{ids['statement']}/redactions", {"fields": [], "reason": REASON}, 422),
        (f"/events/{ids['statement']}/redactions", {"fields": ["data.quote"]}, 422),
    ]
    for path, body, status in bad:
        assert_problem(client.post(path, json=body, headers=as_admin), status)
    assert stored_rows(system) == rows and system.redactions.recorded() == []
    assert QUOTE in client.get(f"/events/{ids['statement']}").text

    first = client.post(f"/events/{ids['statement']}/redactions", json=asked, headers=as_admin)
    assert first.status_code == 201
    rows = stored_rows(system)
    twice = client.post(f"/events/{ids['statement']}/redactions", json=asked, headers=as_admin)
    assert twice.status_code == 200 and twice.json()["redacted"] == [] and twice.json()["already_redacted"] == ["data.quote"]
    assert stored_rows(system) == rows
    # a retry of the original write can no longer confirm the value: its content now differs


def test_tokens_minted_before_scopes_keep_writing_and_cannot_redact(system: System, client: TestClient) -> None:
    import hashlib

    with system.app.database.transaction(commit=True) as cursor:  # the table as a store from before scopes has it
        cursor.execute("ALTER TABLE write_tokens DROP COLUMN scope")
        cursor.execute(
            "INSERT INTO write_tokens (name, digest, created_at, revoked_at) VALUES (?, ?, 0, NULL)",
            ("old-desk", hashlib.sha256(b"an-old-token").hexdigest()),
        )
    system.tokens.create_table()  # the next start
    assert system.tokens.scoped_holder("an-old-token") == ("old-desk", "write")
    old = {"Authorization": "Bearer an-old-token"}
    written = client.post("/events", json=event(event_id=new_id()), headers=old)
    assert written.status_code == 201, written.text
    refused = assert_problem(
        client.post(
            f"/events/{written.json()['event_id']}/redactions", json={"fields": ["sources.0.name"], "reason": REASON}, headers=old
        ),
        403,
    )
    assert refused["type"] == "/problems/forbidden" and "admin" in refused["detail"]
    assert_problem(
        client.post(
            f"/events/{written.json()['event_id']}/redactions",
            json={"fields": ["sources.0.name"], "reason": REASON},
            headers={"Authorization": "Bearer not-a-token"},
        ),
        401,
    )


def test_the_cli_redacts_as_the_operator_and_mints_admin_tokens(database_url: str, system: System, client: TestClient) -> None:
    from typer.testing import CliRunner

    from parley.scripts.cli import cli

    ids = _write(client)
    run = CliRunner().invoke
    minted = run(cli, ["token", "create", "chief", "--scope", "admin", "--database", database_url])
    assert minted.exit_code == 0, minted.output
    assert system.tokens.scoped_holder(minted.stdout.strip()) == ("chief", "admin")
    refused = run(cli, ["token", "create", "x", "--scope", "root", "--database", database_url])
    assert refused.exit_code != 0 and "scope" in refused.output
    done = run(
        cli,
        [
            "redact",
            ids["statement"],
            "--fields",
            "data.quote,note",
            "--reason",
            REASON,
            "--by",
            "desk chief",
            "--database",
            database_url,
        ],
    )
    assert done.exit_code == 0, done.output
    assert json.loads(done.stdout.splitlines()[0])["redacted"] == ["data.quote", "note"]
    assert [(r.recorded_by, r.data["fields"]) for r in system.redactions.recorded()] == [("desk chief", ["data.quote", "note"])]
    system.projection.catch_up()
    shown = client.get(f"/events/{ids['statement']}").json()
    assert shown["data"]["quote"] == REDACTED and shown["note"] == REDACTED
    verified = run(cli, ["verify", "--store", "--database", database_url])
    assert verified.exit_code == 0 and "2 values redacted" in verified.output, verified.output
    unknown = run(cli, ["redact", new_id(), "--fields", "note", "--reason", REASON, "--database", database_url])
    assert unknown.exit_code != 0 and "no event" in unknown.output


def test_a_redacted_quote_leaves_the_draft_it_was_confirmed_from(system: System, client: TestClient, admin: str) -> None:
    from tests.integration.test_drafts import REPORT, of_type

    secret = "Qvrx Source"
    draft = client.post("/drafts", json={"text": REPORT, "source": {"name": secret, "published": "2025-11-30"}}).json()
    statement = of_type(draft, "StatementRecorded")
    formed = next(p for p in draft["proposals"] if p["type"] == "DelegationFormed" and p["subject"] == statement["subject"])
    confirmed = client.post(
        f"/drafts/{draft['draft_id']}/confirm",
        json={"proposals": [{"proposal_id": formed["proposal_id"]}, {"proposal_id": statement["proposal_id"]}]},
    )
    assert confirmed.status_code == 201, confirmed.text
    recorded = next(r["event_id"] for r in confirmed.json()["events"] if r["proposal_id"] == statement["proposal_id"])
    quote = statement["data"]["quote"]
    asked = {"fields": ["data.quote", "sources.0"], "reason": REASON}
    assert (
        client.post(f"/events/{recorded}/redactions", json=asked, headers={"Authorization": f"Bearer {admin}"}).status_code == 201
    )
    kept = client.get(f"/drafts/{draft['draft_id']}")
    assert kept.status_code == 200 and quote not in kept.text and secret not in kept.text
    shown = kept.json()
    assert shown["source"]["name"] == REDACTED and len(shown["text"]) == len(REPORT)  # spans still point where they did
    # the event confirmed beside it cites the same source and sentence: those copies are its own, and stay
    assert client.get(f"/events?subject={formed['subject']}").text.count(secret) >= 1


def test_redactions_racing_each_other_and_writes_end_in_201_and_a_repeat_in_200(database_url: str) -> None:
    """Redactions of several events at once, each sent twice, among writes (SPEC §14: racing is
    never a 5xx). Each one's views are made again on the write connection it holds: none waits,
    holding it, for a second connection that a writer queued behind it holds (the pool's timeout,
    then a 503). Of a value's two redactions one is recorded, the other is a repeat (200)."""
    settings = Settings(
        database_url=database_url, pool_timeout=1, lock_timeout=1, redaction_lock_timeout=1, redaction_vacuum_patience=1
    )
    with closing(build(settings)) as system, TestClient(create_app(settings, system)) as client:
        client.headers["Authorization"] = f"Bearer {system.tokens.create('writer')}"
        admin = {"Authorization": f"Bearer {system.tokens.create('editor', 'admin')}"}
        assert client.post("/events", json=event()).status_code == 201
        said = [
            client.post("/events", json={**STATEMENT, "data": {"speaker": "Andriy Yermak", "quote": f"quote {n}"}})
            for n in range(3)
        ]
        start = threading.Barrier(9)

        def redacting(receipt: Any) -> int:
            start.wait()
            return client.post(
                f"/events/{receipt.json()['event_id']}/redactions",
                headers=admin,
                json={"fields": ["data.quote"], "reason": REASON},
            ).status_code

        def writing(n: int) -> int:
            start.wait()
            return client.post("/events", json={**STATEMENT, "data": {"speaker": "Rustem Umerov", "quote": f"w {n}"}}).status_code

        with ThreadPoolExecutor(9) as pool:
            running = [pool.submit(redacting, receipt) for receipt in said * 2] + [pool.submit(writing, n) for n in range(3)]
            statuses = [done.result() for done in running]
        assert [sorted(statuses[n::3][:2]) for n in range(3)] == [[200, 201]] * 3 and statuses[6:] == [201] * 3
        assert len(client.get("/redactions").json()["redactions"]) == 3
        quotes = [e["data"]["quote"] for e in client.get("/events?type=StatementRecorded").json()["events"]]
        assert quotes[:3] == [REDACTED] * 3 and sorted(quotes[3:]) == [f"w {n}" for n in range(3)]
