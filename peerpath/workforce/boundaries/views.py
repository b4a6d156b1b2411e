"""Boundary consultations: a peer asks about a boundary question, a supervisor answers; the quarterly trend."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from peerpath.core.access import AuthedRequest, allow
from peerpath.core.choices import Role
from peerpath.core.exceptions import ServiceError
from peerpath.workforce.boundaries import forms, selectors, services
from peerpath.workforce.staff.views import _form_error
from peerpath.workforce.supervision import selectors as supervision_selectors

BOUNDARY_ROLES = frozenset({Role.PEER, Role.SUPERVISOR})


TREND_ROLES = frozenset({Role.SUPERVISOR, Role.LEADER, Role.ADMIN})


@allow(BOUNDARY_ROLES)
def boundaries(request: AuthedRequest) -> HttpResponse:
    user = request.user
    form = forms.BoundaryForm(request.POST or None) if user.role == Role.PEER else None
    if request.method == "POST":
        if form is None:
            raise Http404
        if form.is_valid():
            try:
                consultation = services.boundary_raise(actor=user, **form.cleaned_data)
            except ServiceError as exc:
                _form_error(form, exc)
            else:
                messages.success(request, _("Your supervisor has been asked."))
                return redirect("workforce:boundary_detail", pk=consultation.pk)
    return render(request, "workforce/boundaries.html", {"items": selectors.boundaries_for(user), "form": form},
                  status=400 if form and form.errors else 200)


@allow(BOUNDARY_ROLES)
def boundary_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    user = request.user
    consultation = selectors.boundary_for(user, pk)
    can_respond = supervision_selectors.is_supervisor_of(user, consultation.raised_by) and not consultation.closed_at
    form = forms.BoundaryResponseForm(request.POST or None) if can_respond else None
    if request.method == "POST":
        if form is None:
            raise Http404
        if form.is_valid():
            try:
                services.boundary_respond(actor=user, consultation=consultation,
                                          response=form.cleaned_data["response"], close=form.cleaned_data["close"])
            except ServiceError as exc:
                _form_error(form, exc)
            else:
                messages.success(request, _("Response saved."))
                return redirect("workforce:boundary_detail", pk=pk)
    return render(request, "workforce/boundary_detail.html", {"item": consultation, "form": form},
                  status=400 if form and form.errors else 200)


@allow(TREND_ROLES)
def boundary_trend(request: AuthedRequest) -> HttpResponse:
    return render(request, "workforce/boundary_trend.html",
                  {"trend": selectors.boundary_trend(request.user.organisation_id)})
