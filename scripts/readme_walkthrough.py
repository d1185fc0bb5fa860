"""Follow the README line by line on a fresh clone, as a new user would, and say what happened.

    python3 scripts/readme_walkthrough.py [--repo PATH] [--keep]

Clones the repository (its committed HEAD) into a temporary folder, then runs every fenced
block of README.md in order, from the clone: shell blocks in bash (the service started by
`scripts/serve-example.sh` in the background, on a free port given as PORT and BASE, as the
README says), Python blocks with the clone's .venv, a block the README says to save as a file
saved there. The answers of the commands are checked against what the README's comments say
they show. Blocks that need what a user brings (a PostgreSQL server of their own, R) are run
when it is there and otherwise named as skipped. Not run in CI: it installs a fresh .venv,
which takes a few minutes. Exit 1 when anything failed.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parents[1]

# What the README's comments say each command shows: (a piece of the command, a piece of its answer).
CHECKS = [
    ("ukraine?as_of=2025-11-25", '"head":"Andriy Yermak"'),
    ("ukraine?as_of=2025-11-25", '"new_head":"Rustem Umerov"'),
    ("ukraine?as_of=2025-11-30", '"head":"Rustem Umerov"'),
    ("ukraine?as_of=2025-11-30", '"former_heads":["Andriy Yermak"]'),
    ('us-peace-plan?as_of=2025-11-24"', '"disputed":['),
    ("as_of=2025-11-24&source=Axios", '"point_count":19'),
    ('published_by=2025-11-29"', '"status":404'),
    ("united-states?as_of=2025-11-22", '"state":null'),
    ("expectations?as_of=2025-12-06", '"overdue":true'),
    ("ukraine/history", '"DelegationHeadReplaced"'),
    ("q=Єрмак", '"subject":"delegation/ukraine"'),
    ("changes?from=2025-11-22", '"caused_by"'),
    ("-X POST", '"event_id"'),
    ('witkoff-moscow?as_of=2025-12-05"', '"status":"completed"'),
    ("known_at=$BEFORE", '"status":"scheduled"'),
    ("events?after=0&limit=5", '"position":1'),
    ("events?source=WSJ", '"name":"WSJ"'),
    ("type=DelegationHeadReplaced", '"new_head":"Rustem Umerov"'),
    ("events/11ce5fcf", '"event_id":"11ce5fcf-efe9-512c-b682-b95e77230aa8"'),
    ("heads_changed.py", "Rustem Umerov"),
    ("parley.client", "Rustem Umerov"),
    ("claims.csv", "Axios"),
    ("claims.csv", "WSJ"),
    ("claims.csv", "Rustem Umerov"),
    ("frictionless validate", "VALID"),
    ("parley verify", "every file matches its manifest"),
]
# Commands that are the README's own setting-up, done here by the walkthrough itself.
DONE_HERE = ("git clone",)


@dataclass
class Step:
    section: str
    language: str
    text: str
    status: str = "not run"
    notes: list[str] = field(default_factory=list)
    failed: bool = False


def blocks(readme: str) -> list[tuple[str, str, str, str]]:
    """(section, language, code, the prose just before it) of every fenced block."""
    found: list[Any] = []
    prose: list[str] = []
    code: list[str] = []
    section, inside, language = "", False, ""
    for line in readme.splitlines():
        if inside:
            if line.startswith("```"):
                found.append((section, language, "\n".join(code) + "\n", " ".join(prose[-3:])))
                inside, code, prose = False, [], []
            else:
                code.append(line)
        elif line.startswith("```"):
            inside, language = True, line[3:].strip()
        else:
            if line.startswith("## "):
                section = line[3:].strip()
            prose.append(line)
    return found


def commands(code: str) -> list[str]:
    """A shell block's commands: continuation lines (a trailing backslash, an open quote) joined."""
    found, pending = [], ""
    for line in code.splitlines():
        if line.lstrip().startswith("#"):
            continue  # a comment line: what the next command shows (its words may hold a lone ')
        pending += line + "\n"
        if pending.rstrip().endswith("\\") or pending.count("'") % 2:
            continue
        if pending.strip():
            found.append(pending)
        pending = ""
    return found


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Walk:
    def __init__(self, clone: Path, base: str, port: int):
        self.clone, self.base, self.port = clone, base, port
        self.env = {**os.environ, "PORT": str(port), "BASE": base, "PARLEY_DATABASE_URL": "sqlite:///./parley.db"}
        self.env.pop("VIRTUAL_ENV", None)
        self.server: subprocess.Popen | None = None
        self.shell_state = ""  # the variables earlier commands set (TOKEN, BEFORE), carried forward

    def run(self, step: Step, prose: str) -> None:
        if step.language in ("sh", "bash"):
            self.shell(step)
        elif step.language == "python":
            saved = re.search(r"Save this as `([^`]+)`", prose)
            if saved:
                (self.clone / saved.group(1)).write_text(step.text, encoding="utf-8")
                step.status = f"saved as {saved.group(1)}"
            else:
                self.python(step)
        elif step.language == "r":
            if shutil.which("Rscript") is None:
                step.status = "skipped: R is not installed here"
            else:
                self.program(step, ["Rscript", "-e", step.text.replace("http://127.0.0.1:8000", self.base)], 120)
        else:
            step.status = f"not a command ({step.language or 'text'})"

    def shell(self, step: Step) -> None:
        if step.section == "Running on PostgreSQL":
            step.status = "skipped: it needs a PostgreSQL server of your own (db.example.org)"
            return
        outputs = []
        for command in commands(step.text):
            line = command.strip()
            if line.startswith("#"):
                continue
            if line.startswith(DONE_HERE):
                step.notes.append(f"done by the walkthrough: {line.splitlines()[0][:70]}")
                continue
            if line.startswith("scripts/serve-example.sh"):
                self.serve(step)
                continue
            if line.startswith("scripts/test.sh"):
                step.notes.append("not run: scripts/test.sh is the whole suite (run before landing)")
                continue
            if re.match(r"^(parley|uvicorn) ", line):
                step.notes.append(f"not run (a server of your own): {line[:60]}")
                continue
            # One shell, as the reader's: the variables a command sets (TOKEN, BEFORE) reach the next.
            script = (
                f"cd {self.clone}\n{self.shell_state}\n{command}\n"
                "status=$?; declare -p TOKEN BEFORE BASE > .walk-state 2>/dev/null; exit $status\n"
            )
            done = subprocess.run(["bash", "-c", script], env=self.env, capture_output=True, text=True, timeout=600)
            state = self.clone / ".walk-state"
            if state.exists():
                self.shell_state = state.read_text()
            outputs.append((command, done.stdout + done.stderr))
            step.notes.append(f"$ {' '.join(line.split())[:110]}")
            if done.returncode != 0:
                step.failed = True
                step.notes.append(f"exit {done.returncode}: {line.splitlines()[0][:80]}: {done.stderr.strip()[-300:]}")
        self.check(step, outputs)
        step.status = f"ran {len(outputs)} commands" if outputs else "ran"

    def serve(self, step: Step) -> None:
        log = open(self.clone / ".walk-serve.log", "w")
        self.server = subprocess.Popen(
            ["scripts/serve-example.sh"],
            cwd=self.clone,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 900
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{self.base}/openapi.json", timeout=2):
                    step.notes.append(f"scripts/serve-example.sh: installed, loaded the example, serving {self.base}")
                    return
            except OSError:
                if self.server.poll() is not None:
                    break
                time.sleep(2)
        step.failed = True
        step.notes.append("scripts/serve-example.sh did not serve: " + (self.clone / ".walk-serve.log").read_text()[-800:])

    def python(self, step: Step) -> None:
        follows = "follow()" in step.text  # the README's client follows the log for ever: stopped after a while
        self.program(step, [str(self.clone / ".venv/bin/python"), "-c", step.text], 30 if follows else 300, stopped_ok=follows)

    def program(self, step: Step, argv: list[str], timeout: int, stopped_ok: bool = False) -> None:
        try:
            done = subprocess.run(argv, cwd=self.clone, env=self.env, capture_output=True, text=True, timeout=timeout)
            output, code = done.stdout + done.stderr, done.returncode
        except subprocess.TimeoutExpired as expired:
            output = "".join(
                part.decode() if isinstance(part, bytes) else part for part in (expired.stdout or "", expired.stderr or "")
            )
            code = None
        if code is None and stopped_ok:
            step.notes.append(f"stopped after {timeout} s, as it follows the log for ever")
        elif code != 0:
            step.failed = True
            step.notes.append(f"exit {code}: {output.strip()[-600:]}")
        self.check(step, [(step.text, output)])
        step.status = "ran"

    def check(self, step: Step, outputs: list[tuple[str, str]]) -> None:
        for command, output in outputs:
            for piece, expected in CHECKS:
                if piece in command:
                    if expected in output.replace(" ", "") or expected in output:
                        step.notes.append(f"shows {expected}")
                    else:
                        step.failed = True
                        step.notes.append(
                            f"expected {expected!r} from {command.strip().splitlines()[-1][:70]!r}, got {output.strip()[:300]!r}"
                        )

    def stop(self) -> None:
        if self.server is not None and self.server.poll() is None:
            os.killpg(self.server.pid, signal.SIGTERM)
            try:
                self.server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.server.pid, signal.SIGKILL)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repo", default=str(HERE), help="the repository to clone (default: this one)")
    parser.add_argument("--keep", action="store_true", help="keep the clone (its path is printed)")
    options = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="parley-readme-"))
    clone = folder / "parley"
    subprocess.run(["git", "clone", "--quiet", options.repo, str(clone)], check=True)
    head = subprocess.run(["git", "-C", str(clone), "log", "--oneline", "-1"], capture_output=True, text=True).stdout
    port = free_port()
    walk = Walk(clone, f"http://127.0.0.1:{port}", port)
    steps = []
    started = time.monotonic()
    try:
        for section, language, code, prose in blocks((clone / "README.md").read_text(encoding="utf-8")):
            step = Step(section or "(top)", language, code)
            steps.append(step)
            walk.run(step, prose)
    finally:
        walk.stop()
    print(f"README walkthrough of a fresh clone ({head.strip()}) on port {port}, {time.monotonic() - started:.0f} s")
    for number, step in enumerate(steps, start=1):
        mark = "FAILED" if step.failed else "ok"
        print(f"{number:2}. [{mark}] {step.section} ({step.language or 'text'}): {step.status}")
        for note in step.notes:
            print(f"      - {note}")
    failed = [s for s in steps if s.failed]
    print(f"{len(steps)} blocks: {len(failed)} failed, {sum(s.status.startswith('skipped') for s in steps)} skipped")
    if options.keep:
        print(f"the clone is kept in {clone}")
    else:
        shutil.rmtree(folder, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
