"""The workforce home, staff profiles, who may see whom, notices and background job runs (shared by every area)."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from peerpath.core.access import ALL_ROLES, AuthedRequest, allow
from peerpath.core.audit import audit_record
from peerpath.core.choices import AuditAction, Role
from peerpath.core.exceptions import ServiceError
from peerpath.workforce import tasks
from peerpath.workforce.credentials import selectors as credentials_selectors
from peerpath.workforce.staff import selectors
from peerpath.workforce.supervision import selectors as supervision_selectors
from peerpath.workforce.surveys import selectors as surveys_selectors
from peerpath.workforce.training import selectors as training_selectors

MANAGERS = frozenset({Role.SUPERVISOR, Role.LEADER, Role.ADMIN})


ORG_WIDE = frozenset({Role.LEADER, Role.ADMIN})


def _form_error(form: Any, exc: ServiceError) -> None:
    form.add_error(exc.field if exc.field in form.fields else None, exc.reason)


@allow(ALL_ROLES)
def home(request: AuthedRequest) -> HttpResponse:
    user = request.user
    context = {
        "lapsed": credentials_selectors.credential_lapsed_for(user),
        "credentials": credentials_selectors.credentials_for(user, user),
        "rounds": surveys_selectors.open_rounds_to_answer(user) if user.role == Role.PEER else [],
        "unread": selectors.notifications_for(user).filter(read_at__isnull=True).count(),
    }
    return render(request, "workforce/home.html", context)


@allow(ALL_ROLES)
def profile(request: AuthedRequest, staff_id: int) -> HttpResponse:
    staff = selectors.staff_for(request.user, staff_id)
    audit_record(actor=request.user, action=AuditAction.VIEW, target=staff)
    today = timezone.localdate()
    credentials = [(c, credentials_selectors.credential_status(c, today)) for c in credentials_selectors.credentials_for(request.user, staff)]
    context = {
        "staff": staff, "lapsed": credentials_selectors.credential_lapsed_for(staff, today=today), "credentials": credentials,
        "completions": training_selectors.completions_for(request.user, staff).order_by("-completed_on")[:50],
        "supervision": [r for r in supervision_selectors.supervision_status_for(request.user) if r.peer.pk == staff.pk],
    }
    return render(request, "workforce/profile.html", context)


@allow(ALL_ROLES)
def notifications(request: AuthedRequest) -> HttpResponse:
    if request.method == "POST":
        selectors.notifications_for(request.user).filter(read_at__isnull=True).update(read_at=timezone.now())
        return redirect("workforce:notifications")
    items = selectors.notifications_shown(request.user)
    return render(request, "workforce/notifications.html", {"items": items})


@allow(ORG_WIDE)
def jobs(request: AuthedRequest) -> HttpResponse:
    context = {"runs": tasks.recent_runs(), "schedules": tasks.schedules()}
    return render(request, "workforce/jobs.html", context)
