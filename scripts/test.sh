#!/usr/bin/env bash
# The whole suite: lint, then every test on SQLite and on PostgreSQL (browser tests included).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
export PEERPATH_ENV=test

bash scripts/browser-deps.sh

echo "== lint"
$BIN/ruff check .
$BIN/lint-imports
$BIN/mypy --follow-imports=silent peerpath/core peerpath/accounts peerpath/clients peerpath/care peerpath/demo peerpath/lib config

echo "== tests on SQLite"
env -u DATABASE_URL $BIN/pytest -n 2 -q "$@"

PG_URL="${PEERPATH_TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
if $BIN/python - "$PG_URL" <<'PY'
import sys, psycopg
try:
    psycopg.connect(sys.argv[1], connect_timeout=3).close()
except Exception as exc:
    print(f"PostgreSQL not reachable at {sys.argv[1]}: {exc}")
    sys.exit(1)
PY
then
  echo "== tests on PostgreSQL"
  DATABASE_URL="$PG_URL" $BIN/pytest -n 2 -q "$@"
elif [ "${CI:-}" = "true" ]; then
  echo "PostgreSQL is required in CI." >&2
  exit 1
else
  echo "!! PostgreSQL tests skipped: start PostgreSQL or set PEERPATH_TEST_POSTGRES_URL" >&2
fi
