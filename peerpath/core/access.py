"""Access policies: who may do one thing, declared once and used by every entry point.

A ``Policy`` names the roles that may act and, optionally, a scope predicate on the object
(``scope(user, obj) -> bool``). The same object guards the page (``@allow(POLICY)``), the API
(``require(user, POLICY)``), the menu (``NavItem(..., policy=POLICY)``) and the service
(``POLICY.check(actor, obj)`` as its first line), so the copies cannot disagree.

Deny by default: every page view must declare who may open it with ``@allow(...)`` (or
``@public``); ``DenyByDefaultMiddleware`` refuses any view of ours that declares nothing.
Lists are scoped in selectors; a record outside the reader's scope is 404, never 403.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable
from functools import wraps
from typing import TYPE_CHECKING, Any

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse

from peerpath.core.choices import Role
from peerpath.core.exceptions import NotAllowed

#: Every role a person can hold. The organisation's system account is not a person: it never
#: opens a page or uses the API, and acts only where a policy names ``Role.SYSTEM``.
HUMAN_ROLES = frozenset(role for role in Role.values if role != Role.SYSTEM)
ALL_ROLES = HUMAN_ROLES
STAFF_WHO_CARE = frozenset({Role.PEER, Role.SUPERVISOR, Role.CLINICIAN, Role.LEADER, Role.ADMIN})

Scope = Callable[[Any, Any], bool]


class Policy:
    """Who may do one thing: roles, plus an optional scope predicate on the object."""

    def __init__(self, name: str, roles: Iterable[str], scope: Scope | None = None) -> None:
        self.name = name
        self.roles = frozenset(str(role) for role in roles)
        self.scope = scope

    def __repr__(self) -> str:
        return f"Policy({self.name!r}, {sorted(self.roles)})"

    def allows(self, user: Any, obj: Any = None) -> bool:
        """Signed in, active, holding one of the roles, in the object's organisation (when the
        object has one) and inside the scope predicate (when given an object)."""
        if user is None or not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
            return False
        if getattr(user, "role", None) not in self.roles:
            return False
        if obj is None:
            return True
        organisation_id = getattr(obj, "organisation_id", None)
        if organisation_id is not None and organisation_id != getattr(user, "organisation_id", None):
            return False
        return self.scope is None or bool(self.scope(user, obj))

    def check(self, user: Any, obj: Any = None) -> None:
        """The one refusal: ``NotAllowed`` (403 on a page and in the API)."""
        if not self.allows(user, obj):
            raise NotAllowed(self.name)

    def __contains__(self, role: object) -> bool:  # lets old ``role in ROLE_SET`` callers keep working
        return role in self.roles


def as_policy(policy: Policy | Iterable[str], name: str = "") -> Policy:
    """A policy from a policy or (while apps are converted) a bare role set."""
    if isinstance(policy, Policy):
        return policy
    return Policy(name or "roles", policy)


def allow(policy: Policy | Iterable[str]) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Page view decorator: anonymous → sign-in page; refused → 403 (``NotAllowed``)."""

    def decorator(view: Callable[..., Any]) -> Callable[..., Any]:
        resolved = as_policy(policy, f"{view.__module__}.{view.__name__}")

        def refusal(request: HttpRequest, user: Any) -> HttpResponse | None:
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if getattr(user, "role", None) == Role.SYSTEM:
                raise NotAllowed(resolved.name)  # the system account never uses pages
            resolved.check(user)
            return None

        wrapped: Any
        if inspect.iscoroutinefunction(view):  # live routes (server-sent events) declare access the same way

            @wraps(view)
            async def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
                user = await request.auser()
                refused = refusal(request, user)
                return refused if refused is not None else await view(request, *args, **kwargs)
        else:

            @wraps(view)
            def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
                refused = refusal(request, request.user)
                return refused if refused is not None else view(request, *args, **kwargs)

        wrapped.peerpath_access = resolved.roles  # read by DenyByDefaultMiddleware
        wrapped.peerpath_policy = resolved  # read by the access matrix
        return wrapped

    return decorator


def require(user: Any, policy: Policy | Iterable[str], obj: Any = None) -> None:
    """API functions: the same check as the page (``policy.check``)."""
    as_policy(policy).check(user, obj)


def public(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    view.peerpath_access = "public"  # type: ignore[attr-defined]  # read by DenyByDefaultMiddleware
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
