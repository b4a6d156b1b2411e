"""Writes for measures. Keyword-only, one transaction, the permission check before any write, explicit audit.

Safety rules (e.g. PHQ-9 item 9 above 0) are acted on inside the transaction that saves the answers: the
client's peer(s) and their supervisors get an in-app notice with the organisation's safety protocol at once;
emails follow after commit. Nothing safety-related goes through the job queue.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.utils.translation import override

from peerpath.clients.models import Client
from peerpath.clients.permissions import visible_clients
from peerpath.core.api_support import hash_token
from peerpath.core.audit import audit_record
from peerpath.core.choices import AuditAction, Role
from peerpath.core.events import publish_on_commit
from peerpath.core.exceptions import NotAllowed, ServiceError
from peerpath.core.models import Organisation, Team
from peerpath.core.notifications import MESSAGE_KIND, notification_kind
from peerpath.core.notifications import notify as core_notify
from peerpath.core.validation import clean_text
from peerpath.measures import scoring, selectors
from peerpath.measures.choices import (
    AdministrationStatus,
    Language,
    Licence,
    Mode,
    ReminderKind,
    ScoringMethod,
    Timepoint,
)
from peerpath.measures.library import spec_for
from peerpath.measures.models import (
    Administration,
    Enrolment,
    Instrument,
    InstrumentItem,
    ItemAnswer,
    ItemTextOverride,
    MeasureReminder,
    MeasureSchedule,
    ResponseOption,
    SafetyAlert,
    ScheduleInstrument,
    ScheduleTimepoint,
    SurveyLink,
)
from peerpath.workforce import selectors as workforce_selectors

ADMINISTER_ROLES = selectors.ADMINISTER_ROLES
BUILDERS = frozenset({Role.ADMIN})
SCHEDULE_MANAGERS = frozenset({Role.ADMIN, Role.LEADER})
LINK_HOURS = 72
DEFAULT_SAFETY_PROTOCOL = (
    "Contact the person today. Ask directly about their safety and stay with them if they are in danger. "
    "Call the crisis line (988 in the US) together if needed, tell your supervisor, and call emergency services "
    "(911) if there is immediate danger."
)


def _require(actor: Any, roles: Iterable[str], message: str = "") -> None:
    if actor is None or not actor.is_active or actor.role not in set(roles):
        raise NotAllowed(message or _("Your role cannot do this."))


def _require_client(actor: Any, client: Client) -> None:
    """The actor may administer measures for this client (caseload / team / organisation)."""
    _require(actor, ADMINISTER_ROLES)
    if client.organisation_id != actor.organisation_id or not visible_clients(actor).filter(pk=client.pk).exists():
        raise NotAllowed(_("This client is not on your caseload or team."))


def _language(value: Any) -> str:
    if value not in Language.values:
        raise ServiceError(_("Choose English or Spanish."), field="language")
    return str(value)


def safety_protocol(organisation: Organisation) -> str:
    """The organisation's protocol (edited by its admin on the organisation settings page), or a sensible default."""
    return (organisation.safety_protocol or "").strip() or DEFAULT_SAFETY_PROTOCOL


# ------------------------------------------------------------------ administrations

def administration_create(*, actor: Any, client: Client, instrument: Instrument, timepoint: str = Timepoint.INTAKE,
                          language: str = Language.EN) -> Administration:
    """An administration to be completed now (not from a schedule)."""
    _require_client(actor, client)
    if timepoint not in Timepoint.values:
        raise ServiceError(_("Choose a time point."), field="timepoint")
    if not selectors.usable_instruments(actor.organisation_id).filter(pk=instrument.pk).exists():
        raise ServiceError(_("Choose a published instrument your organisation can use."), field="instrument")
    language = _language(language)
    with transaction.atomic():
        administration = Administration.objects.create(
            organisation_id=actor.organisation_id, client=client, instrument=instrument, timepoint=timepoint,
            due_on=timezone.localdate(), status=AdministrationStatus.DUE, language=language)
        audit_record(actor=actor, action=AuditAction.CREATE, target=administration, client=client)
    return administration


