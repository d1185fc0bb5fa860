"""`parley verify DIR` on a copy written before a redaction (SPEC §15): its holder applies the
redaction to the copy as the service would, and verify tells those redacted cells from tampering,
cell by cell against the chain's commitments, given a record of the redaction (a newer release,
or GET /redactions); the same marker with no record behind it, or a value edited, fails, named
by its event's position and field."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from parley.scripts.cli import cli
from parley.service.chain_store import chain_lines
from parley.service.exports.pin import pin_of
from parley.service.exports.writer import Options, write_export
from tests.integration.helpers import signing
from tests.integration.test_redaction import CHECKER, QUOTE, REASON, SOURCE, _write

FIELDS = ("sources.0.name", "sources.0.quote", "data.quote", "note")


def _redact_and_release(system, client, event_id: str, runner, env: dict, releases: Path) -> None:
    """An admin redacts the statement's source, quote and note; then the next release is made."""
    admin = {"Authorization": f"Bearer {system.tokens.create('chief', 'admin')}"}
    asked = {"fields": ["sources.0", "data.quote", "note"], "reason": REASON}
    assert client.post(f"/events/{event_id}/redactions", json=asked, headers=admin).status_code == 201
    assert runner.invoke(cli, ["release", "--out", str(releases)], env=env).exit_code == 0


def _apply(copy: Path, system, position: int, fmt: str = "datapackage", tables: str = "*.csv", chain: bool = True) -> None:
    """The redaction applied to an older copy as the service would write it now: the tables made
    at the copy's pin (those `tables` names), and its chain.jsonl with the markers and without
    their salts."""
    again = copy.parent / f"{copy.name}-again"
    if not again.exists():
        write_export(system.app, pin_of(system.app, position), fmt, again, Options())
    for made in again.glob(tables):
        shutil.copyfile(made, copy / made.name)
    if chain and (copy / "chain.jsonl").exists():
        with (copy / "chain.jsonl").open("w", encoding="utf-8") as out:
            for line in chain_lines(system.app.database, system.app.recorder.events_table_name, position):
                out.write(json.dumps(line, ensure_ascii=False, separators=(",", ":")) + "\n")


def _edit(path: Path, old: str, new: str) -> None:
    """The last `old` in the file replaced by `new`."""
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(new.join(text.rsplit(old, 1)), encoding="utf-8")


