"""Who is calling the FHIR server: a staff bearer token (the same ``ApiToken`` as the JSON API, acting as its
staff member with the pages' scoping), a SMART system token (acting as the organisation's system account, limited
further by its scopes) or a signed-in staff session. Without credentials a
FHIR client (``Accept`` naming JSON) gets 401; a browser is sent to the sign-in page."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from peerpath.core.api_support import ApiTokenAuth
from peerpath.interop.fhir.errors import FhirError

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


class NeedsSignIn(Exception):
    """No credentials from a browser: redirect to the sign-in page."""


def wants_fhir(request: HttpRequest) -> bool:
    accept = request.headers.get("Accept", "")
    return "json" in accept or "fhir" in accept or "Authorization" in request.headers


def authenticate(request: HttpRequest) -> Any:
    header = request.headers.get("Authorization", "")
    if header:
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise FhirError(401, "login", "Send Authorization: Bearer <token>.")
        staff = ApiTokenAuth().authenticate(request, token.strip())
        if staff is not None:
            request.fhir_auth = "token"  # type: ignore[attr-defined]
            return staff
        from peerpath.interop.fhir.smart import actor_for_token

        system = actor_for_token(token.strip())
        if system is None:
            raise FhirError(401, "login", "The access token is not valid or has expired.")
        request.fhir_auth = "system"  # type: ignore[attr-defined]
        request.fhir_scopes = system[1]  # type: ignore[attr-defined]
        return system[0]
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and user.is_active:
        request.fhir_auth = "session"  # type: ignore[attr-defined]
        return user
    if wants_fhir(request):
        raise FhirError(401, "login", "Authentication required: send Authorization: Bearer <token>.")
    raise NeedsSignIn


def scopes_allow(request: HttpRequest, resource_type: str, access: str) -> bool:
    """Staff tokens and sessions carry no scopes (the role decides); system tokens must hold a matching scope."""
    scopes = getattr(request, "fhir_scopes", None)
    if scopes is None:
        return True
    from peerpath.interop.fhir.smart import scope_allows

    return scope_allows(scopes, resource_type, access)