def clean_answers(administration: Administration, answers: Mapping[Any, Any]) -> dict[int, int | None]:
    """Item number → value (None = skipped), checked against the instrument's options; errors name ``item_<n>``."""
    spec = spec_for(administration.instrument)
    numbers: dict[int, int | None] = {}
    for key, value in answers.items():
        try:
            number = int(str(key).removeprefix("item_"))
        except ValueError:
            raise ServiceError(_("Unknown question."), field=str(key)) from None
        numbers[number] = value
    try:
        return scoring.validate(spec, numbers)
    except scoring.ScoringInputError as exc:
        allowed = next((i.values for i in spec.items if i.number == exc.item), ())
        reason = (_("This instrument has no such question.") if not allowed else
                  _("Choose one of the answers offered (%(values)s).") % {"values": ", ".join(map(str, allowed))})
        raise ServiceError(reason, field=f"item_{exc.item}") from None


def administration_submit(*, actor: Any, administration: Administration, answers: Mapping[Any, Any],
                          mode: str = Mode.WITH_PEER, language: str | None = None, via_link: SurveyLink | None = None) -> Administration:
    """Save the answers, score them and act on safety rules, all in one transaction.

    ``actor`` is the staff member entering with the client; for a client's own entry through a one-time link it is
    None and ``via_link`` is the (already locked and checked) link."""
    if via_link is None:
        _require_client(actor, administration.client)
        if administration.organisation_id != actor.organisation_id:
            raise NotAllowed
    if administration.status != AdministrationStatus.DUE:
        raise ServiceError(_("This measure is no longer open."), field="status")
    if mode not in Mode.values:
        raise ServiceError(_("Choose how the answers were given."), field="mode")
    language = _language(language or administration.language)
    cleaned = clean_answers(administration, answers)
    result = scoring.score(spec_for(administration.instrument), cleaned)
    if result.answered == 0:
        raise ServiceError(_("Answer at least one question."), field="answers")
    items = {i.number: i for i in administration.instrument.items.filter(is_active=True)}
    with transaction.atomic():
        locked = Administration.objects.select_for_update().get(pk=administration.pk)
        if locked.status != AdministrationStatus.DUE:
            raise ServiceError(_("This measure is no longer open."), field="status")
        ItemAnswer.objects.bulk_create([ItemAnswer(administration=locked, item=items[n], value=v) for n, v in cleaned.items()])
        locked.status = AdministrationStatus.COMPLETED
        locked.completed_at = timezone.now()
        locked.raw_score = result.raw
        locked.total_score = result.total
        locked.band = result.band
        locked.subscale_scores = result.subscales
        locked.missing_items = result.missing
        locked.safety_flag = bool(result.safety)
        locked.entered_by = actor if via_link is None else None
        locked.mode = mode if via_link is None else Mode.SELF
        locked.language = language
        locked.save()
        audit_record(actor=actor if via_link is None else via_link.created_by, action=AuditAction.UPDATE, target=locked,
                     client=locked.client, detail={"completed": True, "mode": locked.mode,
                                                   **({"via": "one-time link"} if via_link else {})})
        if result.safety:
            _raise_safety(locked, result.safety)
    administration.refresh_from_db()
    return administration


SAFETY_NOTICE = "measure.safety_alert"
notification_kind(SAFETY_NOTICE, _lazy(
    "Safety: %(name)s answered a safety question on %(instrument)s. Follow the safety protocol: %(protocol)s"))


def notify(*, recipient: Any, message: str = "", link: str = "", kind: str = MESSAGE_KIND,
           params: dict[str, Any] | None = None, organisation_id: int | None = None, target: Any = None) -> Any:
    """Core's notify(); reminders still send finished text (``message``) until they declare kinds."""
    return core_notify(recipient=recipient, kind=kind, organisation_id=organisation_id or recipient.organisation_id,
                       params=params if params is not None else {"message": message}, link=link, target=target)


