"""SMART Backend Services (system-to-system auth): an admin registers a system client with its JWK Set; the
client posts a JWT assertion signed RS384 or ES384 (iss = sub = client id, aud = the token URL, exp at most
5 minutes ahead, a unique jti) to ``/fhir/r4/auth/token`` and gets a 5-minute bearer token with
``system/<Type|*>.<read|write|*>`` scopes. With it the client acts as the organisation's system account."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

import jwt
from django.db import IntegrityError, transaction
from django.utils import timezone

from peerpath.accounts.models import StaffMember
from peerpath.core.api_support import hash_token
from peerpath.core.audit import audit_record
from peerpath.core.choices import AuditAction, Role
from peerpath.core.exceptions import NotAllowed, ServiceError
from peerpath.interop.models import SystemAccessToken, SystemAccount, SystemClient, UsedAssertion

ALGORITHMS = ["RS384", "ES384"]
TOKEN_LIFETIME = dt.timedelta(minutes=5)
MAX_ASSERTION_LIFETIME = dt.timedelta(minutes=5)
ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"


class OAuthError(Exception):
    def __init__(self, error: str, description: str, status: int = 400) -> None:
        super().__init__(description)
        self.error, self.description, self.status = error, description, status


def system_actor_for(organisation: Any) -> StaffMember:
    """The organisation's system account, created on first use."""
    account = SystemAccount.objects.select_related("staff").filter(organisation=organisation).first()
    if account:
        return account.staff
    with transaction.atomic():
        staff = StaffMember(username=f"system-{organisation.slug}", organisation=organisation, role=Role.LEADER,
                            first_name="System", last_name=organisation.name[:150])
        staff.set_unusable_password()
        staff.save()
        SystemAccount.objects.create(organisation=organisation, staff=staff)
    return staff


def parse_scopes(raw: str) -> set[str]:
    scopes = set()
    for scope in raw.split():
        context, _, rest = scope.partition("/")
        resource, _, access = rest.partition(".")
        if context != "system" or not resource or access not in {"read", "write", "*", "rs", "cruds"}:
            raise ServiceError(f"Not a system scope: {scope}", field="scopes")
        scopes.add(scope)
    return scopes


def scope_allows(scopes: set[str], resource_type: str, access: str) -> bool:
    wanted = {"read": {"read", "*", "rs", "cruds"}, "write": {"write", "*", "cruds"}}[access]
    for scope in scopes:
        resource, _, granted = scope.removeprefix("system/").partition(".")
        if resource in {"*", resource_type} and granted in wanted:
            return True
    return False


def system_client_register(*, actor: Any, name: str, jwks: dict[str, Any], scopes: str = "system/*.read") -> SystemClient:
    if getattr(actor, "role", None) != Role.ADMIN:
        raise NotAllowed("Only administrators register systems.")
    name = (name or "").strip()
    if not name:
        raise ServiceError("Name the system.", field="name")
    keys = jwks.get("keys") if isinstance(jwks, dict) else None
    if not keys:
        raise ServiceError("Paste the system's public keys as a JWK Set ({\"keys\": [...]}).", field="jwks")
    for key in keys:
        if any(private in key for private in ("d", "p", "q")):
            raise ServiceError("That is a private key: register only the public keys.", field="jwks")
        try:
            jwt.PyJWK(key)
        except (jwt.PyJWKError, jwt.InvalidKeyError) as exc:
            raise ServiceError(f"A key could not be read: {exc}", field="jwks") from exc
    scopes = " ".join(sorted(parse_scopes(scopes)))
    with transaction.atomic():
        system_actor_for(actor.organisation)
        client = SystemClient.objects.create(organisation_id=actor.organisation_id, name=name, jwks=jwks, scopes=scopes,
                                             client_id=secrets.token_urlsafe(24), registered_by=actor)
        audit_record(actor=actor, action=AuditAction.CREATE, target=client, detail={"scopes": scopes})
    return client


