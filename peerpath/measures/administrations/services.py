"""Administrations: a measure given to a client (in session or by link), its answers, score and safety alerts."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.utils.translation import override

from peerpath.clients.models import Client
from peerpath.core.audit import audit_record, client_actor
from peerpath.core.choices import AuditAction, Role
from peerpath.core.events import publish_on_commit
from peerpath.core.exceptions import NotAllowed, ServiceError
from peerpath.core.models import Organisation
from peerpath.core.notifications import MESSAGE_KIND, notification_kind
from peerpath.core.notifications import notify as core_notify
from peerpath.core.tenancy import active_team_ids
from peerpath.measures import scoring
from peerpath.measures.administrations import selectors
from peerpath.measures.administrations.policies import ADMINISTER_FOR_CLIENT
from peerpath.measures.choices import (
    AdministrationStatus,
    Language,
    Mode,
    SafetyAlertKind,
    Timepoint,
)
from peerpath.measures.instruments import selectors as instruments_selectors
from peerpath.measures.library import spec_for
from peerpath.measures.models import (
    Administration,
    Instrument,
    ItemAnswer,
    SafetyAlert,
    SurveyLink,
)

ADMINISTER_ROLES = selectors.ADMINISTER_ROLES


DEFAULT_SAFETY_PROTOCOL = (
    "Contact the person today. Ask directly about their safety and stay with them if they are in danger. "
    "Call the crisis line (988 in the US) together if needed, tell your supervisor, and call emergency services "
    "(911) if there is immediate danger."
)






def _language(value: Any) -> str:
    if value not in Language.values:
        raise ServiceError(_("Choose English or Spanish."), field="language")
    return str(value)


def safety_protocol(organisation: Organisation) -> str:
    """The organisation's protocol (edited by its admin on the organisation settings page), or a sensible default."""
    return (organisation.safety_protocol or "").strip() or DEFAULT_SAFETY_PROTOCOL


def administration_create(*, actor: Any, client: Client, instrument: Instrument, timepoint: str = Timepoint.INTAKE,
                          language: str = Language.EN) -> Administration:
    """An administration to be completed now (not from a schedule)."""
    ADMINISTER_FOR_CLIENT.check(actor, client)
    if timepoint not in Timepoint.values:
        raise ServiceError(_("Choose a time point."), field="timepoint")
    if not instruments_selectors.usable_instruments(actor.organisation_id).filter(pk=instrument.pk).exists():
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


SAFETY_UNANSWERED = "safety_item_unanswered"


def administration_submit(*, actor: Any, administration: Administration, answers: Mapping[Any, Any],
                          mode: str = Mode.WITH_PEER, language: str | None = None, via_link: SurveyLink | None = None,
                          confirm_safety_unanswered: bool = False) -> Administration:
    """Save the answers, score them and act on safety rules, all in one transaction.

    ``actor`` is the staff member entering with the client; for a client's own entry through a one-time link it is
    None and ``via_link`` is the (already locked and checked) link.

    A safety item (one a safety rule looks at, e.g. PHQ-9 item 9) left unanswered: a staff member is asked once
    more (``ServiceError`` code ``safety_item_unanswered`` on ``item_<n>``) and saves only with
    ``confirm_safety_unanswered``; the client on a link cannot be asked again, so a same-day follow-up alert goes to
    their peer and supervisors instead."""
    if via_link is None:
        ADMINISTER_FOR_CLIENT.check(actor, administration.client)
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
    if result.unanswered_safety and via_link is None and not confirm_safety_unanswered:
        number = result.unanswered_safety[0]
        raise ServiceError(
            _("Question %(number)s is a safety question and was not answered. Ask it once more if you can, or confirm "
              "that it stays unanswered.") % {"number": number}, field=f"item_{number}", code=SAFETY_UNANSWERED)
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
        locked.safety_unanswered = bool(result.unanswered_safety)
        locked.entered_by = actor if via_link is None else None
        locked.mode = mode if via_link is None else Mode.SELF
        locked.language = language
        locked.save()
        # A client's own answers are the client's act, not the act of the peer who made the link.
        audit_record(actor=actor if via_link is None else client_actor(locked.client), action=AuditAction.UPDATE,
                     target=locked, client=locked.client,
                     detail={"completed": True, "mode": locked.mode,
                             **({"safety_unanswered": list(result.unanswered_safety),
                                 "safety_unanswered_confirmed": via_link is None} if result.unanswered_safety else {}),
                             **({"via": "one-time link", "link_id": via_link.pk, "link_made_by": via_link.created_by_id}
                                if via_link else {})})
        if result.safety:
            _raise_safety(locked, result.safety)
        if result.unanswered_safety and via_link is not None:
            _raise_unanswered(locked, result.unanswered_safety, worst_band=result.worst_band)
    administration.refresh_from_db()
    return administration