def _safety_recipients(client: Client) -> list[Any]:
    peers = selectors.peers_of(client)
    people: dict[int, Any] = {p.pk: p for p in peers if p.is_active}
    for peer in peers:
        for supervisor in workforce_selectors.supervisors_of(peer):
            people[supervisor.pk] = supervisor
    if not peers:  # nobody matched: the supervisors of the client's team
        from peerpath.accounts.models import StaffMember

        for supervisor in StaffMember.objects.filter(organisation_id=client.organisation_id, role=Role.SUPERVISOR,
                                                     is_active=True, memberships__team_id=client.team_id,
                                                     memberships__is_active=True).distinct():
            people[supervisor.pk] = supervisor
    return list(people.values())


def _raise_safety(administration: Administration, rules: list[scoring.SafetyRule]) -> list[SafetyAlert]:
    client = administration.client
    organisation = Organisation.objects.get(pk=administration.organisation_id)
    protocol = safety_protocol(organisation)
    recipients = _safety_recipients(client)
    link = f"/measures/administrations/{administration.pk}/"
    alerts = [SafetyAlert.objects.create(
        organisation_id=administration.organisation_id, administration=administration, client=client,
        rule=rule.label[:200] or f"{administration.instrument.code} item {rule.item}",
        notified=[p.pk for p in recipients]) for rule in rules]
    # Notices are written in this transaction (a safety notice is never lost after the answers are saved)
    # and rendered in each reader's own language when read; other apps hear of it through the event.
    for person in recipients:
        notify(recipient=person, kind=SAFETY_NOTICE, organisation_id=administration.organisation_id, link=link,
               params={"name": client.display_name, "instrument": administration.instrument.code.upper(),
                       "protocol": protocol}, target=administration)
    publish_on_commit("measure.safety_alert", administration.organisation_id,
                      {"administration_id": administration.pk, "client_id": client.pk,
                       "alert_ids": [alert.pk for alert in alerts], "notified_ids": [p.pk for p in recipients]})
    emails = [(p.email, p.language) for p in recipients if p.email]

    def send() -> None:
        for email, lang in emails:
            with override(lang or "en"):
                # No clinical detail by email: the page behind the sign-in has it.
                EmailMessage(subject=_("Safety alert: please check Peerpath now"),
                             body=_("A client's answers raised a safety alert. Sign in to Peerpath to see it, and follow "
                                    "your organisation's safety protocol:\n\n%(protocol)s") % {"protocol": protocol},
                             from_email=settings.DEFAULT_FROM_EMAIL, to=[email]).send(fail_silently=True)

    transaction.on_commit(send)
    return alerts


def alert_acknowledge(*, actor: Any, alert: SafetyAlert) -> SafetyAlert:
    _require_client(actor, alert.client)
    if alert.acknowledged_at:
        raise ServiceError(_("This alert has already been acknowledged."), field="alert")
    with transaction.atomic():
        alert.acknowledged_by = actor
        alert.acknowledged_at = timezone.now()
        alert.save(update_fields=["acknowledged_by", "acknowledged_at", "updated_at"])
        audit_record(actor=actor, action=AuditAction.UPDATE, target=alert, client=alert.client, detail={"acknowledged": True})
    return alert


def administration_cancel(*, actor: Any, administration: Administration) -> Administration:
    _require_client(actor, administration.client)
    if administration.status != AdministrationStatus.DUE:
        raise ServiceError(_("Only a measure that is due can be cancelled."), field="status")
    with transaction.atomic():
        administration.status = AdministrationStatus.CANCELLED
        administration.save(update_fields=["status", "updated_at"])
        SurveyLink.objects.filter(administration=administration, used_at__isnull=True).update(expires_at=timezone.now())
        audit_record(actor=actor, action=AuditAction.UPDATE, target=administration, client=administration.client,
                     detail={"status": "cancelled"})
    return administration


# ------------------------------------------------------------------ one-time links

