"""Reporting reads on a second machine: a router, a context manager, and how fresh the data is.

Organisation-wide reads (evaluation, integration, reports, exports) may run on a PostgreSQL
streaming replica configured by ``DATABASE_REPLICA_URL`` (the ``reporting`` alias). Selectors opt
in with ``with reporting_reads(): ...`` (or ``.using(reporting_db())``); everything else, and every
write, stays on the primary. Without a replica both name the primary, so callers need no branch.

A replica lags the primary a little; ``reporting_freshness()`` says by how much, so a report can
state "data as of ..." instead of pretending to be live.
"""

from __future__ import annotations

import contextvars
import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connections
from django.utils import timezone

REPORTING = "reporting"
_reporting: contextvars.ContextVar[bool] = contextvars.ContextVar("peerpath_reporting_reads", default=False)


def reporting_db() -> str:
    """The alias reporting reads use: the replica when one is configured, else the primary."""
    return REPORTING if REPORTING in settings.DATABASES else "default"


@contextmanager
def reporting_reads() -> Iterator[str]:
    """Inside this block, ORM reads go to the reporting database (writes still go to the primary)."""
    token = _reporting.set(True)
    try:
        yield reporting_db()
    finally:
        _reporting.reset(token)


class ReportingRouter:
    """Reads inside ``reporting_reads()`` go to the replica; writes and migrations to the primary."""

    def db_for_read(self, model: Any, **hints: Any) -> str | None:
        instance = hints.get("instance")
        if instance is not None and instance._state.db:
            return None  # follow the object's own database (related lookups)
        return reporting_db() if _reporting.get() else "default"

    def db_for_write(self, model: Any, **hints: Any) -> str:
        return "default"

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        return True  # the replica is a copy of the primary: same rows, same keys

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db == "default"


@dataclass(frozen=True)
class Freshness:
    """How current the reporting database is. ``lag`` is None on the primary (live data)."""

    database: str
    is_replica: bool
    lag: dt.timedelta | None
    as_of: dt.datetime

    @property
    def lag_seconds(self) -> float | None:
        return None if self.lag is None else round(self.lag.total_seconds(), 3)


def reporting_freshness() -> Freshness:
    """Replica lag as PostgreSQL sees it: now() minus the commit time of the last replayed
    transaction, or zero when the replica has replayed everything it received."""
    alias = reporting_db()
    now = timezone.now()
    connection = connections[alias]
    if connection.vendor != "postgresql":
        return Freshness(alias, False, None, now)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_is_in_recovery(), CASE WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN interval '0' "
            "ELSE now() - pg_last_xact_replay_timestamp() END, now()"
        )
        in_recovery, lag, db_now = cursor.fetchone()
    if not in_recovery:
        return Freshness(alias, False, None, db_now)
    lag = max(lag or dt.timedelta(0), dt.timedelta(0))
    return Freshness(alias, True, lag, db_now - lag)
