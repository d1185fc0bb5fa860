#!/usr/bin/env bash
# Makes .venv (once) and installs Parley into it with its test tools. Sourced by the others.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
# Parley was installed as the distribution "parley" before it took the free name "parley-record":
# an old editable install of it would shadow the new one.
if .venv/bin/python -m pip show --quiet parley >/dev/null 2>&1; then
  .venv/bin/python -m pip uninstall --quiet --yes parley
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
