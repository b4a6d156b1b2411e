"""Browser tests: real headless Chromium (Debian's /usr/bin/chromium) through Playwright,
against pytest-django's live server. Never downloads a browser."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = "/usr/bin/chromium"
ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.browser


def _axe_source() -> str:
    npm_copy = ROOT / "node_modules" / "axe-core" / "axe.min.js"
    if npm_copy.exists():
        return npm_copy.read_text(encoding="utf-8")
    import axe_playwright_python

    bundled = next(Path(axe_playwright_python.__file__).parent.rglob("axe.min.js"))
    return bundled.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not os.path.exists(CHROMIUM):
        pytest.skip("Debian chromium is not installed (scripts/browser-deps.sh installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--no-first-run", "--disable-quic"],
        )
        yield browser
        browser.close()


@pytest.fixture
def phone(browser: Any) -> Iterator[Any]:
    """A phone-sized page (360 × 740)."""
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def desktop(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def sign_in(page: Any, live_server: Any, username: str, password: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=login]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")


def serious_axe_violations(page: Any) -> list[dict[str, Any]]:
    """Run axe-core (WCAG 2.1 A/AA rules) on the page; return serious and critical violations."""
    # Evaluated through the DevTools protocol: pages forbid inline scripts (CSP), so a <script>
    # tag with axe's source would be refused.
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(_axe_source())
    result = page.evaluate(
        "async () => await axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a','wcag2aa','wcag21a','wcag21aa']}})"
    )
    bad = [v for v in result["violations"] if v["impact"] in {"serious", "critical"}]
    if bad:
        print(json.dumps([{"id": v["id"], "nodes": [n["html"][:200] for n in v["nodes"][:3]]} for v in bad], indent=1))
    return bad
