"""Export → import round trip: organisation A's bulk ``$export`` (NDJSON), sent as transaction Bundles to a fresh
organisation, reproduces A's clients and referrals field by field; exported again, the fresh organisation's resources
equal A's apart from ids and Peerpath's own identifiers. Peer encounters and scores are refused by the importer
(docs/fhir.md, known limits), and the test holds it to that: each is answered with an OperationOutcome and nothing
is written for them."""

from __future__ import annotations

import json
import secrets
from typing import Any

import pytest
from django.test import Client as DjangoClient

from peerpath.accounts.tests.factories import StaffFactory, make_token
from peerpath.care.models import Encounter
from peerpath.clients import services as client_services
from peerpath.clients.models import Client, Referral
from peerpath.clients.tests.factories import ClientFactory, ReferralFactory
from peerpath.core.tests.factories import OrganisationFactory, TeamFactory
from peerpath.interop.fhir import bulk, codes
from peerpath.interop.models import ExternalIdentifier
from peerpath.measures.models import Administration

pytestmark = pytest.mark.django_db
ASYNC = {"HTTP_ACCEPT": "application/fhir+json", "HTTP_PREFER": "respond-async"}
CLIENT_FIELDS = ("first_name", "last_name", "preferred_name", "date_of_birth", "record_number", "language", "phone",
                 "email")
ORG_SPECIFIC = ("id", "meta", "identifier", "managingOrganization", "subject", "requester", "authoredOn")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path, monkeypatch):
    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setattr(bulk, "RUN_INLINE", True)


def _http(user: Any) -> DjangoClient:
    return DjangoClient(headers={"Authorization": f"Bearer {make_token(user, secret='pp_rt_' + secrets.token_hex(4))}"})


def export(user: Any, capture: Any, types: str) -> dict[str, list[dict[str, Any]]]:
    http = _http(user)
    with capture(execute=True):
        kick = http.get("/fhir/r4/$export", {"_type": types}, **ASYNC)
    assert kick.status_code == 202
    manifest = json.loads(http.get(kick["Content-Location"]).content)
    out = {}
    for output in manifest["output"]:
        lines = b"".join(http.get(output["url"]).streaming_content).decode().splitlines()
        out[output["type"]] = [json.loads(line) for line in lines]
    return out


def send(user: Any, resources: list[dict[str, Any]], kind: str = "transaction") -> tuple[int, dict[str, Any]]:
    bundle = {"resourceType": "Bundle", "type": kind, "entry": [
        {"fullUrl": f"{r['resourceType']}/{r['id']}", "resource": r,
         "request": {"method": "POST", "url": r["resourceType"]}} for r in resources]}
    response = _http(user).post("/fhir/r4/", json.dumps(bundle), content_type="application/fhir+json")
    return response.status_code, json.loads(response.content)


def target(org: Any, resource_type: str, source_slug: str, kind: str, pk: int) -> int:
    return ExternalIdentifier.objects.get(organisation=org, resource_type=resource_type,
                                          system=codes.identifier_system(source_slug, kind), value=str(pk)).target_id


def strip(resource: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in resource.items() if k not in ORG_SPECIFIC}


@pytest.fixture
def source(fhir_world: Any) -> Any:
    """Organisation A with more variety: a client with a preferred name, email, Spanish and no birth date; a
    declined and a closed referral next to the open one."""
    a = fhir_world.a
    ClientFactory(team=a.team, first_name="Lucía", last_name="Nuñez", preferred_name="Lu", date_of_birth=None,
                  language="es", email="lu@example.org", record_number="")
    leader = a.users["leader"]
    declined = ReferralFactory(client=a.client, referred_by=a.users["clinician"], urgency="urgent")
    client_services.referral_decline(actor=leader, referral_id=declined.pk, reason="Already has a peer elsewhere")
    closed = ReferralFactory(client=a.unmatched_client, referred_by=a.users["clinician"], urgency="soon")
    client_services.referral_accept(actor=leader, referral_id=closed.pk)
    client_services.referral_close(actor=leader, referral_id=closed.pk, reason="Moved away")
    return fhir_world


def fresh_organisation() -> tuple[Any, Any]:
    org = OrganisationFactory(name="Fresh Org", slug="fresh")
    team = TeamFactory(organisation=org, name="Fresh team")
    return org, StaffFactory(username="leader-fresh", organisation=org, role="leader", teams=[team])


