#!/usr/bin/env bash
# Installs Parley, loads the example scenario into ./parley.db and serves http://127.0.0.1:8000
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
export PARLEY_DATABASE_URL="${PARLEY_DATABASE_URL:-sqlite:///./parley.db}"
.venv/bin/parley example
# The page names the record it shows (settings PARLEY_TITLE, PARLEY_DESCRIPTION; `parley example` prints them).
eval "$(.venv/bin/python -c 'import shlex; from parley.scripts.cli import EXAMPLE_SETTINGS as s; print("\n".join(f"export {k}={shlex.quote(v)}" for k, v in s.items()))')"
.venv/bin/parley token revoke example-writer >/dev/null 2>&1 || true
.venv/bin/parley token create example-writer > .parley-token
echo "A write token is in .parley-token:  export TOKEN=\$(cat .parley-token)"
exec .venv/bin/parley serve --host 127.0.0.1 --port "${PORT:-8000}"
