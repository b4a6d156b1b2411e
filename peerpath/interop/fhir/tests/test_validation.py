"""The offline validator: the published US Core examples pass, broken copies fail, and every check can fail."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from peerpath.interop.fhir.codes import npi_is_valid
from peerpath.interop.fhir.validation import constraints, validate

GOLDEN = Path(__file__).resolve().parent / "golden"


def golden(name: str) -> dict:
    return json.loads((GOLDEN / f"{name}.json").read_text())


@pytest.mark.parametrize("name", ["Patient-example", "Observation-PHQ9-item-example-44261-6",
                                  "Observation-PHQ9-panel-example-44249-1"])
def test_published_us_core_examples_pass(name):
    assert validate(golden(name)) == []


def test_us_core_2_accepts_value_string_only_with_the_r4_model():
    from fhirpathpy import evaluate
    from fhirpathpy.models import models

    total = golden("Observation-PHQ9-item-example-44261-6")
    expression = "(component.empty() and hasMember.empty()) implies (dataAbsentReason.exists() or value.exists())"
    assert evaluate(total, expression, model=models["r4"]) == [True]
    assert evaluate(total, expression) == [False]  # the pitfall the R4 model avoids


def test_wrong_gender_code_fails_the_required_binding():
    patient = golden("Patient-example")
    patient["gender"] = "mal"
    assert validate(patient) == ["binding: Patient.gender has 'mal', not in the required value set"]


def test_name_without_given_family_or_absent_reason_fails_us_core_6():
    patient = golden("Patient-example")
    patient["name"] = [{"use": "official", "text": "Amy"}]
    assert [e.split(":")[0] for e in validate(patient)] == ["us-core-6"]


def test_a_masked_name_with_data_absent_reason_passes_us_core_6():
    patient = golden("Patient-example")
    patient["name"] = [{"extension": [{"url": "http://hl7.org/fhir/StructureDefinition/data-absent-reason",
                                       "valueCode": "masked"}]}]
    assert validate(patient) == []


def test_missing_gender_and_identifier_system_fail_cardinality():
    patient = golden("Patient-example")
    del patient["gender"]
    del patient["identifier"][0]["system"]
    assert validate(patient) == [
        "cardinality: Patient.gender is required (min 1)",
        "cardinality: every Patient.identifier needs system.exists() and value.exists()",
    ]


def test_total_without_value_fails_us_core_2():
    total = golden("Observation-PHQ9-item-example-44261-6")
    del total["valueString"]
    assert [e.split(":")[0] for e in validate(total)] == ["us-core-2"]


def test_quantity_without_ucum_fails_us_core_3():
    total = golden("Observation-PHQ9-item-example-44261-6")
    del total["valueString"]
    total["valueQuantity"] = {"value": 12, "system": "http://example.org/units", "code": "points"}
    assert [e.split(":")[0] for e in validate(total)] == ["us-core-3"]


def test_observation_without_survey_category_fails():
    total = golden("Observation-PHQ9-item-example-44261-6")
    total["category"] = total["category"][1:]
    assert validate(total) == ["binding: Observation.category lacks "
                               "http://terminology.hl7.org/CodeSystem/observation-category#survey"]


def test_structure_errors_come_from_the_r4b_models():
    broken = copy.deepcopy(golden("Patient-example"))
    broken["birthDate"] = "twenty"
    errors = validate(broken)
    assert len(errors) == 1 and errors[0].startswith("structure:")


def test_npi_check_digit():
    assert npi_is_valid("1234567893")
    assert not npi_is_valid("1234567890")
    assert not npi_is_valid("123456789")
    practitioner = {"resourceType": "Practitioner", "id": "p", "identifier": [
        {"system": "http://hl7.org/fhir/sid/us-npi", "value": "1234567890"}], "name": [{"family": "Lee"}]}
    assert validate(practitioner) == ["identifier: NPI 1234567890 fails its check digit"]
    practitioner["identifier"][0]["value"] = "1234567893"
    assert validate(practitioner) == []


def test_constraints_are_kept_as_data_with_their_version():
    keys = {c["key"] for c in constraints()}
    assert {"us-core-6", "us-core-2", "us-core-3", "us-core-13", "pd-1"} <= keys
    data = json.loads((Path(__file__).resolve().parents[1] / "data" / "us-core-6.1.0-constraints.json").read_text())
    assert data["version"] == "6.1.0"


def test_practitioner_role_without_contact_or_endpoint_fails_pd_1_and_us_core_13():
    role = {"resourceType": "PractitionerRole", "id": "r", "active": True}
    assert [e.split(":")[0] for e in validate(role)] == ["pd-1", "us-core-13"]
