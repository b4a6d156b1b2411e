"""Supervision sessions, each organisation's supervision policy, who supervises whom, and overdue alerts."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from peerpath.core.access import AuthedRequest, allow
from peerpath.core.choices import Role
from peerpath.core.exceptions import ServiceError
from peerpath.workforce.models import SupervisionTopic
from peerpath.workforce.staff import selectors as staff_selectors
from peerpath.workforce.staff.views import _form_error
from peerpath.workforce.supervision import forms, selectors, services

SUPERVISION_PAGE = frozenset({Role.PEER, Role.SUPERVISOR, Role.LEADER, Role.ADMIN})


@allow(SUPERVISION_PAGE)
def supervision(request: AuthedRequest) -> HttpResponse:
    user = request.user
    can_record = user.role in services.SUPERVISORS
    form = forms.SupervisionForm(request.POST or None,
                                 staff_queryset=staff_selectors.org_staff(user).exclude(pk=user.pk)) if can_record else None
    if request.method == "POST":
        if form is None:
            raise Http404
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.supervision_record(actor=user, kind=data["kind"], held_on=data["held_on"],
                                            attendees=list(data["attendees"]), topics=data["topics"],
                                            notes=data["notes"], action_items=data["action_items"])
            except ServiceError as exc:
                _form_error(form, exc)
            else:
                messages.success(request, _("Supervision session recorded."))
                return redirect("workforce:supervision")
    topic_labels = dict(SupervisionTopic.choices)
    sessions = [(s, [topic_labels.get(t, t) for t in s.topics]) for s in selectors.sessions_for(user)[:30]]
    context = {"status": selectors.supervision_status_for(user), "sessions": sessions,
               "form": form, "policy_days": selectors.policy_days(user.organisation_id)}
    return render(request, "workforce/supervision.html", context, status=400 if form and form.errors else 200)
