"""The shipped instrument library (``data/instruments.json``) and the bridge from database rows to the pure
scoring engine.

``load_shipped()`` is idempotent: it creates or updates the shipped instruments by code and never touches an
organisation's own instruments or text. It runs in a data migration and again from the demo seed (the demo wipe
empties every measures table). It takes an optional ``apps`` registry so the migration can use historical models.
"""

from __future__ import annotations

import json
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from peerpath.measures import scoring

DATA_FILE = Path(__file__).resolve().parent / "data" / "instruments.json"
INSTRUMENT_FIELDS = ("name", "name_es", "version", "instructions", "instructions_es", "recall_period", "citation",
                     "attribution", "source_note", "licence", "scoring_method", "min_score", "max_score", "max_missing",
                     "missing_rule_note", "bands", "safety_rules", "conversion", "higher_is_better")


@cache
def shipped_data() -> dict[str, Any]:
    return json.loads(DATA_FILE.read_text(encoding="utf-8"))


def load_shipped(apps: Any = None) -> int:
    """Create or update the shipped instruments; returns how many were loaded."""
    if apps is None:
        from django.apps import apps as django_apps

        apps = django_apps
    Instrument = apps.get_model("measures", "Instrument")
    InstrumentItem = apps.get_model("measures", "InstrumentItem")
    ResponseOption = apps.get_model("measures", "ResponseOption")
    present = {f.name for f in Instrument._meta.get_fields()}
    count = 0
    for entry in shipped_data()["instruments"]:
        values = {name: entry.get(name, "" if name not in {"bands", "safety_rules", "conversion"} else None)
                  for name in INSTRUMENT_FIELDS if name in present}
        for name in ("bands", "safety_rules"):
            values[name] = entry.get(name) or []
        values["conversion"] = entry.get("conversion") or {}
        values["min_score"] = Decimal(str(entry["min_score"]))
        values["max_score"] = Decimal(str(entry["max_score"]))
        values.update(is_published=True, is_active=True)
        instrument, _created = Instrument.objects.update_or_create(organisation=None, code=entry["code"], defaults=values)
        for option in entry["options"]:
            ResponseOption.objects.update_or_create(
                instrument=instrument, option_set=option.get("option_set", "default"), value=option["value"],
                defaults={"label": option["label"], "label_es": option.get("label_es", "")})
        for item in entry["items"]:
            InstrumentItem.objects.update_or_create(
                instrument=instrument, number=item["number"],
                defaults={"text": item.get("text", ""), "text_es": item.get("text_es", ""),
                          "option_set": item.get("option_set", "default"), "reverse_scored": item.get("reverse", False),
                          "subscale": item.get("subscale", "")})
        count += 1
    return count


def spec_for(instrument: Any, items: list[Any] | None = None, options: list[Any] | None = None) -> scoring.InstrumentSpec:
    """The scoring description of an instrument row (its items and options may be passed in, prefetched)."""
    items = list(items if items is not None else instrument.items.filter(is_active=True).order_by("number"))
    options = list(options if options is not None else instrument.options.filter(is_active=True))
    values_by_set: dict[str, list[int]] = {}
    for option in options:
        values_by_set.setdefault(option.option_set, []).append(option.value)
    item_specs = tuple(
        scoring.ItemSpec(number=item.number, values=tuple(sorted(values_by_set.get(item.option_set, []))),
                         reverse=item.reverse_scored, subscale=item.subscale)
        for item in items
    )
    bands = tuple(scoring.Band(Decimal(str(b["min"])), Decimal(str(b["max"])), str(b["label"])) for b in instrument.bands or [])
    rules = tuple(scoring.SafetyRule(int(r["item"]), int(r.get("above", 0)), str(r.get("label", "")))
                  for r in instrument.safety_rules or [])
    conversion = {int(k): Decimal(str(v)) for k, v in (instrument.conversion or {}).items()}
    return scoring.InstrumentSpec(code=instrument.code, items=item_specs, method=instrument.scoring_method,
                                  max_missing=instrument.max_missing, bands=bands, safety_rules=rules,
                                  conversion=conversion, higher_is_better=bool(instrument.higher_is_better))


def safety_items(instrument: Any) -> tuple[int, ...]:
    """The numbers of the items the instrument's safety rules look at (e.g. PHQ-9 item 9), as ``spec.safety_items``."""
    return tuple(sorted({int(r["item"]) for r in instrument.safety_rules or []}))
