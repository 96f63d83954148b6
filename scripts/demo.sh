#!/usr/bin/env bash
# Install Grassroots into ./.venv and start the demo district on http://127.0.0.1:8000 (SQLite, no services).
# Needs only Python 3.11+. Extra arguments go to `grassroots demo` (e.g. --no-serve, --json, --scale 2).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=""
for cand in python3.13 python3.12 python3.11 python3; do
  if command -v "$cand" >/dev/null 2>&1 && "$cand" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
    PY=$cand; break
  fi
done
[ -n "$PY" ] || { echo "Python 3.11 or newer is required" >&2; exit 1; }
[ -x .venv/bin/python ] || "$PY" -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet .
exec .venv/bin/grassroots demo "$@"
