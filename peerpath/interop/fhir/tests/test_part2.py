"""42 CFR Part 2: flagged clients' resources carry the security labels; systems receive them only under a
recorded consent naming that system."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client as DjangoClient
from django.utils import timezone

from peerpath.interop.fhir import bulk, part2, smart
from peerpath.interop.fhir.tests.test_smart import ask, assertion, rsa_keys
from peerpath.interop.fhir.validation import validate
from peerpath.interop.models import SudServiceFlag

pytestmark = pytest.mark.django_db
CODES = ["42CFRPart2", "R", "NORDSLCD"]


@pytest.fixture
def flagged(world):
    return part2.sud_flag_set(actor=world.a.users["clinician"], client=world.a.client)


@pytest.fixture
def system(world):
    private, jwks = rsa_keys()
    registered = smart.system_client_register(actor=world.a.users["admin"], name="Funder warehouse", jwks=jwks)
    token = ask(assertion(registered.client_id, private))[1]["access_token"]
    http = DjangoClient(headers={"Authorization": f"Bearer {token}", "Accept": "application/fhir+json"})
    return registered, http


def labels(resource):
    return [s["code"] for s in resource.get("meta", {}).get("security", [])]


def test_every_resource_about_a_flagged_client_is_labelled(world, flagged, fhir_get):
    get = fhir_get(world.a.users["admin"])
    patients = {e["resource"]["id"]: e["resource"] for e in get("Patient")[1]["entry"]}
    assert labels(patients[str(world.a.client.pk)]) == CODES
    assert labels(patients[str(world.a.unmatched_client.pk)]) == []
    assert validate(patients[str(world.a.client.pk)]) == []
    for resource_type in ("Encounter", "ServiceRequest", "CareTeam", "Goal", "CarePlan"):
        for entry in get(resource_type, patient=str(world.a.client.pk))[1]["entry"]:
            assert labels(entry["resource"]) == CODES, resource_type


def test_a_system_gets_a_flagged_client_only_under_its_consent(world, flagged, system):
    registered, http = system
    ids = [e["resource"]["id"] for e in json.loads(http.get("/fhir/r4/Patient").content)["entry"]]
    assert ids == [str(world.a.unmatched_client.pk)]
    assert http.get(f"/fhir/r4/Patient/{world.a.client.pk}").status_code == 404
    assert json.loads(http.get("/fhir/r4/ServiceRequest").content)["total"] == 0
    part2.disclosure_consent_record(actor=world.a.users["clinician"], client=world.a.client, recipient=registered,
                                    given_on=timezone.localdate())
    patient = json.loads(http.get(f"/fhir/r4/Patient/{world.a.client.pk}").content)
    assert labels(patient) == CODES


def test_an_expired_consent_no_longer_discloses(world, flagged, system):
    registered, http = system
    today = timezone.localdate()
    part2.disclosure_consent_record(actor=world.a.users["leader"], client=world.a.client, recipient=registered,
                                    given_on=today - dt.timedelta(days=400), expires_on=today - dt.timedelta(days=35))
    assert http.get(f"/fhir/r4/Patient/{world.a.client.pk}").status_code == 404


def test_a_system_bulk_export_leaves_out_unconsented_part2_clients(world, flagged, system, settings, tmp_path,
                                                                   monkeypatch, django_capture_on_commit_callbacks):
    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setattr(bulk, "RUN_INLINE", True)
    _registered, http = system
    with django_capture_on_commit_callbacks(execute=True):
        kick = http.get("/fhir/r4/Patient/$export", {"_type": "Patient"}, HTTP_PREFER="respond-async")
    manifest = json.loads(http.get(kick["Content-Location"]).content)
    lines = b"".join(http.get(manifest["output"][0]["url"]).streaming_content).decode().splitlines()
    assert [json.loads(line)["id"] for line in lines] == [str(world.a.unmatched_client.pk)]


def test_peers_cannot_flag_and_nothing_is_written(world):
    with pytest.raises(PermissionDenied):
        part2.sud_flag_set(actor=world.a.users["peer"], client=world.a.client)
    assert not SudServiceFlag.objects.exists()
