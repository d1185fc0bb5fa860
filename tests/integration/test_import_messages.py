"""What `parley import` says (SPEC §17): exactly what it stored and where it stopped, in words;
no traceback for a missing file or a lost database."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import psycopg
import pytest
from typer.testing import CliRunner

from parley.scripts import transfer
from parley.scripts.cli import cli
from parley.service.application import Parley
from parley.service.bootstrap import build
from parley.service.settings import Settings
from tests.backends import ADMIN_URL, postgres_database
from tests.integration.helpers import event

runner = CliRunner()
BAD_SUBJECT = "delegation/Ukr aine"


def formed(n: int, again: bool = False) -> str:
    """A delegation formed, with an event_id of its own (another for a second report of it)."""
    return json.dumps(event(subject=f"delegation/d-{n}", event_id=str(uuid.uuid5(uuid.NAMESPACE_URL, f"{n}{again}"))))


def bad() -> str:
    return json.dumps(event(subject=BAD_SUBJECT))


def run_import(path: Path, database_url: str):
    done = runner.invoke(cli, ["import", str(path), "--database", database_url])
    assert done.exception is None or isinstance(done.exception, SystemExit), done.exception
    assert "Traceback" not in done.stderr + done.stdout
    return done


def said(done) -> str:
    """What the command said after its progress bar, on one line."""
    words = " ".join(done.stderr.split())
    return words[words.index("parley:") :] if "parley:" in words else words


def stored_subjects(database_url: str) -> list[str]:
    system = build(Settings(database_url=database_url))
    try:
        return [event.subject for _, event in system.app.log(0, 1000)]
    finally:
        system.close()


def write(tmp_path: Path, lines: list[str]) -> Path:
    path = tmp_path / "events.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


REFUSED_SUBJECT = (
    "field `subject`: expected a subject `kind/slug`, the slug of lower-case letters, digits and - "
    "(delegation/ukraine), got 'delegation/Ukr aine'"
)


def test_a_bad_first_line_stores_nothing_and_says_why_in_words(tmp_path, database_url):
    done = run_import(write(tmp_path, [bad(), formed(2), formed(3)]), database_url)
    assert done.exit_code == 2
    told = said(done)
    assert told == f"parley: nothing was stored; line 1 refused: {REFUSED_SUBJECT}; nothing after line 1 was read"
    assert stored_subjects(database_url) == []


def test_a_bad_middle_line_stores_the_lines_before_it_and_says_so(tmp_path, database_url):
    done = run_import(
        write(tmp_path, [formed(1), json.dumps({**event(subject="delegation/d-2"), "occurred": "20 Nov"}), formed(3)]),
        database_url,
    )
    assert done.exit_code == 2
    told = said(done)
    assert told.startswith(
        "parley: line 1 stored: 1 event recorded, 0 already recorded; line 2 refused: "
        "field `occurred`: '20 Nov' is not a fuzzy date"
    )
    assert told.endswith("nothing after line 2 was read")
    assert "validation error" not in told and "tagged-union" not in told
    assert stored_subjects(database_url) == ["delegation/d-1"]


def test_a_line_refused_after_a_batch_boundary_keeps_every_line_before_it(tmp_path, database_url, monkeypatch):
    monkeypatch.setattr(transfer, "IMPORT_BATCH", 4)  # as 1,500 of 1,601 lines with batches of 500
    lines = [formed(n) for n in range(1, 6)] + [bad()] + [formed(n) for n in range(7, 10)]
    done = run_import(write(tmp_path, lines), database_url)
    assert done.exit_code == 2
    told = said(done)
    assert told == (
        f"parley: lines 1–5 stored: 5 events recorded, 0 already recorded; line 6 refused: "
        f"{REFUSED_SUBJECT}; nothing after line 6 was read"
    )
    assert stored_subjects(database_url) == [f"delegation/d-{n}" for n in range(1, 6)]

    # A rule a line breaks (its subject formed twice) is found when its batch is recorded: the
    # batch's lines before it are stored all the same. Run again: the first five are recognised.
    lines[5] = formed(2, again=True)
    done = run_import(write(tmp_path, lines), database_url)
    told = said(done)
    assert told.startswith("parley: lines 1–5 stored: 0 events recorded, 5 already recorded; line 6 refused: ")
    assert "delegation/d-2" in told and told.endswith("nothing after line 6 was read")


def test_a_whole_file_says_what_it_recorded(tmp_path, database_url):
    done = run_import(write(tmp_path, [formed(1), "", formed(3)]), database_url)
    assert done.exit_code == 0
    assert said(done).endswith("recorded 2 events; 0 were already recorded (lines 1–3)")


def test_a_missing_file_is_one_line(tmp_path, database_url):
    done = run_import(tmp_path / "nowhere.jsonl", database_url)
    assert done.exit_code == 2
    assert said(done) == (f"parley: cannot read {tmp_path / 'nowhere.jsonl'}: there is no such file; nothing was stored")


def test_a_database_that_cannot_be_reached_is_one_line(tmp_path):
    done = run_import(write(tmp_path, [formed(1)]), "postgresql://postgres@127.0.0.1:1/parley")
    assert done.exit_code == 2
    assert said(done).startswith("parley: cannot open the database at 127.0.0.1:1:")


@pytest.mark.postgres
def test_a_database_lost_during_an_import_says_what_was_stored_and_how_to_go_on(tmp_path, monkeypatch):
    """A real loss: the import's PostgreSQL database is dropped (connections ended) after its first batch."""
    monkeypatch.setattr(transfer, "IMPORT_BATCH", 2)
    for name, value in {"PARLEY_POOL_TIMEOUT": "1", "PARLEY_CONNECT_TIMEOUT": "1", "PARLEY_POOL_RECONNECT_TIMEOUT": "1"}.items():
        monkeypatch.setenv(name, value)
    with postgres_database() as url:
        name = url.rsplit("/", 1)[1]
        original, calls = Parley.record_batch, []

        def then_lost(self, submissions, actor):
            if calls:
                with psycopg.connect(ADMIN_URL, autocommit=True) as admin:
                    admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
            calls.append(len(submissions))
            return original(self, submissions, actor)

        monkeypatch.setattr(Parley, "record_batch", then_lost)
        done = run_import(write(tmp_path, [formed(n) for n in range(1, 6)]), url)
    assert done.exit_code == 2
    told = said(done)
    assert told.startswith("parley: the database stopped answering (")
    assert "lines 1–2 stored: 2 events recorded, 0 already recorded; the batch from line 3 on was not stored" in told
    assert "Run the same import again" in told


