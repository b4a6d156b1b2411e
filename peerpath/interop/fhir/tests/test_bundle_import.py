"""An EHR sends a transaction or batch Bundle: clients, referrals and service-use events are written through
the existing services, idempotently; a failed transaction writes nothing and names the bad element."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from peerpath.clients.models import Client, Referral
from peerpath.clients.selectors import client_search_for
from peerpath.core.models import AuditEvent
from peerpath.interop.models import BundleImport, ExternalIdentifier
from peerpath.lib.search import search_text
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


def _audit(client, action):
    return list(AuditEvent.objects.filter(target_type="clients.client", target_id=str(client.pk), action=action)
                .values_list("detail", flat=True))


def test_re_sending_a_changed_patient_updates_the_client_through_the_service(world, post):
    a = world.a
    send = post(a.users["leader"])
    send(ehr_bundle())
    client = Client.objects.get(organisation=a.organisation, last_name="Okafor")
    before = counts(a.organisation)
    bundle = ehr_bundle()
    patient = bundle["entry"][0]["resource"]
    patient["name"] = [{"use": "official", "family": "Okafor-Reyes", "given": ["Adaeze"]},
                       {"use": "usual", "given": ["Ada"]}]
    patient["birthDate"] = "1990-04-03"
    patient["telecom"] = [{"system": "phone", "value": "555-0123"}, {"system": "email", "value": "ada@example.org"}]
    patient["communication"] = [{"language": {"coding": [{"system": "urn:ietf:bcp:47", "code": "es-MX"}]}}]
    status, body = send(bundle)
    assert status == 200 and body["entry"][0]["response"] == {"status": "200 OK", "location": f"Patient/{client.pk}"}
    client.refresh_from_db()
    assert (client.first_name, client.last_name, client.preferred_name, str(client.date_of_birth), client.phone,
            client.email, client.language, client.record_number) == (
        "Adaeze", "Okafor-Reyes", "Ada", "1990-04-03", "555-0123", "ada@example.org", "es", "E-1001")
    assert client.search_text == search_text(names=["Adaeze", "Okafor-Reyes", "Ada"], record_number="E-1001",
                                             date_of_birth=dt.date(1990, 4, 3), phones=["555-0123"])
    assert [c.pk for c in client_search_for(a.users["leader"], "adaeze")] == [client.pk]
    assert client_search_for(a.users["leader"], "5550199") == []  # the old phone is gone from the search line
    assert _audit(client, "update") == [{"changed": ["first_name", "last_name", "preferred_name", "date_of_birth",
                                                     "language", "phone", "email"]}]
    assert counts(a.organisation) == before  # no second client, referral, event or identifier


def test_an_unchanged_patient_writes_nothing_and_no_audit_event(world, post):
    a = world.a
    send = post(a.users["leader"])
    send(ehr_bundle())
    client = Client.objects.get(organisation=a.organisation, last_name="Okafor")
    stamps = (client.updated_at, sorted(ExternalIdentifier.objects.filter(organisation=a.organisation)
                                        .values_list("pk", "updated_at")))
    events = AuditEvent.objects.filter(organisation=a.organisation).exclude(target_type="interop.bundleimport").count()
    status, body = send(ehr_bundle())
    assert status == 200 and [e["response"]["status"] for e in body["entry"]] == ["200 OK"] * 4
    client.refresh_from_db()
    assert (client.updated_at, sorted(ExternalIdentifier.objects.filter(organisation=a.organisation)
                                      .values_list("pk", "updated_at"))) == stamps
    assert _audit(client, "update") == []
    assert AuditEvent.objects.filter(organisation=a.organisation).exclude(
        target_type="interop.bundleimport").count() == events


def test_a_patient_leaving_out_elements_keeps_what_peerpath_holds(world, post):
    a = world.a
    send = post(a.users["leader"])
    send(ehr_bundle())
    bundle = ehr_bundle()
    patient = bundle["entry"][0]["resource"]
    del patient["telecom"], patient["birthDate"]
    send(bundle)
    client = Client.objects.get(organisation=a.organisation, last_name="Okafor")
    assert (client.phone, str(client.date_of_birth)) == ("555-0199", "1990-03-04") and _audit(client, "update") == []


def test_a_refused_update_changes_nothing_and_names_the_element(world, post):
    a = world.a
    send = post(a.users["leader"])
    send(ehr_bundle())
    bundle = ehr_bundle()
    bundle["entry"][0]["resource"]["name"] = [{"family": " ", "given": ["Ada"]}]
    bundle["entry"][0]["resource"]["birthDate"] = "1991-01-01"
    status, outcome = send(bundle)
    assert status == 400 and outcome["issue"][0]["expression"] == ["Bundle.entry[0].resource.name.family"]
    client = Client.objects.get(organisation=a.organisation, last_name="Okafor")
    assert str(client.date_of_birth) == "1990-03-04" and _audit(client, "update") == []


def test_an_invalid_email_is_refused_at_telecom(world, post):
    bundle = ehr_bundle()
    bundle["entry"][0]["resource"]["telecom"] = [{"system": "email", "value": "not an address"}]
    status, outcome = post(world.a.users["leader"])(bundle)
    assert status == 400 and outcome["issue"][0]["expression"] == ["Bundle.entry[0].resource.telecom"]
    assert not Client.objects.filter(last_name="Okafor").exists()


def test_a_clinician_cannot_update_a_client_outside_their_teams(world, post):
    a = world.a
    post(a.users["leader"])(ehr_bundle())
    client = Client.objects.get(organisation=a.organisation, last_name="Okafor")
    Client.objects.filter(pk=client.pk).update(team=a.other_team)  # setup: moved off the clinician's team
    clinician = a.users["clinician"]
    bundle = ehr_bundle()
    bundle["entry"][0]["resource"]["name"] = [{"family": "Changed", "given": ["Ada"]}]
    status, outcome = post(clinician)(bundle)
    assert status == 400 and outcome["issue"][0]["code"] == "forbidden"
    client.refresh_from_db()
    assert client.last_name == "Okafor" and _audit(client, "update") == []