def link_create(*, actor: Any, administration: Administration, language: str = Language.EN,
                hours: int = LINK_HOURS) -> tuple[SurveyLink, str]:
    """A one-time link for the client to answer alone. Returns the link and the secret token (shown once)."""
    _require_client(actor, administration.client)
    if administration.status != AdministrationStatus.DUE:
        raise ServiceError(_("This measure is no longer open."), field="status")
    if not selectors.has_all_text(administration.instrument, actor.organisation_id):
        raise ServiceError(_("Add the item text for this instrument before sending it."), field="instrument")
    language = _language(language)
    token = secrets.token_urlsafe(24)
    with transaction.atomic():
        link = SurveyLink.objects.create(organisation_id=actor.organisation_id, administration=administration,
                                         token_hash=hash_token(token), expires_at=timezone.now() + timedelta(hours=hours),
                                         created_by=actor, language=language)
        audit_record(actor=actor, action=AuditAction.CREATE, target=link, client=administration.client)
    return link, token


def link_lookup(token: str) -> SurveyLink | None:
    """The link for a token if it can still be used (not used, not expired, still due); else None."""
    if not token or len(token) > 100:
        return None
    link = (SurveyLink.objects.select_related("administration", "administration__client", "administration__instrument")
            .filter(token_hash=hash_token(token), is_active=True).first())
    if link is None:
        return None
    if link.used_at or link.expires_at <= timezone.now() or link.administration.status != AdministrationStatus.DUE:
        return None
    return link


def link_exists(token: str) -> bool:
    return bool(token) and len(token) <= 100 and SurveyLink.objects.filter(token_hash=hash_token(token)).exists()


def link_submit(*, token: str, answers: Mapping[Any, Any], language: str) -> Administration:
    """The client's own answers through a one-time link: the link is locked, checked and used in one transaction."""
    with transaction.atomic():
        link = SurveyLink.objects.select_for_update().filter(token_hash=hash_token(token or ""), is_active=True).first()
        if link is None or link.used_at or link.expires_at <= timezone.now():
            raise ServiceError(_("This link can no longer be used."), field="token")
        administration = Administration.objects.select_related("client", "instrument").get(pk=link.administration_id)
        link.used_at = timezone.now()
        link.save(update_fields=["used_at", "updated_at"])
        administration = administration_submit(actor=None, administration=administration, answers=answers,
                                               mode=Mode.SELF, language=language, via_link=link)
    return administration


# ------------------------------------------------------------------ schedules, enrolment, reminders

def schedule_create(*, actor: Any, name: str, team: Team | None, instruments: list[Instrument],
                    target_followup_rate: int = 80) -> MeasureSchedule:
    _require(actor, SCHEDULE_MANAGERS)
    name = clean_text(name, "name", max_length=200)
    if team is not None and team.organisation_id != actor.organisation_id:
        raise ServiceError(_("Choose a team of your organisation."), field="team")
    if not instruments:
        raise ServiceError(_("Choose at least one instrument."), field="instruments")
    usable = set(selectors.usable_instruments(actor.organisation_id).values_list("pk", flat=True))
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
    _require(actor, SCHEDULE_MANAGERS)
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
    _require_client(actor, client)
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
    _require_client(actor, client)
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
        peers = selectors.peers_of(administration.client)
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
                               message=text % {"instrument": administration.instrument.code.upper(),
                                               "name": administration.client.display_name,
                                               "date": administration.due_on.isoformat() if administration.due_on else "",
                                               "end": administration.window_end.isoformat() if administration.window_end else ""})
            sent += 1
        except IntegrityError:
            continue
    return {"missed": missed, "reminders": sent}


# ------------------------------------------------------------------ the instrument builder (admins)

def _own_draft(actor: Any, instrument: Instrument) -> None:
    _require(actor, BUILDERS)
    if instrument.organisation_id != actor.organisation_id:
        raise NotAllowed(_("Shipped instruments cannot be changed."))
    if instrument.is_published:
        raise ServiceError(_("A published instrument cannot be changed; create a new version."), field="instrument")


