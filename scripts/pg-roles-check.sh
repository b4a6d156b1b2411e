#!/usr/bin/env bash
# Rehearse the production database roles on PostgreSQL (docs/operations.md, "Audit trail and
# database roles"): migrate as the owner, create the running role with `peerpath db_roles`, then
# check as the running role that the audit trail can be read and appended to but not wiped.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
ADMIN_URL="${PEERPATH_TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
DB=peerpath_roles_check
OWNER=peerpath_owner_check
APP=peerpath_app_check
export PEERPATH_ENV=test PYTHONPATH="$PWD"

psql "$ADMIN_URL" -q -v ON_ERROR_STOP=1 <<SQL
DROP DATABASE IF EXISTS $DB;
DO \$\$ BEGIN
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '$APP') THEN EXECUTE 'DROP OWNED BY $APP'; DROP ROLE $APP; END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '$OWNER') THEN CREATE ROLE $OWNER LOGIN CREATEROLE; END IF;
END \$\$;
CREATE DATABASE $DB OWNER $OWNER;
SQL
BASE="${ADMIN_URL%/*}"
HOSTPART="${BASE#postgres://*@}"
OWNER_URL="postgres://$OWNER@$HOSTPART/$DB"
APP_URL="postgres://$APP@$HOSTPART/$DB"

DATABASE_URL="$OWNER_URL" $BIN/python -m peerpath.cli migrate -v 0
DATABASE_URL="$OWNER_URL" $BIN/python -m peerpath.cli db_roles --role "$APP"
DATABASE_URL="$APP_URL" $BIN/python -m peerpath.cli audit verify
for statement in "TRUNCATE core_auditevent" "ALTER TABLE core_auditevent DISABLE TRIGGER ALL" \
                 "DROP TRIGGER core_auditevent_append_only ON core_auditevent" \
                 "UPDATE core_auditevent SET action = 'x'" "DELETE FROM core_auditevent"; do
  if psql "$APP_URL" -q -c "$statement" >/dev/null 2>&1; then
    echo "FAIL: the running role could run: $statement"; exit 1
  fi
done
psql "$APP_URL" -q -v ON_ERROR_STOP=1 -c "SELECT count(*) FROM core_auditevent" >/dev/null
echo "== database roles: the running role cannot wipe or alter the audit trail"
psql "$ADMIN_URL" -q -c "DROP DATABASE $DB" && psql "$ADMIN_URL" -q -c "DROP OWNED BY $APP; DROP ROLE $APP"
