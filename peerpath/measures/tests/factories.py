"""Test helpers for measures: the shipped library, administrations, schedules and one-time links."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from peerpath.measures.administrations import services as administrations_services
from peerpath.measures.library import load_shipped
from peerpath.measures.links import services as links_services
from peerpath.measures.models import Administration, Instrument, MeasureSchedule, ScheduleInstrument, ScheduleTimepoint


def shipped(code: str = "phq9") -> Instrument:
    if not Instrument.objects.filter(organisation=None, code=code).exists():
        load_shipped()
    return Instrument.objects.get(organisation=None, code=code)


def administration(org: Any, *, client: Any = None, code: str = "phq9", **extra: Any) -> Administration:
    client = client or org.client
    values = {"organisation": org.organisation, "client": client, "instrument": shipped(code), "timepoint": "intake",
              "due_on": timezone.localdate(), "status": "due", "language": "en"}
    values.update(extra)
    return Administration.objects.create(**values)


def completed(org: Any, *, client: Any = None, code: str = "phq9", answers: dict[int, int] | None = None) -> Administration:
    adm = administration(org, client=client, code=code)
    n = adm.instrument.items.count()
    return administrations_services.administration_submit(actor=org.users["peer"], administration=adm,
                                          answers=answers or {i: 1 for i in range(1, n + 1)})


def link(org: Any, *, language: str = "en", **extra: Any) -> tuple[Any, str]:
    return links_services.link_create(actor=org.users["peer"], administration=administration(org, **extra), language=language)


def schedule(org: Any, *, codes: tuple[str, ...] = ("phq9",), points: tuple[tuple[str, int, int, int], ...] = (
        ("intake", 0, 0, 14), ("followup", 30, 7, 14), ("followup", 90, 14, 21), ("followup", 182, 30, 60),
        ("discharge", 0, 7, 14)), target: int = 80, team: Any = None) -> MeasureSchedule:
    sched = MeasureSchedule.objects.create(organisation=org.organisation, name="Peer support outcomes",
                                           team=team or org.team, target_followup_rate=target)
    for code in codes:
        ScheduleInstrument.objects.create(schedule=sched, instrument=shipped(code))
    for kind, day, before, after in points:
        ScheduleTimepoint.objects.create(schedule=sched, kind=kind, day_offset=day, window_before_days=before,
                                         window_after_days=after)
    return sched


def days_ago(n: int) -> dt.date:
    return timezone.localdate() - dt.timedelta(days=n)


PHQ_ALL_ONES = {i: 1 for i in range(1, 10)}
