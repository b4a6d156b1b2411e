"""Instruments: the shipped library and an organisation's own, built without code by an admin (options, items, bands, safety rules, per-organisation item text)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from peerpath.core.audit import audit_record
from peerpath.core.choices import AuditAction, Role
from peerpath.core.exceptions import NotAllowed, ServiceError
from peerpath.core.validation import clean_text
from peerpath.measures.administrations.services import _require
from peerpath.measures.choices import (
    Licence,
    ScoringMethod,
)
from peerpath.measures.library import spec_for
from peerpath.measures.models import (
    Instrument,
    InstrumentItem,
    ItemTextOverride,
    ResponseOption,
)

BUILDERS = frozenset({Role.ADMIN})


def _own_draft(actor: Any, instrument: Instrument) -> None:
    _require(actor, BUILDERS)
    if instrument.organisation_id != actor.organisation_id:
        raise NotAllowed(_("Shipped instruments cannot be changed."))
    if instrument.is_published:
        raise ServiceError(_("A published instrument cannot be changed; create a new version."), field="instrument")


def instrument_create(*, actor: Any, code: str, name: str, name_es: str = "", instructions: str = "",
                      instructions_es: str = "", recall_period: str = "", citation: str = "", attribution: str = "",
                      scoring_method: str = ScoringMethod.SUM, max_missing: int = 0,
                      higher_is_better: bool = False) -> Instrument:
    _require(actor, BUILDERS)
    import re

    code = clean_text(code, "code", max_length=40).lower()
    if not re.fullmatch(r"[a-z0-9][a-z0-9_-]*", code):
        raise ServiceError(_("Use lower-case letters, digits, - and _ only."), field="code")
    if Instrument.objects.filter(Q(organisation__isnull=True) | Q(organisation_id=actor.organisation_id), code=code).exists():
        raise ServiceError(_("This code is already used."), field="code")
    if scoring_method not in ScoringMethod.values:
        raise ServiceError(_("Choose a scoring method."), field="scoring_method")
    if isinstance(max_missing, bool) or not isinstance(max_missing, int) or not 0 <= max_missing <= 50:
        raise ServiceError(_("Enter a number from 0 to 50."), field="max_missing")
    with transaction.atomic():
        instrument = Instrument.objects.create(
            organisation_id=actor.organisation_id, code=code, name=clean_text(name, "name", max_length=200),
            name_es=clean_text(name_es, "name_es", required=False, max_length=200),
            instructions=clean_text(instructions, "instructions", required=False, max_length=2000),
            instructions_es=clean_text(instructions_es, "instructions_es", required=False, max_length=2000),
            recall_period=clean_text(recall_period, "recall_period", required=False, max_length=100),
            citation=clean_text(citation, "citation", required=False, max_length=2000),
            attribution=clean_text(attribution, "attribution", required=False, max_length=2000),
            licence=Licence.FREE_TEXT, scoring_method=scoring_method, max_missing=max_missing,
            higher_is_better=bool(higher_is_better), is_published=False,
            missing_rule_note=_("Set by the organisation: up to %(n)s unanswered items are prorated.") % {"n": max_missing})
        audit_record(actor=actor, action=AuditAction.CREATE, target=instrument)
    return instrument


def instrument_add_option(*, actor: Any, instrument: Instrument, value: int, label: str, label_es: str = "",
                          option_set: str = "default") -> ResponseOption:
    _own_draft(actor, instrument)
    if isinstance(value, bool) or not isinstance(value, int) or not -100 <= value <= 100:
        raise ServiceError(_("Enter a whole number from -100 to 100."), field="value")
    option_set = clean_text(option_set or "default", "option_set", max_length=20)
    try:
        with transaction.atomic():
            option = ResponseOption.objects.create(instrument=instrument, option_set=option_set, value=value,
                                                   label=clean_text(label, "label", max_length=120),
                                                   label_es=clean_text(label_es, "label_es", required=False, max_length=120))
            audit_record(actor=actor, action=AuditAction.UPDATE, target=instrument, detail={"option": value})
    except IntegrityError:
        raise ServiceError(_("This value is already an answer of this set."), field="value") from None
    return option


def instrument_add_item(*, actor: Any, instrument: Instrument, text: str, text_es: str = "", reverse_scored: bool = False,
                        subscale: str = "", option_set: str = "default") -> InstrumentItem:
    _own_draft(actor, instrument)
    option_set = clean_text(option_set or "default", "option_set", max_length=20)
    with transaction.atomic():
        number = (instrument.items.order_by("-number").values_list("number", flat=True).first() or 0) + 1
        item = InstrumentItem.objects.create(instrument=instrument, number=number, text=clean_text(text, "text", max_length=1000),
                                             text_es=clean_text(text_es, "text_es", required=False, max_length=1000),
                                             reverse_scored=bool(reverse_scored), option_set=option_set,
                                             subscale=clean_text(subscale, "subscale", required=False, max_length=60))
        audit_record(actor=actor, action=AuditAction.UPDATE, target=instrument, detail={"item": number})
    return item


def instrument_add_band(*, actor: Any, instrument: Instrument, low: Decimal, high: Decimal, label: str,
                        label_es: str = "") -> Instrument:
    _own_draft(actor, instrument)
    try:
        low, high = Decimal(str(low)), Decimal(str(high))
    except Exception:  # noqa: BLE001 - any unparsable number
        raise ServiceError(_("Enter numbers."), field="low") from None
    if not (low.is_finite() and high.is_finite()) or high < low:
        raise ServiceError(_("The upper bound must not be below the lower bound."), field="high")
    for band in instrument.bands:
        if not (high < Decimal(str(band["min"])) or low > Decimal(str(band["max"]))):
            raise ServiceError(_("Bands must not overlap."), field="low")
    with transaction.atomic():
        instrument.bands = sorted([*instrument.bands, {"min": str(low), "max": str(high), "label": clean_text(label, "label", max_length=60),
                                                       "label_es": clean_text(label_es, "label_es", required=False, max_length=60)}],
                                  key=lambda b: Decimal(str(b["min"])))
        instrument.save(update_fields=["bands", "updated_at"])
        audit_record(actor=actor, action=AuditAction.UPDATE, target=instrument, detail={"band": str(label)})
    return instrument


def instrument_add_safety_rule(*, actor: Any, instrument: Instrument, item_number: int, above: int, label: str) -> Instrument:
    _own_draft(actor, instrument)
    if not instrument.items.filter(number=item_number).exists():
        raise ServiceError(_("Choose an item of this instrument."), field="item_number")
    with transaction.atomic():
        instrument.safety_rules = [*instrument.safety_rules, {"item": item_number, "above": above,
                                                              "label": clean_text(label, "label", max_length=200)}]
        instrument.save(update_fields=["safety_rules", "updated_at"])
        audit_record(actor=actor, action=AuditAction.UPDATE, target=instrument, detail={"safety_rule": item_number})
    return instrument


def instrument_publish(*, actor: Any, instrument: Instrument) -> Instrument:
    """Check the draft is complete (items, at least two answers per set used) and open it for use."""
    _own_draft(actor, instrument)
    items = list(instrument.items.filter(is_active=True))
    if not items:
        raise ServiceError(_("Add at least one question."), field="instrument")
    spec = spec_for(instrument, items)
    for item in spec.items:
        if len(item.values) < 2:
            raise ServiceError(_("Question %(n)s needs at least two answers in its option set.") % {"n": item.number},
                               field="instrument")
    if spec.method == ScoringMethod.SUM:
        low = sum(i.low for i in spec.items)
        high = sum(i.high for i in spec.items)
    else:
        low = min(i.low for i in spec.items)
        high = max(i.high for i in spec.items)
    with transaction.atomic():
        instrument.min_score, instrument.max_score = Decimal(low), Decimal(high)
        instrument.is_published = True
        instrument.save(update_fields=["min_score", "max_score", "is_published", "updated_at"])
        audit_record(actor=actor, action=AuditAction.UPDATE, target=instrument, detail={"published": True})
    return instrument


def item_text_set(*, actor: Any, item: InstrumentItem, text: str, text_es: str = "") -> ItemTextOverride:
    """An organisation's licensed wording of an item of a scoring-only instrument."""
    _require(actor, BUILDERS)
    instrument = item.instrument
    if instrument.organisation_id not in (None, actor.organisation_id):
        raise NotAllowed
    if instrument.licence != Licence.SCORING_ONLY:
        raise ServiceError(_("Only instruments shipped as scoring only take your own text."), field="text")
    text = clean_text(text, "text", max_length=1000)
    with transaction.atomic():
        override_row, _created = ItemTextOverride.objects.update_or_create(
            organisation_id=actor.organisation_id, item=item,
            defaults={"text": text, "text_es": clean_text(text_es, "text_es", required=False, max_length=1000), "is_active": True})
        audit_record(actor=actor, action=AuditAction.UPDATE, target=override_row, detail={"item": item.number})
    return override_row
