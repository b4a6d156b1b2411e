"""Deny-by-default access for pages.

Every page view must declare who may open it with ``@allow(...)`` (or ``@public``);
``DenyByDefaultMiddleware`` refuses any view of ours that declares nothing. Object-level
checks (organisation, team, caseload) happen in selectors and services.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import wraps
from typing import TYPE_CHECKING, Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from peerpath.core.choices import Role

ALL_ROLES = frozenset(Role.values)
STAFF_WHO_CARE = frozenset({Role.PEER, Role.SUPERVISOR, Role.CLINICIAN, Role.LEADER, Role.ADMIN})


def allow(roles: Iterable[str]) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    allowed = frozenset(roles)

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            user = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not user.is_active or getattr(user, "role", None) not in allowed:
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapped.peerpath_access = allowed  # type: ignore[attr-defined]
        return wrapped

    return decorator


def public(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    view.peerpath_access = "public"  # type: ignore[attr-defined]
    return view


def has_role(user: Any, *roles: str) -> bool:
    return bool(user and user.is_authenticated and user.is_active and getattr(user, "role", None) in roles)


if TYPE_CHECKING:
    from peerpath.accounts.models import StaffMember

    class AuthedRequest(HttpRequest):
        """A request past ``@allow``: the user is a signed-in staff member."""

        user: StaffMember  # type: ignore[assignment]
        htmx: Any
else:
    AuthedRequest = HttpRequest
