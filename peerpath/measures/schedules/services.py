"""Measure schedules: which instruments at which timepoints, client enrolments, the daily due/overdue/missed scan and follow-up rates."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from peerpath.clients.models import Client
from peerpath.core.access import require
from peerpath.core.audit import audit_record
from peerpath.core.choices import AuditAction, Role
from peerpath.core.exceptions import NotAllowed, ServiceError
from peerpath.core.models import Team
from peerpath.core.validation import clean_text
from peerpath.measures.administrations import selectors as administrations_selectors
from peerpath.measures.administrations.policies import ADMINISTER_FOR_CLIENT
from peerpath.measures.administrations.services import notify
from peerpath.measures.choices import (
    AdministrationStatus,
    Language,
    ReminderKind,
    Timepoint,
)
from peerpath.measures.instruments import selectors as instruments_selectors
from peerpath.measures.models import (
    Administration,
    Enrolment,
    Instrument,
    MeasureReminder,
    MeasureSchedule,
    ScheduleInstrument,
    ScheduleTimepoint,
)

SCHEDULE_MANAGERS = frozenset({Role.ADMIN, Role.LEADER})


def schedule_create(*, actor: Any, name: str, team: Team | None, instruments: list[Instrument],
                    target_followup_rate: int = 80) -> MeasureSchedule:
    require(actor, SCHEDULE_MANAGERS)
    name = clean_text(name, "name", max_length=200)
    if team is not None and team.organisation_id != actor.organisation_id:
        raise ServiceError(_("Choose a team of your organisation."), field="team")
    if not instruments:
        raise ServiceError(_("Choose at least one instrument."), field="instruments")
    usable = set(instruments_selectors.usable_instruments(actor.organisation_id).values_list("pk", flat=True))
    if any(i.pk not in usable for i in instruments):
        raise ServiceError(_("Choose published instruments your organisation can use."), field="instruments")
    if isinstance(target_followup_rate, bool) or not isinstance(target_followup_rate, int) or not 0 <= target_followup_rate <= 100:
        raise ServiceError(_("Enter a percentage from 0 to 100."), field="target_followup_rate")
    with transaction.atomic():
        schedule = MeasureSchedule.objects.create(organisation_id=actor.organisation_id, name=name, team=team,
                                                  target_followup_rate=target_followup_rate)
        ScheduleInstrument.objects.bulk_create([ScheduleInstrument(schedule=schedule, instrument=i) for i in instruments])
        audit_record(actor=actor, action=AuditAction.CREATE, target=schedule)
    return schedule


def schedule_add_timepoint(*, actor: Any, schedule: MeasureSchedule, kind: str, day_offset: int,
                           window_before_days: int, window_after_days: int) -> ScheduleTimepoint:
    require(actor, SCHEDULE_MANAGERS)
    if schedule.organisation_id != actor.organisation_id:
        raise NotAllowed
    if kind not in Timepoint.values:
        raise ServiceError(_("Choose a time point."), field="kind")
    for field, value in (("day_offset", day_offset), ("window_before_days", window_before_days),
                         ("window_after_days", window_after_days)):
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 3650:
            raise ServiceError(_("Enter a number of days from 0 to 3650."), field=field)
    if kind == Timepoint.INTAKE and day_offset != 0:
        raise ServiceError(_("The intake is on day 0."), field="day_offset")
    if window_before_days > day_offset and kind == Timepoint.FOLLOWUP:
        raise ServiceError(_("The window cannot open before the start."), field="window_before_days")
    with transaction.atomic():
        timepoint = ScheduleTimepoint.objects.create(schedule=schedule, kind=kind, day_offset=day_offset,
                                                     window_before_days=window_before_days,
                                                     window_after_days=window_after_days)
        audit_record(actor=actor, action=AuditAction.UPDATE, target=schedule, detail={"timepoint": kind, "day": day_offset})
    return timepoint


def _due_rows(enrolment: Enrolment, timepoints: Iterable[ScheduleTimepoint], instruments: list[Instrument],
              start: date, language: str) -> list[Administration]:
    return [
        Administration(
            organisation_id=enrolment.organisation_id, client_id=enrolment.client_id, instrument=instrument,
            enrolment=enrolment, timepoint=tp.kind, followup_day=tp.day_offset if tp.kind == Timepoint.FOLLOWUP else None,
            due_on=start + timedelta(days=tp.day_offset),
            window_start=start + timedelta(days=tp.day_offset - tp.window_before_days),
            window_end=start + timedelta(days=tp.day_offset + tp.window_after_days),
            status=AdministrationStatus.DUE, language=language)
        for tp in timepoints for instrument in instruments
    ]


def enrolment_create(*, actor: Any, client: Client, schedule: MeasureSchedule, start_on: date) -> Enrolment:
    """Put a client on a schedule: the intake and every follow-up become due administrations with their windows.
    (Discharge measures become due when the client is discharged: ``enrolment_discharge``.)"""
    ADMINISTER_FOR_CLIENT.check(actor, client)
    if schedule.organisation_id != actor.organisation_id or not schedule.is_active:
        raise ServiceError(_("Choose a schedule of your organisation."), field="schedule")
    if not isinstance(start_on, date):
        raise ServiceError(_("Enter a date."), field="start_on")
    if abs((start_on - timezone.localdate()).days) > 366:
        raise ServiceError(_("The start must be within a year of today."), field="start_on")
    instruments = [si.instrument for si in schedule.schedule_instruments.select_related("instrument")]
    timepoints = [tp for tp in schedule.timepoints.filter(is_active=True) if tp.kind != Timepoint.DISCHARGE]
    language = client.language if client.language in Language.values else Language.EN
    try:
        with transaction.atomic():
            enrolment = Enrolment.objects.create(organisation_id=actor.organisation_id, client=client, schedule=schedule,
                                                 start_on=start_on, enrolled_by=actor)
            Administration.objects.bulk_create(_due_rows(enrolment, timepoints, instruments, start_on, language))
            audit_record(actor=actor, action=AuditAction.CREATE, target=enrolment, client=client)
    except IntegrityError:
        raise ServiceError(_("The client already follows this schedule."), field="schedule") from None
    return enrolment


def enrolment_discharge(*, actor: Any, enrolment: Enrolment, on: date) -> Enrolment:
    """Discharge: discharge measures become due around ``on``; follow-ups whose window has not opened are cancelled."""
    client = Client.objects.get(pk=enrolment.client_id)
    ADMINISTER_FOR_CLIENT.check(actor, client)
    if enrolment.discharged_on:
        raise ServiceError(_("Already discharged."), field="on")
    instruments = [si.instrument for si in enrolment.schedule.schedule_instruments.select_related("instrument")]
    timepoints = [tp for tp in enrolment.schedule.timepoints.filter(is_active=True, kind=Timepoint.DISCHARGE)]
    with transaction.atomic():
        enrolment.discharged_on = on
        enrolment.save(update_fields=["discharged_on", "updated_at"])
        Administration.objects.filter(enrolment=enrolment, status=AdministrationStatus.DUE, window_start__gt=on).update(
            status=AdministrationStatus.CANCELLED, updated_at=timezone.now())
        discharge_rows = []
        for tp in timepoints:
            discharge_rows += _due_rows(enrolment, [ScheduleTimepoint(kind=tp.kind, day_offset=0,
                                                                      window_before_days=tp.window_before_days,
                                                                      window_after_days=tp.window_after_days)],
                                        instruments, on, client.language if client.language in Language.values else "en")
        Administration.objects.bulk_create(discharge_rows)
        audit_record(actor=actor, action=AuditAction.UPDATE, target=enrolment, client=client, detail={"discharged": on.isoformat()})
    return enrolment


def scan_due(*, today: date | None = None) -> dict[str, int]:
    """The daily job: mark administrations whose window has closed as missed, and remind each client's peer once when
    a window opens and once when a measure is past due. Only administrations still *due* are looked at, so
    reminders stop the moment a measure is completed (or cancelled). Idempotent (unique reminder rows)."""
    today = today or timezone.localdate()
    now = timezone.now()
    missed = Administration.objects.filter(status=AdministrationStatus.DUE, window_end__lt=today).update(
        status=AdministrationStatus.MISSED, updated_at=now)
    sent = 0
    open_due = (Administration.objects.filter(status=AdministrationStatus.DUE, is_active=True, due_on__isnull=False,
                                              enrolment__isnull=False)
                .filter(Q(window_start__isnull=True) | Q(window_start__lte=today))
                .filter(Q(window_end__isnull=True) | Q(window_end__gte=today))
                .select_related("client", "instrument").order_by("pk"))
    for administration in open_due.iterator(chunk_size=500):
        kind = ReminderKind.OVERDUE if administration.due_on and administration.due_on < today else ReminderKind.DUE
        peers = administrations_selectors.peers_of(administration.client)
        if not peers:
            continue
        try:
            with transaction.atomic():
                MeasureReminder.objects.create(administration=administration, kind=kind)
                for peer in peers:
                    with override(peer.language or "en"):
                        if kind == ReminderKind.OVERDUE:
                            text = _("%(instrument)s for %(name)s was due on %(date)s; the window closes on %(end)s.")
                        else:
                            text = _("%(instrument)s for %(name)s is due on %(date)s; the window closes on %(end)s.")
                        notify(recipient=peer, link=f"/measures/clients/{administration.client_id}/",
                               client=administration.client_id,
                               message=text % {"instrument": administration.instrument.code.upper(),
                                               "name": administration.client.display_name,
                                               "date": administration.due_on.isoformat() if administration.due_on else "",
                                               "end": administration.window_end.isoformat() if administration.window_end else ""})
            sent += 1
        except IntegrityError:
            continue
    return {"missed": missed, "reminders": sent}
