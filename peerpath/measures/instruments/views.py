"""Instruments: the shipped library and an organisation's own, built without code by an admin (options, items, bands, safety rules, per-organisation item text)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from peerpath.core.access import AuthedRequest, allow
from peerpath.core.choices import Role
from peerpath.core.exceptions import NotAllowed, ServiceError
from peerpath.core.forms_support import call_service
from peerpath.measures.administrations.selectors import READ_ROLES
from peerpath.measures.administrations.views import _error
from peerpath.measures.choices import Licence
from peerpath.measures.instruments import forms, selectors, services

BUILDERS = frozenset({Role.ADMIN})


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
