"""Issue 10, points 1–4: two-factor that cannot lock people out or be walked around, one
lockout for every way in, tokens that end with their credentials, secrets kept encrypted."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret, hotp_value, yield_hotp_counters_from_time
from django.core.cache import cache
from django.test import Client as DjangoClient

from peerpath.accounts.models import ApiToken
from peerpath.accounts.tests.factories import TEST_PASSWORD, StaffFactory, make_token
from peerpath.core.tests.factories import OrganisationFactory

ROOT = Path(__file__).resolve().parents[3]


def _code(secret: str) -> str:
    return f"{hotp_value(secret, next(iter(yield_hotp_counters_from_time()))):06d}"


def _strict_peer(**kwargs):
    return StaffFactory(organisation=OrganisationFactory(require_mfa=True), **kwargs)


def _post_token(payload, **extra):
    return DjangoClient().post("/api/v1/auth/token", json.dumps(payload), content_type="application/json", **extra)


# --- 1. requiring two-factor never traps the activation page ---------------------------------

def test_non_page_requests_are_never_sent_to_the_activation_page(db):
    http = DjangoClient()
    http.force_login(_strict_peer())
    for path in ("/favicon.ico", "/static/htmx.min.js", "/sw.js", "/manifest.webmanifest", "/healthz", "/api/v1/me"):
        response = http.get(path, HTTP_ACCEPT="image/avif,image/webp,*/*", HTTP_SEC_FETCH_DEST="image")
        assert response.get("Location", "") != "/accounts/2fa/totp/activate/", path
    fragment = http.get("/care/", HTTP_HX_REQUEST="true")
    assert (fragment.status_code, fragment["HX-Redirect"]) == (204, "/accounts/2fa/totp/activate/")
    script = http.get("/care/", HTTP_ACCEPT="*/*", HTTP_SEC_FETCH_DEST="script")
    assert script.status_code == 403
    page = http.get("/care/", HTTP_ACCEPT="text/html,application/xhtml+xml", HTTP_SEC_FETCH_DEST="document")
    assert page["Location"] == "/accounts/2fa/totp/activate/"


def test_activation_keeps_its_secret_while_the_page_is_open(db):
    cache.clear()
    peer = _strict_peer(username="nia")
    http = DjangoClient()
    assert http.post("/accounts/login/", {"login": "nia", "password": TEST_PASSWORD}).status_code == 302
    assert http.post("/accounts/reauthenticate/", {"password": TEST_PASSWORD}).status_code == 302
    first = http.get("/accounts/2fa/totp/activate/")
    secret = http.session["mfa.totp.secret"]
    http.get("/accounts/2fa/totp/activate/")  # a reload, a second tab, a stray request
    assert http.session["mfa.totp.secret"] == secret
    assert first.status_code == 200
    done = http.post("/accounts/2fa/totp/activate/", {"code": _code(secret)})
    assert done.status_code == 302
    assert Authenticator.objects.filter(user=peer, type=Authenticator.Type.TOTP).exists()


# --- 2. tokens follow the same rule ----------------------------------------------------------

def test_token_minted_before_the_rule_stops_working_naming_the_reason(db):
    peer = StaffFactory()
    http = DjangoClient(headers={"Authorization": f"Bearer {make_token(peer)}"})
    assert http.get("/api/v1/me").status_code == 200
    peer.organisation.require_mfa = True
    peer.organisation.save()
    refused = http.get("/api/v1/clients")
    assert refused.status_code == 403
    assert refused.json()["errors"] == [{"field": "authorization", "reason": "mfa_required"}]
    TOTP.activate(peer, generate_totp_secret())
    assert http.get("/api/v1/me").status_code == 200


def test_platform_administrators_always_need_two_factor_for_tokens(db):
    admin = StaffFactory(is_staff=True, is_superuser=True)
    http = DjangoClient(headers={"Authorization": f"Bearer {make_token(admin)}"})
    assert http.get("/api/v1/me").status_code == 403


# --- 3. one lockout for every way in --------------------------------------------------------

def test_token_endpoint_counts_towards_the_lockout_and_refuses_the_right_password(db):
    cache.clear()
    StaffFactory(username="maya")
    for _ in range(5):
        assert _post_token({"username": "maya", "password": "wrong guess"}).status_code == 400
    locked = _post_token({"username": "maya", "password": TEST_PASSWORD})
    assert locked.status_code == 429
    assert locked.json()["errors"][0]["field"] == "password"
    assert ApiToken.objects.count() == 0


def test_locked_on_the_web_form_means_locked_for_tokens(db):
    cache.clear()
    StaffFactory(username="maya")
    for _ in range(5):
        DjangoClient().post("/accounts/login/", {"login": "maya", "password": "wrong guess"})
    assert _post_token({"username": "maya", "password": TEST_PASSWORD}).status_code == 429


def test_changing_the_host_port_does_not_reset_the_lockout(db):
    cache.clear()
    StaffFactory(username="maya")
    for port in range(1, 6):
        DjangoClient().post("/accounts/login/", {"login": "maya", "password": "wrong"}, HTTP_HOST=f"127.0.0.1:{port}")
    fresh = DjangoClient()
    locked = fresh.post("/accounts/login/", {"login": "maya", "password": TEST_PASSWORD}, HTTP_HOST="127.0.0.1:1")
    assert b"Too many failed login attempts" in locked.content
    assert "_auth_user_id" not in fresh.session


def test_authenticator_code_guessing_on_the_token_endpoint_is_limited(db):
    cache.clear()
    staff = StaffFactory(username="maya")
    secret = generate_totp_secret()
    TOTP.activate(staff, secret)
    wrong = "000000" if _code(secret) != "000000" else "111111"
    for _ in range(5):
        assert _post_token({"username": "maya", "password": TEST_PASSWORD, "otp_code": wrong}).status_code == 400
    locked = _post_token({"username": "maya", "password": TEST_PASSWORD, "otp_code": _code(secret)})
    assert locked.status_code == 429
    assert locked.json()["errors"][0]["field"] == "otp_code"


def test_platform_admin_signs_in_through_the_one_flow_with_two_factor(db):
    response = DjangoClient().get("/platform-admin/login/?next=/platform-admin/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=%2Fplatform-admin%2F"
    admin = StaffFactory(is_staff=True, is_superuser=True, organisation=None)
    http = DjangoClient()
    http.force_login(admin)
    assert http.get("/platform-admin/")["Location"] == "/accounts/2fa/totp/activate/"
    TOTP.activate(admin, generate_totp_secret())
    assert http.get("/platform-admin/").status_code == 200


# --- 4. credentials end tokens; secrets -----------------------------------------------------

def test_password_change_revokes_every_token(db):
    peer = StaffFactory()
    secret = make_token(peer)
    http = DjangoClient()
    http.force_login(peer)
    changed = http.post("/accounts/password/change/", {
        "oldpassword": TEST_PASSWORD, "password1": "a quite different passphrase", "password2": "a quite different passphrase",
    })
    assert changed.status_code == 302
    assert DjangoClient(headers={"Authorization": f"Bearer {secret}"}).get("/api/v1/me").status_code == 401
    assert not ApiToken.objects.filter(is_active=True).exists()


def test_removing_the_authenticator_revokes_every_token(db):
    from allauth.mfa import signals

    peer = StaffFactory()
    make_token(peer)
    authenticator = TOTP.activate(peer, generate_totp_secret()).instance
    signals.authenticator_removed.send(sender=Authenticator, request=None, user=peer, authenticator=authenticator)
    assert not ApiToken.objects.filter(is_active=True).exists()


def test_totp_secrets_are_encrypted_at_rest_and_hidden_in_the_admin(db):
    peer = StaffFactory()
    secret = generate_totp_secret()
    TOTP.activate(peer, secret)
    stored = Authenticator.objects.get(user=peer, type=Authenticator.Type.TOTP)
    assert stored.data["secret"].startswith("fernet:")
    assert secret not in json.dumps(stored.data)
    assert TOTP(stored).validate_code(_code(secret))
    admin = StaffFactory(is_staff=True, is_superuser=True)
    TOTP.activate(admin, generate_totp_secret())
    http = DjangoClient()
    http.force_login(admin)
    page = http.get(f"/platform-admin/mfa/authenticator/{stored.pk}/change/")
    assert page.status_code == 200
    assert b"fernet:" not in page.content and secret.encode() not in page.content


def test_production_refuses_a_short_secret_key():
    env = {**os.environ, "PEERPATH_ENV": "production", "SECRET_KEY": "x" * 49, "ALLOWED_HOSTS": "example.org",
           "PYTHONPATH": str(ROOT)}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    short = subprocess.run([sys.executable, "-c", "import config.settings"], env=env, cwd=ROOT, capture_output=True, text=True)
    assert short.returncode != 0
    assert "at least 50 characters" in short.stderr
    env["SECRET_KEY"] = "y" * 50
    long_enough = subprocess.run([sys.executable, "-c", "import config.settings"], env=env, cwd=ROOT, capture_output=True, text=True)
    assert long_enough.returncode == 0, long_enough.stderr


def test_a_signed_in_non_admin_opening_the_platform_admin_is_refused_not_looped(world, login):
    """Found by the every-page sweep: sign-in → admin → admin login → sign-in ... redirected forever."""
    response = login(world.a.users["peer"]).get("/platform-admin/login/?next=/platform-admin/")
    assert response.status_code == 403
