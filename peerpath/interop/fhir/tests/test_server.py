"""The FHIR server as an EHR meets it: every resource type reads and searches, every produced resource passes
the offline validator, scoping matches the pages, errors are OperationOutcomes, every read is audited."""

from __future__ import annotations

import json

import pytest
from django.test import Client as DjangoClient

from peerpath.care.models import EncounterAttendance
from peerpath.core.models import AuditEvent
from peerpath.interop.fhir.resources import SPECS
from peerpath.interop.fhir.validation import validate

pytestmark = pytest.mark.django_db


def test_metadata_is_a_capability_statement_for_every_type(client):
    response = client.get("/fhir/r4/metadata", HTTP_ACCEPT="application/fhir+json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/fhir+json; charset=utf-8"
    body = json.loads(response.content)
    assert body["resourceType"] == "CapabilityStatement" and body["fhirVersion"] == "4.0.1"
    types = [r["type"] for r in body["rest"][0]["resource"]]
    assert types == [*SPECS, "Group"]
    patient = body["rest"][0]["resource"][0]
    assert patient["supportedProfile"] == ["http://hl7.org/fhir/us/core/StructureDefinition/us-core-patient|6.1.0"]
    assert validate(body) == []


def test_every_resource_the_admin_can_search_and_read_passes_validation(fhir_world, fhir_get):
    get = fhir_get(fhir_world.a.users["admin"])
    for resource_type in SPECS:
        _search_and_read_valid(get, resource_type)


def _search_and_read_valid(get, resource_type):
    status, bundle, response = get(resource_type)
    assert status == 200 and response["Content-Type"].startswith("application/fhir+json")
    assert bundle["resourceType"] == "Bundle" and bundle["type"] == "searchset"
    assert bundle["total"] >= 1
    for entry in bundle["entry"]:
        resource = entry["resource"]
        assert resource["resourceType"] == resource_type
        assert validate(resource) == [], (resource_type, resource["id"])
        assert entry["fullUrl"] == f"http://testserver/fhir/r4/{resource_type}/{resource['id']}"
    first = bundle["entry"][0]["resource"]
    status, read, _ = get(f"{resource_type}/{first['id']}")
    assert status == 200 and read == first


def test_anonymous_fhir_client_gets_401_operation_outcome_and_a_browser_is_sent_to_sign_in(fhir_world):
    response = DjangoClient().get("/fhir/r4/Patient", HTTP_ACCEPT="application/fhir+json")
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    body = json.loads(response.content)
    assert body["resourceType"] == "OperationOutcome" and body["issue"][0]["code"] == "login"
    browser = DjangoClient().get("/fhir/r4/Patient")
    assert browser.status_code == 302 and "/accounts/login/" in browser["Location"]


def test_an_unknown_token_is_refused(fhir_world):
    response = DjangoClient().get("/fhir/r4/Patient", HTTP_AUTHORIZATION="Bearer nope")
    assert response.status_code == 401
    assert json.loads(response.content)["issue"][0]["diagnostics"] == "The access token is not valid or has expired."


def test_a_peer_sees_only_their_caseload(fhir_world, fhir_get):
    a = fhir_world.a
    get = fhir_get(a.users["peer"])
    status, bundle, _ = get("Patient")
    assert status == 200 and [e["resource"]["id"] for e in bundle["entry"]] == [str(a.client.pk)]
    before = AuditEvent.objects.filter(client=a.unmatched_client).count()
    status, outcome, _ = get(f"Patient/{a.unmatched_client.pk}")
    assert status == 404 and outcome["issue"][0]["code"] == "not-found"
    assert AuditEvent.objects.filter(client=a.unmatched_client).count() == before
    # The group encounter is shown for the peer's own client only.
    status, encounters, _ = get("Encounter")
    assert {e["resource"]["subject"]["reference"] for e in encounters["entry"]} == {f"Patient/{a.client.pk}"}


def test_another_organisation_gets_404_for_our_records(fhir_world, fhir_get):
    get = fhir_get(fhir_world.b.users["admin"])
    status, outcome, _ = get(f"Patient/{fhir_world.a.client.pk}")
    assert status == 404 and outcome["resourceType"] == "OperationOutcome"
    status, bundle, _ = get("Patient", _id=str(fhir_world.a.client.pk))
    assert status == 200 and bundle["total"] == 0


def test_evaluators_may_not_read_clients_and_clinicians_read_scores_not_answers(fhir_world, fhir_get):
    status, outcome, _ = fhir_get(fhir_world.a.users["evaluator"])("Patient")
    assert status == 403 and outcome["issue"][0]["code"] == "forbidden"
    clinician = fhir_get(fhir_world.a.users["clinician"])
    assert clinician("QuestionnaireResponse")[0] == 403
    status, scores, _ = clinician("Observation")
    assert status == 200 and scores["total"] == 2


def test_reads_and_searches_are_audited_with_each_client_shown(fhir_world, fhir_get):
    a = fhir_world.a
    admin = a.users["admin"]
    get = fhir_get(admin)
    get(f"Patient/{a.client.pk}")
    view = AuditEvent.objects.filter(actor=admin, action="view").latest("id")
    assert (view.client_id, view.target_type, view.detail) == (a.client.pk, "clients.client",
                                                               {"fhir": "Patient", "id": str(a.client.pk)})
    get("Encounter")
    listed = AuditEvent.objects.filter(actor=admin, action="list").latest("id")
    assert listed.target_type == "fhir.encounter" and len(listed.detail["ids"]) == 3
    shown = AuditEvent.objects.filter(actor=admin, action="view", detail__search=True, detail__fhir="Encounter")
    assert sorted(shown.values_list("client_id", flat=True)) == sorted([a.client.pk, a.unmatched_client.pk])


def test_search_parameters(fhir_world, fhir_get):
    a = fhir_world.a
    get = fhir_get(a.users["admin"])

    def ids(path, **params):
        status, bundle, _ = get(path, **params)
        assert status == 200, bundle
        return [e["resource"]["id"] for e in bundle["entry"]]

    assert ids("Patient", identifier="MRN-0042") == [str(a.client.pk)]
    assert ids("Patient", identifier=f"urn:peerpath:{a.organisation.slug}:client|{a.unmatched_client.pk}") == [
        str(a.unmatched_client.pk)]
    assert ids("Patient", _id=f"{a.client.pk},{a.unmatched_client.pk}") == sorted(
        [str(a.client.pk), str(a.unmatched_client.pk)], key=int)
    group = fhir_world.a.extra["group"]
    group_date = group.started_at.date().isoformat()
    attendance_ids = [str(x) for x in EncounterAttendance.objects.filter(encounter=group).order_by("pk")
                      .values_list("pk", flat=True)]
    assert ids("Encounter", date=group_date) == attendance_ids
    assert ids("Encounter", date=group_date, patient=f"Patient/{a.client.pk}") == attendance_ids[:1]
    assert ids("Encounter", date=f"lt{group_date}") == []
    assert str(a.encounter.attendance.get().pk) in ids("Encounter", date=f"gt{group_date}")
    assert ids("Observation", subject=str(a.client.pk), _lastUpdated="ge2000-01") == sorted(
        [str(a.extra["phq9"].pk), str(a.extra["k10"].pk)], key=int)
    assert ids("Observation", _lastUpdated="lt2000") == []


def test_paging_links(fhir_world, fhir_get):
    get = fhir_get(fhir_world.a.users["admin"])
    status, page1, _ = get("Encounter", _count="2")
    assert page1["total"] == 3 and len(page1["entry"]) == 2
    links = {link["relation"]: link["url"] for link in page1["link"]}
    assert set(links) == {"self", "first", "next", "last"}
    assert links["next"] == "http://testserver/fhir/r4/Encounter?_count=2&_offset=2"
    status, page2, _ = get("Encounter", _count="2", _offset="2")
    assert len(page2["entry"]) == 1
    assert {link["relation"] for link in page2["link"]} == {"self", "first", "previous", "last"}
    seen = [e["resource"]["id"] for e in page1["entry"] + page2["entry"]]
    assert len(set(seen)) == 3


def test_a_bad_search_value_is_an_operation_outcome_naming_the_parameter(fhir_world, fhir_get):
    get = fhir_get(fhir_world.a.users["admin"])
    status, outcome, _ = get("Encounter", date="yesterday")
    assert status == 400
    assert outcome["issue"][0]["code"] == "invalid" and outcome["issue"][0]["expression"] == ["date"]
    assert get("Encounter", _count="many")[0] == 400


def test_a_signed_in_staff_session_reads_with_the_same_scoping(fhir_world, login):
    response = login(fhir_world.a.users["peer"]).get("/fhir/r4/Patient", HTTP_ACCEPT="application/fhir+json")
    assert response.status_code == 200 and json.loads(response.content)["total"] == 1


def test_lived_experience_and_encounter_notes_are_never_exported(fhir_world, fhir_get):
    get = fhir_get(fhir_world.a.users["admin"])
    everything = json.dumps([get(t)[1] for t in SPECS])
    assert "Secret experience area" not in everything and "my private story" not in everything
    assert "Private group note" not in everything and "allotment" not in everything
