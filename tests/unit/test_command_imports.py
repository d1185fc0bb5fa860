"""The `parley` command starts without FastAPI or the API's modules: only `parley serve` needs them
(it imports them itself), and the test suite starts some hundreds of `parley` processes (a command's
start-up was about 1.1 s of CPU with them, 0.75 s without; docs/benchmarks.md)."""

from __future__ import annotations

import subprocess
import sys


def test_importing_the_command_imports_neither_fastapi_nor_the_api() -> None:
    code = ("import sys, parley.scripts.cli; "
            "print(sorted(m for m in sys.modules if m.startswith(('parley.api', 'fastapi', 'starlette'))))")
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert loaded == "[]"
