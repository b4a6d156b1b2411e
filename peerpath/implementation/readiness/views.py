"""Pages of the readiness area: rounds (open, results, close) and the survey staff answer on their phones."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from peerpath.core.access import AuthedRequest, allow
from peerpath.core.choices import Role
from peerpath.core.exceptions import ServiceError
from peerpath.core.forms_support import call_service
from peerpath.implementation.readiness import rules, selectors, services
from peerpath.implementation.readiness.forms import RoundForm

EVERYONE = rules.EVERYONE


@allow(rules.RESULT_READERS)
def round_list(request: AuthedRequest) -> HttpResponse:
    rounds = selectors.rounds_for(request.user)
    return render(request, "implementation/readiness/round_list.html",
                  {"rounds": rounds, "may_open": rules.may_open(request.user)})


@allow(rules.OPENERS)
def round_create(request: AuthedRequest) -> HttpResponse:
    today = timezone.localdate()
    form = RoundForm(request.POST or None, user=request.user, initial={
        "opens_on": today, "closes_on": today + timedelta(days=21),
        "instrument_codes": ["oric", "aim", "iam", "fim"], "invited_roles": list(Role.values)})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        created = call_service(form, services.readiness_round_open, actor=request.user, title=data["title"],
                               team=data["team"], opens_on=data["opens_on"], closes_on=data["closes_on"],
                               instrument_codes=data["instrument_codes"], invited_roles=data["invited_roles"],
                               free_text_prompt=data["free_text_prompt"])
        if created is not None:
            messages.success(request, _("The round is open and %(n)s people are invited.") % {
                "n": created.invitations.count()})
            return redirect("implementation:readiness_round_detail", created.pk)
    return render(request, "implementation/readiness/round_form.html", {"form": form},
                  status=400 if form.errors else 200)


@allow(rules.RESULT_READERS)
def round_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    readiness_round = selectors.round_for(request.user, pk)
    results = selectors.round_results(request.user, readiness_round)
    previous = selectors.previous_round(request.user, readiness_round)
    changes = selectors.round_comparison(request.user, previous, readiness_round) if previous else []
    names = _scale_names(readiness_round)
    for change in changes:
        change["name"] = names.get(change["scale"], change["scale"])
    rows = []
    if results["overall"]:
        groups = [(_("Everyone"), results["overall"])]
        groups += [(_("Other roles (pooled)") if role == selectors.OTHER else str(Role(role).label), g)
                   for role, g in results["groups"].items()]
        rows = [{"label": label, "respondents": g["respondents"], "invited": g["invited"],
                 "rate": round(100 * g["response_rate"]) if g["response_rate"] is not None else None,
                 "cells": [g["scores"].get(scale) for scale in results["scales"]]} for label, g in groups]
    return render(request, "implementation/readiness/round_detail.html", {
        "round": readiness_round, "results": results, "previous": previous, "changes": changes, "rows": rows,
        "columns": [names.get(scale, scale) for scale in results["scales"]],
        "may_close": rules.may_open(request.user) and readiness_round.status == "open"})


def _scale_names(readiness_round: object) -> dict[str, str]:
    spanish = (get_language() or "en").startswith("es")
    names = {}
    for instrument in readiness_round.instruments.all():  # type: ignore[attr-defined]
        names[f"{instrument.code}.total"] = instrument.localized("name")
        for sub in instrument.subscales:
            label = (sub.get("name_es") if spanish else None) or sub.get("name", sub["code"])
            names[f"{instrument.code}.{sub['code']}"] = f"{instrument.code.upper()}: {label}"
    return names


@require_POST
@allow(rules.OPENERS)
def round_close(request: AuthedRequest, pk: int) -> HttpResponse:
    readiness_round = selectors.round_for(request.user, pk)
    services.readiness_round_close(actor=request.user, readiness_round=readiness_round)
    messages.success(request, _("The round is closed."))
    return redirect("implementation:readiness_round_detail", pk)


@allow(EVERYONE)
def my_surveys(request: AuthedRequest) -> HttpResponse:
    return render(request, "implementation/readiness/my_surveys.html",
                  {"rounds": selectors.waiting_for(request.user)})


@allow(EVERYONE)
def answer(request: AuthedRequest, pk: int) -> HttpResponse:
    readiness_round = selectors.invitation_round_for(request.user, pk)
    instruments = list(readiness_round.instruments.prefetch_related("items"))
    errors: dict[str, str] = {}
    general = ""
    chosen: dict[int, int] = {}
    if request.method == "POST":
        for instrument in instruments:
            for item in instrument.items.all():
                raw = request.POST.get(f"item_{item.pk}", "")
                if raw:
                    try:
                        chosen[item.pk] = int(raw)
                    except ValueError:
                        errors[f"item_{item.pk}"] = _("Choose one of the answers shown.")
        if not errors:
            try:
                services.readiness_response_submit(actor=request.user, readiness_round=readiness_round, answers=chosen,
                                                   comment=request.POST.get("comment", "")[:4000])
            except ServiceError as exc:
                if exc.field:
                    errors[exc.field] = exc.reason
                else:
                    general = exc.reason
            else:
                messages.success(request, _("Thank you — your answers are saved. Only group results are ever shown."))
                return redirect("implementation:readiness_my_surveys")
    answered = selectors.has_answered(request.user, readiness_round)
    spanish = (get_language() or "en").startswith("es")
    sections = []
    for instrument in instruments:
        labels = (instrument.scale_labels_es if spanish and instrument.scale_labels_es else instrument.scale_labels)
        values = range(instrument.scale_min, instrument.scale_max + 1)
        options = [(v, labels[i] if i < len(labels) else str(v)) for i, v in enumerate(values)]
        sections.append({"instrument": instrument, "name": instrument.localized("name"), "items": [
            {"id": item.pk, "field": f"item_{item.pk}", "text": item.localized("text"), "number": item.number,
             "options": options, "chosen": chosen.get(item.pk), "error": errors.get(f"item_{item.pk}", "")}
            for item in instrument.items.all()]})
    return render(request, "implementation/readiness/answer.html", {
        "round": readiness_round, "sections": sections, "errors": errors, "general": general,
        "chosen": chosen, "answered": answered, "comment": request.POST.get("comment", ""),
        "accepting": selectors.is_accepting(readiness_round), "today": timezone.localdate()}, status=400 if (errors or general) else 200)