SAFETY_NOTICE = "measure.safety_alert"
notification_kind(SAFETY_NOTICE, _lazy(
    "Safety: %(name)s answered a safety question on %(instrument)s. Follow the safety protocol: %(protocol)s"))


def notify(*, recipient: Any, message: str = "", link: str = "", kind: str = MESSAGE_KIND,
           params: dict[str, Any] | None = None, organisation_id: int | None = None, target: Any = None,
           client: Any = None) -> Any:
    """Core's notify(); reminders still send finished text (``message``) until they declare kinds."""
    return core_notify(recipient=recipient, kind=kind, organisation_id=organisation_id or recipient.organisation_id,
                       params=params if params is not None else {"message": message}, link=link, target=target,
                       client=client)


def _supervisors_of(peer: Any) -> list[Any]:
    """Active supervisors sharing an active team with the peer (core.tenancy's "my teams")."""
    from peerpath.accounts.models import StaffMember

    return list(StaffMember.objects.filter(organisation_id=peer.organisation_id, role=Role.SUPERVISOR, is_active=True,
                                           memberships__team_id__in=active_team_ids(peer),
                                           memberships__is_active=True).exclude(pk=peer.pk).distinct())


def _safety_recipients(client: Client) -> list[Any]:
    peers = selectors.peers_of(client)
    people: dict[int, Any] = {p.pk: p for p in peers if p.is_active}
    for peer in peers:
        for supervisor in _supervisors_of(peer):
            people[supervisor.pk] = supervisor
    if not peers:  # nobody matched: the supervisors of the client's team
        from peerpath.accounts.models import StaffMember

        for supervisor in StaffMember.objects.filter(organisation_id=client.organisation_id, role=Role.SUPERVISOR,
                                                     is_active=True, memberships__team_id=client.team_id,
                                                     memberships__is_active=True).distinct():
            people[supervisor.pk] = supervisor
    return list(people.values())


SAFETY_UNANSWERED_NOTICE = "measure.safety_unanswered"
notification_kind(SAFETY_UNANSWERED_NOTICE, _lazy(
    "Follow up today: %(name)s left question %(number)s of %(instrument)s (a safety question) unanswered on their own "
    "link. Check in with them today and follow the safety protocol: %(protocol)s"))
SAFETY_UNANSWERED_SEVERE_NOTICE = "measure.safety_unanswered_severe"
notification_kind(SAFETY_UNANSWERED_SEVERE_NOTICE, _lazy(
    "Follow up today: %(name)s left question %(number)s of %(instrument)s (a safety question) unanswered on their own "
    "link, and the total is in the severe band. Check in with them today and follow the safety protocol: %(protocol)s"))


def _audit_alerts(administration: Administration, alerts: list[SafetyAlert]) -> None:
    # The alert is the system's act on the answers (the client's own, or the staff member's entry).
    actor = administration.entered_by if administration.entered_by_id else client_actor(administration.client)
    for alert in alerts:
        audit_record(actor=actor, action=AuditAction.CREATE, target=alert, client=administration.client,
                     detail={"safety_alert": alert.kind, "rule": alert.rule, "notified": alert.notified,
                             **({"item": alert.item_number, "severe_band": alert.worst_band} if alert.is_unanswered else {})})