def test_an_older_copy_redacted_by_its_holder_verifies_and_says_what_was_redacted(database_url: str, tmp_path: Path) -> None:
    with signing(database_url, tmp_path) as (runner, env, releases, public_key, system, client):
        ids = _write(client)
        assert runner.invoke(cli, ["release", "--out", str(releases)], env=env).exit_code == 0
        plain = tmp_path / "plain"  # an export (no chain) of the same pin
        pinned = pin_of(system.app)
        write_export(system.app, pinned, "datapackage", plain, Options())
        _redact_and_release(system, client, ids["statement"], runner, env, releases)
        old, newer = tmp_path / "old", releases / "2"
        shutil.copytree(releases / "1", old)
        _apply(old, system, pinned.position)
        _apply(plain, system, pinned.position)
        position = system.app.event_ids.get(ids["statement"]).position

    assert not any(value in p.read_text(encoding="utf-8") for p in old.iterdir() for value in (SOURCE, QUOTE))
    verified = runner.invoke(cli, ["verify", str(old), "--key", public_key, "--redactions", str(newer)])
    assert verified.exit_code == 0, verified.output
    said = [line for line in verified.stderr.splitlines() if " redacted by redaction " in line]
    assert sorted(line.split(", ")[1].split(":")[0] for line in said) == sorted(FIELDS), verified.stderr
    assert all(f"position {position} (event {ids['statement']})" in line and REASON in line and "chief" in line for line in said)
    done = runner.invoke(cli, ["verify", str(plain), "--redactions", str(newer), "--key", public_key])
    assert done.exit_code == 0 and " redacted by redaction " in done.stderr, done.output
    # the standalone checker accepts the redacted chain given the newer release's records
    checked = subprocess.run(
        [sys.executable, str(CHECKER), "release", str(old), "--key", public_key, "--redactions", str(newer)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert checked.returncode == 0 and checked.stdout.count(" redacted (") == 4, checked.stdout + checked.stderr

    # the same edit with no record behind it is tampering, named by position and field
    alone = runner.invoke(cli, ["verify", str(old), "--key", public_key])
    assert alone.exit_code == 1
    assert (
        f"position {position} (event {ids['statement']}), data.quote: a redaction marker that no redaction record" in alone.stderr
    ), alone.stderr
    assert (
        subprocess.run(
            [sys.executable, str(CHECKER), "release", str(old), "--key", public_key], capture_output=True, timeout=60
        ).returncode
        == 1
    )
    bare = runner.invoke(cli, ["verify", str(plain)])
    assert bare.exit_code == 1 and "sources.csv: rows 1 to" in bare.stderr

    # a value edited beside the redactions is tampering at its row, event and field
    _edit(old / "sources.csv", "Forbes", "Reuters")
    edited = runner.invoke(cli, ["verify", str(old), "--key", public_key, "--redactions", str(newer)])
    assert edited.exit_code == 1
    assert f"sources.csv row 3 (event {ids['statement']} at position {position}), sources.1.name: changed" in edited.stderr, (
        edited.stderr
    )
    _edit(old / "chain.jsonl", '"Forbes"', '"Reuters"')
    edited = runner.invoke(cli, ["verify", str(old), "--key", public_key, "--redactions", str(newer)])
    assert edited.exit_code == 1
    assert (
        f"chain.jsonl position {position} (event {ids['statement']}), sources.1.name: the value is not the one "
        "committed to" in edited.stderr
    ), edited.stderr
    _edit(plain / "events.csv", "Andriy Yermak", "Andrii Yermak")
    edited = runner.invoke(cli, ["verify", str(plain), "--redactions", str(newer), "--key", public_key])
    assert edited.exit_code == 1
    assert f"events.csv row 2 (event {ids['statement']} at position {position}), data.speaker: changed" in edited.stderr, (
        edited.stderr
    )


def _edit_parquet(path: Path, column: str, old: str, new: str) -> None:
    """Each `old` in a Parquet table's column replaced by `new`, the file written again with pyarrow."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pq.read_table(str(path))
    values = table.column(column).to_pylist()
    assert old in values
    at = table.schema.get_field_index(column)
    typed = pa.array([new if v == old else v for v in values], type=table.schema.field(at).type)
    pq.write_table(table.set_column(at, table.schema.field(at), typed), str(path), compression="zstd")


def test_an_older_parquet_export_redacted_by_its_holder_is_checked_cell_by_cell(database_url: str, tmp_path: Path) -> None:
    with signing(database_url, tmp_path) as (runner, env, releases, public_key, system, client):
        ids = _write(client)
        assert runner.invoke(cli, ["release", "--out", str(releases)], env=env).exit_code == 0  # before: no record
        old = tmp_path / "old"
        pinned = pin_of(system.app)
        write_export(system.app, pinned, "parquet", old, Options())
        _redact_and_release(system, client, ids["statement"], runner, env, releases)
        before, newer = releases / "1", releases / "2"
        _apply(old, system, pinned.position, "parquet", tables="sources.parquet")
        position = system.app.event_ids.get(ids["statement"]).position
        statement = f"(event {ids['statement']} at position {position})"

        # applied to sources.parquet only: it verifies, and says the other tables still hold the values
        partly = runner.invoke(cli, ["verify", str(old), "--key", public_key, "--redactions", str(newer)])
        assert partly.exit_code == 0, partly.output
        assert (
            f"warning: statements.parquet row 1 {statement}, data.quote: still holds the value that redaction" in partly.stderr
        ), partly.stderr
        assert f"warning: events.parquet row 2 {statement}, " in partly.stderr, partly.stderr
        assert "warning: sources.parquet" not in partly.stderr, partly.stderr
        _apply(old, system, pinned.position, "parquet", tables="*.parquet")

    assert not any(value.encode() in p.read_bytes() for p in old.iterdir() for value in (SOURCE, QUOTE))
    verified = runner.invoke(cli, ["verify", str(old), "--key", public_key, "--redactions", str(newer)])
    assert verified.exit_code == 0, verified.output
    said = [line for line in verified.stderr.splitlines() if " redacted by redaction " in line]
    assert sorted(line.split(", ")[1].split(":")[0] for line in said) == sorted(FIELDS), verified.stderr
    assert all(f"position {position} (event {ids['statement']})" in line and REASON in line for line in said)
    assert "warning:" not in verified.stderr, verified.stderr

    # the same markers, checked against a chain with no record of the redaction: tampering at the cell
    alone = runner.invoke(cli, ["verify", str(old), "--key", public_key, "--redactions", str(before)])
    assert alone.exit_code == 1
    assert f"sources.parquet row 2 {statement}, sources.0.name: changed" in alone.stderr, alone.stderr
    assert f"statements.parquet row 1 {statement}, data.quote: changed" in alone.stderr, alone.stderr
    assert f"events.parquet row 2 {statement}, note: changed" in alone.stderr, alone.stderr

    # a value edited beside the redactions is tampering at its row, event and field
    _edit_parquet(old / "sources.parquet", "name", "Forbes", "Reuters")
    edited = runner.invoke(cli, ["verify", str(old), "--key", public_key, "--redactions", str(newer)])
    assert edited.exit_code == 1
    assert f"sources.parquet row 3 {statement}, sources.1.name: changed" in edited.stderr, edited.stderr


def test_a_copy_whose_chain_was_redacted_but_not_its_tables_warns(database_url: str, tmp_path: Path) -> None:
    with signing(database_url, tmp_path) as (runner, env, releases, public_key, system, client):
        ids = _write(client)
        assert runner.invoke(cli, ["release", "--out", str(releases)], env=env).exit_code == 0
        pinned = pin_of(system.app)
        _redact_and_release(system, client, ids["statement"], runner, env, releases)
        old, newer = tmp_path / "old", releases / "2"
        shutil.copytree(releases / "1", old)
        _apply(old, system, pinned.position, tables="none")  # chain.jsonl only
        position = system.app.event_ids.get(ids["statement"]).position

    assert QUOTE not in (old / "chain.jsonl").read_text(encoding="utf-8")
    assert QUOTE in (old / "events.csv").read_text(encoding="utf-8")
    verified = runner.invoke(cli, ["verify", str(old), "--key", public_key, "--redactions", str(newer)])
    assert verified.exit_code == 0, verified.output
    statement = f"(event {ids['statement']} at position {position})"
    warned = [line for line in verified.stderr.splitlines() if line.startswith("warning: ")]
    assert f"warning: sources.csv row 2 {statement}, sources.0.name: still holds the value that redaction" in verified.stderr, (
        verified.stderr
    )
    assert any(line.startswith(f"warning: events.csv row 2 {statement}, ") for line in warned), verified.stderr
    assert all("though this copy shows it redacted elsewhere" in line for line in warned)
    # the untouched copy (neither chain nor tables redacted) verifies as published, with no warning
    shutil.copyfile(releases / "1" / "chain.jsonl", old / "chain.jsonl")
    plain = runner.invoke(cli, ["verify", str(old), "--key", public_key, "--redactions", str(newer)])
    assert plain.exit_code == 0 and "warning:" not in plain.stderr, plain.output
