"""``peerpath db_roles``: on PostgreSQL, create (or refresh) the role the app runs as.

Run it as the owner role that runs migrations, after every ``migrate``. The running role gets
SELECT/INSERT/UPDATE/DELETE on the app's tables but only SELECT/INSERT on the audit trail, and
owns nothing, so it cannot TRUNCATE, ALTER (DISABLE TRIGGER) or DROP anything. See
docs/operations.md "Audit trail and database roles".
"""

from __future__ import annotations

import os
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction

AUDIT_TABLE = "core_auditevent"
AUDIT_TABLES = (AUDIT_TABLE, "core_auditeventsubject")


def grant_statements(role: str, database: str) -> list[str]:
    quote = connection.ops.quote_name
    r = quote(role)
    return [
        f"GRANT CONNECT ON DATABASE {quote(database)} TO {r}",
        f"GRANT USAGE ON SCHEMA public TO {r}",
        f"REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {r}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {r}",
        *(f"REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON {quote(table)} FROM {r}" for table in AUDIT_TABLES),
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {r}",
        # Tables added by later migrations: the owner re-runs this command after migrate, and
        # until then the running role simply cannot read them (deny by default).
    ]


class Command(BaseCommand):
    help = "Create or refresh the PostgreSQL role the app runs as (INSERT/SELECT only on the audit trail)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--role", default=os.environ.get("PEERPATH_DB_APP_ROLE", "peerpath_app"))
        parser.add_argument(
            "--password-env", default="PEERPATH_DB_APP_PASSWORD",
            help="environment variable holding the running role's password (never a command-line argument)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if connection.vendor != "postgresql":
            raise CommandError("db_roles is for PostgreSQL; on SQLite the hash chain (peerpath audit verify) is the protection.")
        role = options["role"]
        password = os.environ.get(options["password_env"], "")
        database = connection.settings_dict["NAME"]
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
            verb = "ALTER" if cursor.fetchone() else "CREATE"
            cursor.execute(f"{verb} ROLE {connection.ops.quote_name(role)} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS")
            if password:
                cursor.execute(f"ALTER ROLE {connection.ops.quote_name(role)} PASSWORD %s", [password])
            for statement in grant_statements(role, database):
                cursor.execute(statement)
        self.stdout.write(f"Role {role}: read/write on the app's tables, INSERT/SELECT only on {AUDIT_TABLE}.")
