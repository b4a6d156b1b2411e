"""Issue 10 point 18: in production the API's docs and OpenAPI document need sign-in."""

import pytest

pytestmark = pytest.mark.django_db

PATHS = ("/api/v1/docs", "/api/v1/openapi.json")


@pytest.mark.parametrize("path", PATHS)
def test_production_sends_anonymous_readers_of_the_api_docs_to_sign_in(client, settings, path):
    settings.IS_PRODUCTION = True
    response = client.get(path)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/?next=")


@pytest.mark.parametrize("path", PATHS)
def test_production_shows_the_api_docs_to_staff_who_signed_in(world, login, settings, path):
    settings.IS_PRODUCTION = True
    assert login(world.a.users["peer"]).get(path).status_code == 200


def test_development_keeps_the_docs_open(client):
    assert client.get("/api/v1/openapi.json").status_code == 200
