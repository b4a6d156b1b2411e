"""Issue 10 point 5: the audit trail is append-only for real (PostgreSQL roles and triggers)
and tamper-evident on both databases (hash chain, ``peerpath audit verify``)."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from peerpath.accounts.tests.factories import StaffFactory
from peerpath.core.audit import audit_record
from peerpath.core.audit_chain import verify_chains
from peerpath.core.models import AuditEvent

on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL roles and triggers")


def _events(count=4):
    staff = StaffFactory()
    return staff, [audit_record(actor=staff, action="view", target=staff, detail={"n": n}) for n in range(count)]


def test_each_event_is_chained_to_the_one_before(db):
    _staff, events = _events(3)
    assert events[0].previous_hash == ""
    assert events[1].previous_hash == events[0].chain_hash
    assert events[2].previous_hash == events[1].chain_hash
    assert verify_chains().broken is None


def _raw(sql, params):
    # An attacker with a superuser prompt (the test's own role on PostgreSQL): triggers off.
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = origin")


def test_verify_reports_the_first_changed_event(db, capsys):
    _staff, events = _events(4)
    call_command("audit", "verify")
    assert "Audit trail intact: 4 events checked." in capsys.readouterr().out
    _raw("UPDATE core_auditevent SET actor_username = %s WHERE id = %s", ["someone-else", events[1].pk])
    with pytest.raises(CommandError, match=f"broken at event {events[1].pk} .*changed after it was written"):
        call_command("audit", "verify")


def test_verify_reports_a_removed_event(db):
    _staff, events = _events(4)
    _raw("DELETE FROM core_auditevent WHERE id = %s", [events[2].pk])
    broken = verify_chains().broken
    assert broken is not None and broken.event_id == events[3].pk
    assert "removed or inserted" in broken.problem


@on_postgresql
def test_the_running_role_cannot_wipe_or_alter_the_audit_trail(db):
    _events(1)
    call_command("db_roles", role="peerpath_app_test")
    attempts = [
        "TRUNCATE core_auditevent",
        "TRUNCATE core_auditevent CASCADE",
        "ALTER TABLE core_auditevent DISABLE TRIGGER ALL",
        "ALTER TABLE core_auditevent DISABLE TRIGGER core_auditevent_append_only",
        "DROP TRIGGER core_auditevent_append_only ON core_auditevent",
        "DROP TRIGGER core_auditevent_no_truncate ON core_auditevent",
        "UPDATE core_auditevent SET action = 'create'",
        "DELETE FROM core_auditevent",
    ]
    with connection.cursor() as cursor:
        cursor.execute("SET ROLE peerpath_app_test")
        try:
            cursor.execute("SELECT count(*) FROM core_auditevent")
            assert cursor.fetchone()[0] == 1
            for statement in attempts:
                with pytest.raises(DatabaseError), transaction.atomic():
                    cursor.execute(statement)
            with transaction.atomic():  # the running role may still write events
                audit_record(actor=None, action="view", target_type="test", target_id="1")
        finally:
            cursor.execute("RESET ROLE")
    assert AuditEvent.objects.count() == 2


@on_postgresql
def test_even_the_owner_cannot_truncate_the_audit_trail(db):
    _events(1)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("TRUNCATE core_auditevent")
    assert AuditEvent.objects.count() == 1
