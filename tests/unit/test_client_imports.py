"""The client imports no module of the API (STYLE: shapes shared by the server, the client and the
scripts live outside the API, the answers in `parley.domain.answers`): a script that reads Parley
needs neither FastAPI's app nor its routes."""

from __future__ import annotations

import subprocess
import sys


def test_importing_the_client_imports_no_api_module() -> None:
    code = "import sys, parley.client; print(sorted(m for m in sys.modules if m.startswith('parley.api')))"
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert loaded == "[]"


def test_the_client_reads_the_answers_the_api_serves() -> None:
    from parley.api.routes import events, subjects
    from parley.client import ChangesPage, EventPage, SubjectState

    assert subjects.SubjectState is SubjectState and subjects.ChangesPage is ChangesPage and events.EventPage is EventPage