def test_export_then_import_reproduces_clients_and_referrals(source, django_capture_on_commit_callbacks):
    a = source.a
    capture = django_capture_on_commit_callbacks
    exported = export(a.users["admin"], capture, "Patient,ServiceRequest")
    assert len(exported["Patient"]) == Client.objects.filter(organisation=a.organisation).count() == 3
    assert len(exported["ServiceRequest"]) == Referral.objects.filter(organisation=a.organisation).count() == 3
    fresh, leader = fresh_organisation()
    status, body = send(leader, exported["Patient"] + exported["ServiceRequest"])
    assert status == 200 and [e["response"]["status"] for e in body["entry"]] == ["201 Created"] * 6

    for resource in exported["Patient"]:
        original = Client.objects.get(pk=resource["id"], organisation=a.organisation)
        copy = Client.objects.get(pk=target(fresh, "Patient", a.organisation.slug, "client", original.pk),
                                  organisation=fresh)
        assert [getattr(copy, f) for f in CLIENT_FIELDS] == [getattr(original, f) for f in CLIENT_FIELDS], original
        assert copy.search_text == original.search_text
    for resource in exported["ServiceRequest"]:
        original = Referral.objects.get(pk=resource["id"], organisation=a.organisation)
        copy = Referral.objects.get(pk=target(fresh, "ServiceRequest", a.organisation.slug, "referral", original.pk),
                                    organisation=fresh)
        assert (copy.reason, copy.urgency, codes.SERVICE_REQUEST_STATUS[copy.status]) == (
            original.reason, original.urgency, codes.SERVICE_REQUEST_STATUS[original.status])
        assert copy.client_id == target(fresh, "Patient", a.organisation.slug, "client", original.client_id)
    assert sorted(Referral.objects.filter(organisation=fresh).values_list("status", flat=True)) == [
        "closed", "declined", "new"]

    # Exported again from the fresh organisation: the same resources, apart from ids and Peerpath's own identifiers.
    again = export(leader, capture, "Patient,ServiceRequest")
    by_source = {r["id"]: r for r in again["Patient"]}
    for resource in exported["Patient"]:
        copy = by_source[str(target(fresh, "Patient", a.organisation.slug, "client", int(resource["id"])))]
        assert strip(copy) == strip(resource)
    back = {r["id"]: r for r in again["ServiceRequest"]}
    for resource in exported["ServiceRequest"]:
        copy = back[str(target(fresh, "ServiceRequest", a.organisation.slug, "referral", int(resource["id"])))]
        assert strip(copy) == {k: v for k, v in strip(resource).items() if k != "performer"}

    # The same export sent again changes nothing.
    before = (sorted(Client.objects.filter(organisation=fresh).values_list("pk", "updated_at")),
              sorted(Referral.objects.filter(organisation=fresh).values_list("pk", "updated_at")))
    status, body = send(leader, exported["Patient"] + exported["ServiceRequest"])
    assert status == 200 and [e["response"]["status"] for e in body["entry"]] == ["200 OK"] * 6
    assert (sorted(Client.objects.filter(organisation=fresh).values_list("pk", "updated_at")),
            sorted(Referral.objects.filter(organisation=fresh).values_list("pk", "updated_at"))) == before


def test_peer_encounters_and_scores_are_refused_not_half_imported(source, django_capture_on_commit_callbacks):
    a = source.a
    exported = export(a.users["admin"], django_capture_on_commit_callbacks, "Patient,Encounter,Observation")
    assert len(exported["Encounter"]) == 3 and len(exported["Observation"]) == 2
    fresh, leader = fresh_organisation()
    status, body = send(leader, exported["Patient"] + exported["Encounter"] + exported["Observation"], kind="batch")
    assert status == 200
    refused = [e["response"] for e in body["entry"][len(exported["Patient"]):]]
    assert [r["status"] for r in refused] == ["400 Bad Request"] * 5
    assert {r["outcome"]["issue"][0]["code"] for r in refused} == {"not-supported"}
    assert not Encounter.objects.filter(organisation=fresh).exists()
    assert not Administration.objects.filter(organisation=fresh).exists()
    assert Client.objects.filter(organisation=fresh).count() == len(exported["Patient"])
