from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render

from peerpath.core.access import ALL_ROLES, AuthedRequest, allow, public
from peerpath.core.choices import Role
from peerpath.core.forms import AuditSearchForm
from peerpath.core.policies import READ_AUDIT_TRAIL
from peerpath.core.selectors import audit_events_search

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
    """Liveness check; also the trivial endpoint benchmarks compare against."""
    return JsonResponse({"status": "ok"})


@allow(READ_AUDIT_TRAIL)
def audit_search(request: AuthedRequest) -> HttpResponse:
    form = AuditSearchForm(request.GET or None, user=request.user)
    client_id = actor_id = None
    if form.is_valid():
        client_id = form.cleaned_data["client"].pk if form.cleaned_data.get("client") else None
        actor_id = form.cleaned_data["actor"].pk if form.cleaned_data.get("actor") else None
    events = audit_events_search(user=request.user, client_id=client_id, actor_id=actor_id)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    return render(request, "core/audit_search.html", {"form": form, "page": page})
