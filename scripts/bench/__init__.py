"""Parley's benchmarks: each figure measured beside its baseline in the same run, as a ratio.

Run `python -m parley.scripts.bench --quick` (under a minute) or `python -m parley.scripts.bench` (the full
run for docs/benchmarks.md). See __main__.py for the options and docs/benchmarks.md for
what each figure means.
"""
