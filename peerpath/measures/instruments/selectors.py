"""Instruments: the shipped library and an organisation's own, built without code by an admin (options, items, bands, safety rules, per-organisation item text)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from peerpath.measures.choices import Licence
from peerpath.measures.models import (
    Instrument,
    InstrumentItem,
    ItemTextOverride,
)


def instruments_for(user: Any, *, published_only: bool = False) -> QuerySet[Instrument]:
    """Shipped instruments and the organisation's own."""
    rows = Instrument.objects.filter(Q(organisation__isnull=True) | Q(organisation_id=user.organisation_id), is_active=True)
    if published_only:
        rows = rows.filter(is_published=True)
    return rows.order_by("organisation_id", "name")


def instrument_for(user: Any, pk: int) -> Instrument:
    instrument = instruments_for(user).filter(pk=pk).first()
    if instrument is None:
        raise Http404("No such instrument.")
    return instrument


def usable_instruments(organisation_id: int | None) -> QuerySet[Instrument]:
    """Published instruments an organisation can give: its own, and shipped ones whose text it can show."""
    organisation_id = organisation_id or 0  # a staff member without an organisation: shipped text only
    rows = Instrument.objects.filter(Q(organisation__isnull=True) | Q(organisation_id=organisation_id), is_active=True,
                                     is_published=True)
    licensed = ItemTextOverride.objects.filter(organisation_id=organisation_id, is_active=True).values("item__instrument_id")
    return rows.filter(~Q(licence=Licence.SCORING_ONLY) | Q(pk__in=licensed)).order_by("name")


@dataclass
class Question:
    item: InstrumentItem
    text: str
    options: list[tuple[int, str]]


def questions(instrument: Instrument, organisation_id: int | None, language: str) -> list[Question]:
    """The items as the client sees them: the organisation's own wording first, then the shipped text."""
    organisation_id = organisation_id or 0  # no organisation: no overrides
    items = list(instrument.items.filter(is_active=True).order_by("number"))
    overrides = {o.item_id: o for o in ItemTextOverride.objects.filter(organisation_id=organisation_id, is_active=True,
                                                                        item__instrument=instrument)}
    options: dict[str, list[tuple[int, str]]] = {}
    for option in instrument.options.filter(is_active=True).order_by("value"):
        options.setdefault(option.option_set, []).append((option.value, option.label_in(language)))
    out = []
    for item in items:
        source: Any = overrides.get(item.pk) or item
        text = (source.text_es if language == "es" and source.text_es else source.text) or ""
        out.append(Question(item=item, text=text, options=options.get(item.option_set, [])))
    return out


def has_all_text(instrument: Instrument, organisation_id: int | None) -> bool:
    return all(q.text for q in questions(instrument, organisation_id, "en"))


def shipped_instrument_names(*, spanish: bool = False) -> dict[str, str]:
    """The shipped instruments' names by code (``phq9`` → its name), in Spanish where translated."""
    rows = Instrument.objects.filter(organisation__isnull=True).values_list("code", "name", "name_es")
    return {code: (name_es if spanish and name_es else name) for code, name, name_es in rows}
