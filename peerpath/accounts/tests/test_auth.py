"""Signing in: argon2 hashes, lockout after repeated failures, enforced TOTP, API tokens."""

from __future__ import annotations

import json

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret, hotp_value, yield_hotp_counters_from_time
from django.contrib.auth.hashers import make_password
from django.test import Client as DjangoClient

from peerpath.accounts.models import ApiToken
from peerpath.accounts.tests.factories import TEST_PASSWORD, StaffFactory


def _totp_code(secret: str) -> str:
    counter = next(iter(yield_hotp_counters_from_time()))
    return f"{hotp_value(secret, counter):06d}"


def test_passwords_are_hashed_with_argon2(settings, db):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
    staff = StaffFactory(password=make_password(TEST_PASSWORD))
    staff.set_password("a brand new passphrase")
    staff.save()
    staff.refresh_from_db()
    assert staff.password.startswith("argon2$argon2id$")
    assert staff.check_password("a brand new passphrase")


def test_sign_in_with_username_and_password(db):
    StaffFactory(username="maya", role="peer")
    response = DjangoClient().post("/accounts/login/", {"login": "maya", "password": TEST_PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_account_locks_after_five_failures_even_with_the_right_password(db):
    StaffFactory(username="maya")
    http = DjangoClient()
    for _ in range(5):
        assert http.post("/accounts/login/", {"login": "maya", "password": "wrong guess"}).status_code == 200
    fresh = DjangoClient()
    locked = fresh.post("/accounts/login/", {"login": "maya", "password": TEST_PASSWORD})
    assert locked.status_code == 200
    assert b"Too many failed login attempts" in locked.content
    assert "_auth_user_id" not in fresh.session


def test_self_signup_is_closed(db):
    response = DjangoClient().get("/accounts/signup/")
    assert b"Sign Up Closed" in response.content or response.status_code in {403, 404}


def test_organisation_can_enforce_two_factor_sign_in(world, login):
    org = world.a.organisation
    org.require_mfa = True
    org.save()
    peer = world.a.users["peer"]
    http = login(peer)
    response = http.get("/care/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/totp/activate/"
    TOTP.activate(peer, generate_totp_secret())
    assert http.get("/care/").status_code == 200


def test_other_organisations_are_not_forced_into_two_factor(world, login):
    world.a.organisation.require_mfa = True
    world.a.organisation.save()
    assert login(world.b.users["peer"]).get("/care/").status_code == 200


def _post_token(payload):
    return DjangoClient().post("/api/v1/auth/token", json.dumps(payload), content_type="application/json")


def test_token_from_credentials_works_as_bearer(db):
    StaffFactory(username="maya", role="peer")
    response = _post_token({"username": "maya", "password": TEST_PASSWORD, "name": "phone"})
    assert response.status_code == 201
    token = response.json()["token"]
    me = DjangoClient(headers={"Authorization": f"Bearer {token}"}).get("/api/v1/me")
    assert me.status_code == 200
    assert me.json()["username"] == "maya"
    stored = ApiToken.objects.get()
    assert stored.key_hash != token and token not in stored.key_hash  # only a hash is kept


def test_token_with_wrong_password_names_the_field(db):
    StaffFactory(username="maya")
    response = _post_token({"username": "maya", "password": "nope"})
    assert response.status_code == 400
    assert response.json()["errors"] == [{"field": "password", "reason": "Username or password is not correct.", "code": "invalid"}]
    assert ApiToken.objects.count() == 0


def test_token_requires_the_authenticator_code_when_set_up(db):
    staff = StaffFactory(username="maya")
    secret = generate_totp_secret()
    TOTP.activate(staff, secret)
    missing = _post_token({"username": "maya", "password": TEST_PASSWORD})
    assert missing.status_code == 400
    assert missing.json()["errors"][0]["field"] == "otp_code"
    wrong = _post_token({"username": "maya", "password": TEST_PASSWORD, "otp_code": "000000" if _totp_code(secret) != "000000" else "111111"})
    assert wrong.status_code == 400
    ok = _post_token({"username": "maya", "password": TEST_PASSWORD, "otp_code": _totp_code(secret)})
    assert ok.status_code == 201
    assert Authenticator.objects.filter(user=staff).count() == 1


def test_unknown_fields_are_refused_with_the_field_named(db):
    response = _post_token({"username": "maya", "password": "x", "admin": True})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "admin"


@pytest.mark.parametrize("header", ["", "Bearer nonsense", "Token abc"])
def test_api_without_a_valid_token_is_401(db, header):
    http = DjangoClient(headers={"Authorization": header} if header else {})
    response = http.get("/api/v1/me")
    assert response.status_code == 401
    assert response.json()["detail"].startswith("Authentication required")


def test_revoked_token_stops_working(world, api_client):
    http = api_client(world.a.users["peer"])
    assert http.get("/api/v1/me").status_code == 200
    ApiToken.objects.update(is_active=False)
    assert http.get("/api/v1/me").status_code == 401


def test_profile_creates_a_token_shown_once(world, login):
    http = login(world.a.users["clinician"])
    response = http.post("/staff/profile/tokens/", {"name": "laptop"}, follow=True)
    assert response.status_code == 200
    assert b"Copy it now" in response.content
    assert ApiToken.objects.filter(staff=world.a.users["clinician"], name="laptop").count() == 1
    again = http.get("/staff/profile/")
    assert b'id="new-token"' not in again.content
