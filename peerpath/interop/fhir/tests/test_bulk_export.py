"""Bulk Data $export, checked the way the Inferno bulk-data test kit does: kick-off, status, manifest keys,
NDJSON lines that parse, match their type and validate, token required, cancel → 404, at least two patients."""

from __future__ import annotations

import datetime as dt
import json
import secrets

import pytest
from django.test import Client as DjangoClient
from django.utils import timezone

from peerpath.accounts.tests.factories import make_token
from peerpath.care.selectors import care_team_for
from peerpath.core.models import AuditEvent
from peerpath.interop.fhir import bulk
from peerpath.interop.fhir.bulk import PATIENT_TYPES, SYSTEM_TYPES
from peerpath.interop.fhir.validation import validate
from peerpath.interop.models import BulkExport

pytestmark = pytest.mark.django_db
ASYNC = {"HTTP_ACCEPT": "application/fhir+json", "HTTP_PREFER": "respond-async"}


@pytest.fixture(autouse=True)
def _media(settings, tmp_path, monkeypatch):
    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setattr(bulk, "RUN_INLINE", True)  # django-q2 runs the job synchronously


@pytest.fixture
def http(fhir_world):
    user = fhir_world.a.users["admin"]
    return DjangoClient(headers={"Authorization": f"Bearer {make_token(user, secret='pp_bulk_' + secrets.token_hex(4))}"})


def kick_off(http, path, capture, **params):
    with capture(execute=True):
        response = http.get(f"/fhir/r4/{path}", params, **ASYNC)
    return response


def test_kick_off_needs_a_token(fhir_world):
    response = DjangoClient().get("/fhir/r4/$export", **ASYNC)
    assert response.status_code == 401


def test_system_export_end_to_end(fhir_world, http, django_capture_on_commit_callbacks):
    response = kick_off(http, "$export", django_capture_on_commit_callbacks)
    assert response.status_code == 202
    status_url = response["Content-Location"]
    assert status_url.startswith("http://testserver/fhir/r4/$export-status/")
    status = http.get(status_url)
    assert status.status_code == 200 and status["Expires"]
    manifest = json.loads(status.content)
    assert set(manifest) == {"transactionTime", "request", "requiresAccessToken", "output", "deleted", "error"}
    assert manifest["requiresAccessToken"] is True and manifest["request"].endswith("/fhir/r4/$export")
    assert [o["type"] for o in manifest["output"]] == SYSTEM_TYPES
    counts = {}
    for output in manifest["output"]:
        assert output["url"].startswith("http://testserver/")
        file = http.get(output["url"])
        assert file.status_code == 200 and file["Content-Type"] == "application/fhir+ndjson"
        lines = b"".join(file.streaming_content).decode().splitlines()
        assert len(lines) == output["count"]
        for line in lines:
            resource = json.loads(line)
            assert resource["resourceType"] == output["type"]
            assert validate(resource) == []
        counts[output["type"]] = len(lines)
    assert counts["Patient"] >= 2 and counts["Encounter"] == 3 and counts["Observation"] == 2
    anonymous = DjangoClient().get(manifest["output"][0]["url"], HTTP_ACCEPT="application/fhir+ndjson")
    assert anonymous.status_code == 401  # the files need the token
    done = AuditEvent.objects.filter(action="export", detail__done=True).get()
    assert done.detail["counts"]["Patient"] == counts["Patient"] and done.detail["clients"] == 2


