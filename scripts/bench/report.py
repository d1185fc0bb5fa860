"""Figures, each a measurement beside its baseline, and how they are printed and saved."""

from __future__ import annotations

import json
import os
import platform
import sqlite3
import statistics
import subprocess
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any


@dataclass
class Figure:
    """One goal: Parley's value, the baseline's value from the same run, and their ratio.

    `rounds` holds (parley, baseline) per round; the figure takes the median of each side
    and the median of the per-round ratios, so one noisy round does not decide it.
    """

    section: str
    name: str
    backend: str
    unit: str
    goal: float | None  # None: reported beside its baseline, with no goal of its own
    lower_is_better: bool = False  # the ratio must be at most `goal` (latency, memory)
    rounds: list[tuple[float, float]] = field(default_factory=list)
    details: dict[str, Any] = field(default_factory=dict)

    def add(self, parley: float, baseline: float) -> None:
        self.rounds.append((parley, baseline))

    @property
    def parley(self) -> float:
        return statistics.median(p for p, _ in self.rounds)

    @property
    def baseline(self) -> float:
        return statistics.median(b for _, b in self.rounds)

    @property
    def ratio(self) -> float:
        return statistics.median(p / b if b else 0.0 for p, b in self.rounds)

    @property
    def met(self) -> bool | None:
        if self.goal is None:
            return None
        return self.ratio <= self.goal if self.lower_is_better else self.ratio >= self.goal

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "parley": self.parley, "baseline": self.baseline, "ratio": self.ratio, "met": self.met}


def table(figures: list[Figure]) -> str:
    rows = [("backend", "figure", "parley", "baseline", "ratio", "goal", "met")]
    for f in figures:
        goal = "—" if f.goal is None else f"{'≤' if f.lower_is_better else '≥'} {f.goal:g}×"
        met = "—" if f.met is None else "yes" if f.met else "NO"
        rows.append(
            (f.backend, f.name, f"{_num(f.parley)} {f.unit}", f"{_num(f.baseline)} {f.unit}", f"{f.ratio:.2f}×", goal, met)
        )
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip() for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _num(value: float) -> str:
    if value >= 100:
        return f"{value:,.0f}"
    return f"{value:.3g}"


def machine() -> dict[str, Any]:
    """What the figures were measured on, and how busy it was."""
    info: dict[str, Any] = {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "load_average": os.getloadavg(),
    }
    try:
        model = next(c for c in Path("/proc/cpuinfo").read_text().splitlines() if c.startswith("model name"))
        info["cpu"] = model.split(":", 1)[1].strip()
        info["memory_gib"] = round(int(Path("/proc/meminfo").read_text().split()[1]) / 2**20, 1)
    except (OSError, StopIteration, ValueError):
        pass
    info["sqlite"] = sqlite3.sqlite_version
    for tool, command in (("wrk", ["wrk", "-v"]), ("postgres", ["psql", "--version"])):
        try:
            text = subprocess.run(command, capture_output=True, text=True, timeout=10).stdout
            info[tool] = text.splitlines()[0].strip() if text else None
        except (OSError, subprocess.TimeoutExpired, IndexError):
            info[tool] = None
    return info


def save(
    path: Path,
    mode: str,
    figures: list[Figure],
    before: dict[str, Any],
    seconds: float,
    notes: list[str],
    steps: list[dict[str, Any]],
) -> None:
    document = {
        "mode": mode,
        "seconds": round(seconds, 1),
        "machine": before,
        "load_after": os.getloadavg(),
        "notes": notes,
        "steps": steps,
        "figures": [f.as_dict() for f in figures],
    }
    path.write_text(json.dumps(document, indent=2, default=str) + "\n", encoding="utf-8")
