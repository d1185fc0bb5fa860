#!/usr/bin/env bash
# Installs Parley with its test tools and runs the whole test suite (SQLite and PostgreSQL).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
exec .venv/bin/python -m pytest "$@"
