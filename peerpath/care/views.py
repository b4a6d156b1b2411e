from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from peerpath.care import selectors, services
from peerpath.care.forms import (
    ConsultationForm,
    EncounterForm,
    GoalForm,
    GoalProgressForm,
    PlanForm,
    StepForm,
    TeamMeetingForm,
)
from peerpath.care.policies import (
    CONSULT,
    EDIT_PLAN,
    PEER_WORK,
    READ_CARE,
    READ_MEETINGS,
    RECORD_ENCOUNTER,
    RECORD_MEETING,
)
from peerpath.clients.models import Client
from peerpath.clients.selectors import client_choices_shown, client_get_for, clients_shown
from peerpath.core.access import AuthedRequest, allow
from peerpath.core.choices import Role
from peerpath.core.forms_support import call_service
from peerpath.core.resolve import parse_id
from peerpath.measures.administrations import selectors as measures_selectors


@allow(PEER_WORK)
def peer_home(request: AuthedRequest) -> HttpResponse:
    home = selectors.peer_home_for(request.user)
    # Safety alerts (an answer, or a safety question a client left blank on their own link) come first on Today.
    return render(request, "care/peer_home.html", {"home": home, "alerts": measures_selectors.open_alerts_shown(request.user)})


@allow(PEER_WORK)
def caseload(request: AuthedRequest) -> HttpResponse:
    matches = list(selectors.caseload_for(request.user))
    clients_shown(request.user, [m.client for m in matches])
    return render(request, "care/caseload.html", {"matches": matches})


@allow(RECORD_ENCOUNTER)
def encounter_create(request: AuthedRequest) -> HttpResponse:
    caseload_clients = selectors.caseload_clients(request.user)
    initial_client = request.GET.get("client")
    form = EncounterForm(request.POST or None, caseload_clients=caseload_clients,
                         initial={"clients": [initial_client] if initial_client else []})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        encounter = call_service(
            form, services.encounter_record, actor=request.user, clients=list(data["clients"]),
            started_at=data["started_at"], duration_minutes=data["duration_minutes"], modality=data["modality"],
            setting=data["setting"], activities=data["activities"], self_disclosure_used=data["self_disclosure_used"],
            note=data["note"], next_contact_on=data["next_contact_on"],
        )
        if encounter is not None:
            messages.success(request, _("Encounter saved."))
            first = data["clients"][0]
            return redirect("clients:client_detail", client_id=first.pk) if len(data["clients"]) == 1 else redirect("care:peer_home")
    client_choices_shown(request.user, caseload_clients, purpose="care.encounter_form")
    return render(request, "care/encounter_form.html", {"form": form}, status=400 if form.errors else 200)


@allow(READ_CARE)
def encounter_detail(request: AuthedRequest, encounter_id: int) -> HttpResponse:
    encounter = selectors.encounter_get_for(request.user, encounter_id)
    return render(request, "care/encounter_detail.html", {"encounter": encounter})


@allow(READ_CARE)
def plan(request: AuthedRequest, client_id: int) -> HttpResponse:
    client = client_get_for(request.user, client_id)
    recovery_plan = selectors.active_plan(client)
    can_edit = EDIT_PLAN.allows(request.user, client)
    plan_form = PlanForm(initial={"client_vision": recovery_plan.client_vision, "review_on": recovery_plan.review_on} if recovery_plan else None)
    return render(request, "care/plan.html", {
        "client": client, "plan": recovery_plan, "can_edit": can_edit, "plan_form": plan_form,
        "goal_form": GoalForm(), "step_form": StepForm(), "progress_form": GoalProgressForm(),
    })


@require_POST
@allow(EDIT_PLAN)
def plan_save(request: AuthedRequest, client_id: int) -> HttpResponse:
    client = client_get_for(request.user, client_id, audit=False)
    recovery_plan = selectors.active_plan(client)
    form = PlanForm(request.POST)
    if form.is_valid():
        if recovery_plan is None:
            result = call_service(form, services.recovery_plan_start, actor=request.user, client=client, **form.cleaned_data)
        else:
            result = call_service(form, services.recovery_plan_update, actor=request.user, plan=recovery_plan, **form.cleaned_data)
        if result is not None:
            messages.success(request, _("Plan saved."))
            return redirect("care:plan", client_id=client.pk)
    return _plan_with_errors(request, client, recovery_plan, plan_form=form)


def _plan_with_errors(request: AuthedRequest, client: Client, recovery_plan: object, **forms: object) -> HttpResponse:
    context = {"client": client, "plan": recovery_plan, "can_edit": True, "plan_form": PlanForm(),
               "goal_form": GoalForm(), "step_form": StepForm(), "progress_form": GoalProgressForm()}
    context.update(forms)
    return render(request, "care/plan.html", context, status=400)


