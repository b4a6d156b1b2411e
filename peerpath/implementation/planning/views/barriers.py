"""Pages for barriers, facilitators and barrier templates."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from peerpath.core.access import AuthedRequest, allow
from peerpath.core.exceptions import ServiceError
from peerpath.core.models import Team
from peerpath.implementation.models import (
    BarrierKind,
    BarrierTemplate,
)
from peerpath.implementation.planning import forms, selectors, services
from peerpath.implementation.planning.rules import (
    EVERYONE,
    TABLE_EDITORS,
    WRITERS,
    can_write_scope,
)
from peerpath.implementation.planning.views.common import _form_error, _int
from peerpath.implementation.reference import selectors as reference


@allow(EVERYONE)
def barrier_list(request: AuthedRequest) -> HttpResponse:
    user: Any = request.user
    form = forms.BarrierFilterForm(request.GET or None, user=user)
    filters = form.cleaned_data if form.is_valid() else {}
    barriers: list[Any] = list(selectors.barrier_filter(user, **{k: v for k, v in filters.items() if v}))
    for barrier in barriers:
        barrier.can_edit = can_write_scope(user, barrier.team_id)
    context = {"form": form, "barriers": barriers, "can_write": user.role in WRITERS,
               "filtered": any(filters.values()) if filters else False}
    return render(request, "implementation/planning/barrier_list.html", context)


@allow(WRITERS)
def barrier_create(request: AuthedRequest) -> HttpResponse:
    form = forms.BarrierForm(request.POST or None, user=request.user, initial={"kind": BarrierKind.BARRIER})
    del form.fields["resolved_on"]
    if request.method == "POST" and form.is_valid():
        try:
            barrier = services.barrier_create(actor=request.user, **form.cleaned_data)
        except ServiceError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("“%(title)s” added to the register.") % {"title": barrier.title})
            return redirect("implementation:planning_barrier_list")
    status = 400 if request.method == "POST" else 200
    return render(request, "implementation/planning/barrier_form.html", {"form": form}, status=status)


@allow(WRITERS)
def barrier_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    barrier = selectors.barrier_for(request.user, pk)
    if not can_write_scope(request.user, barrier.team_id):
        raise PermissionDenied
    form = forms.BarrierForm(request.POST or None, user=request.user, initial=forms.BarrierForm.initial_from(barrier))
    if request.method == "POST" and form.is_valid():
        try:
            services.barrier_update(actor=request.user, barrier=barrier, **form.cleaned_data)
        except ServiceError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("implementation:planning_barrier_list")
    status = 400 if request.method == "POST" else 200
    return render(request, "implementation/planning/barrier_form.html", {"form": form, "barrier": barrier},
                  status=status)


@require_POST
@allow(WRITERS)
def barrier_deactivate(request: AuthedRequest, pk: int) -> HttpResponse:
    barrier = selectors.barrier_for(request.user, pk)
    services.barrier_deactivate(actor=request.user, barrier=barrier)
    messages.success(request, _("“%(title)s” removed from the register.") % {"title": barrier.title})
    return redirect("implementation:planning_barrier_list")


@allow(WRITERS)
def templates(request: AuthedRequest) -> HttpResponse:
    user: Any = request.user
    rows: list[Any] = list(reference.barrier_templates(organisation_id=user.organisation_id).order_by("kind", "title"))
    in_register = {(b.template_id, b.team_id) for b in selectors.barriers_for(user).exclude(template__isnull=True)}
    for template in rows:
        template.in_register_org = (template.pk, None) in in_register
    context = {"rows": rows, "form": forms.TemplateAddForm(user=user),
               "own_form": forms.OwnTemplateForm() if user.role in TABLE_EDITORS else None}
    return render(request, "implementation/planning/templates.html", context)


@require_POST
@allow(WRITERS)
def template_add(request: AuthedRequest) -> HttpResponse:
    user: Any = request.user
    team_value = request.POST.get("team", forms.ORG)
    team = None
    if team_value != forms.ORG:
        team = Team.objects.filter(organisation_id=user.organisation_id, is_active=True, pk=_int(team_value) or 0).first()
        if team is None:
            raise Http404
    if not can_write_scope(user, team.pk if team else None):
        raise PermissionDenied
    template = (reference.barrier_templates(organisation_id=user.organisation_id)
                .filter(pk=_int(request.POST.get("template")) or 0).first())
    if template is None:
        messages.error(request, _("Choose one of the templates."))
        return redirect("implementation:planning_templates")
    try:
        barrier = services.barrier_from_template(actor=user, template=template, team=team)
    except ServiceError as exc:
        messages.error(request, exc.reason)
    else:
        messages.success(request, _("“%(title)s” added to the register.") % {"title": barrier.title})
    return redirect("implementation:planning_templates")


@require_POST
@allow(TABLE_EDITORS)
def template_create(request: AuthedRequest) -> HttpResponse:
    form = forms.OwnTemplateForm(request.POST)
    if form.is_valid():
        try:
            template = services.barrier_template_create(actor=request.user, **form.cleaned_data)
        except ServiceError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("Template “%(title)s” added.") % {"title": template.title})
            return redirect("implementation:planning_templates")
    user: Any = request.user
    rows = list(reference.barrier_templates(organisation_id=user.organisation_id).order_by("kind", "title"))
    return render(request, "implementation/planning/templates.html",
                  {"rows": rows, "form": forms.TemplateAddForm(user=user), "own_form": form}, status=400)


@require_POST
@allow(TABLE_EDITORS)
def template_deactivate(request: AuthedRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    template = BarrierTemplate.objects.filter(pk=pk, organisation_id=user.organisation_id,
                                              is_active=True).first()
    if template is None:
        raise Http404
    services.barrier_template_deactivate(actor=request.user, template=template)
    messages.success(request, _("Template “%(title)s” removed.") % {"title": template.title})
    return redirect("implementation:planning_templates")