def test_type_and_since_filters(fhir_world, http, django_capture_on_commit_callbacks):
    response = kick_off(http, "Patient/$export", django_capture_on_commit_callbacks, _type="Patient,Observation")
    manifest = json.loads(http.get(response["Content-Location"]).content)
    assert [o["type"] for o in manifest["output"]] == ["Patient", "Observation"]
    later = (timezone.now() + dt.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    response = kick_off(http, "Patient/$export", django_capture_on_commit_callbacks, _type="Patient", _since=later)
    manifest = json.loads(http.get(response["Content-Location"]).content)
    assert manifest["output"] == [{"type": "Patient", "url": manifest["output"][0]["url"], "count": 0}]
    refused = http.get("/fhir/r4/Patient/$export", {"_type": "Practitioner"}, **ASYNC)
    assert refused.status_code == 400 and json.loads(refused.content)["issue"][0]["expression"] == ["_type"]
    lenient = http.get("/fhir/r4/Patient/$export", {"_type": "Practitioner,Patient"},
                       HTTP_PREFER="respond-async, handling=lenient")
    assert lenient.status_code == 202


def test_group_export_holds_only_that_teams_clients(fhir_world, http, django_capture_on_commit_callbacks):
    a = fhir_world.a
    response = kick_off(http, f"Group/{a.team.pk}/$export", django_capture_on_commit_callbacks, _type="Patient,Encounter")
    manifest = json.loads(http.get(response["Content-Location"]).content)
    patients = [json.loads(line) for line in b"".join(http.get(manifest["output"][0]["url"]).streaming_content)
                .decode().splitlines()]
    assert [p["id"] for p in patients] == [str(a.client.pk)]
    assert manifest["output"][1]["count"] == 2  # the client's own encounter and the group session
    assert http.get(f"/fhir/r4/Group/{fhir_world.b.team.pk}/$export", **ASYNC).status_code == 404


def test_status_while_running_then_cancel_then_404(fhir_world, http):
    response = http.get("/fhir/r4/$export", **ASYNC)  # the job is queued after commit, which never comes here
    status_url = response["Content-Location"]
    pending = http.get(status_url)
    assert pending.status_code == 202 and pending["X-Progress"] == "queued" and pending["Retry-After"] == "5"
    assert http.delete(status_url).status_code == 202
    gone = http.get(status_url)
    assert gone.status_code == 404 and json.loads(gone.content)["resourceType"] == "OperationOutcome"


def test_expired_files_are_gone(fhir_world, http, django_capture_on_commit_callbacks):
    response = kick_off(http, "$export", django_capture_on_commit_callbacks, _type="Patient")
    manifest = json.loads(http.get(response["Content-Location"]).content)
    BulkExport.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert http.get(manifest["output"][0]["url"]).status_code == 404
    assert http.get(response["Content-Location"]).status_code == 404


def test_only_organisation_wide_readers_export_and_only_the_requester_polls(fhir_world, http, fhir_get,
                                                                            django_capture_on_commit_callbacks):
    peer = DjangoClient(headers={"Authorization": f"Bearer {make_token(fhir_world.a.users['peer'])}"})
    assert peer.get("/fhir/r4/$export", **ASYNC).status_code == 403
    assert not BulkExport.objects.exists()
    response = kick_off(http, "$export", django_capture_on_commit_callbacks, _type="Patient")
    leader = DjangoClient(headers={"Authorization": f"Bearer {make_token(fhir_world.a.users['leader'])}"})
    assert leader.get(response["Content-Location"]).status_code == 404


def test_patient_level_types_exclude_staff_and_library():
    assert "Practitioner" not in PATIENT_TYPES and "Questionnaire" not in PATIENT_TYPES


def test_exported_care_teams_equal_the_care_selector(fhir_world, http, django_capture_on_commit_callbacks):
    """The export batches the care team (members once per team, peers prefetched); it must say what
    ``care.selectors.care_team_for`` says for every client, peers in the selector's order."""
    from peerpath.accounts.tests.factories import StaffFactory
    from peerpath.clients.models import Client
    from peerpath.clients.tests.factories import MatchFactory
    from peerpath.interop.fhir import careteam
    from peerpath.interop.fhir.context import MapContext

    a = fhir_world.a
    first = StaffFactory(username="aa-peer", first_name="Aaron", organisation=a.organisation, role="peer", teams=[a.team])
    MatchFactory(client=a.client, peer=first)
    ended = StaffFactory(username="ended-peer", organisation=a.organisation, role="peer", teams=[])
    MatchFactory(client=a.unmatched_client, peer=ended, is_active=False)
    response = kick_off(http, "$export", django_capture_on_commit_callbacks, _type="CareTeam")
    manifest = json.loads(http.get(response["Content-Location"]).content)
    exported = [json.loads(line) for line in b"".join(http.get(manifest["output"][0]["url"]).streaming_content)
                .decode().splitlines()]
    ctx = MapContext.for_actor(a.users["admin"])
    expected = []
    for client in Client.objects.filter(organisation=a.organisation, is_active=True).order_by("pk"):
        team = care_team_for(client)
        expected.append(careteam.to_fhir(client, ctx, peers=team["peers"], members=team["members"]))
    assert [{k: v for k, v in r.items() if k != "meta"} for r in exported] == [
        {k: v for k, v in r.items() if k != "meta"} for r in expected]
    members = [p["member"]["reference"] for p in exported[0]["participant"]]
    assert members[:2] == [f"Practitioner/{first.pk}", f"Practitioner/{a.users['peer'].pk}"]
    assert f"Practitioner/{ended.pk}" not in json.dumps(exported)
