"""GET /redactions and GET /events/{id}/redactions (SPEC §15): who removed which values of which
event, when and why, never the values; signed entry by entry by a service with a key, so a holder
of an older copy can verify it with the saved list; and the client reads them typed."""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from parley.client import Client, Redaction
from parley.scripts.cli import cli
from parley.service.redaction_records import RecordRefused, from_entry
from tests.integration.helpers import new_id, signing
from tests.integration.test_redacted_copies import _apply
from tests.integration.test_redaction import CHECKER, NOTE, QUOTE, REASON, SOURCE, _write

FAST = {"PARLEY_REDACTIONS_FETCH_TIMEOUT": "1"}


@contextmanager
def _served(body: bytes) -> Iterator[str]:
    """`body` answered to any GET, at the URL given, while the block runs."""

    class Answer(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - the handler's protocol
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *_: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Answer)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/redactions"
    finally:
        server.shutdown()
        server.server_close()


def test_the_redactions_are_listed_signed_without_their_values(database_url: str, tmp_path: Path) -> None:
    with signing(database_url, tmp_path) as (runner, env, releases, public_key, system, client):
        ids = _write(client)
        assert client.get("/redactions").json() == {"redactions": []}
        assert runner.invoke(cli, ["release", "--out", str(releases)], env=env).exit_code == 0
        admin = {"Authorization": f"Bearer {system.tokens.create('chief', 'admin')}"}
        asked = {"fields": ["sources.0.name", "data.quote", "note"], "reason": REASON}
        made = client.post(f"/events/{ids['statement']}/redactions", json=asked, headers=admin).json()
        position = system.app.event_ids.get(ids["statement"]).position

        listed = client.get("/redactions")
        assert listed.status_code == 200 and not any(v in listed.text for v in (SOURCE, QUOTE, NOTE))
        [item] = listed.json()["redactions"]
        assert {k: item[k] for k in ("redaction_id", "event_id", "subject", "position", "fields", "reason", "recorded_by")} == {
            "redaction_id": made["redaction_id"],
            "event_id": ids["statement"],
            "subject": "delegation/ukraine",
            "position": position,
            "fields": ["sources.0.name", "data.quote", "note"],
            "reason": REASON,
            "recorded_by": "chief",
        }
        assert item["recorded_at"] == made["recorded_at"].replace("Z", "+00:00") and len(item["digest"]) == 64
        assert from_entry(item, public_key).event_id == ids["statement"]  # its signature verifies
        forged = {**item, "fields": ["note"]}
        try:
            from_entry(forged, public_key)
            raise AssertionError("a changed entry verified")
        except RecordRefused:
            pass
        assert client.get(f"/events/{ids['statement']}/redactions").json() == listed.json()
        assert client.get("/redactions", params={"event_id": ids["formed"]}).json() == {"redactions": []}
        assert client.get(f"/events/{ids['formed']}/redactions").json() == {"redactions": []}
        assert client.get(f"/events/{new_id()}/redactions").status_code == 404
        assert client.get("/events/not-a-uuid/redactions").status_code == 422
        assert client.get("/redactions", params={"event_id": "x"}).status_code == 422
        paths = client.get("/openapi.json").json()["paths"]
        assert "get" in paths["/redactions"] and "get" in paths["/events/{event_id}/redactions"]

        with Client("http://testserver", transport=client._transport) as typed:
            [read] = typed.redactions()
            assert isinstance(read, Redaction) and read.fields == item["fields"] and read.signature == item["signature"]
            assert typed.redactions(ids["statement"]) == [read] and typed.redactions(ids["formed"]) == []

        old = tmp_path / "old"
        shutil.copytree(releases / "1", old)
        _apply(old, system, position)

    # the saved list verifies the older copy the holder redacted, inside it or given with --redactions
    saved = tmp_path / "redactions.json"
    saved.write_text(json.dumps(listed.json()))
    done = runner.invoke(cli, ["verify", str(old), "--key", public_key, "--redactions", str(saved)])
    assert done.exit_code == 0 and done.stderr.count(" redacted by redaction ") == 3, done.output
    checked = subprocess.run(
        [sys.executable, str(CHECKER), "release", str(old), "--key", public_key, "--redactions", str(saved)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert checked.returncode == 0 and checked.stdout.count(" redacted (") == 3, checked.stdout + checked.stderr
    with _served(saved.read_bytes()) as url:  # or from its URL, given PARLEY_REDACTIONS_FETCH_TIMEOUT to answer
        fetched = runner.invoke(cli, ["verify", str(old), "--key", public_key, "--redactions", url], env=FAST)
    assert fetched.exit_code == 0 and fetched.stderr.count(" redacted by redaction ") == 3, fetched.output
    with socket.socket() as silent:  # a server that accepts and never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        started = time.monotonic()
        waited = runner.invoke(
            cli,
            ["verify", str(old), "--key", public_key, "--redactions", f"http://127.0.0.1:{silent.getsockname()[1]}/redactions"],
            env=FAST,
        )
    assert waited.exit_code == 1 and "unreadable" in waited.stderr and time.monotonic() - started < 10
    shutil.copyfile(saved, old / "redactions.json")
    assert runner.invoke(cli, ["verify", str(old), "--key", public_key]).exit_code == 0
    (old / "redactions.json").write_text(json.dumps({"redactions": [forged]}))  # not signed as it reads
    refused = runner.invoke(cli, ["verify", str(old), "--key", public_key])
    assert refused.exit_code == 1 and "signature does not verify" in refused.stderr
