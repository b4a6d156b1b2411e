"""Reads of the shipped reference data (current versions), shared by every part of the module.

Reference data is not organisation-scoped except ``StrategyMatch`` and ``BarrierTemplate`` rows an
organisation added itself; those helpers take the organisation id."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from peerpath.implementation.models import (
    BarrierTemplate,
    CfirConstruct,
    ChecklistTemplate,
    EricStrategy,
    ProcurementRequirement,
    ReadinessInstrument,
    ReferenceDataset,
    StrategyMatch,
)


def current_dataset(name: str) -> ReferenceDataset | None:
    """The newest loaded version of a shipped dataset (``cfir2``, ``eric``, ...)."""
    return ReferenceDataset.objects.filter(name=name, is_active=True).order_by("-created_at", "-id").first()


def cfir_constructs() -> QuerySet[CfirConstruct]:
    """Every construct, subconstruct, role and characteristic of the current CFIR 2.0 dataset, in order."""
    return CfirConstruct.objects.filter(dataset=current_dataset("cfir2")).select_related("parent").order_by("order")


def eric_strategies() -> QuerySet[EricStrategy]:
    return EricStrategy.objects.filter(dataset=current_dataset("eric")).order_by("number")


def readiness_instruments() -> QuerySet[ReadinessInstrument]:
    return (ReadinessInstrument.objects.filter(dataset=current_dataset("readiness_instruments"))
            .prefetch_related("items").order_by("order"))


def strategy_matches(*, organisation_id: int) -> QuerySet[StrategyMatch]:
    """The barrier→strategy table as this organisation uses it: the shipped rows it has not retired,
    plus its own rows."""
    shipped = Q(organisation__isnull=True, dataset=current_dataset("barrier_strategy"))
    return (StrategyMatch.objects.filter(shipped | Q(organisation_id=organisation_id), is_active=True)
            .exclude(retired_by=organisation_id)
            .select_related("strategy", "construct", "construct_2009"))


def barrier_templates(*, organisation_id: int) -> QuerySet[BarrierTemplate]:
    shipped = Q(organisation__isnull=True, dataset=current_dataset("barrier_templates"))
    return (BarrierTemplate.objects.filter(shipped | Q(organisation_id=organisation_id), is_active=True)
            .select_related("construct"))


def checklist_templates() -> QuerySet[ChecklistTemplate]:
    return (ChecklistTemplate.objects.filter(dataset=current_dataset("plan_checklist"))
            .select_related("construct", "strategy"))


def procurement_requirements() -> QuerySet[ProcurementRequirement]:
    return (ProcurementRequirement.objects.filter(dataset=current_dataset("procurement_checklist"))
            .select_related("construct"))