def test_a_line_recorded_after_now_is_refused_in_words_and_restamped_on_request(tmp_path, database_url):
    future = json.dumps({**json.loads(formed(1)), "recorded_at": "2099-01-01T00:00:00+00:00"})
    path = write(tmp_path, [formed(2), future])

    done = run_import(path, database_url)
    assert done.exit_code == 2
    assert said(done).startswith(
        "parley: line 1 stored: 1 event recorded, 0 already recorded; line 2 refused: "
        "field `recorded_at`: 2099-01-01T00:00:00+00:00 is after now"
    )
    assert "--restamp" in said(done) and stored_subjects(database_url) == ["delegation/d-2"]

    done = runner.invoke(cli, ["import", str(path), "--restamp", "--database", database_url])
    assert done.exit_code == 0, done.stderr
    assert said(done).endswith("recorded 1 events; 1 were already recorded (lines 1–2)")
    assert stored_subjects(database_url) == ["delegation/d-2", "delegation/d-1"]


def test_a_line_giving_a_key_twice_is_refused_by_its_number() -> None:
    """As a request body is (SPEC §14): the last of two values for one key is not silently taken."""
    line = formed(1)[:-1] + ', "subject": "delegation/other"}'
    with pytest.raises(transfer.ImportRefused) as refused:
        transfer.submission_of(line, 7)
    assert refused.value.line == 7 and '"subject" is given twice' in str(refused.value)
    assert transfer.submission_of(formed(1), 7).subject.kind == "delegation"
