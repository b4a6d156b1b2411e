"""Loading the shipped reference data (``data/*.json``) into the database.

Each file is one dataset version; loading is idempotent — a (dataset, version) already in the
database is left as it is, so organisations' own rows and edits survive upgrades. The functions
take a model getter so the same code runs in a data migration (historical models) and from the
``load_reference_data`` command."""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).resolve().parent / "data"

# Load order matters: later datasets point at rows of earlier ones.
FILES = [
    "cfir2", "cfir2009", "crosswalk", "eric", "strategy_matching", "readiness_instruments",
    "barrier_templates", "plan_checklist", "procurement_checklist",
]

GetModel = Callable[[str], Any]


def read(name: str) -> dict[str, Any]:
    with (DATA_DIR / f"{name}.json").open(encoding="utf-8") as handle:
        data: dict[str, Any] = json.load(handle)
    return data


def load_all(get_model: GetModel) -> list[str]:
    """Load every shipped dataset not yet in the database; returns what was loaded."""
    # A list, not a generator: every file must be tried, in order.
    return [name for name in FILES if (DATA_DIR / f"{name}.json").exists() and _load(get_model, name)]


def current(get_model: GetModel, name: str) -> Any:
    """The newest loaded version of a dataset."""
    return get_model("ReferenceDataset").objects.filter(name=name).order_by("-created_at", "-id").first()


def _load(get_model: GetModel, name: str) -> bool:
    data = read(name)
    Dataset = get_model("ReferenceDataset")
    if Dataset.objects.filter(name=data["dataset"], version=data["version"]).exists():
        return False
    dataset = Dataset.objects.create(name=data["dataset"], version=data["version"], sources=data.get("sources", []),
                                     translation_note=data.get("translation_note", ""))
    LOADERS[name](get_model, dataset, data["rows"])
    return True


def _cfir2_by_code(get_model: GetModel) -> dict[str, Any]:
    dataset = current(get_model, "cfir2")
    return {c.code: c for c in get_model("CfirConstruct").objects.filter(dataset=dataset)}


def _cfir2009_by_code(get_model: GetModel) -> dict[str, Any]:
    dataset = current(get_model, "cfir2009")
    return {c.code: c for c in get_model("Cfir2009Construct").objects.filter(dataset=dataset)}


def _strategies_by_name(get_model: GetModel) -> dict[str, Any]:
    dataset = current(get_model, "eric")
    return {s.name: s for s in get_model("EricStrategy").objects.filter(dataset=dataset)}


def _load_cfir2(get_model: GetModel, dataset: Any, rows: list[dict[str, Any]]) -> None:
    Construct = get_model("CfirConstruct")
    by_code: dict[str, Any] = {}
    for position, row in enumerate(rows):
        by_code[row["code"]] = Construct.objects.create(
            dataset=dataset, code=row["code"], domain=row["domain"], kind=row["kind"],
            parent=by_code.get(row["parent"]) if row.get("parent") else None,
            name=row["name"], name_es=row.get("name_es", ""), definition=row.get("definition", ""),
            definition_es=row.get("definition_es", ""), ratable=row.get("ratable", True),
            rated_per_role=row.get("rated_per_role", False), reverse_rated=row.get("reverse_rated", False),
            order=row.get("order", position), source=row["source"])


def _load_cfir2009(get_model: GetModel, dataset: Any, rows: list[dict[str, Any]]) -> None:
    get_model("Cfir2009Construct").objects.bulk_create([
        get_model("Cfir2009Construct")(dataset=dataset, code=row["code"], domain=row["domain"], name=row["name"],
                                       name_es=row.get("name_es", ""), parent_code=row.get("parent") or "",
                                       source=row["source"])
        for row in rows])


def _load_crosswalk(get_model: GetModel, dataset: Any, rows: list[dict[str, Any]]) -> None:
    new, old = _cfir2_by_code(get_model), _cfir2009_by_code(get_model)
    Crosswalk = get_model("CfirCrosswalk")
    Crosswalk.objects.bulk_create([
        Crosswalk(dataset=dataset, construct=new[row["cfir2"]], construct_2009=old[code], source=row["source"],
                  note=(row.get("note") or "")[:300])
        for row in rows for code in row["cfir2009"]])


