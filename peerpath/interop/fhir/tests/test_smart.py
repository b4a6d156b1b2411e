"""SMART Backend Services: registration by an admin, signed JWT assertions (RS384/ES384), short-lived scoped
tokens acting as the organisation's system account."""

from __future__ import annotations

import datetime as dt
import json
import uuid

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from django.core.exceptions import PermissionDenied
from django.test import Client as DjangoClient
from django.utils import timezone
from jwt.algorithms import ECAlgorithm, RSAAlgorithm

from peerpath.core.exceptions import ServiceError
from peerpath.interop.fhir import smart
from peerpath.interop.models import SystemAccessToken, SystemClient

pytestmark = pytest.mark.django_db
TOKEN_URL = "http://testserver/fhir/r4/auth/token"


def rsa_keys():
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    public = json.loads(RSAAlgorithm.to_jwk(private.public_key()))
    public.update(kid="k1", alg="RS384")
    return private, {"keys": [public]}


def assertion(client_id, private, *, alg="RS384", aud=TOKEN_URL, minutes=4, jti=None):
    now = timezone.now()
    claims = {"iss": client_id, "sub": client_id, "aud": aud, "jti": jti or uuid.uuid4().hex,
              "exp": int((now + dt.timedelta(minutes=minutes)).timestamp())}
    return jwt.encode(claims, private, algorithm=alg, headers={"kid": "k1"})


def ask(signed, scope="system/*.read"):
    response = DjangoClient().post("/fhir/r4/auth/token", {
        "grant_type": "client_credentials", "scope": scope, "client_assertion": signed,
        "client_assertion_type": "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"})
    return response.status_code, json.loads(response.content)


@pytest.fixture
def registered(world):
    private, jwks = rsa_keys()
    client = smart.system_client_register(actor=world.a.users["admin"], name="County General EHR", jwks=jwks,
                                          scopes="system/Patient.read system/Observation.read")
    return client, private


def test_only_admins_register_and_never_private_keys(world):
    private, jwks = rsa_keys()
    with pytest.raises(PermissionDenied):
        smart.system_client_register(actor=world.a.users["leader"], name="EHR", jwks=jwks)
    leaked = {"keys": [json.loads(RSAAlgorithm.to_jwk(private))]}
    with pytest.raises(ServiceError) as refused:
        smart.system_client_register(actor=world.a.users["admin"], name="EHR", jwks=leaked)
    assert refused.value.field == "jwks"
    assert not SystemClient.objects.exists()


def test_a_signed_assertion_gets_a_short_lived_scoped_token(registered, world):
    client, private = registered
    status, body = ask(assertion(client.client_id, private), scope="system/Patient.read")
    assert status == 200
    assert (body["token_type"], body["expires_in"], body["scope"]) == ("bearer", 300, "system/Patient.read")
    token = SystemAccessToken.objects.get(client=client)
    assert token.expires_at <= timezone.now() + dt.timedelta(minutes=5)
    assert token.token_hash != body["access_token"]
    http = DjangoClient(headers={"Authorization": f"Bearer {body['access_token']}", "Accept": "application/fhir+json"})
    patients = json.loads(http.get("/fhir/r4/Patient").content)
    assert patients["total"] == 2  # the system account reads organisation-wide, like a leader
    assert http.get("/fhir/r4/Encounter").status_code == 403  # not in the token's scopes


def test_scopes_cannot_be_widened(registered):
    client, private = registered
    status, body = ask(assertion(client.client_id, private), scope="system/Encounter.read")
    assert status == 400 and body["error"] == "invalid_scope"


def test_a_replayed_assertion_is_refused(registered):
    client, private = registered
    signed = assertion(client.client_id, private, jti="once")
    assert ask(signed, scope="system/Patient.read")[0] == 200
    status, body = ask(signed, scope="system/Patient.read")
    assert status == 401 and body["error"] == "invalid_client"
    assert SystemAccessToken.objects.count() == 1


@pytest.mark.parametrize("change", ["audience", "lifetime", "key", "algorithm"])
def test_bad_assertions_are_refused(registered, change):
    client, private = registered
    if change == "audience":
        signed = assertion(client.client_id, private, aud="http://elsewhere/token")
    elif change == "lifetime":
        signed = assertion(client.client_id, private, minutes=30)
    elif change == "key":
        signed = assertion(client.client_id, rsa_keys()[0])
    else:
        signed = jwt.encode({"iss": client.client_id, "sub": client.client_id, "aud": TOKEN_URL, "jti": "x",
                             "exp": int(timezone.now().timestamp()) + 60}, "shared-secret-key-of-32-bytes-long!", algorithm="HS256")
    status, body = ask(signed)
    assert status in {400, 401} and body["error"] == "invalid_client"
    assert not SystemAccessToken.objects.exists()


def test_es384_keys_work(world):
    private = ec.generate_private_key(ec.SECP384R1())
    public = json.loads(ECAlgorithm.to_jwk(private.public_key()))
    public["kid"] = "k1"
    client = smart.system_client_register(actor=world.a.users["admin"], name="Warehouse", jwks={"keys": [public]})
    status, body = ask(assertion(client.client_id, private, alg="ES384"))
    assert status == 200 and body["scope"] == "system/*.read"


def test_an_expired_system_token_is_refused(registered):
    client, private = registered
    body = ask(assertion(client.client_id, private), scope="system/Patient.read")[1]
    SystemAccessToken.objects.filter(client=client).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    response = DjangoClient(headers={"Authorization": f"Bearer {body['access_token']}"}).get("/fhir/r4/Patient")
    assert response.status_code == 401


def test_the_system_account_is_not_a_practitioner(registered, world, fhir_get):
    status, bundle, _ = fhir_get(world.a.users["admin"])("Practitioner")
    assert all(not e["resource"]["name"][0]["family"].startswith("Org ") for e in bundle["entry"])
    assert bundle["total"] == len(world.a.users)


def test_smart_configuration_advertises_the_token_endpoint(client):
    body = json.loads(client.get("/fhir/r4/.well-known/smart-configuration").content)
    assert body["token_endpoint"] == TOKEN_URL
    assert body["token_endpoint_auth_signing_alg_values_supported"] == ["RS384", "ES384"]
