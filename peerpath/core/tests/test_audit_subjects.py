"""Issue 10 point 6 (part): list reads are found by the admin's search by client, the measure
administrations list names what it showed, and the address comes from our proxy only."""

from __future__ import annotations

from peerpath.core.models import AuditEvent
from peerpath.core.selectors import audit_events_search


def test_a_list_read_is_found_by_searching_for_any_client_it_showed(world, login):
    login(world.a.users["clinician"]).get("/clients/")
    found = audit_events_search(user=world.a.users["admin"], client_id=world.a.client.pk)
    assert [e.action for e in found] == ["list"]
    assert list(found[0].subjects.values_list("client_id", flat=True)) == [world.a.client.pk]


def test_the_administrations_list_names_the_administrations_and_clients(world, api_client):
    from peerpath.measures.models import Administration

    response = api_client(world.a.users["clinician"]).get("/api/v1/measures/administrations")
    assert response.status_code == 200
    event = AuditEvent.objects.get(action="list", target_type="measures.administration")
    shown = [row["id"] for row in response.json()]
    assert event.detail["ids"] == shown
    clients = set(Administration.objects.filter(pk__in=shown).values_list("client_id", flat=True))
    assert set(event.subjects.values_list("client_id", flat=True)) == clients


def test_forwarded_for_is_believed_only_from_a_configured_proxy(world, login, settings):
    settings.PEERPATH_TRUSTED_PROXIES = ["10.0.0.0/8"]
    http = login(world.a.users["clinician"])
    url = f"/clients/{world.a.client.pk}/"
    http.get(url, REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="198.51.100.7, 203.0.113.9")
    http.get(url, REMOTE_ADDR="192.0.2.44", HTTP_X_FORWARDED_FOR="203.0.113.9")
    http.get(url, REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="203.0.113.9, 10.0.0.7")
    addresses = list(AuditEvent.objects.filter(action="view", client=world.a.client).order_by("id").values_list("ip_address", flat=True))
    # The last hop our proxy saw is the client; a header sent by anyone else is ignored.
    assert addresses == ["203.0.113.9", "192.0.2.44", "203.0.113.9"]
