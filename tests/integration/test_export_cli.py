"""`parley export` and `parley verify` as a user runs them; an old store exports too."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from parley.scripts.cli import cli
from parley.service.exports import FORMAT_VERSION, files

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
runner = CliRunner()


@pytest.fixture
def v2_url(tmp_path: Path) -> str:
    """A copy of the store version 2 wrote (bare-module topics, a claim beside every event)."""
    shutil.copy(FIXTURES / "store-v2.sqlite", tmp_path / "v2.sqlite")
    return f"sqlite:///{tmp_path / 'v2.sqlite'}"


def parley(*args: str):
    return runner.invoke(cli, list(args), catch_exceptions=False)


def test_plain_export_is_the_importable_json_lines_with_the_pin_on_standard_error(v2_url):
    done = parley("export", "--database", v2_url)
    assert done.exit_code == 0
    assert done.stdout == (FIXTURES / "store-v2.jsonl").read_text(encoding="utf-8")
    assert "pinned at position 61" in done.stderr


def test_an_old_store_exports_every_table(v2_url, tmp_path):
    assert parley("export", "--database", v2_url, "--format", "csv", "--out", str(tmp_path / "out")).exit_code == 0
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text())
    assert manifest["pin"]["position"] == 61 and manifest["format_version"] == FORMAT_VERSION
    rows = {entry["path"]: entry["rows"] for entry in manifest["files"]}
    assert rows["events.csv"] == len((FIXTURES / "store-v2.jsonl").read_text().splitlines())
    assert rows["statements.csv"] > 0 and rows["states.csv"] > 0 and "claims.csv" in rows
    events = (tmp_path / "out" / "events.csv").read_text()
    assert events.count(",EventRetracted,") == 1


def test_tables_need_a_folder(v2_url):
    done = parley("export", "--database", v2_url, "--format", "csv")
    assert done.exit_code == 2 and "give --out DIR" in done.stderr


def test_verify_names_the_file_and_rows_where_one_byte_was_flipped(v2_url, tmp_path, monkeypatch):
    monkeypatch.setattr(files, "BLOCK_ROWS", 4)  # blocks of 4 rows, so a small export has several
    out = tmp_path / "out"
    assert parley("export", "--database", v2_url, "--format", "csv", "--out", str(out)).exit_code == 0
    assert parley("verify", str(out)).exit_code == 0

    data = bytearray((out / "sources.csv").read_bytes())
    sixth_row = [i for i, b in enumerate(data) if b == ord("\n")][5] + 1  # just after the header and 5 rows
    data[sixth_row + 3] ^= 0x01
    (out / "sources.csv").write_bytes(bytes(data))
    done = parley("verify", str(out))
    assert done.exit_code == 1
    assert "sources.csv: rows 5 to 8 differ" in done.stderr


def test_verify_says_when_rows_are_missing_or_the_manifest_is_not_there(v2_url, tmp_path):
    out = tmp_path / "out"
    parley("export", "--database", v2_url, "--format", "jsonl", "--out", str(out))
    lines = (out / "events.jsonl").read_text().splitlines(keepends=True)
    (out / "events.jsonl").write_text("".join(lines[:-1]))
    done = parley("verify", str(out))
    assert done.exit_code == 1 and "events.jsonl: rows 1 to 31 differ" in done.stderr
    assert parley("verify", str(tmp_path)).exit_code == 1


def test_a_pin_given_on_the_command_line_holds_the_events_up_to_it(v2_url):
    done = parley("export", "--database", v2_url, "--position", "10")  # between two events of the old store
    assert done.exit_code == 0 and "pinned at position 9 " in done.stderr
    assert done.stdout.splitlines() == (FIXTURES / "store-v2.jsonl").read_text().splitlines()[:5]
    beyond = parley("export", "--database", v2_url, "--position", "1000")
    assert beyond.exit_code == 2 and "beyond the log" in beyond.stderr
    assert parley("export", "--database", v2_url, "--known-at", "yesterday").exit_code == 2


# The files format version 1 wrote for this store at position 61, before version 2 existed
# (Parley at d361b26): a pin and a format version give the same bytes in every later release.
FORMAT_1_AT_61 = {
    "events.csv": "93a88e0fb8e977b420312c141ab35406ece159233590b391f2d79cc53d2ec0f9",
    "sources.csv": "3884630cf4a4cf8c49362a0295a06033c9f7d6f3d450a536c4dac2d28a77ff65",
    "statements.csv": "eb6cc6e11e45d26ddf2c0ac01487ddd2533fdf628425a5ec64e750f279b2aea9",
    "states.csv": "2cc4199b8273a5230c794e79ce20c3b59ad9c6b0fd399966cbbbe491de1a35cb",
}


def test_an_earlier_format_version_gives_the_bytes_it_gave_then(v2_url, tmp_path):
    out = tmp_path / "v1"
    done = parley("export", "--database", v2_url, "--format", "csv", "--format-version", "1", "--out", str(out))
    assert done.exit_code == 0, done.stderr
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["format_version"] == "1"
    assert {entry["path"]: entry["sha256"] for entry in manifest["files"]} == FORMAT_1_AT_61
    assert {p.name for p in out.iterdir()} == {*FORMAT_1_AT_61, "manifest.json"}
    assert parley("verify", str(out)).exit_code == 0

    refused = parley("export", "--database", v2_url, "--format", "csv", "--format-version", "0", "--out", str(out))
    assert refused.exit_code == 2 and "is not one of 1, 2" in refused.stderr
