"""Helpers shared by the benchmarks (a leading underscore: ``peerpath bench`` does not list this file)."""

from __future__ import annotations

import json
from typing import Any


def _ensure_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin_url = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def _sql_literal_defaults(model: Any, given: dict[str, str]) -> tuple[list[str], list[str]]:
    """Columns and SQL expressions for an INSERT ... SELECT: ``given`` plus a literal for every other
    NOT NULL column (its model default, '' for text, false for booleans), so the bench keeps working
    when a model gains a column."""
    from django.db import models

    columns, expressions = [], []
    for field in model._meta.concrete_fields:
        if field.primary_key:
            continue
        if field.column in given:
            columns.append(field.column)
            expressions.append(given[field.column])
            continue
        if field.null:
            continue
        if field.has_default():
            value = field.get_default()
            literal = "'" + json.dumps(value) + "'" if isinstance(value, (list, dict)) else (
                "true" if value is True else "false" if value is False else
                str(value) if isinstance(value, (int, float)) else "'" + str(value).replace("'", "''") + "'")
        elif isinstance(field, (models.CharField, models.TextField)):
            literal = "''"
        elif isinstance(field, models.DateTimeField):
            literal = "now()"
        else:
            raise RuntimeError(f"bench: no value for {model.__name__}.{field.column}")
        columns.append(field.column)
        expressions.append(literal)
    return columns, expressions


def _insert(cursor: Any, model: Any, given: dict[str, str], source: str, params: list[Any] | None = None) -> None:
    columns, expressions = _sql_literal_defaults(model, given)
    cursor.execute(f"INSERT INTO {model._meta.db_table} ({', '.join(columns)}) SELECT {', '.join(expressions)} {source}",
                   params or None)
