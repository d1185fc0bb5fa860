"""What a `parley` process imports as it starts: the test suite starts some hundreds of them (servers,
imports, rebuilds, exports), each paying its imports in CPU before it does anything. Only `parley serve`
needs FastAPI and the API's modules (it imports them itself); no process needs `edtf`'s grammar or
`dateparser` until it reads a date its own grammar does not, or drafts (docs/benchmarks.md)."""

from __future__ import annotations

import ast
import subprocess
import sys

LAZY = ("edtf", "pyparsing", "dateparser")


def loaded(code: str, prefixes: tuple[str, ...]) -> list[str]:
    shown = f"{code}; print(sorted(m for m in sys.modules if m.startswith({prefixes!r})))"
    done = subprocess.run([sys.executable, "-c", f"import sys; {shown}"], capture_output=True, text=True, check=True)
    return ast.literal_eval(done.stdout)


def test_importing_the_command_imports_neither_fastapi_nor_the_api() -> None:
    assert loaded("import parley.scripts.cli", ("parley.api", "fastapi", "starlette", *LAZY)) == []


def test_a_server_starts_without_the_edtf_grammar_or_dateparser() -> None:
    code = "from parley.api.main import create_app; from parley.service.settings import Settings; create_app(Settings())"
    assert loaded(code, LAZY) == []
