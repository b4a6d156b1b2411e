"""The admin's interoperability page and the demo: a registered EHR, a recent import with one refused entry
and its OperationOutcome, a completed bulk export."""

from __future__ import annotations

import json

import pytest

from peerpath.accounts.models import StaffMember
from peerpath.clients.models import Client
from peerpath.interop.models import BulkExport, BundleImport, SystemClient


@pytest.mark.django_db(transaction=True)  # the PostgreSQL wipe TRUNCATEs: not inside a test transaction
def test_demo_shows_a_registered_ehr_a_partly_refused_import_and_a_finished_export(settings, tmp_path, client):
    from peerpath.demo.seed import seed_demo

    settings.VAR_DIR = tmp_path
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PEERPATH_DEMO_PASSWORD = "demo-password-for-tests"
    seed_demo(clients=40)
    assert SystemClient.objects.get().name == "Riverside General EHR"
    run = BundleImport.objects.get(bundle_type="batch")
    update = BundleImport.objects.get(bundle_type="transaction")
    assert (update.entries_total, update.entries_written, update.succeeded) == (1, 1, True)
    dana = Client.objects.get(first_name="Dana", last_name="Marsh")  # updated, not registered twice
    assert (dana.phone, dana.email, str(dana.date_of_birth)) == ("555-0148", "dana.marsh@example.org", "1988-05-17")
    assert (run.bundle_type, run.entries_total, run.entries_written, run.succeeded) == ("batch", 6, 5, False)
    issue = run.outcomes[0]["outcome"]["issue"][0]
    assert issue["expression"] == ["Bundle.entry[5].resource.class"] and issue["code"] == "not-supported"
    export = BulkExport.objects.get()
    assert export.status == "done" and {o["type"] for o in export.output} == {"Patient", "ServiceRequest", "Encounter",
                                                                              "Observation"}
    assert next(o["count"] for o in export.output if o["type"] == "Patient") >= 40
    client.force_login(StaffMember.objects.get(username="admin"))
    page = client.get("/interop/").content.decode()
    assert "Riverside General EHR" in page and "Bundle.entry[5].resource.class" in page
    assert "Encounter class AMB is not an admission or emergency visit." in page
    assert "Completed" in page


@pytest.mark.django_db
def test_an_admin_registers_a_system_on_the_page(world, login):
    from cryptography.hazmat.primitives.asymmetric import rsa
    from jwt.algorithms import RSAAlgorithm

    public = RSAAlgorithm.to_jwk(rsa.generate_private_key(public_exponent=65537, key_size=2048).public_key())
    http = login(world.a.users["admin"])
    response = http.post("/interop/", {"name": "Warehouse", "jwks": json.dumps({"keys": [json.loads(public)]}),
                                       "scopes": "system/*.read"})
    assert response.status_code == 302
    system = SystemClient.objects.get(organisation=world.a.organisation)
    assert (system.name, system.scopes, system.registered_by) == ("Warehouse", "system/*.read", world.a.users["admin"])
    page = http.get("/interop/").content.decode()
    assert system.client_id in page


@pytest.mark.django_db
def test_bad_keys_are_a_field_error_and_nothing_is_registered(world, login):
    http = login(world.a.users["admin"])
    response = http.post("/interop/", {"name": "Warehouse", "jwks": "{not json", "scopes": "system/*.read"})
    assert response.status_code == 400 and "This is not valid JSON." in response.content.decode()
    response = http.post("/interop/", {"name": "Warehouse", "jwks": '{"keys": []}', "scopes": "system/*.read"})
    assert response.status_code == 400 and "JWK Set" in response.content.decode()
    assert not SystemClient.objects.exists()
