from __future__ import annotations

import logging

from django.core.paginator import Paginator
from django.db import DatabaseError, connections
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render

from peerpath.core.access import ALL_ROLES, AuthedRequest, allow, public
from peerpath.core.choices import Role
from peerpath.core.forms import AuditSearchForm
from peerpath.core.policies import READ_AUDIT_TRAIL
from peerpath.core.selectors import audit_events_search, audit_trail_shown

logger = logging.getLogger(__name__)

# Where each role starts its day.
START_PAGE: dict[str, str] = {
    Role.PEER: "care:peer_home",
    Role.SUPERVISOR: "clients:referral_inbox",
    Role.CLINICIAN: "clients:client_list",
    Role.LEADER: "implementation:planning_home",
    Role.EVALUATOR: "accounts:profile",
    Role.ADMIN: "core:audit_search",
}


@allow(ALL_ROLES)
def home(request: AuthedRequest) -> HttpResponse:
    return redirect(START_PAGE.get(request.user.role, "accounts:profile"))


@public
def healthz(request: AuthedRequest) -> HttpResponse:
    """Health check: the process answers and the database does. One ``SELECT 1`` on the worker's
    (persistent) connection keeps it cheap: it is also the trivial endpoint benchmarks compare against."""
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        logger.warning("healthz: the database is unreachable", exc_info=True)
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


@public
def healthz_live(request: AuthedRequest) -> HttpResponse:
    """Liveness only (no database): the trivial floor benchmarks compare pages against."""
    return JsonResponse({"status": "ok"})


@allow(ALL_ROLES)
def healthz_session(request: AuthedRequest) -> HttpResponse:
    """The signed-in floor: session, user and the middleware every page runs, nothing else.
    Benchmarks measure pages against it (issue 11); it reveals only the caller's own id."""
    return JsonResponse({"status": "ok", "user": request.user.pk})


@allow(READ_AUDIT_TRAIL)
def audit_search(request: AuthedRequest) -> HttpResponse:
    form = AuditSearchForm(request.GET or None, user=request.user)
    client_id = actor_id = None
    if form.is_valid():
        client_id = form.cleaned_data["client"].pk if form.cleaned_data.get("client") else None
        actor_id = form.cleaned_data["actor"].pk if form.cleaned_data.get("actor") else None
    events = audit_events_search(user=request.user, client_id=client_id, actor_id=actor_id)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    page.object_list = audit_trail_shown(request.user, page, form.fields["client"].queryset)  # type: ignore[attr-defined]
    return render(request, "core/audit_search.html", {"form": form, "page": page})
