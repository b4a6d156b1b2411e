"""An EHR sends a transaction or batch Bundle: clients, referrals and service-use events are written through
the existing services, idempotently; a failed transaction writes nothing and names the bad element."""

from __future__ import annotations

import json

import pytest

from peerpath.clients.models import Client, Referral
from peerpath.core.models import AuditEvent
from peerpath.interop.models import BundleImport, ExternalIdentifier
from peerpath.outcomes.models import ServiceEvent

pytestmark = pytest.mark.django_db
MRN = "http://hospital.example.org/mrn"
ORDERS = "http://hospital.example.org/orders"
VISITS = "http://hospital.example.org/visits"


def ehr_bundle(kind: str = "transaction") -> dict:
    patient = {"resourceType": "Patient", "id": "p1",
               "identifier": [{"type": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/v2-0203",
                                                    "code": "MR"}]}, "system": MRN, "value": "E-1001"}],
               "name": [{"family": "Okafor", "given": ["Ada"]}], "gender": "female", "birthDate": "1990-03-04",
               "telecom": [{"system": "phone", "value": "555-0199"}]}
    referral = {"resourceType": "ServiceRequest", "identifier": [{"system": ORDERS, "value": "SR-77"}],
                "status": "active", "intent": "order", "subject": {"reference": "urn:uuid:patient-1"},
                "priority": "urgent", "reasonCode": [{"text": "Discharged after a first episode; wants a peer."}]}
    admission = {"resourceType": "Encounter", "identifier": [{"system": VISITS, "value": "ADM-1"}], "status": "finished",
                 "class": {"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "IMP"},
                 "subject": {"reference": "urn:uuid:patient-1"},
                 "period": {"start": "2026-10-01T08:00:00Z", "end": "2026-10-09T12:00:00Z"},
                 "serviceProvider": {"display": "County General"}}
    emergency = {"resourceType": "Encounter", "identifier": [{"system": VISITS, "value": "ED-9"}], "status": "finished",
                 "class": {"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "EMER"},
                 "subject": {"reference": "Patient/p1"}, "period": {"start": "2026-11-02T22:00:00Z"}}
    entries = [("urn:uuid:patient-1", patient, "Patient"), ("urn:uuid:sr-1", referral, "ServiceRequest"),
               ("urn:uuid:enc-1", admission, "Encounter"), ("urn:uuid:enc-2", emergency, "Encounter")]
    return {"resourceType": "Bundle", "type": kind, "entry": [
        {"fullUrl": url, "resource": resource, "request": {"method": "POST", "url": kind_}}
        for url, resource, kind_ in entries]}


@pytest.fixture
def post(api_client):
    def for_user(user):
        http = api_client(user)

        def send(body):
            response = http.post("/fhir/r4/", json.dumps(body), content_type="application/fhir+json")
            return response.status_code, json.loads(response.content)

        return send

    return for_user


def counts(org):
    return (Client.objects.filter(organisation=org).count(), Referral.objects.filter(organisation=org).count(),
            ServiceEvent.objects.filter(organisation=org, is_active=True).count(),
            ExternalIdentifier.objects.filter(organisation=org).count())


def test_a_transaction_creates_the_client_referral_and_service_use(world, post):
    a = world.a
    before = counts(a.organisation)
    status, body = post(a.users["leader"])(ehr_bundle())
    assert status == 200 and body["type"] == "transaction-response"
    assert [e["response"]["status"] for e in body["entry"]] == ["201 Created"] * 4
    client = Client.objects.get(organisation=a.organisation, last_name="Okafor")
    assert (client.first_name, client.record_number, client.phone, str(client.date_of_birth)) == (
        "Ada", "E-1001", "555-0199", "1990-03-04")
    assert body["entry"][0]["response"]["location"] == f"Patient/{client.pk}"
    referral = Referral.objects.get(client=client)
    assert (referral.reason, referral.urgency, referral.referred_by) == (
        "Discharged after a first episode; wants a peer.", "soon", a.users["leader"])
    events = {e.kind: e for e in ServiceEvent.objects.filter(client=client)}
    assert (str(events["admission"].occurred_on), str(events["admission"].ended_on)) == ("2026-10-01", "2026-10-09")
    assert events["admission"].facility == "County General"
    assert str(events["emergency"].occurred_on) == "2026-11-02" and events["emergency"].ended_on is None
    assert counts(a.organisation) == (before[0] + 1, before[1] + 1, before[2] + 2, before[3] + 4)
    run = BundleImport.objects.get(organisation=a.organisation)
    assert (run.entries_total, run.entries_written, run.succeeded, run.outcomes) == (4, 4, True, [])


def test_re_sending_the_same_bundle_changes_nothing(world, post):
    send = post(world.a.users["leader"])
    send(ehr_bundle())
    after_first = counts(world.a.organisation)
    status, body = send(ehr_bundle())
    assert status == 200 and [e["response"]["status"] for e in body["entry"]] == ["200 OK"] * 4
    assert counts(world.a.organisation) == after_first


def test_a_discharge_updates_the_admission_instead_of_adding_one(world, post):
    send = post(world.a.users["leader"])
    bundle = ehr_bundle()
    del bundle["entry"][2]["resource"]["period"]["end"]
    send(bundle)
    admission = ServiceEvent.objects.get(kind="admission", is_active=True, organisation=world.a.organisation)
    assert admission.ended_on is None
    send(ehr_bundle())  # the EHR sends the same encounter again, now with the discharge
    current = ServiceEvent.objects.get(kind="admission", is_active=True, organisation=world.a.organisation)
    assert str(current.ended_on) == "2026-10-09"
    assert ServiceEvent.objects.get(pk=admission.pk).is_active is False


def test_a_failed_transaction_writes_nothing_and_names_the_element(world, post):
    a = world.a
    before = counts(a.organisation)
    audit_before = AuditEvent.objects.filter(organisation=a.organisation, action="create").exclude(
        target_type="interop.bundleimport").count()
    bundle = ehr_bundle()
    bundle["entry"][1]["resource"]["reasonCode"] = []
    status, outcome = post(a.users["leader"])(bundle)
    assert status == 400 and outcome["resourceType"] == "OperationOutcome"
    assert outcome["issue"][0]["expression"] == ["Bundle.entry[1].resource.reasonCode"]
    assert outcome["issue"][0]["diagnostics"] == "Say why peer support could help."
    assert counts(a.organisation) == before
    assert AuditEvent.objects.filter(organisation=a.organisation, action="create").exclude(
        target_type="interop.bundleimport").count() == audit_before
    run = BundleImport.objects.get(organisation=a.organisation)
    assert (run.succeeded, run.entries_written, run.outcomes[0]["entry"]) == (False, 0, 1)


def test_a_structural_error_points_at_the_element(world, post):
    bundle = ehr_bundle()
    bundle["entry"][0]["resource"]["birthDate"] = "soon"
    status, outcome = post(world.a.users["leader"])(bundle)
    assert status == 400 and outcome["issue"][0]["expression"] == ["Bundle.entry[0].resource.birthDate"]
    assert outcome["issue"][0]["code"] == "structure"


def test_a_batch_keeps_the_good_entries_and_reports_the_bad_one(world, post):
    a = world.a
    bundle = ehr_bundle("batch")
    bundle["entry"][3]["resource"]["class"]["code"] = "AMB"
    status, body = post(a.users["leader"])(bundle)
    assert status == 200 and body["type"] == "batch-response"
    statuses = [e["response"]["status"] for e in body["entry"]]
    assert statuses == ["201 Created", "201 Created", "201 Created", "400 Bad Request"]
    refused = body["entry"][3]["response"]["outcome"]["issue"][0]
    assert refused["expression"] == ["Bundle.entry[3].resource.class"] and refused["code"] == "not-supported"
    assert ServiceEvent.objects.filter(organisation=a.organisation, kind="emergency").count() == 0
    assert ServiceEvent.objects.filter(organisation=a.organisation, kind="admission").count() == 1


@pytest.mark.parametrize("role", ["admin", "peer", "evaluator"])
def test_roles_that_do_not_register_clients_cannot_import(world, post, role):
    before = counts(world.a.organisation)
    status, outcome = post(world.a.users[role])(ehr_bundle())
    assert status == 403 and outcome["issue"][0]["code"] == "forbidden"
    assert counts(world.a.organisation) == before and not BundleImport.objects.exists()


def test_an_imported_patient_is_found_by_the_ehr_identifier(world, post, fhir_get):
    post(world.a.users["leader"])(ehr_bundle())
    status, bundle, _ = fhir_get(world.a.users["leader"])("Patient", identifier=f"{MRN}|E-1001")
    assert status == 200 and [e["resource"]["name"][0]["family"] for e in bundle["entry"]] == ["Okafor"]
