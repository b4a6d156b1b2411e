"""The barrier and facilitator register and the implementation plan built from chosen ERIC strategies."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from peerpath.core.models import OrganisationScoped, Team
from peerpath.implementation.reference.models import (
    BarrierTemplate,
    CfirConstruct,
    ChecklistTemplate,
    EricStrategy,
    TemplateKind,
)

STAFF = settings.AUTH_USER_MODEL

BarrierKind = TemplateKind


class Barrier(OrganisationScoped):
    """A barrier or facilitator to peer support here, linked to the CFIR 2.0 construct it concerns."""

    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("team (empty: whole organisation)"))
    kind = models.CharField(_("kind"), max_length=12, choices=BarrierKind.choices, default=BarrierKind.BARRIER)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    evidence = models.TextField(_("evidence"), blank=True)
    construct = models.ForeignKey(CfirConstruct, on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("CFIR construct"))
    raised_by = models.CharField(_("raised by"), max_length=200, blank=True)
    template = models.ForeignKey(BarrierTemplate, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    recorded_by = models.ForeignKey(STAFF, on_delete=models.PROTECT, related_name="+")
    resolved_on = models.DateField(_("addressed on"), null=True, blank=True)

    class Meta:
        ordering = ["kind", "-created_at"]

    def __str__(self) -> str:
        return self.title


class ImplementationPlan(OrganisationScoped):
    """The organisation's (or a team's) plan: strategies chosen against barriers, as dated items."""

    title = models.CharField(_("title"), max_length=200)
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("team (empty: whole organisation)"))
    created_by = models.ForeignKey(STAFF, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title


class PlanItemStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    DROPPED = "dropped", _("Dropped")


class PlanItem(OrganisationScoped):
    """One action of the plan: an owner, a due date, a status, the strategy and barrier(s) it serves."""

    plan = models.ForeignKey(ImplementationPlan, on_delete=models.CASCADE, related_name="items")
    title = models.CharField(_("action"), max_length=200)
    description = models.TextField(_("details"), blank=True)
    owner = models.ForeignKey(STAFF, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                              verbose_name=_("owner"))
    due_on = models.DateField(_("due"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=PlanItemStatus.choices,
                              default=PlanItemStatus.NOT_STARTED)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    strategy = models.ForeignKey(EricStrategy, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("ERIC strategy"))
    barriers = models.ManyToManyField(Barrier, blank=True, related_name="plan_items", verbose_name=_("barriers"))
    checklist_template = models.ForeignKey(ChecklistTemplate, null=True, blank=True, on_delete=models.PROTECT,
                                           related_name="+")
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["plan", "order", "due_on", "id"]
        indexes = [models.Index(fields=["organisation", "status", "due_on"], name="impl_planitem_due_idx")]

    def __str__(self) -> str:
        return self.title
