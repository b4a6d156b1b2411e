"""Measure schedules: which instruments at which timepoints, client enrolments, the daily due/overdue/missed scan and follow-up rates."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from peerpath.core.access import AuthedRequest, allow
from peerpath.core.choices import Role
from peerpath.core.forms_support import call_service
from peerpath.core.selectors import teams_for
from peerpath.measures.administrations import selectors as administrations_selectors
from peerpath.measures.administrations.views import ADMINISTER
from peerpath.measures.instruments import selectors as instruments_selectors
from peerpath.measures.schedules import forms, selectors, services

RATE_ROLES = selectors.RATE_ROLES


SCHEDULE_MANAGERS = frozenset({Role.ADMIN, Role.LEADER})


@require_POST
@allow(ADMINISTER)
def enrol(request: AuthedRequest, client_id: int) -> HttpResponse:
    user = request.user
    client = administrations_selectors.client_for(user, client_id, audit=False)
    form = forms.EnrolForm(request.POST, schedules=selectors.schedules_for(user))
    if form.is_valid() and call_service(form, services.enrolment_create, actor=user, client=client,
                                        schedule=form.cleaned_data["schedule"], start_on=form.cleaned_data["start_on"]):
        messages.success(request, _("The client now follows the schedule; the measures are listed below."))
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("measures:client_measures", client_id=client.pk)


@allow(SCHEDULE_MANAGERS)
def schedule_list(request: AuthedRequest) -> HttpResponse:
    user = request.user
    form = forms.ScheduleForm(request.POST or None, teams=teams_for(user),
                              instruments=instruments_selectors.usable_instruments(user.organisation_id))
    status = 200
    if request.method == "POST":
        if form.is_valid():
            schedule = call_service(form, services.schedule_create, actor=user, name=form.cleaned_data["name"],
                                    team=form.cleaned_data["team"], instruments=list(form.cleaned_data["instruments"]),
                                    target_followup_rate=form.cleaned_data["target_followup_rate"])
            if schedule is not None:
                messages.success(request, _("Schedule created: add its time points."))
                return redirect("measures:schedule_detail", pk=schedule.pk)
        status = 400
    schedules = list(selectors.schedules_for(user).prefetch_related("timepoints", "schedule_instruments__instrument"))
    return render(request, "measures/schedule_list.html", {"schedules": schedules, "form": form}, status=status)


@allow(SCHEDULE_MANAGERS)
def schedule_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    user = request.user
    schedule = selectors.schedule_for(user, pk)
    form = forms.TimepointForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid() and call_service(form, services.schedule_add_timepoint, actor=user, schedule=schedule,
                                            **form.cleaned_data):
            messages.success(request, _("Time point added."))
            return redirect("measures:schedule_detail", pk=pk)
        status = 400
    context = {"schedule": schedule, "form": form,
               "timepoints": list(schedule.timepoints.filter(is_active=True)),
               "instruments": [si.instrument for si in schedule.schedule_instruments.select_related("instrument")]}
    return render(request, "measures/schedule_detail.html", context, status=status)


@allow(RATE_ROLES)
def rates(request: AuthedRequest) -> HttpResponse:
    return render(request, "measures/rates.html", {"rows": selectors.followup_rates(request.user),
                                                   "today": timezone.localdate()})
