"""ruff (lint and format) and mypy, configured in pyproject.toml, find nothing: part of the suite, so of `.ci/run`."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# The folders the import package `parley` is made of (pyproject.toml's package-dir).
PACKAGE = ("api", "client", "domain", "projections", "scripts", "service", "docs")


def run(*command: str, cwd: Path = ROOT, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", *command], cwd=cwd, env={**os.environ, **(env or {})}, capture_output=True, text=True, timeout=200
    )


def test_ruff_finds_nothing():
    checked = run("ruff", "check", "--no-cache", "--output-format", "concise", str(ROOT))
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_ruff_format_would_change_nothing():
    checked = run("ruff", "format", "--check", "--no-cache", str(ROOT))
    assert checked.returncode == 0, checked.stdout + checked.stderr  # `ruff format .` lays it out


def test_mypy_finds_nothing_in_the_package(tmp_path: Path):
    # mypy reads packages from folders: lay `parley` out as it is installed.
    tree = tmp_path / "parley"
    tree.mkdir()
    for folder in PACKAGE:
        (tree / folder).symlink_to(ROOT / folder)
    checked = run(
        "mypy",
        "--config-file",
        str(ROOT / "pyproject.toml"),
        "--cache-dir",
        str(tmp_path / "cache"),
        "-p",
        "parley",
        cwd=tmp_path,
        env={"MYPYPATH": str(tmp_path)},
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