def instrument_create(*, actor: Any, code: str, name: str, name_es: str = "", instructions: str = "",
                      instructions_es: str = "", recall_period: str = "", citation: str = "", attribution: str = "",
                      scoring_method: str = ScoringMethod.SUM, max_missing: int = 0,
                      higher_is_better: bool = False) -> Instrument:
    _require(actor, BUILDERS)
    import re

    code = clean_text(code, "code", max_length=40).lower()
    if not re.fullmatch(r"[a-z0-9][a-z0-9_-]*", code):
        raise ServiceError(_("Use lower-case letters, digits, - and _ only."), field="code")
    if Instrument.objects.filter(Q(organisation__isnull=True) | Q(organisation_id=actor.organisation_id), code=code).exists():
        raise ServiceError(_("This code is already used."), field="code")
    if scoring_method not in ScoringMethod.values:
        raise ServiceError(_("Choose a scoring method."), field="scoring_method")
    if isinstance(max_missing, bool) or not isinstance(max_missing, int) or not 0 <= max_missing <= 50:
        raise ServiceError(_("Enter a number from 0 to 50."), field="max_missing")
    with transaction.atomic():
        instrument = Instrument.objects.create(
            organisation_id=actor.organisation_id, code=code, name=clean_text(name, "name", max_length=200),
            name_es=clean_text(name_es, "name_es", required=False, max_length=200),
            instructions=clean_text(instructions, "instructions", required=False, max_length=2000),
            instructions_es=clean_text(instructions_es, "instructions_es", required=False, max_length=2000),
            recall_period=clean_text(recall_period, "recall_period", required=False, max_length=100),
            citation=clean_text(citation, "citation", required=False, max_length=2000),
            attribution=clean_text(attribution, "attribution", required=False, max_length=2000),
            licence=Licence.FREE_TEXT, scoring_method=scoring_method, max_missing=max_missing,
            higher_is_better=bool(higher_is_better), is_published=False,
            missing_rule_note=_("Set by the organisation: up to %(n)s unanswered items are prorated.") % {"n": max_missing})
        audit_record(actor=actor, action=AuditAction.CREATE, target=instrument)
    return instrument


def instrument_add_option(*, actor: Any, instrument: Instrument, value: int, label: str, label_es: str = "",
                          option_set: str = "default") -> ResponseOption:
    _own_draft(actor, instrument)
    if isinstance(value, bool) or not isinstance(value, int) or not -100 <= value <= 100:
        raise ServiceError(_("Enter a whole number from -100 to 100."), field="value")
    option_set = clean_text(option_set or "default", "option_set", max_length=20)
    try:
        with transaction.atomic():
            option = ResponseOption.objects.create(instrument=instrument, option_set=option_set, value=value,
                                                   label=clean_text(label, "label", max_length=120),
                                                   label_es=clean_text(label_es, "label_es", required=False, max_length=120))
            audit_record(actor=actor, action=AuditAction.UPDATE, target=instrument, detail={"option": value})
    except IntegrityError:
        raise ServiceError(_("This value is already an answer of this set."), field="value") from None
    return option


def instrument_add_item(*, actor: Any, instrument: Instrument, text: str, text_es: str = "", reverse_scored: bool = False,
                        subscale: str = "", option_set: str = "default") -> InstrumentItem:
    _own_draft(actor, instrument)
    option_set = clean_text(option_set or "default", "option_set", max_length=20)
    with transaction.atomic():
        number = (instrument.items.order_by("-number").values_list("number", flat=True).first() or 0) + 1
        item = InstrumentItem.objects.create(instrument=instrument, number=number, text=clean_text(text, "text", max_length=1000),
                                             text_es=clean_text(text_es, "text_es", required=False, max_length=1000),
                                             reverse_scored=bool(reverse_scored), option_set=option_set,
                                             subscale=clean_text(subscale, "subscale", required=False, max_length=60))
        audit_record(actor=actor, action=AuditAction.UPDATE, target=instrument, detail={"item": number})
    return item


