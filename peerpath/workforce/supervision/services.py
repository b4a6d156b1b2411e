"""Supervision sessions, each organisation's supervision policy, who supervises whom, and overdue alerts."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from peerpath.accounts.models import StaffMember
from peerpath.core.audit import audit_record
from peerpath.core.choices import AuditAction, Role
from peerpath.core.exceptions import ServiceError
from peerpath.core.validation import clean_text
from peerpath.workforce.models import (
    SupervisionKind,
    SupervisionOverdueAlert,
    SupervisionSession,
    SupervisionTopic,
)
from peerpath.workforce.staff.services import _require, notify
from peerpath.workforce.supervision import selectors

SUPERVISORS = frozenset({Role.SUPERVISOR, Role.LEADER})


def supervision_record(*, actor: Any, kind: str, held_on: date, attendees: list[StaffMember],
                       topics: list[str], notes: str = "", action_items: str = "") -> SupervisionSession:
    _require(actor, SUPERVISORS | {Role.PEER} if kind == SupervisionKind.PEER else SUPERVISORS,
             _("Only supervisors record supervision."))
    if kind not in SupervisionKind.values:
        raise ServiceError(_("Choose a kind of session."), field="kind")
    if not isinstance(held_on, date):
        raise ServiceError(_("Enter a date."), field="held_on")
    if held_on > timezone.localdate():
        raise ServiceError(_("The session date cannot be in the future."), field="held_on")
    attendees = [a for a in attendees if a.pk != actor.pk]
    if not attendees:
        raise ServiceError(_("Choose at least one attendee."), field="attendees")
    if any(a.organisation_id != actor.organisation_id or not a.is_active for a in attendees):
        raise ServiceError(_("Choose attendees from your organisation."), field="attendees")
    if kind == SupervisionKind.INDIVIDUAL and len(attendees) != 1:
        raise ServiceError(_("An individual session has one attendee."), field="attendees")
    bad = [t for t in topics if t not in SupervisionTopic.values]
    if bad or len(set(topics)) != len(topics):
        raise ServiceError(_("Choose topics from the list."), field="topics")
    with transaction.atomic():
        session = SupervisionSession.objects.create(
            organisation_id=actor.organisation_id, kind=kind, held_on=held_on, led_by=actor, topics=list(topics),
            notes=clean_text(notes, "notes", required=False), action_items=clean_text(action_items, "action_items", required=False))
        session.attendees.set(attendees)
        audit_record(actor=actor, action=AuditAction.CREATE, target=session)
    return session


def scan_supervision_overdue(*, today: date | None = None, email: bool = True) -> int:
    """Alert each overdue peer's supervisors once per due date (in the app and by email)."""
    today = today or timezone.localdate()
    sent = 0
    for organisation_id in (StaffMember.objects.filter(role=Role.PEER, is_active=True)
                            .values_list("organisation_id", flat=True).distinct()):
        for row in selectors.supervision_status_for_org(organisation_id, today=today):
            if not row.overdue:
                continue
            try:
                with transaction.atomic():
                    SupervisionOverdueAlert.objects.create(peer=row.peer, due_on=row.due_on)
                    recipients = list(selectors.supervisors_of(row.peer))
                    text = _("Supervision for %(peer)s was due on %(date)s.") % {
                        "peer": row.peer.get_full_name() or row.peer.username, "date": row.due_on.isoformat()}
                    for supervisor in recipients:
                        notify(recipient=supervisor, message=text, link="/workforce/supervision/")
            except IntegrityError:
                continue
            emails = [s.email for s in recipients if s.email]
            if emails and email:
                EmailMessage(subject=_("Supervision overdue"), body=text, from_email=settings.DEFAULT_FROM_EMAIL,
                             to=emails).send()
            sent += 1
    return sent
