"""Suite-wide test setup: the test environment, two organisations and one user per role."""

import os

os.environ.setdefault("PEERPATH_ENV", "test")
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API inside live_server tests

import pytest  # noqa: E402

pytest_plugins = ["peerpath.testing.fixtures"]


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


# Shipped reference data (instrument libraries, CFIR/ERIC tables) is loaded by data migrations, and a
# transactional test's teardown flushes every table. Apps register an idempotent loader here
# ("module:function", called with no arguments) so such tests start with that data present.
SHIPPED_DATA_LOADERS = [
    "peerpath.implementation.reference.loader:load_installed",
    "conftest:_load_shipped_instruments",
]


def _load_shipped_instruments():
    from peerpath.measures.library import load_shipped
    from peerpath.measures.models import Instrument

    if not Instrument.objects.filter(organisation__isnull=True).exists():
        load_shipped()


@pytest.fixture(autouse=True)
def _shipped_reference_data(request):
    marker = request.node.get_closest_marker("django_db")
    if not (marker and marker.kwargs.get("transaction")):
        return
    request.getfixturevalue("transactional_db")
    from importlib import import_module

    for target in SHIPPED_DATA_LOADERS:
        module, function = target.split(":")
        getattr(import_module(module), function)()


# The audit trail refuses TRUNCATE on PostgreSQL (core migration 0006), and Django empties the
# database after each transactional test with one TRUNCATE statement. Test databases only: the
# flush runs with the session's triggers set aside (the test role is a superuser; production
# roles cannot do this, see `peerpath db_roles`).
@pytest.fixture(scope="session", autouse=True)
def _flush_past_audit_truncate_guard():
    from django.db.backends.postgresql.operations import DatabaseOperations

    original = DatabaseOperations.sql_flush

    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        statements = original(self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade)
        if not statements:
            return statements
        return ["SET LOCAL session_replication_role = replica", *statements]

    DatabaseOperations.sql_flush = sql_flush
    yield
    DatabaseOperations.sql_flush = original


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Sign-in counters (lockout, per-address limits) live in the cache; each test starts from none,
    so one test's failed sign-ins never lock out the next."""
    from django.core.cache import cache

    try:
        cache.clear()
    except RuntimeError:
        # A test without database access (pytest-django's blocker) has no cache to reset:
        # the cache lives in the database.
        pass
    yield