def instrument_add_band(*, actor: Any, instrument: Instrument, low: Decimal, high: Decimal, label: str,
                        label_es: str = "") -> Instrument:
    _own_draft(actor, instrument)
    try:
        low, high = Decimal(str(low)), Decimal(str(high))
    except Exception:  # noqa: BLE001 - any unparsable number
        raise ServiceError(_("Enter numbers."), field="low") from None
    if not (low.is_finite() and high.is_finite()) or high < low:
        raise ServiceError(_("The upper bound must not be below the lower bound."), field="high")
    for band in instrument.bands:
        if not (high < Decimal(str(band["min"])) or low > Decimal(str(band["max"]))):
            raise ServiceError(_("Bands must not overlap."), field="low")
    with transaction.atomic():
        instrument.bands = sorted([*instrument.bands, {"min": str(low), "max": str(high), "label": clean_text(label, "label", max_length=60),
                                                       "label_es": clean_text(label_es, "label_es", required=False, max_length=60)}],
                                  key=lambda b: Decimal(str(b["min"])))
        instrument.save(update_fields=["bands", "updated_at"])
        audit_record(actor=actor, action=AuditAction.UPDATE, target=instrument, detail={"band": str(label)})
    return instrument


def instrument_add_safety_rule(*, actor: Any, instrument: Instrument, item_number: int, above: int, label: str) -> Instrument:
    _own_draft(actor, instrument)
    if not instrument.items.filter(number=item_number).exists():
        raise ServiceError(_("Choose an item of this instrument."), field="item_number")
    with transaction.atomic():
        instrument.safety_rules = [*instrument.safety_rules, {"item": item_number, "above": above,
                                                              "label": clean_text(label, "label", max_length=200)}]
        instrument.save(update_fields=["safety_rules", "updated_at"])
        audit_record(actor=actor, action=AuditAction.UPDATE, target=instrument, detail={"safety_rule": item_number})
    return instrument


def instrument_publish(*, actor: Any, instrument: Instrument) -> Instrument:
    """Check the draft is complete (items, at least two answers per set used) and open it for use."""
    _own_draft(actor, instrument)
    items = list(instrument.items.filter(is_active=True))
    if not items:
        raise ServiceError(_("Add at least one question."), field="instrument")
    spec = spec_for(instrument, items)
    for item in spec.items:
        if len(item.values) < 2:
            raise ServiceError(_("Question %(n)s needs at least two answers in its option set.") % {"n": item.number},
                               field="instrument")
    if spec.method == ScoringMethod.SUM:
        low = sum(i.low for i in spec.items)
        high = sum(i.high for i in spec.items)
    else:
        low = min(i.low for i in spec.items)
        high = max(i.high for i in spec.items)
    with transaction.atomic():
        instrument.min_score, instrument.max_score = Decimal(low), Decimal(high)
        instrument.is_published = True
        instrument.save(update_fields=["min_score", "max_score", "is_published", "updated_at"])
        audit_record(actor=actor, action=AuditAction.UPDATE, target=instrument, detail={"published": True})
    return instrument


def item_text_set(*, actor: Any, item: InstrumentItem, text: str, text_es: str = "") -> ItemTextOverride:
    """An organisation's licensed wording of an item of a scoring-only instrument."""
    _require(actor, BUILDERS)
    instrument = item.instrument
    if instrument.organisation_id not in (None, actor.organisation_id):
        raise NotAllowed
    if instrument.licence != Licence.SCORING_ONLY:
        raise ServiceError(_("Only instruments shipped as scoring only take your own text."), field="text")
    text = clean_text(text, "text", max_length=1000)
    with transaction.atomic():
        override_row, _created = ItemTextOverride.objects.update_or_create(
            organisation_id=actor.organisation_id, item=item,
            defaults={"text": text, "text_es": clean_text(text_es, "text_es", required=False, max_length=1000), "is_active": True})
        audit_record(actor=actor, action=AuditAction.UPDATE, target=override_row, detail={"item": item.number})
    return override_row