def _decimal(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def _load_eric(get_model: GetModel, dataset: Any, rows: list[dict[str, Any]]) -> None:
    Strategy = get_model("EricStrategy")
    Strategy.objects.bulk_create([
        Strategy(dataset=dataset, number=row["number"], name=row["name"], name_es=row.get("name_es", ""),
                 cluster=row["cluster"], cluster_es=row.get("cluster_es", ""), definition=row.get("definition", ""),
                 definition_es=row.get("definition_es", ""), importance=_decimal(row.get("importance")),
                 feasibility=_decimal(row.get("feasibility")), quadrant=row.get("quadrant") or "",
                 verified=row.get("verified", True), source=row["source"])
        for row in rows])


def _load_matching(get_model: GetModel, dataset: Any, rows: list[dict[str, Any]]) -> None:
    new, old, strategies = _cfir2_by_code(get_model), _cfir2009_by_code(get_model), _strategies_by_name(get_model)
    Match = get_model("StrategyMatch")
    Match.objects.bulk_create([
        Match(dataset=dataset, construct=new[row["cfir2"]] if row.get("cfir2") else None,
              construct_2009=old[row["cfir2009"]] if row.get("cfir2009") else None,
              strategy=strategies[row["strategy"]], level=row["level"], endorsement=_decimal(row.get("endorsement")),
              source=row["source"], note=(row.get("note") or "")[:500])
        for row in rows])


def _load_instruments(get_model: GetModel, dataset: Any, rows: list[dict[str, Any]]) -> None:
    Instrument, Item = get_model("ReadinessInstrument"), get_model("ReadinessItem")
    for position, row in enumerate(rows):
        instrument = Instrument.objects.create(
            dataset=dataset, code=row["code"], name=row["name"], name_es=row.get("name_es", ""),
            citation_key=row.get("citation_key", row.get("source", "")), scale_min=row.get("scale_min", 1),
            scale_max=row.get("scale_max", 5), scale_labels=row.get("scale_labels", []),
            scale_labels_es=row.get("scale_labels_es", []), scoring=row["scoring"],
            missing_rule=row.get("missing_rule", {}), subscales=row.get("subscales", []), order=position)
        Item.objects.bulk_create([
            Item(instrument=instrument, number=item["number"], text=item["text"], text_es=item.get("text_es", ""),
                 subscale=item.get("subscale") or "")
            for item in row["items"]])


def _load_barrier_templates(get_model: GetModel, dataset: Any, rows: list[dict[str, Any]]) -> None:
    new = _cfir2_by_code(get_model)
    Template = get_model("BarrierTemplate")
    Template.objects.bulk_create([
        Template(dataset=dataset, key=row["key"], kind=row["kind"], title=row["title"], title_es=row.get("title_es", ""),
                 description=row.get("description", ""), description_es=row.get("description_es", ""),
                 construct=new[row["cfir2"]], source=row["source"])
        for row in rows])


def _load_checklist(get_model: GetModel, dataset: Any, rows: list[dict[str, Any]]) -> None:
    new, strategies = _cfir2_by_code(get_model), _strategies_by_name(get_model)
    Checklist = get_model("ChecklistTemplate")
    Checklist.objects.bulk_create([
        Checklist(dataset=dataset, key=row["key"], title=row["title"], title_es=row.get("title_es", ""),
                  description=row.get("description", ""), description_es=row.get("description_es", ""),
                  construct=new.get(row.get("cfir2") or ""), strategy=strategies.get(row.get("strategy") or ""),
                  source=row["source"], order=position)
        for position, row in enumerate(rows)])


def _load_procurement(get_model: GetModel, dataset: Any, rows: list[dict[str, Any]]) -> None:
    new = _cfir2_by_code(get_model)
    Requirement = get_model("ProcurementRequirement")
    Requirement.objects.bulk_create([
        Requirement(dataset=dataset, key=row["key"], title=row["title"], title_es=row.get("title_es", ""),
                    requirement=row["requirement"], requirement_es=row.get("requirement_es", ""),
                    construct=new.get(row.get("cfir2") or ""), source=row["source"], order=position)
        for position, row in enumerate(rows)])


LOADERS: dict[str, Callable[[GetModel, Any, list[dict[str, Any]]], None]] = {
    "cfir2": _load_cfir2, "cfir2009": _load_cfir2009, "crosswalk": _load_crosswalk, "eric": _load_eric,
    "strategy_matching": _load_matching, "readiness_instruments": _load_instruments,
    "barrier_templates": _load_barrier_templates, "plan_checklist": _load_checklist,
    "procurement_checklist": _load_procurement,
}


def load_installed() -> list[str]:
    """Load with the current models (management command, demo, tests after a flush)."""
    from django.apps import apps

    return load_all(lambda name: apps.get_model("implementation", name))
