"""Measures pages. Views parse input, call selectors/services and render; no business logic here."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from peerpath.core.access import AuthedRequest, allow, public
from peerpath.core.audit import audit_record
from peerpath.core.choices import AuditAction, Role
from peerpath.core.exceptions import NotAllowed, ServiceError
from peerpath.core.forms_support import call_service
from peerpath.core.models import Organisation
from peerpath.core.selectors import teams_for
from peerpath.measures import forms, selectors, services
from peerpath.measures.choices import AdministrationStatus, Language, Licence, Mode
from peerpath.measures.models import SafetyAlert

READ_ROLES = selectors.READ_ROLES
ADMINISTER = selectors.ADMINISTER_ROLES
RATE_ROLES = selectors.RATE_ROLES
BUILDERS = frozenset({Role.ADMIN})
SCHEDULE_MANAGERS = frozenset({Role.ADMIN, Role.LEADER})


def _error(request: HttpRequest, exc: ServiceError) -> None:
    messages.error(request, exc.reason)


# ------------------------------------------------------------------ peers: what is due

@allow(ADMINISTER)
def due(request: AuthedRequest) -> HttpResponse:
    user = request.user
    lists = selectors.due_lists(user)
    return render(request, "measures/due.html", {"lists": lists, "alerts": list(selectors.open_alerts_for(user)[:20]),
                                                 "today": timezone.localdate()})


@allow(READ_ROLES)
def client_measures(request: AuthedRequest, client_id: int) -> HttpResponse:
    user = request.user
    client = selectors.client_for(user, client_id)
    can_administer = user.role in ADMINISTER
    administrations = list(selectors.administrations_for_client(user, client))
    today = timezone.localdate()
    for administration in administrations:
        administration.state = administration.window_state(today)  # type: ignore[attr-defined]
    context = {
        "client": client, "administrations": administrations, "today": today, "can_administer": can_administer,
        "alerts": list(selectors.alerts_for_client(user, client)[:20]),
        "start_form": forms.StartForm(instruments=selectors.usable_instruments(user.organisation_id),
                                      initial={"language": client.language if client.language in Language.values else "en"})
        if can_administer else None,
        "enrol_form": forms.EnrolForm(schedules=selectors.schedules_for(user)) if can_administer else None,
    }
    return render(request, "measures/client_measures.html", context)


@require_POST
@allow(ADMINISTER)
def administration_start(request: AuthedRequest, client_id: int) -> HttpResponse:
    user = request.user
    client = selectors.client_for(user, client_id, audit=False)
    form = forms.StartForm(request.POST, instruments=selectors.usable_instruments(user.organisation_id))
    if form.is_valid():
        administration = call_service(form, services.administration_create, actor=user, client=client,
                                      instrument=form.cleaned_data["instrument"], timepoint=form.cleaned_data["timepoint"],
                                      language=form.cleaned_data["language"])
        if administration is not None:
            return redirect("measures:administration_enter", pk=administration.pk)
    messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("measures:client_measures", client_id=client.pk)


@require_POST
@allow(ADMINISTER)
def enrol(request: AuthedRequest, client_id: int) -> HttpResponse:
    user = request.user
    client = selectors.client_for(user, client_id, audit=False)
    form = forms.EnrolForm(request.POST, schedules=selectors.schedules_for(user))
    if form.is_valid() and call_service(form, services.enrolment_create, actor=user, client=client,
                                        schedule=form.cleaned_data["schedule"], start_on=form.cleaned_data["start_on"]):
        messages.success(request, _("The client now follows the schedule; the measures are listed below."))
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("measures:client_measures", client_id=client.pk)


@allow(ADMINISTER)
def administration_enter(request: AuthedRequest, pk: int) -> HttpResponse:
    """Answer with the client, one question per row (works on a 360 px phone)."""
    user = request.user
    administration = selectors.administration_for(user, pk)
    if administration.status != AdministrationStatus.DUE:
        return redirect("measures:administration_detail", pk=pk)
    questions = selectors.questions(administration.instrument, user.organisation_id, administration.language)
    form = forms.AnswerForm(request.POST or None, questions=questions)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            done = call_service(form, services.administration_submit, actor=user, administration=administration,
                                answers=form.answers(), mode=Mode.WITH_PEER, language=administration.language)
            if done is not None:
                messages.success(request, _("Answers saved."))
                return redirect("measures:administration_detail", pk=pk)
        status = 400
    audit_record(actor=user, action=AuditAction.VIEW, target=administration, client=administration.client)
    with translation.override(administration.language):
        instructions = administration.instrument.instructions_in(administration.language)
    return render(request, "measures/enter.html", {"administration": administration, "form": form,
                                                   "instructions": instructions}, status=status)


@allow(READ_ROLES)
def administration_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    user = request.user
    administration = selectors.administration_for(user, pk)
    answers = selectors.answers_for(user, administration)
    if user.role not in selectors.ANSWER_READERS:
        audit_record(actor=user, action=AuditAction.VIEW, target=administration, client=administration.client)
    texts = {q.item.pk: q for q in selectors.questions(administration.instrument, user.organisation_id, "en")}
    organisation = Organisation.objects.get(pk=user.organisation_id)
    context = {
        "administration": administration, "answers": [(a, texts.get(a.item_id)) for a in answers],
        "can_administer": user.role in ADMINISTER,
        "protocol": services.safety_protocol(organisation) if administration.safety_flag else "",
        "alerts": list(administration.alerts.all()),
        "link_form": forms.LinkForm(initial={"language": administration.language}),
        "open_links": list(administration.links.filter(used_at__isnull=True, expires_at__gt=timezone.now())),
    }
    return render(request, "measures/administration_detail.html", context)


@require_POST
@allow(ADMINISTER)
def link_create(request: AuthedRequest, pk: int) -> HttpResponse:
    user = request.user
    administration = selectors.administration_for(user, pk)
    form = forms.LinkForm(request.POST)
    if not form.is_valid():
        raise Http404
    try:
        link, token = services.link_create(actor=user, administration=administration, language=form.cleaned_data["language"])
    except ServiceError as exc:
        _error(request, exc)
        return redirect("measures:administration_detail", pk=pk)
    url = request.build_absolute_uri(reverse("measures:survey", kwargs={"token": token}))
    response = render(request, "measures/link_created.html", {"administration": administration, "link": link, "url": url})
    response["Cache-Control"] = "no-store"
    return response


@require_POST
@allow(ADMINISTER)
def administration_cancel(request: AuthedRequest, pk: int) -> HttpResponse:
    administration = selectors.administration_for(request.user, pk)
    try:
        services.administration_cancel(actor=request.user, administration=administration)
    except ServiceError as exc:
        _error(request, exc)
    else:
        messages.success(request, _("The measure was cancelled."))
    return redirect("measures:client_measures", client_id=administration.client_id)


@require_POST
@allow(ADMINISTER)
def alert_acknowledge(request: AuthedRequest, pk: int) -> HttpResponse:
    user = request.user
    alert = SafetyAlert.objects.filter(pk=pk, organisation_id=user.organisation_id,
                                       client__in=selectors.readable_clients(user)).select_related("client").first()
    if alert is None:
        raise Http404
    try:
        services.alert_acknowledge(actor=user, alert=alert)
    except ServiceError as exc:
        _error(request, exc)
    else:
        messages.success(request, _("Alert acknowledged."))
    return redirect("measures:administration_detail", pk=alert.administration_id)


# ------------------------------------------------------------------ the client's one-time link (no account)

def _link_language(request: HttpRequest, default: str) -> str:
    choice = request.GET.get("lang") or request.POST.get("lang") or default
    return choice if choice in Language.values else "en"


@public
def survey(request: HttpRequest, token: str) -> HttpResponse:
    """The client's own page: only their first name and the questions. Used or expired links say so calmly and show
    nothing about the client; an unknown token is a 404."""
    link = services.link_lookup(token)
    if link is None:
        if not services.link_exists(token):
            raise Http404
        language = _link_language(request, "en")
        with translation.override(language):
            response = render(request, "measures/survey_closed.html", {"language": language}, status=410)
        return _private(response)
    administration = link.administration
    language = _link_language(request, link.language)
    with translation.override(language):
        questions = selectors.questions(administration.instrument, link.organisation_id, language)
        form = forms.AnswerForm(request.POST or None, questions=questions)
        status = 200
        if request.method == "POST":
            if form.is_valid():
                done = call_service(form, services.link_submit, token=token, answers=form.answers(), language=language)
                if done is not None:
                    response = render(request, "measures/survey_done.html",
                                      {"language": language, "crisis": done.safety_flag})
                    return _private(response)
            status = 400
        context = {"first_name": administration.client.first_name, "form": form, "language": language,
                   "instructions": administration.instrument.instructions_in(language),
                   "instrument_name": administration.instrument.display_name,
                   "attribution": administration.instrument.attribution}
        response = render(request, "measures/survey.html", context, status=status)
    return _private(response)


def _private(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "same-origin"  # never to other sites; "no-referrer" makes browsers send Origin: null, which CSRF refuses
    response["X-Robots-Tag"] = "noindex"
    return response


# ------------------------------------------------------------------ instrument library and builder

@allow(READ_ROLES)
def instrument_list(request: AuthedRequest) -> HttpResponse:
    user = request.user
    instruments = list(selectors.instruments_for(user, published_only=user.role != Role.ADMIN))
    form = forms.InstrumentForm(request.POST or None) if user.role == Role.ADMIN else None
    status = 200
    if request.method == "POST":
        if form is None:
            raise NotAllowed
        if form.is_valid():
            instrument = call_service(form, services.instrument_create, actor=user, **form.cleaned_data)
            if instrument is not None:
                messages.success(request, _("Draft instrument created: add its answers and questions."))
                return redirect("measures:instrument_detail", pk=instrument.pk)
        status = 400
    return render(request, "measures/instrument_list.html", {"instruments": instruments, "form": form}, status=status)


def _builder_context(user: Any, instrument: Any, **forms_in: Any) -> dict[str, Any]:
    own_draft = user.role == Role.ADMIN and instrument.organisation_id == user.organisation_id and not instrument.is_published
    licensed = user.role == Role.ADMIN and instrument.licence == Licence.SCORING_ONLY
    items = selectors.questions(instrument, user.organisation_id, "en")
    items_es = {q.item.pk: q.text for q in selectors.questions(instrument, user.organisation_id, "es")}
    return {
        "instrument": instrument, "questions": [(q, items_es.get(q.item.pk, "")) for q in items],
        "options": list(instrument.options.filter(is_active=True).order_by("option_set", "value")),
        "own_draft": own_draft, "licensed_text": licensed,
        "option_form": forms_in.get("option_form") or forms.OptionForm(),
        "item_form": forms_in.get("item_form") or forms.ItemForm(),
        "band_form": forms_in.get("band_form") or forms.BandForm(),
        "rule_form": forms_in.get("rule_form") or forms.SafetyRuleForm(),
        "text_form": forms.ItemTextForm(),
    }


@allow(READ_ROLES)
def instrument_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    instrument = selectors.instrument_for(request.user, pk)
    if not instrument.is_published and request.user.role != Role.ADMIN:
        raise Http404
    return render(request, "measures/instrument_detail.html", _builder_context(request.user, instrument))


BUILDER_STEPS = {
    "option": (forms.OptionForm, services.instrument_add_option, _("Answer added.")),
    "item": (forms.ItemForm, services.instrument_add_item, _("Question added.")),
    "band": (forms.BandForm, services.instrument_add_band, _("Band added.")),
    "rule": (forms.SafetyRuleForm, services.instrument_add_safety_rule, _("Safety rule added.")),
}


@require_POST
@allow(BUILDERS)
def instrument_build(request: AuthedRequest, pk: int, step: str) -> HttpResponse:
    instrument = selectors.instrument_for(request.user, pk)
    if step not in BUILDER_STEPS:
        raise Http404
    form_class, service, done = BUILDER_STEPS[step]
    form = form_class(request.POST)
    if form.is_valid() and call_service(form, service, actor=request.user, instrument=instrument, **form.cleaned_data):
        messages.success(request, str(done))
        return redirect("measures:instrument_detail", pk=pk)
    context = _builder_context(request.user, instrument, **{f"{step}_form": form})
    return render(request, "measures/instrument_detail.html", context, status=400)


@require_POST
@allow(BUILDERS)
def instrument_publish(request: AuthedRequest, pk: int) -> HttpResponse:
    instrument = selectors.instrument_for(request.user, pk)
    try:
        services.instrument_publish(actor=request.user, instrument=instrument)
    except ServiceError as exc:
        _error(request, exc)
    else:
        messages.success(request, _("Published: staff can now use this instrument."))
    return redirect("measures:instrument_detail", pk=pk)


@require_POST
@allow(BUILDERS)
def item_text(request: AuthedRequest, pk: int, number: int) -> HttpResponse:
    instrument = selectors.instrument_for(request.user, pk)
    item = instrument.items.filter(number=number, is_active=True).first()
    if item is None:
        raise Http404
    form = forms.ItemTextForm(request.POST)
    if form.is_valid() and call_service(form, services.item_text_set, actor=request.user, item=item, **form.cleaned_data):
        messages.success(request, _("Your organisation's text was saved."))
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("measures:instrument_detail", pk=pk)


# ------------------------------------------------------------------ schedules and follow-up rates

@allow(SCHEDULE_MANAGERS)
def schedule_list(request: AuthedRequest) -> HttpResponse:
    user = request.user
    form = forms.ScheduleForm(request.POST or None, teams=teams_for(user),
                              instruments=selectors.usable_instruments(user.organisation_id))
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
