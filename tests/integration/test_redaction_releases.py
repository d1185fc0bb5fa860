"""Redaction and what was published (SPEC §15): a release made after a redaction verifies, with
the standalone checker and `parley verify DIR`, and names the redacted values rather than failing;
an edited value is still found; an export holding redactions imports, its values still redacted."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from fastapi.testclient import TestClient

from parley.api.main import create_app
from parley.scripts.cli import cli
from parley.scripts.transfer import export, import_lines
from parley.service.bootstrap import build
from parley.service.exports.pin import pin_of
from parley.service.exports.writer import Options, write_export
from parley.service.settings import Settings
from tests.backends import empty_postgres
from tests.integration.helpers import signing
from tests.integration.test_redaction import CHECKER, NOTE, QUOTE, REASON, REDACTED, SOURCE, _write


def test_a_release_after_a_redaction_verifies_and_names_what_was_redacted(database_url: str, tmp_path: Path) -> None:
    with signing(database_url, tmp_path) as (runner, env, releases, public_key, system, client):
        ids = _write(client)
        assert runner.invoke(cli, ["release", "--out", str(releases)], env=env).exit_code == 0
        admin = {"Authorization": f"Bearer {system.tokens.create('chief', 'admin')}"}
        asked = {"fields": ["sources.0", "data.quote", "note"], "reason": REASON}
        assert client.post(f"/events/{ids['statement']}/redactions", json=asked, headers=admin).status_code == 201
        made = runner.invoke(cli, ["release", "--out", str(releases)], env=env)
        assert made.exit_code == 0, made.output
        exported = tmp_path / "events.jsonl"
        with exported.open("w", encoding="utf-8") as out:
            export(system.app, out)
        for fmt in ("parquet", "cloudevents"):  # every other format written after it hides them too
            write_export(system.app, pin_of(system.app), fmt, tmp_path / fmt, Options())

    newer = releases / "2"
    import pyarrow.parquet as pq

    written = [p.read_text(encoding="utf-8") for p in (tmp_path / "cloudevents").glob("*.jsonl")]
    written += [json.dumps(pq.read_table(p).to_pylist(), default=str) for p in (tmp_path / "parquet").glob("*.parquet")]
    assert len(written) > 3 and not any(value in text for text in written for value in (SOURCE, QUOTE, NOTE))
    assert not any(
        value in path.read_text(encoding="utf-8") for path in newer.iterdir() if path.is_file() for value in (SOURCE, QUOTE, NOTE)
    )
    checked = subprocess.run(
        [sys.executable, str(CHECKER), "release", str(newer), "--key", public_key], capture_output=True, text=True, timeout=60
    )
    assert checked.returncode == 0, checked.stderr
    verified = runner.invoke(cli, ["verify", str(newer), "--key", public_key])
    assert verified.exit_code == 0, verified.output
    assert runner.invoke(cli, ["verify", str(releases / "1"), "--key", public_key]).exit_code == 0  # the older one, as published

    lines = (newer / "chain.jsonl").read_text(encoding="utf-8").splitlines()
    chained = subprocess.run(
        [sys.executable, str(CHECKER), "chain", str(newer / "chain.jsonl")], capture_output=True, text=True, timeout=60
    )
    assert chained.returncode == 0 and chained.stdout.count(" redacted (") == 4, (
        chained.stdout
    )  # the name and quote of the source, the quote, the note
    statement = next(i for i, line in enumerate(lines) if '"redacted"' in line)
    forged = [*lines]
    entry = json.loads(forged[statement])
    entry["body"]["sources"][1]["name"] = "Reuters"  # a value not redacted, edited: still tampering
    forged[statement] = json.dumps(entry)
    tampered = tmp_path / "tampered.jsonl"
    tampered.write_text("\n".join(forged) + "\n")
    assert subprocess.run([sys.executable, str(CHECKER), "chain", str(tampered)], capture_output=True, timeout=60).returncode == 1

    # an export holding redactions imports into another store, its values still redacted there
    if database_url.startswith("postgres"):
        empty_postgres(database_url)
        target = database_url
    else:
        target = f"sqlite:///{tmp_path / 'copy.db'}"
    copy = build(Settings(database_url=target))
    try:
        text = exported.read_text(encoding="utf-8").splitlines()
        assert import_lines(copy.app, text, "tests") == (len(text), 0)
        assert import_lines(copy.app, text, "tests") == (0, len(text))
        copy.projection.catch_up()
        with TestClient(create_app(copy.settings, copy)) as client:
            shown = client.get(f"/events/{ids['statement']}").json()
        assert shown["data"]["quote"] == REDACTED and shown["note"] == REDACTED and shown["sources"][0]["name"] == REDACTED
        assert [r.data["fields"] for r in copy.redactions.recorded()] == [
            ["data.quote", "sources.0.name", "sources.0.quote", "note"]
        ]
    finally:
        copy.close()
