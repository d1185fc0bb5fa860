#!/usr/bin/env bash
# Installs Parley with its test tools and runs the whole test suite (SQLite and PostgreSQL).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
# Two processes (PARLEY_TEST_PROCESSES to change; 0 runs in this one), each taking whole test
# files, so a file's servers, browser and databases start once: CI's machines have two cores.
# Bytecode caches written (Python's default; __pycache__/ is git-ignored): a machine that sets
# PYTHONDONTWRITEBYTECODE (ours do) has every `parley` process the suite starts compile the package
# from source again, about 0.5 s of CPU each of its ~1.9 s start-up, and pytest rewrite every test module in
# each process.
unset PYTHONDONTWRITEBYTECODE
exec .venv/bin/python -m pytest -n "${PARLEY_TEST_PROCESSES:-2}" --dist loadfile --no-loadscope-reorder "$@"
