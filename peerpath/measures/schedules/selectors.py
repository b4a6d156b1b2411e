"""Measure schedules: which instruments at which timepoints, client enrolments, the daily due/overdue/missed scan and follow-up rates."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from peerpath.core.choices import Role
from peerpath.measures.choices import AdministrationStatus, Timepoint
from peerpath.measures.models import (
    Administration,
    MeasureSchedule,
)

RATE_ROLES = frozenset({Role.SUPERVISOR, Role.LEADER, Role.ADMIN})


@dataclass
class RateRow:
    schedule: MeasureSchedule
    closed: int  # follow-ups whose window has closed
    completed: int  # of those, completed inside the window
    target: int

    @property
    def rate(self) -> float | None:
        return round(100 * self.completed / self.closed, 1) if self.closed else None

    @property
    def below_target(self) -> bool:
        return self.rate is not None and self.rate < self.target


def schedules_for(user: Any) -> QuerySet[MeasureSchedule]:
    rows = MeasureSchedule.objects.filter(organisation_id=user.organisation_id, is_active=True).select_related("team")
    if user.role == Role.SUPERVISOR:
        rows = rows.filter(Q(team__isnull=True) | Q(team__in=user.teams.filter(is_active=True)))
    return rows.order_by("name")


def schedule_for(user: Any, pk: int) -> MeasureSchedule:
    schedule = schedules_for(user).filter(pk=pk).first()
    if schedule is None:
        raise Http404("No such schedule.")
    return schedule


def followup_rates(user: Any, *, today: date | None = None) -> list[RateRow]:
    """Per schedule (program): follow-ups completed within their window ÷ follow-ups whose window has closed.
    Each administration counts once (one instrument at one follow-up time point of one client)."""
    today = today or timezone.localdate()
    if user.role not in RATE_ROLES:
        return []
    schedules = list(schedules_for(user))
    counts = _rate_counts(user.organisation_id, [s.pk for s in schedules], today)
    return [RateRow(schedule=s, closed=counts.get(s.pk, (0, 0))[0], completed=counts.get(s.pk, (0, 0))[1],
                    target=s.target_followup_rate) for s in schedules]


def _rate_counts(organisation_id: int, schedule_ids: list[int], today: date) -> dict[int, tuple[int, int]]:
    rows = (Administration.objects.filter(organisation_id=organisation_id, is_active=True, timepoint=Timepoint.FOLLOWUP,
                                          enrolment__schedule_id__in=schedule_ids, window_end__lt=today)
            .exclude(status=AdministrationStatus.CANCELLED)
            .values_list("enrolment__schedule_id", "status", "completed_at", "window_start", "window_end"))
    counts: dict[int, list[int]] = {}
    for schedule_id, status, completed_at, start, end in rows:
        entry = counts.setdefault(schedule_id, [0, 0])
        entry[0] += 1
        if status == AdministrationStatus.COMPLETED and completed_at is not None:
            done = timezone.localdate(completed_at)
            if (start is None or done >= start) and done <= end:
                entry[1] += 1
    return {k: (v[0], v[1]) for k, v in counts.items()}