@require_POST
@allow(EDIT_PLAN)
def goal_add(request: AuthedRequest, client_id: int) -> HttpResponse:
    client = client_get_for(request.user, client_id, audit=False)
    recovery_plan = selectors.active_plan(client)
    form = GoalForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        steps = [(data["first_step"], data["first_step_due"])] if data["first_step"] else []
        goal = call_service(form, services.goal_add_to_active_plan, actor=request.user, client=client,
                            own_words=data["own_words"], life_area=data["life_area"], chime=data["chime"],
                            target_on=data["target_on"], steps=steps)
        if goal is not None:
            messages.success(request, _("Goal added."))
            return redirect("care:plan", client_id=client.pk)
    return _plan_with_errors(request, client, recovery_plan, goal_form=form)


def _goal_form_action(request: AuthedRequest, goal_id: int, form_class: type, service: Any, done: str, failed: str) -> HttpResponse:
    """A small form posted from the plan page about one goal; the outcome is shown as a message."""
    goal = selectors.goal_get_for(request.user, goal_id)
    form = form_class(request.POST)
    result = call_service(form, service, actor=request.user, goal=goal, **form.cleaned_data) if form.is_valid() else None
    if result is not None:
        messages.success(request, done)
    else:
        messages.error(request, failed)
    return redirect("care:plan", client_id=goal.plan.client_id)


@require_POST
@allow(EDIT_PLAN)
def goal_progress(request: AuthedRequest, goal_id: int) -> HttpResponse:
    return _goal_form_action(request, goal_id, GoalProgressForm, services.goal_update,
                             _("Progress saved."), _("Progress must be a number from 0 to 100."))


@require_POST
@allow(EDIT_PLAN)
def step_add(request: AuthedRequest, goal_id: int) -> HttpResponse:
    return _goal_form_action(request, goal_id, StepForm, services.goal_step_add, _("Step added."), _("Describe the step."))


@require_POST
@allow(EDIT_PLAN)
def step_done(request: AuthedRequest, step_id: int) -> HttpResponse:
    step = selectors.step_get_for(request.user, step_id)
    services.goal_step_mark_done(actor=request.user, step=step, done=request.POST.get("done", "1") == "1")
    if request.htmx:
        return render(request, "care/_step.html", {"step": step, "can_edit": True})
    return redirect("care:plan", client_id=step.goal.plan.client_id)


@allow(READ_MEETINGS)
def meeting_list(request: AuthedRequest) -> HttpResponse:
    page = Paginator(selectors.meetings_for(request.user), 30).get_page(request.GET.get("page"))
    return render(request, "care/meeting_list.html", {"page": page, "can_record": RECORD_MEETING.allows(request.user)})


@allow(RECORD_MEETING)
def meeting_create(request: AuthedRequest) -> HttpResponse:
    user = request.user
    teams = selectors.meeting_teams_for(user)
    form = TeamMeetingForm(request.POST or None, teams=teams, staff=selectors.meeting_invitees(teams))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        members = selectors.team_member_ids(data["team"])
        attendance = {s.pk: True for s in data["attended"] if s.pk in members}
        meeting = call_service(form, services.team_meeting_record, actor=user, team=data["team"], held_at=data["held_at"],
                               duration_minutes=data["duration_minutes"], topic=data["topic"], notes=data["notes"],
                               attendance=attendance)
        if meeting is not None:
            messages.success(request, _("Meeting recorded."))
            return redirect("care:meeting_detail", meeting_id=meeting.pk)
    return render(request, "care/meeting_form.html", {"form": form}, status=400 if form.errors else 200)


@allow(READ_MEETINGS)
def meeting_detail(request: AuthedRequest, meeting_id: int) -> HttpResponse:
    meeting = selectors.meeting_get_for(request.user, meeting_id)
    return render(request, "care/meeting_detail.html", {"meeting": meeting})


@allow(CONSULT)
def consultation_list(request: AuthedRequest) -> HttpResponse:
    """Consultations asked for or given, and the form to record one. Coming from a client's page
    (``?client=<id>``) the consultation is about that client; a client the user cannot see is a 404."""
    user = request.user
    client = None
    client_id = request.POST.get("client") or request.GET.get("client")
    if client_id:
        number = parse_id(client_id)
        if number is None:
            raise Http404("No such client.")
        client = client_get_for(user, number, audit=request.method != "POST")
    form = ConsultationForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        is_peer = user.role == Role.PEER
        created = call_service(form, services.consultation_record, actor=user, held_at=data["held_at"],
                               topic=data["topic"], peer=user if is_peer else data["peer"],
                               asked_by=data["asked_by"] if is_peer else None, client=client)
        if created is not None:
            messages.success(request, _("Consultation recorded."))
            return redirect("care:consultation_list")
    page = Paginator(selectors.consultations_for(user), 30).get_page(request.GET.get("page"))
    # The client's name only for those who may see the client; the rest see that it was about someone.
    rows, seen = selectors.consultations_shown(user, page)
    return render(request, "care/consultations.html",
                  {"form": form, "page": page, "rows": rows, "client": client, "visible_client_ids": seen},
                  status=400 if form.errors else 200)
