"""Instructions per single append, counted by callgrind: the reading that does not depend on load.

`python -m parley.scripts.bench.append_instructions [PYTHON ...]` runs `append_cpu.py` (this
checkout's copy) under `valgrind --tool=callgrind` with 200 and with 600 measured appends, each
after the driver's 200 of warm-up, and prints (I600 − I200) / 400: the start-up and the warm-up
cancel out. Each PYTHON (default: this interpreter) is a checkout's own `.venv/bin/python`, so two
heads are counted by the same driver side by side (docs/benchmarks.md, "The single append across
the round, counted in instructions"). With `--chain-off` each is counted with the chain switched
off in the driver's process (append_cpu.py, `PARLEY_BENCH_CHAIN_OFF`): the chain's own cost is
the difference from a count without it. Needs valgrind; each head takes a few minutes.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

DRIVER = Path(__file__).with_name("append_cpu.py")
SMALL, LARGE = 200, 600


def instructions(python: str, appends: int, chain_off: bool = False) -> int:
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "callgrind.out"
        run = subprocess.run(
            ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", python, str(DRIVER), str(appends)],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PARLEY_BENCH_CHAIN_OFF": "1"} if chain_off else None,
        )
    found = re.search(r"Collected : (\d+)", run.stderr)
    if found is None:
        raise SystemExit(f"callgrind printed no count:\n{run.stderr[-2000:]}")
    return int(found.group(1))


def per_append(python: str, chain_off: bool = False) -> tuple[int, int, float]:
    small, large = instructions(python, SMALL, chain_off), instructions(python, LARGE, chain_off)
    return small, large, (large - small) / (LARGE - SMALL)


def main() -> None:
    chain_off = "--chain-off" in sys.argv[1:]
    pythons = [a for a in sys.argv[1:] if a != "--chain-off"] or [sys.executable]
    for python in pythons:
        small, large, each = per_append(python, chain_off)
        name = f"{python} (chain off)" if chain_off else python
        print(f"{name}: I{SMALL}={small / 1e6:.1f} M  I{LARGE}={large / 1e6:.1f} M  per append {each / 1e6:.4f} M", flush=True)


if __name__ == "__main__":
    main()
