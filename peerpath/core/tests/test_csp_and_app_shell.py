"""Content-Security-Policy on every page, no inline script anywhere, and the installable app's
files (favicon, manifest, service worker, offline page) served from the site root."""

from __future__ import annotations

import json
import re

import pytest
from django.db import transaction
from django.urls import reverse

from peerpath.core.csp import POLICY
from peerpath.core.tests.test_access_matrix import DECLARED, DISCOVERED

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/(?:ld\+)?json\")[^>]*>", re.I)
INLINE_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.I)

pytestmark = pytest.mark.django_db


def _get_routes():
    for name in DISCOVERED:
        route = DECLARED[name]
        if route.method == "GET":
            yield name, route


def _responses(name, route, world, login):
    url = reverse(name, kwargs=route.kwargs(world))
    roles = sorted(route.allowed) if not route.public else ["peer"]
    return [(role, login(world.a.users[role]).get(url)) for role in roles]


def test_every_html_page_of_every_role_has_the_policy_and_no_inline_script(world, login, client):
    pages = 0
    for name, route in _get_routes():
        # Each route's records (built by its kwargs) and every call are rolled back afterwards,
        # so each route meets the same world, as in the access matrix.
        with transaction.atomic():
            responses = _responses(name, route, world, login)
            transaction.set_rollback(True)
        world.a.extra.clear()
        for role, response in responses:
            assert response["Content-Security-Policy"] == POLICY, f"{name} as {role}"
            if "text/html" not in response.get("Content-Type", ""):
                continue
            body = response.content.decode("utf-8", "replace")
            assert not INLINE_SCRIPT.findall(body), f"inline <script> on {name} as {role}"
            assert not INLINE_HANDLER.findall(body), f"inline event handler on {name} as {role}"
            pages += 1
    assert pages >= 60  # the sweep really rendered the pages
    signed_out = client.get(reverse("account_login"))
    assert signed_out["Content-Security-Policy"] == POLICY
    assert not INLINE_SCRIPT.findall(signed_out.content.decode())


def test_policy_allows_scripts_only_from_our_origin():
    directives = dict(part.split(" ", 1) for part in POLICY.split("; "))
    assert directives["script-src"] == "'self'"
    assert directives["object-src"] == "'none'" and directives["frame-ancestors"] == "'none'"
    assert "unsafe-eval" not in POLICY


def test_api_docs_load_their_assets_from_our_static_files(client):
    response = client.get("/api/v1/docs")
    body = response.content.decode()
    assert response.status_code == 200
    assert "/static/ninja/swagger-ui-bundle.js" in body
    assert "cdn" not in body.lower()
    assert not INLINE_SCRIPT.findall(body)


def test_favicon_is_served_not_redirected(client, world, login):
    for http in (client, login(world.a.users["peer"])):
        response = http.get("/favicon.ico")
        assert response.status_code == 200
        assert response["Content-Type"] == "image/x-icon"
        assert b"".join(response.streaming_content)[:4] == b"\x00\x00\x01\x00"  # an ICO file


def test_favicon_is_served_while_two_factor_is_pending(world, login):
    organisation = world.a.organisation
    organisation.require_mfa = True
    organisation.save()
    http = login(world.a.users["peer"])
    assert http.get("/favicon.ico").status_code == 200
    assert http.get("/sw.js").status_code == 200
    assert http.get("/care/").status_code == 302  # pages still ask for the second factor


def test_manifest_makes_the_app_installable(client):
    response = client.get("/manifest.webmanifest")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    data = json.loads(response.content)
    assert data["display"] == "standalone" and data["start_url"] == "/" and data["name"] == "Peerpath"
    sizes = {(icon["sizes"], icon["purpose"]) for icon in data["icons"]}
    assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")} <= sizes
    for icon in data["icons"]:
        assert client.get(icon["src"]).status_code == 200


def test_service_worker_covers_the_whole_site_and_caches_no_page(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == "/"
    source = response.content.decode()
    assert "__VERSION__" not in source and "__ASSETS__" not in source
    assert '"/static/core/offline.js"' in source
    offline = client.get("/offline/")
    assert offline.status_code == 200 and b"data-offline-page" in offline.content


def test_every_page_links_the_manifest_and_icons(world, login):
    body = login(world.a.users["peer"]).get(reverse("care:peer_home")).content.decode()
    assert 'rel="manifest" href="/manifest.webmanifest"' in body
    assert 'rel="icon" href="/favicon.ico"' in body
    assert '<details class="menu" id="site-menu">' in body
