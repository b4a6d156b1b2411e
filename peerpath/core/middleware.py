"""Request-wide behaviour: audit origin, per-user language, enforced MFA, deny-by-default."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.shortcuts import redirect
from django.utils import translation

from peerpath.core.request_context import origin_from_meta, reset_origin, set_origin

# Third-party views that guard themselves (sign-in pages, the API with its own auth, the
# language switch). Everything else of ours must declare access with @allow or @public.
SELF_GUARDED_VIEW_MODULES = (
    "allauth.",
    "ninja.",
    "django.contrib.admin.",
    "django.views.i18n",
    "django.views.static",
    "django.contrib.staticfiles.",
)


class RequestContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = set_origin(origin_from_meta(request.META, request.path))
        try:
            return self.get_response(request)
        finally:
            reset_origin(token)


class UserLanguageMiddleware:
    """Each user chooses English or Spanish on their profile; it follows them everywhere."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        language = getattr(user, "language", None) if user is not None and user.is_authenticated else None
        if language:
            translation.activate(language)
            request.LANGUAGE_CODE = language
        response = self.get_response(request)
        if language:
            response.headers.setdefault("Content-Language", language)
        return response


class RequireMfaMiddleware:
    """When an organisation enforces two-factor sign-in, staff without an authenticator can
    only reach the pages that set one up (and sign out)."""

    EXEMPT_PREFIXES = ("/accounts/", "/static/", "/api/", "/i18n/", "/healthz",
                       "/favicon.ico", "/sw.js", "/manifest.webmanifest", "/offline/")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not request.path.startswith(self.EXEMPT_PREFIXES)
            and getattr(getattr(user, "organisation", None), "require_mfa", False)
        ):
            from allauth.mfa.models import Authenticator

            if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
                return redirect("mfa_activate_totp")
        return self.get_response(request)


class DenyByDefaultMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: Callable[..., Any], view_args: Any, view_kwargs: Any
    ) -> HttpResponse | None:
        if getattr(view_func, "peerpath_access", None) is not None:
            return None
        module = getattr(view_func, "__module__", "") or ""
        if module.startswith(SELF_GUARDED_VIEW_MODULES):
            return None
        match = request.resolver_match
        if match is not None and match.namespace == "api":
            return None  # django-ninja: every operation requires a token unless it says auth=None
        return HttpResponseForbidden("This page has not declared who may open it.")
