"""The audit trail: every client read and change, searchable by admins, never editable."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from peerpath.core.models import AuditEvent


def test_opening_a_client_record_is_audited_with_origin(world, login):
    clinician = world.a.users["clinician"]
    login(clinician).get(f"/clients/{world.a.client.pk}/", REMOTE_ADDR="10.1.2.3", HTTP_USER_AGENT="Phone/1.0")
    event = AuditEvent.objects.get(action="view", client=world.a.client)
    assert (event.actor, event.actor_username, event.organisation) == (clinician, clinician.username, world.a.organisation)
    assert (event.ip_address, event.user_agent, event.path) == ("10.1.2.3", "Phone/1.0", f"/clients/{world.a.client.pk}/")
    assert (event.target_type, event.target_id) == ("clients.client", str(world.a.client.pk))


def test_reading_a_client_over_the_api_is_audited(world, api_client):
    api_client(world.a.users["supervisor"]).get(f"/api/v1/clients/{world.a.client.pk}")
    assert AuditEvent.objects.filter(action="view", client=world.a.client, actor=world.a.users["supervisor"]).count() == 1


def test_a_refused_read_leaves_no_client_event(world, login):
    login(world.b.users["clinician"]).get(f"/clients/{world.a.client.pk}/")
    assert AuditEvent.objects.filter(client=world.a.client).count() == 0


def test_events_cannot_be_changed_or_deleted_through_the_application(world, login):
    login(world.a.users["peer"]).get(f"/clients/{world.a.client.pk}/")
    event = AuditEvent.objects.get(action="view")
    event.action = "create"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).update(action="create")
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.get(pk=event.pk).action == "view"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="database trigger exists on PostgreSQL only")
def test_postgresql_refuses_raw_updates_too(world, login):
    login(world.a.users["peer"]).get(f"/clients/{world.a.client.pk}/")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE core_auditevent SET action = 'create'")
    assert set(AuditEvent.objects.values_list("action", flat=True)) == {"view"}


def test_admin_searches_by_client_and_by_user(world, login):
    peer, clinician = world.a.users["peer"], world.a.users["clinician"]
    login(peer).get(f"/clients/{world.a.client.pk}/")
    login(clinician).get(f"/clients/{world.a.client.pk}/")
    login(clinician).get(f"/clients/{world.a.unmatched_client.pk}/")  # not on the clinician's team: refused, no event
    admin = login(world.a.users["admin"])
    by_client = admin.get(f"/audit/?client={world.a.client.pk}").context["page"]
    assert sorted(e.actor_username for e in by_client) == sorted([peer.username, clinician.username])
    by_actor = admin.get(f"/audit/?actor={peer.pk}").context["page"]
    assert {e.actor_username for e in by_actor} == {peer.username}


def test_admin_of_another_organisation_sees_none_of_it(world, login):
    login(world.a.users["peer"]).get(f"/clients/{world.a.client.pk}/")
    page = login(world.b.users["admin"]).get("/audit/").context["page"]
    assert [e for e in page if e.organisation_id == world.a.organisation.pk] == []
