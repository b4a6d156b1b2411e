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
    """When two-factor sign-in is required (organisation setting, or a platform administrator),
    staff without an authenticator can only reach the pages that set one up (and sign out).

    Only a page a person navigates to is redirected to the activation page. Assets, the
    favicon, the service worker, health checks and the API are never redirected: a browser
    fetching ``/favicon.ico`` used to land on the activation page and replace the secret the
    person had just scanned. Other non-page requests to the app are refused (403) instead.
    """

    EXEMPT_PREFIXES = (
        "/accounts/", "/static/", "/api/", "/i18n/", "/healthz", "/favicon.ico", "/robots.txt",
        "/sw.js", "/service-worker.js", "/manifest.json", "/manifest.webmanifest", "/offline/", "/media/",
    )

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not request.path.startswith(self.EXEMPT_PREFIXES)
        ):
            from peerpath.accounts.mfa import mfa_missing

            if mfa_missing(user):
                if _is_page_navigation(request):
                    return redirect("mfa_activate_totp")
                return HttpResponseForbidden("Two-factor sign-in must be set up first.")
        return self.get_response(request)


def _is_page_navigation(request: HttpRequest) -> bool:
    """A person opening a page (not a script, image, htmx fragment or form post)."""
    if request.method not in ("GET", "HEAD") or request.headers.get("HX-Request"):
        return False
    if request.headers.get("Sec-Fetch-Dest") not in (None, "", "document"):
        return False
    accept = request.headers.get("Accept", "")
    return not accept or "text/html" in accept


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
