"""How many examples a property test tries: its CI figure, times `PARLEY_DEEP` in a local deep run.

CI runs each property test with the few examples its `examples(n)` names, so the suite stays
inside its budget; before resolving an issue, run the tests it touched deeply, e.g.
`PARLEY_DEEP=20 .venv/bin/python -m pytest tests/unit/test_register.py`.
"""

from __future__ import annotations

import os

DEEP = max(1, int(os.environ.get("PARLEY_DEEP", "1") or "1"))


def examples(n: int) -> int:
    """`n` examples in CI, `n * PARLEY_DEEP` in a deep run."""
    return n * DEEP
