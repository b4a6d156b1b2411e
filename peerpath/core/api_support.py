"""Shared pieces of the JSON API: bearer-token auth and structured errors.

Every error body has the same shape, so clients can show the field and the reason:
``{"detail": "...", "code": "...", "errors": [{"field": "duration_minutes", "reason": "...", "code": "..."}]}``.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.db import IntegrityError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import HttpBearer

from peerpath.core.api_types import Schema
from peerpath.core.body_limit import api_body_limit
from peerpath.core.exceptions import NotAllowed, ServiceError
from peerpath.core.request_context import origin_from_meta, set_origin

TOKEN_TOUCH_INTERVAL = timedelta(minutes=5)
logger = logging.getLogger("peerpath.api")


class FieldError(Schema):
    field: str
    reason: str
    code: str = "invalid"


class ErrorOut(Schema):
    """The body of every 4xx answer; ``code`` is a stable machine-readable word."""

    detail: str
    code: str = "invalid"
    errors: list[FieldError]


def hash_token(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


class ApiTokenAuth(HttpBearer):
    """``Authorization: Bearer <token>``; the token acts as its staff member."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        ApiToken = apps.get_model("accounts", "ApiToken")  # core imports no domain app  # noqa: N806

        now = timezone.now()
        api_token = (
            ApiToken.objects.select_related("staff", "staff__organisation")
            .filter(key_hash=hash_token(token), is_active=True, staff__is_active=True)
            .exclude(staff__role="system")  # the system account never uses the API
            .first()
        )
        if api_token is None or (api_token.expires_at and api_token.expires_at <= now):
            return None
        from peerpath.core.second_factor import mfa_missing

        if mfa_missing(api_token.staff):
            # The same rule as the pages: a token minted before the organisation required
            # two-factor stops working until its owner has set up an authenticator.
            raise MfaRequired()
        if api_token.last_used_at is None or now - api_token.last_used_at > TOKEN_TOUCH_INTERVAL:
            # Touch at most every few minutes: a hot row written on every request would serialise load.
            ApiToken.objects.filter(pk=api_token.pk).update(last_used_at=now)
        request.user = api_token.staff
        set_origin(origin_from_meta(request.META, request.path))
        return api_token.staff


class MfaRequired(HttpError):
    """Refused until the token's owner has set up two-factor sign-in."""

    reason = "mfa_required"
    message = "Two-factor sign-in is required: set up an authenticator app in the web app, then use a new token."

    def __init__(self) -> None:
        super().__init__(403, self.message)


def _field_from_loc(loc: list[Any]) -> str:
    parts = [str(part) for part in loc if part not in ("body", "payload", "query", "path", "data")]
    return ".".join(parts) or "body"


def install_error_handlers(api: NinjaAPI) -> None:
    @api.exception_handler(ValidationError)
    def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        errors = [{"field": _field_from_loc(list(err.get("loc", []))), "reason": err.get("msg", "invalid")} for err in exc.errors]
        return api.create_response(request, {"detail": "Invalid input.", "errors": errors}, status=422)

    @api.exception_handler(ServiceError)
    def service_error(request: HttpRequest, exc: ServiceError) -> HttpResponse:
        errors = [{"field": exc.field or "body", "reason": exc.reason, "code": exc.code}]
        return api.create_response(request, {"detail": exc.reason, "code": exc.code, "errors": errors}, status=400)

    @api.exception_handler(NotAllowed)
    def not_allowed(request: HttpRequest, exc: NotAllowed) -> HttpResponse:
        return api.create_response(request, {"detail": "You do not have permission to do this.", "errors": []}, status=403)

    @api.exception_handler(PermissionDenied)
    def permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        # Django's own refusals (e.g. allauth when it cannot tell the client's address): still a structured 403.
        return api.create_response(request, {"detail": "You do not have permission to do this.", "errors": []}, status=403)

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return api.create_response(request, {"detail": "Not found.", "errors": []}, status=404)

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return api.create_response(request, {"detail": "Authentication required: send Authorization: Bearer <token>.", "errors": []}, status=401)

    @api.exception_handler(MfaRequired)
    def mfa_required(request: HttpRequest, exc: MfaRequired) -> HttpResponse:
        errors = [{"field": "authorization", "reason": exc.reason}]
        return api.create_response(request, {"detail": exc.message, "errors": errors}, status=403)

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        return api.create_response(request, {"detail": str(exc), "errors": []}, status=exc.status_code)

    @api.exception_handler(RequestDataTooBig)
    def too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
        return api.create_response(request, body_too_large_body(), status=413)

    @api.exception_handler(IntegrityError)
    def conflict(request: HttpRequest, exc: IntegrityError) -> HttpResponse:
        # A database rule refused the write (usually a concurrent request made the same change first);
        # the transaction was rolled back, so nothing is half-written.
        logger.warning("API write refused by a database constraint: %s %s: %s", request.method, request.path, exc)
        return api.create_response(request, {"detail": "This conflicts with a change made at the same time; reload and try again.",
                                             "errors": []}, status=409)

    @api.exception_handler(Exception)
    def server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
        # The last resort: still structured JSON, never Django's HTML error page. Logged with the traceback
        # (the error is ours to fix); the answer says nothing about the internals.
        logger.exception("Unhandled API error: %s %s", request.method, request.path)
        return api.create_response(request, {"detail": "Something went wrong on our side; it has been logged.", "errors": []},
                                   status=500)


def body_too_large_body(limit: int | None = None) -> dict[str, Any]:
    limit = limit or settings.API_MAX_BODY_BYTES
    return {"detail": f"The request body is too large (at most {limit} bytes).", "errors": [{"field": "body", "reason": "too large"}]}


class ApiBodyLimitMiddleware:
    """Refuse an API body over ``API_MAX_BODY_BYTES`` with 413 before anything parses it: by its
    ``Content-Length`` without reading it, and a body without one (chunked) by reading at most one byte
    past the limit."""

    METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method in self.METHODS and request.path.startswith("/api/"):
            limit = api_body_limit(request.path, settings.API_MAX_BODY_BYTES)  # a file route may take more
            try:
                declared = int(request.META.get("CONTENT_LENGTH") or -1)
            except ValueError:
                declared = -1
            if declared > limit:
                return JsonResponse(body_too_large_body(limit), status=413)
            if declared < 0:
                data = request.read(limit + 1)
                if len(data) > limit:
                    return JsonResponse(body_too_large_body(limit), status=413)
                request._body = data  # type: ignore[attr-defined]  # what was read is the body
        return self.get_response(request)


def signed_in_in_production(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """The API's docs and OpenAPI document: open in development and tests, sign-in required in
    production (issue 10 point 18: they map every operation for an attacker). Decided per request,
    so the setting can be tested without rebuilding the URL configuration."""

    def docs_view(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if settings.IS_PRODUCTION and not request.user.is_authenticated:
            from django.contrib.auth.views import redirect_to_login

            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    return docs_view
