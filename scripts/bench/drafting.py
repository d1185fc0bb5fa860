"""`python -m parley.scripts.bench.drafting [--corpus DIR] [--show]`: how well the drafter reads reports.

Each report of the corpus (tests/fixtures/reports/*.json: the text, its source and the events a
careful coder records from it) is drafted against an empty store; a proposal matches a coded
event when their type and subject agree and their dates overlap (each event matched once).
Prints recall and precision per report and overall, the time each report took, and the time of a
report of 5,000 characters (SPEC §13: under 2 s).

The sets, printed apart: the development set (the folder's own reports, on which the drafter's
rules were written), the held-out set (its `held-out/` folder: reports written and coded before
the drafter read them, then studied to find which rules of English prose it lacked) and each
further folder (`unseen-2/`: reports written and coded after the last rule change, measured once,
the estimate of its quality on unseen text). `--show` lists the development set's misses and extra
proposals; `--show-held-out` the other sets', which are for measuring, not for tuning.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

from parley.domain.catalog import BUILT_IN
from parley.domain.fuzzy_dates import FuzzyDate
from parley.domain.register import Register
from parley.service.drafting import Known, draft

CORPUS = Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "reports"
HELD_OUT = "held-out"
LONG_REPORT = 5_000


def overlap(a: str, b: str) -> bool:
    x, y = FuzzyDate.parse(a), FuzzyDate.parse(b)
    return (x.earliest is None or y.latest is None or x.earliest <= y.latest) and (
        y.earliest is None or x.latest is None or y.earliest <= x.latest
    )


def matched(proposals: list[dict[str, Any]], coded: list[dict[str, Any]]) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """Pairs of (proposal, coded event) that agree, each coded event used once."""
    free = list(coded)
    pairs = []
    for proposal in proposals:
        found = next(
            (
                e
                for e in free
                if e["type"] == proposal["type"]
                and e["subject"] == proposal["subject"]
                and overlap(e["occurred"], proposal["occurred"])
            ),
            None,
        )
        if found is not None:
            free.remove(found)
            pairs.append((proposal, found))
    return pairs


def score(report: dict[str, Any]) -> dict[str, Any]:
    started = time.perf_counter()
    proposals = draft(report["text"], report["source"], BUILT_IN, Known(Register()))
    seconds = time.perf_counter() - started
    pairs = matched(proposals, report["events"])
    return {
        "proposals": proposals,
        "pairs": pairs,
        "coded": len(report["events"]),
        "proposed": len(proposals),
        "matched": len(pairs),
        "seconds": seconds,
    }


def long_report(reports: list[dict[str, Any]]) -> tuple[int, float]:
    """Reports of the corpus run together to 5,000 characters, drafted as one."""
    text = ""
    for report in reports * 10:
        if len(text) >= LONG_REPORT:
            break
        text += report["text"] + "\n\n"
    text = text[:LONG_REPORT]
    started = time.perf_counter()
    draft(text, reports[0]["source"], BUILT_IN, Known(Register()))
    return len(text), time.perf_counter() - started


def reports_in(folder: Path) -> list[tuple[str, dict[str, Any]]]:
    return [(f.stem, json.loads(f.read_text(encoding="utf-8"))) for f in sorted(folder.glob("*.json"))]


def run(title: str, reports: list[tuple[str, dict[str, Any]]], show: bool) -> dict[str, float]:
    """Drafts each report of a set, prints its line, and returns the set's totals."""
    totals = {"coded": 0, "proposed": 0, "matched": 0, "seconds": 0.0}
    print(f"{title:42} {'coded':>5} {'proposed':>8} {'matched':>7} {'recall':>6} {'precision':>9} {'ms':>6}")
    for stem, report in reports:
        result = score(report)
        for key in totals:
            totals[key] += result[key]
        print(
            f"{stem:42} {result['coded']:5} {result['proposed']:8} {result['matched']:7} "
            f"{_ratio(result['matched'], result['coded']):6.2f} {_ratio(result['matched'], result['proposed']):9.2f} "
            f"{result['seconds'] * 1000:6.0f}"
        )
        if show:
            _show(result, report)
    print(
        f"{'all ' + str(len(reports)) + ' reports':42} {totals['coded']:5} {totals['proposed']:8} {totals['matched']:7} "
        f"{_ratio(totals['matched'], totals['coded']):6.2f} {_ratio(totals['matched'], totals['proposed']):9.2f} "
        f"{totals['seconds'] * 1000 / max(1, len(reports)):6.0f} (mean)"
    )
    return totals


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m parley.scripts.bench.drafting", description=__doc__.splitlines()[0])
    parser.add_argument(
        "--corpus", type=Path, default=CORPUS, help="a folder of coded reports (*.json), its held-out set in held-out/"
    )
    parser.add_argument("--show", action="store_true", help="list each development report's misses and extra proposals")
    parser.add_argument(
        "--show-held-out", action="store_true", help="the same for the held-out and unseen reports (for measuring, not tuning)"
    )
    args = parser.parse_args(argv)
    development = reports_in(args.corpus)
    others = {HELD_OUT: reports_in(args.corpus / HELD_OUT)}
    others.update(
        {
            folder.name: reports_in(folder)
            for folder in sorted(args.corpus.iterdir())
            if folder.is_dir() and folder.name != HELD_OUT
        }
    )
    draft("Warm-up.", {"name": "x", "published": "2025-01-01"}, BUILT_IN, Known(Register()))  # imports, dateparser's tables
    figures = {"development": run("development set", development, args.show)}
    for name, reports in others.items():
        if reports:
            print()
            figures[name.replace("-", " ") if name == HELD_OUT else name] = run(f"{name} set", reports, args.show_held_out)
    print()
    for name, totals in figures.items():
        print(
            f"{name:12} recall {_ratio(totals['matched'], totals['coded']):.2f}  "
            f"precision {_ratio(totals['matched'], totals['proposed']):.2f}  "
            f"({int(totals['matched'])} of {int(totals['coded'])} coded, {int(totals['proposed'])} proposed)"
        )
    size, seconds = long_report([report for _, report in development + [r for rs in others.values() for r in rs]])
    print(f"a report of {size:,} characters drafted in {seconds:.2f} s (goal: under 2 s)")
    return 0


def _ratio(part: float, whole: float) -> float:
    return part / whole if whole else 0.0


def _show(result: dict[str, Any], report: dict[str, Any]) -> None:
    used = [id(p) for p, _ in result["pairs"]]
    hit = [id(e) for _, e in result["pairs"]]
    for event in report["events"]:
        if id(event) not in hit:
            print(f"    missed  {event['type']:20} {event['subject']:36} {event['occurred']}")
    for proposal in result["proposals"]:
        if id(proposal) not in used:
            print(f"    extra   {proposal['type']:20} {proposal['subject']:36} {proposal['occurred']}  ({proposal['why'][:60]})")


if __name__ == "__main__":
    sys.exit(main())
