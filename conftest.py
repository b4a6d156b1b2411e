"""Suite-wide test setup: the test environment, two organisations and one user per role."""

import os

os.environ.setdefault("PEERPATH_ENV", "test")
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API inside live_server tests

import pytest  # noqa: E402

pytest_plugins = ["peerpath.testing.fixtures"]


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"
