"""Service use (admissions, emergency visits, ...), the usual-care comparison register and CSV import runs."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from peerpath.core.models import OrganisationScoped
from peerpath.outcomes.choices import EventKind, EventSource


class ServiceEvent(OrganisationScoped):
    """One use of a service by a client. Admissions: ``occurred_on`` = admitted, ``ended_on`` = discharged
    (inpatient days = ended_on - occurred_on; an open stay counts until today)."""

    client = models.ForeignKey("clients.Client", on_delete=models.PROTECT, related_name="service_events")
    kind = models.CharField(_("kind"), max_length=12, choices=EventKind.choices)
    occurred_on = models.DateField(_("date (admission date for a stay)"))
    ended_on = models.DateField(_("discharge date"), null=True, blank=True)
    status = models.CharField(_("new status"), max_length=30, blank=True)
    facility = models.CharField(_("facility or service"), max_length=200, blank=True)
    source = models.CharField(max_length=8, choices=EventSource.choices, default=EventSource.STAFF)
    external_id = models.CharField(_("source record id"), max_length=80, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-occurred_on", "-pk"]
        indexes = [
            models.Index(fields=["organisation", "kind", "occurred_on"], name="svcevent_org_kind_idx"),
            models.Index(fields=["client", "occurred_on"], name="svcevent_client_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.occurred_on}"


class ComparisonEnrolment(OrganisationScoped):
    """A client registered as usual care (no peer support) for evaluations, with the date from which
    their outcomes are followed (the counterpart of a peer client's first match)."""

    client = models.OneToOneField("clients.Client", on_delete=models.PROTECT, related_name="comparison_enrolment")
    index_date = models.DateField(_("followed from"))
    note = models.CharField(_("note"), max_length=200, blank=True)

    def __str__(self) -> str:
        return f"Comparison from {self.index_date}"


class ImportRun(OrganisationScoped):
    """One CSV import of service events: how many rows came in and which were refused, and why."""

    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    filename = models.CharField(max_length=200, blank=True)
    rows_total = models.PositiveIntegerField(default=0)
    rows_imported = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True)
    # Written (committed) before the first row, so a run killed mid-import still says what happened:
    # "running" with no rows written (the rows are written in one transaction with the "done" state);
    # "failed" when it stopped on an error (nothing written either).
    status = models.CharField(max_length=12, choices=[("running", _("running")), ("done", _("done")),
                                                      ("failed", _("failed"))], default="done")
    # Rows read so far, updated per batch while it runs (visible from outside the import's transaction
    # on PostgreSQL: services._Progress); equals rows_total once done.
    rows_done = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at"]