def _raise_unanswered(administration: Administration, numbers: tuple[int, ...], *, worst_band: bool) -> list[SafetyAlert]:
    """A same-day follow-up: the client left a safety item blank on their own link (nobody could ask again)."""
    client = administration.client
    recipients = _safety_recipients(client)
    code = administration.instrument.code
    alerts = []
    for number in numbers:
        alert, created = SafetyAlert.objects.get_or_create(
            organisation_id=administration.organisation_id, administration=administration,
            kind=SafetyAlertKind.UNANSWERED, item_number=number,
            defaults={"client": client, "worst_band": worst_band, "notified": [p.pk for p in recipients],
                      "rule": (f"{code} item {number} not answered" + (", total in the severe band" if worst_band else ""))[:200]})
        if created:
            alerts.append(alert)
    if not alerts:
        return []
    _audit_alerts(administration, alerts)
    _tell(administration, alerts, recipients, kind=SAFETY_UNANSWERED_SEVERE_NOTICE if worst_band else SAFETY_UNANSWERED_NOTICE,
          params={"number": alerts[0].item_number})
    return alerts


def _raise_safety(administration: Administration, rules: list[scoring.SafetyRule]) -> list[SafetyAlert]:
    client = administration.client
    recipients = _safety_recipients(client)
    alerts = [SafetyAlert.objects.create(
        organisation_id=administration.organisation_id, administration=administration, client=client,
        rule=rule.label[:200] or f"{administration.instrument.code} item {rule.item}",
        notified=[p.pk for p in recipients]) for rule in rules]
    _audit_alerts(administration, alerts)
    _tell(administration, alerts, recipients, kind=SAFETY_NOTICE, params={})
    return alerts


def _tell(administration: Administration, alerts: list[SafetyAlert], recipients: list[Any], *, kind: str,
          params: dict[str, Any]) -> None:
    client = administration.client
    organisation = Organisation.objects.get(pk=administration.organisation_id)
    protocol = safety_protocol(organisation)
    link = f"/measures/administrations/{administration.pk}/"
    # Notices are written in this transaction (a safety notice is never lost after the answers are saved)
    # and rendered in each reader's own language when read; other apps hear of it through the event.
    for person in recipients:
        notify(recipient=person, kind=kind, organisation_id=administration.organisation_id, link=link,
               params={"name": client.display_name, "instrument": administration.instrument.code.upper(),
                       "protocol": protocol, **params}, target=administration, client=client)
    publish_on_commit("measure.safety_alert", administration.organisation_id,
                      {"administration_id": administration.pk, "client_id": client.pk, "kind": alerts[0].kind,
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


def alert_acknowledge(*, actor: Any, alert: SafetyAlert) -> SafetyAlert:
    ADMINISTER_FOR_CLIENT.check(actor, alert.client)
    if alert.acknowledged_at:
        raise ServiceError(_("This alert has already been acknowledged."), field="alert")
    with transaction.atomic():
        alert.acknowledged_by = actor
        alert.acknowledged_at = timezone.now()
        alert.save(update_fields=["acknowledged_by", "acknowledged_at", "updated_at"])
        audit_record(actor=actor, action=AuditAction.UPDATE, target=alert, client=alert.client, detail={"acknowledged": True})
    return alert


def administration_cancel(*, actor: Any, administration: Administration) -> Administration:
    ADMINISTER_FOR_CLIENT.check(actor, administration.client)
    if administration.status != AdministrationStatus.DUE:
        raise ServiceError(_("Only a measure that is due can be cancelled."), field="status")
    with transaction.atomic():
        administration.status = AdministrationStatus.CANCELLED
        administration.save(update_fields=["status", "updated_at"])
        SurveyLink.objects.filter(administration=administration, used_at__isnull=True).update(expires_at=timezone.now())
        audit_record(actor=actor, action=AuditAction.UPDATE, target=administration, client=administration.client,
                     detail={"status": "cancelled"})
    return administration
