"""The worked examples in scripts/replays/, each run as its docstring prints it, against the
example scenario (`parley example`), with the output it must give."""

from __future__ import annotations

import ast
import json
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from typer.testing import CliRunner

from parley.scripts.cli import cli
from parley.scripts.opening import opened
from parley.scripts.transfer import import_lines
from tests.processes import ROOT

REPLAYS = ROOT / "scripts" / "replays"


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('example') / 'parley.db'}"
    with opened(url) as system:
        import_lines(system.app, (ROOT / "scripts" / "example.jsonl").read_text().splitlines(), "parley-example")
    return url


def as_printed(script: str) -> list[str]:
    """The `parley replay` options the script's docstring prints (`… replay OPTIONS | … SCRIPT`)."""
    doc = ast.get_docstring(ast.parse((REPLAYS / script).read_text())) or ""
    command = next(line.strip() for line in doc.splitlines() if f"scripts/replays/{script}" in line)
    replay, _, then = command.partition(" | ")
    assert replay.startswith(".venv/bin/parley replay ") and then.startswith(f".venv/bin/python scripts/replays/{script}")
    return replay.split()[2:]


def piped(example: str, replay_args: list[str], script: str) -> str:
    """`parley replay … | python scripts/replays/SCRIPT`."""
    replayed = CliRunner().invoke(cli, ["replay", *replay_args, "--database", example])
    assert replayed.exit_code == 0, replayed.output
    return subprocess.run(
        [sys.executable, str(REPLAYS / script)], input=replayed.stdout, capture_output=True, text=True, check=True, timeout=30
    ).stdout


def test_who_headed_each_delegation_from_when_to_when(example):
    assert piped(example, as_printed("heads.py"), "heads.py") == textwrap.dedent("""\
        delegation,head,from,from_earliest,from_latest,to,to_earliest,to_latest,sources
        ukraine,Andriy Yermak,../2025-11-22,,2025-11-22T23:59:59.999999Z,../2025-11-30,,2025-11-30T23:59:59.999999Z,Forbes
        ukraine,Rustem Umerov,../2025-11-30,,2025-11-30T23:59:59.999999Z,,,,Forbes
        united-states,Marco Rubio,../2025-11-23,,2025-11-23T23:59:59.999999Z,,,,Forbes
    """)


def test_a_retracted_appointment_is_left_out(tmp_path):
    url = f"sqlite:///{tmp_path / 'parley.db'}"
    lines = (ROOT / "scripts" / "example.jsonl").read_text().splitlines()
    replaced = next(json.loads(line) for line in lines if '"DelegationHeadReplaced"' in line)
    retraction = {
        "type": "EventRetracted",
        "subject": "delegation/ukraine",
        "occurred": "2025-12-01",
        "sources": [{"name": "Forbes"}],
        "data": {"event_id": replaced["event_id"], "reason": "misreported"},
        "recorded_at": "2025-12-01T12:00:00+00:00",
    }
    left = [line for line in lines if '"DelegationMemberLeft"' not in line]  # Yermak stays a member
    with opened(url) as system:
        import_lines(system.app, [*left, json.dumps(retraction)], "parley-example")
    heads = piped(url, ["--json", "--subject", "delegation/ukraine", "--order", "valid"], "heads.py").splitlines()
    assert heads[1:] == ["ukraine,Andriy Yermak,../2025-11-22,,2025-11-22T23:59:59.999999Z,,,,Forbes"]


def test_days_from_each_meetings_scheduling_to_its_conclusion(example):
    # Scheduled on or before the day before, held on a known day: at least one day, at most unknown.
    assert piped(example, as_printed("meeting_days.py"), "meeting_days.py") == textwrap.dedent("""\
        meeting,scheduled,outcome,concluded,days_earliest,days_latest
        florida-round,../2025-11-29,held,2025-11-30,1,
        geneva-round-1,../2025-11-22,held,2025-11-23,1,
    """)


SPEAKERS = [
    ("Marco Rubio", 3),
    ("Axios", 1),
    ("Dmitry Peskov", 1),
    ("Rustem Umerov", 1),
    ("The Wall Street Journal", 1),
]


def test_statements_per_speaker_as_a_projection(example, tmp_path: Path):
    into = tmp_path / "speakers.db"
    run = CliRunner().invoke(
        cli, ["project", str(REPLAYS / "statements_per_speaker.py"), "--into", str(into), "--database", example]
    )
    assert run.exit_code == 0, run.output
    with sqlite3.connect(into) as db:
        counted = db.execute(
            "SELECT speaker, statements FROM statements_per_speaker ORDER BY statements DESC, speaker"
        ).fetchall()
    assert counted == SPEAKERS


def test_the_readmes_replay_script_runs_as_printed(example, tmp_path: Path):
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## Write a replay script", 1)[1]
    code = section.split("```python\n", 1)[1].split("```", 1)[0]
    command = section.split("```sh\n", 1)[1].split("```", 1)[0]
    assert command.startswith(".venv/bin/parley replay --json --kind delegation --order valid | ")
    (tmp_path / "heads_changed.py").write_text(code)
    assert piped(example, ["--json", "--kind", "delegation", "--order", "valid"], str(tmp_path / "heads_changed.py")) == (
        " ../2025-11-22  delegation/ukraine: None -> Andriy Yermak  (Forbes)\n"
        " ../2025-11-23  delegation/united-states: None -> Marco Rubio  (Forbes)\n"
        " ../2025-11-30  delegation/ukraine: Andriy Yermak -> Rustem Umerov  (Forbes)\n"
    )