def _key_for(client: SystemClient, kid: str | None) -> Any:
    for key in client.jwks.get("keys", []):
        if kid is None or key.get("kid") == kid:
            return jwt.PyJWK(key)
    raise OAuthError("invalid_client", "No registered key matches the assertion's kid.")


def issue_token(*, form: Any, token_url: str) -> dict[str, Any]:
    if form.get("grant_type") != "client_credentials":
        raise OAuthError("unsupported_grant_type", "Use grant_type=client_credentials.")
    if form.get("client_assertion_type") != ASSERTION_TYPE or not form.get("client_assertion"):
        raise OAuthError("invalid_request", "Send a client_assertion of type jwt-bearer.")
    assertion = form["client_assertion"]
    try:
        header = jwt.get_unverified_header(assertion)
        unverified = jwt.decode(assertion, options={"verify_signature": False})
    except jwt.PyJWTError as exc:
        raise OAuthError("invalid_client", "The assertion is not a JWT.") from exc
    if header.get("alg") not in ALGORITHMS:
        raise OAuthError("invalid_client", "Sign the assertion with RS384 or ES384.")
    client = SystemClient.objects.filter(client_id=str(unverified.get("iss", "")), is_active=True).first()
    if client is None:
        raise OAuthError("invalid_client", "Unknown client.", status=401)
    try:
        claims = jwt.decode(assertion, _key_for(client, header.get("kid")).key, algorithms=ALGORITHMS,
                            audience=token_url, options={"require": ["iss", "sub", "aud", "exp", "jti"]})
    except jwt.PyJWTError as exc:
        raise OAuthError("invalid_client", f"The assertion was refused: {exc}", status=401) from exc
    now = timezone.now()
    expires = dt.datetime.fromtimestamp(claims["exp"], tz=dt.UTC)
    if claims["sub"] != client.client_id or expires - now > MAX_ASSERTION_LIFETIME:
        raise OAuthError("invalid_client", "sub must equal iss and exp be at most 5 minutes ahead.", status=401)
    try:
        requested = parse_scopes(form.get("scope", ""))
    except ServiceError as exc:
        raise OAuthError("invalid_scope", exc.reason) from exc
    allowed = set(client.scopes.split())
    granted = {s for s in requested if scope_allows(allowed, *_type_access(s))}
    if not granted:
        raise OAuthError("invalid_scope", f"This client may ask for: {client.scopes}.")
    secret = secrets.token_urlsafe(32)
    try:
        with transaction.atomic():
            UsedAssertion.objects.filter(expires_at__lt=now).delete()
            UsedAssertion.objects.create(client=client, jti=str(claims["jti"]), expires_at=expires)
            SystemAccessToken.objects.create(client=client, token_hash=hash_token(secret), scopes=" ".join(sorted(granted)),
                                             expires_at=now + TOKEN_LIFETIME)
            SystemClient.objects.filter(pk=client.pk).update(last_token_at=now)
            audit_record(actor=system_actor_for(client.organisation), action=AuditAction.TOKEN, target=client,
                         detail={"scopes": sorted(granted)})
    except IntegrityError as exc:
        raise OAuthError("invalid_client", "This assertion was already used (jti).", status=401) from exc
    return {"access_token": secret, "token_type": "bearer", "expires_in": int(TOKEN_LIFETIME.total_seconds()),
            "scope": " ".join(sorted(granted))}


def _type_access(scope: str) -> tuple[str, str]:
    resource, _, access = scope.removeprefix("system/").partition(".")
    return resource, "write" if access == "write" else "read"


def actor_for_token(secret: str) -> tuple[StaffMember, set[str]] | None:
    token = (SystemAccessToken.objects.select_related("client__organisation")
             .filter(token_hash=hash_token(secret), expires_at__gt=timezone.now(), client__is_active=True).first())
    if token is None:
        return None
    return system_actor_for(token.client.organisation), set(token.scopes.split())
