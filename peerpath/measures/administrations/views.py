"""Administrations: a measure given to a client (in session or by link), its answers, score and safety alerts."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from peerpath.core.access import AuthedRequest, allow
from peerpath.core.audit import audit_record
from peerpath.core.choices import AuditAction
from peerpath.core.exceptions import ServiceError
from peerpath.core.forms_support import call_service
from peerpath.measures.administrations import forms, selectors, services
from peerpath.measures.choices import AdministrationStatus, Language, Mode
from peerpath.measures.instruments import selectors as instruments_selectors
from peerpath.measures.library import safety_items
from peerpath.measures.links import forms as links_forms
from peerpath.measures.schedules import forms as schedules_forms
from peerpath.measures.schedules import selectors as schedules_selectors

READ_ROLES = selectors.READ_ROLES


ADMINISTER = selectors.ADMINISTER_ROLES


def _error(request: HttpRequest, exc: ServiceError) -> None:
    messages.error(request, exc.reason)


@allow(ADMINISTER)
def due(request: AuthedRequest) -> HttpResponse:
    user = request.user
    lists = selectors.due_lists(user)
    return render(request, "measures/due.html", {"lists": lists, "alerts": selectors.open_alerts_shown(user),
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
        "start_form": forms.StartForm(instruments=instruments_selectors.usable_instruments(user.organisation_id),
                                      initial={"language": client.language if client.language in Language.values else "en"})
        if can_administer else None,
        "enrol_form": schedules_forms.EnrolForm(schedules=schedules_selectors.schedules_for(user)) if can_administer else None,
    }
    return render(request, "measures/client_measures.html", context)


@require_POST
@allow(ADMINISTER)
def administration_start(request: AuthedRequest, client_id: int) -> HttpResponse:
    user = request.user
    client = selectors.client_for(user, client_id, audit=False)
    form = forms.StartForm(request.POST, instruments=instruments_selectors.usable_instruments(user.organisation_id))
    if form.is_valid():
        administration = call_service(form, services.administration_create, actor=user, client=client,
                                      instrument=form.cleaned_data["instrument"], timepoint=form.cleaned_data["timepoint"],
                                      language=form.cleaned_data["language"])
        if administration is not None:
            return redirect("measures:administration_enter", pk=administration.pk)
    messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("measures:client_measures", client_id=client.pk)


@allow(ADMINISTER)
def administration_enter(request: AuthedRequest, pk: int) -> HttpResponse:
    """Answer with the client, one question per row (works on a 360 px phone)."""
    user = request.user
    administration = selectors.administration_for(user, pk)
    if administration.status != AdministrationStatus.DUE:
        return redirect("measures:administration_detail", pk=pk)
    questions = instruments_selectors.questions(administration.instrument, user.organisation_id, administration.language)
    form = forms.AnswerForm(request.POST or None, questions=questions, safety_items=safety_items(administration.instrument),
                            confirm=True)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            # A blank safety question is refused once by the service (the rule lives there); the page then asks
            # again with the answers kept and offers the confirmation.
            done = call_service(form, services.administration_submit, actor=user, administration=administration,
                                answers=form.answers(), mode=Mode.WITH_PEER, language=administration.language,
                                confirm_safety_unanswered=form.confirmed())
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
    texts = {q.item.pk: q for q in instruments_selectors.questions(administration.instrument, user.organisation_id, "en")}
    organisation = selectors.organisation_of(user)
    alerts = list(administration.alerts.select_related("acknowledged_by"))
    context = {
        "administration": administration, "answers": [(a, texts.get(a.item_id)) for a in answers],
        "can_administer": user.role in ADMINISTER,
        "protocol": services.safety_protocol(organisation) if administration.safety_flag or alerts else "",
        "alerts": alerts,
        "safety_items": safety_items(administration.instrument),
        "link_form": links_forms.LinkForm(initial={"language": administration.language}),
        "open_links": list(administration.links.filter(used_at__isnull=True, expires_at__gt=timezone.now())),
    }
    return render(request, "measures/administration_detail.html", context)


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
    alert = selectors.alert_for(user, pk)
    try:
        services.alert_acknowledge(actor=user, alert=alert)
    except ServiceError as exc:
        _error(request, exc)
    else:
        messages.success(request, _("Alert acknowledged."))
    return redirect("measures:administration_detail", pk=alert.administration_id)
