#!/usr/bin/env bash
# Installs Parley with its test tools and runs the whole test suite (SQLite and PostgreSQL).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
# Two processes (PARLEY_TEST_PROCESSES to change; 0 runs in this one), each taking whole test
# files, so a file's servers, browser and databases start once: CI's machines have two cores.
exec .venv/bin/python -m pytest -n "${PARLEY_TEST_PROCESSES:-2}" --dist loadfile --no-loadscope-reorder "$@"
