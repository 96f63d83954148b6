#!/usr/bin/env bash
# Install and run every check: ruff, mypy, missing migrations, and the whole pytest suite on SQLite.
# Needs only Python 3.11+. Extra arguments go to pytest. Set DATABASE_URL to run the suite on PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/.."

PY=""
for cand in python3.13 python3.12 python3.11 python3; do
  if command -v "$cand" >/dev/null 2>&1 && "$cand" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
    PY=$cand; break
  fi
done
[ -n "$PY" ] || { echo "Python 3.11 or newer is required" >&2; exit 1; }

VENV=${GRASSROOTS_VENV:-.venv}
if [ ! -x "$VENV/bin/python" ]; then
  "$PY" -m venv "$VENV"
fi
"$VENV/bin/python" -m pip install --quiet --upgrade pip
"$VENV/bin/python" -m pip install --quiet -e ".[test]"

# The browser tests drive Debian's Chromium (never a downloaded browser); install it when we may.
if [ ! -x "${GRASSROOTS_CHROMIUM:-/usr/bin/chromium}" ]; then
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    echo "== installing Debian's chromium and a CJK font for the browser tests"
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-wqy-zenhei >/dev/null
  else
    echo "NOTE: /usr/bin/chromium is missing: browser tests will skip (run as root, or apt-get install chromium)" >&2
  fi
fi

export GRASSROOTS_VAR_DIR=${GRASSROOTS_VAR_DIR:-$(mktemp -d)}
echo "== ruff"
"$VENV/bin/ruff" check src tests bench
echo "== mypy"
"$VENV/bin/mypy"
echo "== migrations are committed"
DJANGO_SETTINGS_MODULE=grassroots.settings_test "$VENV/bin/grassroots" makemigrations --check --dry-run >/dev/null \
  || { echo "Model changes without a migration: run 'grassroots makemigrations'" >&2; exit 1; }
echo "== pytest (${DATABASE_URL:-SQLite})"
"$VENV/bin/pytest" "$@"
