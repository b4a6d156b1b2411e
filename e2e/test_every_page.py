"""Every page × every role that may open it × a phone (360 × 740) and a desktop (1280 × 800):
no horizontal overflow, no serious or critical axe violation, no Content-Security-Policy refusal.

The page list is discovered from the URL resolver and the access declarations, exactly as the
access matrix does (peerpath/core/tests/test_access_matrix.py): every GET page route (not the
API), with its URL arguments filled from the fixture world, opened by each role its declaration
allows. A route that is not an HTML page (CSV, PDF, JSON, image) is counted and left out.
Counts are written to var/every-page-sweep-<size>-<role>.json for the closing note.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import transaction
from django.urls import reverse

from e2e.conftest import serious_axe_violations, sign_in
from peerpath.accounts.tests.factories import TEST_PASSWORD
from peerpath.core.tests.test_access_matrix import DECLARED, DISCOVERED
from peerpath.testing.fixtures import ROLES, World, build_org_world

pytestmark = [
    pytest.mark.browser, pytest.mark.django_db(transaction=True),
    # Layout does not depend on the database: the 620-visit sweep runs once, in the SQLite pass.
    pytest.mark.skipif(os.environ.get("DATABASE_URL", "").startswith("postgres"),
                       reason="the page sweep runs in the SQLite pass of make test"),
]

SIZES = {"phone": {"width": 360, "height": 740}, "desktop": {"width": 1280, "height": 800}}
# Not pages: files, feeds and machine endpoints a person never reads in the browser.
NOT_PAGES = {"core:favicon", "core:service_worker", "core:manifest", "core:healthz", "core:healthz_session",
             "core:notification_stream",  # a never-ending event stream
             "platform_admin_login",  # a hand-over to the sign-in page, never a page itself
             # type-ahead results: an HTML fragment swapped into a picker, never opened as a page
             "clients:client_search", "accounts:staff_search",
             # an import's progress: an HTML fragment the import page polls into itself
             "outcomes:service_event_import_progress"}
# PEERPATH_SWEEP_ONLY="app:route,app:other" narrows the sweep while fixing a page (never in CI).
ONLY = {name for name in os.environ.get("PEERPATH_SWEEP_ONLY", "").split(",") if name}
PAGE_ROUTES = [name for name in DISCOVERED  # an undeclared route fails the access matrix itself
               if name in DECLARED and not name.startswith(("api:", "fhir:")) and DECLARED[name].method == "GET"
               and name not in NOT_PAGES
               and (not ONLY or name in ONLY)]


# Its fixture adds the organisation's own CFIR dataset, which later rating fixtures would then pick.
BUILT_LAST = ("implementation:planning_barrier_create",)


def _urls(world: World, role: str) -> tuple[list[tuple[str, str]], list[str]]:
    urls, unfillable = [], []
    for name in sorted(PAGE_ROUTES, key=lambda n: n in BUILT_LAST):
        route = DECLARED[name]
        if not route.public and role not in route.allowed:
            continue
        try:
            with transaction.atomic():
                kwargs = route.kwargs(world)
        except Exception:  # noqa: BLE001 - a fixture the shared world cannot build: counted, reported
            unfillable.append(name)
            continue
        urls.append((name, reverse(name, kwargs=kwargs)))
    return urls, unfillable


def _overflow(page: Any) -> int:
    return int(page.evaluate("document.documentElement.scrollWidth - window.innerWidth"))


@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("role", ROLES)
def test_every_page_fits_and_passes_axe(live_server, browser, size, role):
    world = World(a=build_org_world("a"), b=build_org_world("b"))
    urls, unfillable = _urls(world, role)
    context = browser.new_context(viewport=SIZES[size], locale="en-GB", service_workers="block")
    page = context.new_page()
    page.set_default_timeout(45_000)
    refused: list[str] = []
    page.on("console", lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None)
    sign_in(page, live_server, world.a.users[role].username, TEST_PASSWORD)
    problems: dict[str, Any] = {}
    checked = 0
    not_html: list[str] = []
    for name, url in urls:
        refused.clear()
        try:
            response = page.goto(f"{live_server.url}{url}", wait_until="load")
        except Exception as error:  # noqa: BLE001 - a file sent as a download is not a page
            if "Download is starting" not in str(error):
                raise
            not_html.append(name)
            continue
        content_type = (response.headers.get("content-type", "") if response else "")
        if "text/html" not in content_type:
            not_html.append(f"{name} ({content_type.split(';')[0]})")
            continue
        checked += 1
        found: dict[str, Any] = {}
        if response.status >= 400 and response.status not in DECLARED[name].ok:
            found["status"] = response.status
        overflow = _overflow(page)
        if overflow > 0:
            found["overflow_px"] = overflow
        violations = serious_axe_violations(page)
        if violations:
            found["axe"] = sorted({v["id"] for v in violations})
        if refused:
            found["csp"] = refused[:3]
        if found:
            problems[f"{name} {url}"] = found
    context.close()
    summary = {"size": size, "role": role, "pages_checked": checked, "not_html": not_html,
               "unfillable": unfillable, "problems": problems}
    out = Path(settings.BASE_DIR) / "var" / f"every-page-sweep-{size}-{role}.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(summary, indent=1))
    assert checked >= (1 if ONLY else 5), f"{role} at {size}: too few pages opened ({checked})"
    assert problems == {}, json.dumps(problems, indent=1)


def test_the_sweep_sees_a_page_wider_than_the_phone_and_an_unfocusable_scroller(live_server, browser):
    """The two checks above can fail: a 900 px block and a scrolling region no keyboard can reach."""
    context = browser.new_context(viewport=SIZES["phone"], locale="en-GB", service_workers="block")
    page = context.new_page()
    page.goto(f"{live_server.url}/offline/")
    assert _overflow(page) <= 0
    page.evaluate("""() => {
        const wide = document.createElement('div'); wide.style.width = '900px'; wide.textContent = 'wide';
        document.querySelector('main').appendChild(wide);
    }""")
    assert _overflow(page) > 500
    page.evaluate("""() => {
        document.querySelector('main > div:last-child').remove();
        const box = document.createElement('div');
        box.style.cssText = 'overflow-x:auto;max-width:200px';
        box.innerHTML = '<p style="width:800px">a long line of text that scrolls sideways</p>';
        document.querySelector('main').appendChild(box);
    }""")
    assert "scrollable-region-focusable" in {v["id"] for v in serious_axe_violations(page)}
    context.close()
