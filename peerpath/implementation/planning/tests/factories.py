"""Factories for barriers and plans, and a small hand-made reference world (CFIR 2.0 and 2009, a
crosswalk, ERIC strategies, a barrier → strategy table, templates and a checklist) that becomes the
*current* version of each dataset for the test that builds it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal
from typing import Any

import factory
from django.utils import timezone

from peerpath.implementation.models import (
    Barrier,
    BarrierTemplate,
    Cfir2009Construct,
    CfirConstruct,
    CfirCrosswalk,
    ChecklistTemplate,
    EricStrategy,
    ImplementationPlan,
    PlanItem,
    ReferenceDataset,
    StrategyMatch,
)

D = Decimal


@dataclass
class RefWorld:
    datasets: dict[str, ReferenceDataset]
    constructs: dict[str, CfirConstruct]  # by code
    old: dict[str, Cfir2009Construct]  # by code
    strategies: dict[str, EricStrategy]  # by name
    matches: dict[str, StrategyMatch]
    templates: dict[str, BarrierTemplate]  # by key
    checklist: list[ChecklistTemplate] = field(default_factory=list)


def _dataset(name: str, sources: list[dict[str, str]] | None = None) -> ReferenceDataset:
    return ReferenceDataset.objects.create(name=name, version=f"test-{ReferenceDataset.objects.count()}",
                                           sources=sources or [])


def reference_world() -> RefWorld:
    """A handful of rows of every dataset the planning area reads."""
    cfir2 = _dataset("cfir2", [{"key": "damschroder2022", "citation": "Damschroder et al. 2022"}])
    cfir2009 = _dataset("cfir2009")
    crosswalk = _dataset("cfir_crosswalk", [{"key": "cfir-crosswalk", "citation": "CFIR 2.0 crosswalk (2022)"}])
    eric = _dataset("eric")
    table = _dataset("barrier_strategy", [{"key": "waltz2019", "citation": "Waltz et al. 2019"},
                                          {"key": "mutschler2022", "citation": "Mutschler et al. 2022"}])
    templates_ds = _dataset("barrier_templates")
    checklist_ds = _dataset("plan_checklist")

    constructs: dict[str, CfirConstruct] = {}
    for order, (code, domain, kind, parent, name, name_es) in enumerate([
        ("II.F", "II", "construct", None, "Financing", "Financiación"),
        ("III.D", "III", "construct", None, "Culture", "Cultura"),
        ("III.D.1", "III", "subconstruct", "III.D", "Human Equality-Centeredness", "Centrado en la igualdad humana"),
        ("III.F", "III", "construct", None, "Compatibility", "Compatibilidad"),
        ("III.K", "III", "construct", None, "Access to Knowledge & Information", "Acceso a conocimiento"),
        ("V.A", "V", "construct", None, "Teaming", "Trabajo en equipo"),
    ]):
        constructs[code] = CfirConstruct.objects.create(
            dataset=cfir2, code=code, domain=domain, kind=kind, parent=constructs.get(parent or ""), name=name,
            name_es=name_es, order=order, source="damschroder2022")
    old = {code: Cfir2009Construct.objects.create(dataset=cfir2009, code=code, domain=domain, name=name,
                                                 source="damschroder2009")
           for code, domain, name in [("II.C", "III", "Culture"), ("II.E.2", "III", "Compatibility"),
                                      ("II.B", "III", "Networks & Communications"), ("I.H", "I", "Cost"),
                                      ("II.F", "III", "Access to Knowledge & Information")]}
    for new, olds in [("III.D", ["II.C"]), ("III.F", ["II.E.2", "II.B"]), ("II.F", ["I.H"]),
                      ("III.K", ["II.F"])]:
        for code in olds:
            CfirCrosswalk.objects.create(dataset=crosswalk, construct=constructs[new], construct_2009=old[code],
                                         source="cfir-crosswalk")
    strategies = {}
    for number, name, name_es, cluster, importance, feasibility in [
        (52, "Revise professional roles", "Revisar los roles profesionales", "Support clinicians", "3.89", "3.34"),
        (36, "Conduct educational meetings", "Realizar reuniones educativas", "Train and educate stakeholders",
         "3.90", "4.40"),
        (19, "Identify and prepare champions", "Identificar y preparar referentes", "Develop stakeholder "
         "interrelationships", None, None),
        (57, "Access new funding", "Acceder a nueva financiación", "Utilize financial strategies", "4.50", "3.00"),
        (13, "Provide clinical supervision", "Proporcionar supervisión clínica", "Provide interactive assistance",
         "4.00", "3.50"),
    ]:
        strategies[name] = EricStrategy.objects.create(
            dataset=eric, number=number, name=name, name_es=name_es, cluster=cluster,
            definition=f"Definition of {name.lower()}.",
            importance=D(importance) if importance else None, feasibility=D(feasibility) if feasibility else None,
            source="powell2015")
    matches = {
        "roles-compat": StrategyMatch.objects.create(dataset=table, construct_2009=old["II.E.2"],
                                                     strategy=strategies["Revise professional roles"], level=1,
                                                     endorsement=D("0.62"), source="waltz2019"),
        "roles-networks": StrategyMatch.objects.create(dataset=table, construct_2009=old["II.B"],
                                                       strategy=strategies["Revise professional roles"], level=2,
                                                       source="waltz2019"),
        "meetings-culture": StrategyMatch.objects.create(dataset=table, construct_2009=old["II.C"],
                                                         strategy=strategies["Conduct educational meetings"], level=2,
                                                         endorsement=D("0.30"), source="waltz2019"),
        "champions-equality": StrategyMatch.objects.create(dataset=table, construct=constructs["III.D.1"],
                                                           strategy=strategies["Identify and prepare champions"],
                                                           level=1, source="mutschler2022",
                                                           note="Peers as champions of recovery culture."),
        "funding-cost": StrategyMatch.objects.create(dataset=table, construct_2009=old["I.H"],
                                                     strategy=strategies["Access new funding"], level=1,
                                                     endorsement=D("0.55"), source="waltz2019"),
    }
    templates = {}
    for key, kind, title, title_es, code in [
        ("role-unclear", "barrier", "The peer role is unclear", "El rol de par no está claro", "III.F"),
        ("colleague-beliefs", "barrier", "Colleagues doubt peer support", "Los colegas dudan del apoyo entre pares",
         "III.D"),
        ("no-funding", "barrier", "No funding or billing route", "Sin vía de financiación o facturación", "II.F"),
        ("peer-network", "facilitator", "Peers have a peer network", "Los pares tienen una red de pares", "V.A"),
    ]:
        templates[key] = BarrierTemplate.objects.create(
            dataset=templates_ds, key=key, kind=kind, title=title, title_es=title_es,
            description=f"About: {title.lower()}.", construct=constructs[code], source="Mutschler et al. 2022")
    checklist = [
        ChecklistTemplate.objects.create(dataset=checklist_ds, key=key, title=title, construct=constructs[code],
                                         strategy=strategies.get(strategy or ""), source="Mutschler et al. 2022",
                                         order=order)
        for order, (key, title, code, strategy) in enumerate([
            ("leadership", "Leadership commitment", "III.D", "Identify and prepare champions"),
            ("role", "Role defined with peers and staff", "III.F", "Revise professional roles"),
            ("supervision", "Ongoing supervision", "V.A", "Provide clinical supervision"),
        ])]
    datasets = {d.name: d for d in (cfir2, cfir2009, crosswalk, eric, table, templates_ds, checklist_ds)}
    return RefWorld(datasets, constructs, old, strategies, matches, templates, checklist)


class BarrierFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Barrier

    organisation = factory.LazyAttribute(lambda o: o.recorded_by.organisation)
    kind = "barrier"
    title = factory.Sequence(lambda n: f"Barrier {n}")
    evidence = "Peer team meeting, March"
    raised_by = "Peer workers"


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ImplementationPlan

    organisation = factory.LazyAttribute(lambda o: o.created_by.organisation)
    title = factory.Sequence(lambda n: f"Plan {n}")


class PlanItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlanItem

    organisation = factory.LazyAttribute(lambda o: o.plan.organisation)
    title = factory.Sequence(lambda n: f"Action {n}")
    due_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=30))


def overdue_item(plan: ImplementationPlan, owner: Any, days: int = 5, **kwargs: Any) -> PlanItem:
    return PlanItemFactory(plan=plan, owner=owner, due_on=timezone.localdate() - timedelta(days=days), **kwargs)
