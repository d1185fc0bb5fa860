"""Parquet tables (SPEC §8), typed: UTC timestamps, integers, booleans; JSON cells as text.

pyarrow is the optional extra `parley[analysis]`; without it the export says how to get it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any


class MissingExtra(RuntimeError):
    pass


def write_parquet(log: Any, folder: Path, progress: Any) -> list[dict[str, Any]]:
    raise MissingExtra("Parquet is not written yet")
