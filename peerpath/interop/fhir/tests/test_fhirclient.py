"""An independent FHIR client library (SMART's ``fhirclient``, R4 models) reads Peerpath over a real HTTP server,
as an EHR's integration would: the CapabilityStatement, searches with paging and reads parse into its models."""

from __future__ import annotations

import pytest
from fhirclient import server as fhir_server
from fhirclient.models.capabilitystatement import CapabilityStatement
from fhirclient.models.encounter import Encounter
from fhirclient.models.observation import Observation
from fhirclient.models.patient import Patient
from fhirclient.models.questionnaire import Questionnaire
from fhirclient.models.servicerequest import ServiceRequest

from peerpath.accounts.tests.factories import make_token

pytestmark = pytest.mark.django_db(transaction=True)


def test_fhirclient_reads_peerpath(live_server, fhir_world):
    a = fhir_world.a
    srv = fhir_server.FHIRServer(None, base_uri=f"{live_server.url}/fhir/r4/")
    srv.session.headers["Authorization"] = f"Bearer {make_token(a.users['admin'], secret='pp_live_client_token')}"
    capability = CapabilityStatement.read_from("metadata", srv)
    assert capability.fhirVersion == "4.0.1"
    assert "Patient" in [r.type for r in capability.rest[0].resource]

    patients = Patient.where({"_count": "1"}).perform(srv)
    assert patients.total == 2 and len(patients.entry) == 1
    assert any(link.relation == "next" for link in patients.link)
    patient = Patient.read(str(a.client.pk), srv)
    assert patient.name[0].family == a.client.last_name and patient.gender == "unknown"
    assert patient.identifier[1].value == "MRN-0042"

    referral = ServiceRequest.where({"patient": str(a.client.pk)}).perform_resources(srv)[0]
    assert referral.code.coding[0].code == "H0038" and referral.intent == "order"
    encounters = Encounter.where({"patient": str(a.client.pk)}).perform_resources(srv)
    assert {e.class_fhir.code for e in encounters} == {"FLD", "VR"}
    scores = Observation.where({"subject": str(a.client.pk)}).perform_resources(srv)
    assert sorted(o.code.coding[0].code for o in scores) == sorted(["44261-6", "total"])
    phq = next(o for o in scores if o.code.coding[0].code == "44261-6")
    assert phq.valueInteger == 9 and phq.derivedFrom[0].reference == f"QuestionnaireResponse/{phq.id}"
    questionnaires = Questionnaire.where({}).perform_resources(srv)
    phq9 = next(q for q in questionnaires if q.code and q.code[0].code == "44249-1")
    assert phq9.item[0].answerOption[0].valueCoding.code == "LA6568-5"
