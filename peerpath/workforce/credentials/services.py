"""Peer certification credentials, their expiry status, and the daily reminders before they lapse."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from peerpath.accounts.models import StaffMember
from peerpath.core.audit import audit_record
from peerpath.core.choices import AuditAction, Role
from peerpath.core.exceptions import NotAllowed, ServiceError
from peerpath.core.validation import clean_text
from peerpath.workforce.models import (
    Credential,
    CredentialReminder,
    Notification,
)
from peerpath.workforce.staff.services import _hours, _require

CREDENTIAL_MANAGERS = frozenset({Role.SUPERVISOR, Role.LEADER, Role.ADMIN})


THRESHOLDS = (90, 30, 7)


def credential_create(*, actor: Any, staff: StaffMember, name: str, issuer: str, number: str = "",
                      issued_on: date, expires_on: date, ce_hours_required: Any = 0,
                      ce_hours_earned: Any = 0) -> Credential:
    if staff.pk != actor.pk:
        _require(actor, CREDENTIAL_MANAGERS, _("You can record only your own credentials."))
    if staff.organisation_id != actor.organisation_id:
        raise NotAllowed
    name = clean_text(name, "name", max_length=200)
    issuer = clean_text(issuer, "issuer", max_length=200)
    number = clean_text(number, "number", required=False, max_length=100)
    if not isinstance(issued_on, date):
        raise ServiceError(_("Enter a date."), field="issued_on")
    if not isinstance(expires_on, date):
        raise ServiceError(_("Enter a date."), field="expires_on")
    if expires_on <= issued_on:
        raise ServiceError(_("The expiry date must be after the issue date."), field="expires_on")
    with transaction.atomic():
        credential = Credential.objects.create(
            organisation_id=actor.organisation_id, staff=staff, name=name, issuer=issuer, number=number,
            issued_on=issued_on, expires_on=expires_on, ce_hours_required=_hours(ce_hours_required, "ce_hours_required"),
            ce_hours_earned=_hours(ce_hours_earned, "ce_hours_earned"))
        audit_record(actor=actor, action=AuditAction.CREATE, target=credential)
    return credential


def _threshold_bands(today: date) -> list[tuple[int, date, date]]:
    """(threshold, first expiry date, last expiry date): a credential is reminded at the tightest threshold reached."""
    bands = []
    lower = today  # expiry strictly after today
    for threshold in sorted(THRESHOLDS):
        upper = today + timedelta(days=threshold)
        bands.append((threshold, lower + timedelta(days=1), upper))
        lower = upper
    return bands


def scan_credential_reminders(*, today: date | None = None, chunk_size: int = 2000, email: bool = True) -> int:
    """Send the due reminders (90/30/7 days before expiry) in the app and by email. Streams the candidates by
    keyset pagination; the unique (credential, expiry, threshold) row makes a second send impossible.
    Returns the number of reminders sent."""
    today = today or timezone.localdate()
    sent = 0
    for threshold, first, last in _threshold_bands(today):
        already = CredentialReminder.objects.filter(credential_id=OuterRef("pk"), expires_on=OuterRef("expires_on"),
                                                    threshold_days__lte=threshold)
        base = (Credential.objects.filter(is_active=True, staff__is_active=True, expires_on__gte=first,
                                          expires_on__lte=last)
                .exclude(Exists(already)).order_by("pk"))
        last_pk = 0
        while True:
            rows = list(base.filter(pk__gt=last_pk).values_list("pk", "organisation_id", "staff_id", "name",
                                                                "expires_on", "staff__email", "staff__language")
                        [:chunk_size])
            if not rows:
                break
            last_pk = rows[-1][0]
            sent += _send_reminder_chunk(rows, threshold)
    if email:
        _send_pending_emails()
    return sent


def _reminder_text(name: str, expires_on: date, threshold: int) -> str:
    return _("Your credential “%(name)s” expires on %(date)s (in %(days)s days or less). Plan the renewal.") % {
        "name": name, "date": expires_on.isoformat(), "days": threshold}


def _send_reminder_chunk(rows: list[tuple], threshold: int) -> int:
    try:
        with transaction.atomic():
            CredentialReminder.objects.bulk_create(
                [CredentialReminder(credential_id=pk, threshold_days=threshold, expires_on=expires_on)
                 for pk, _org, _staff, _name, expires_on, _email, _lang in rows])
            Notification.objects.bulk_create(
                [Notification(organisation_id=org, recipient_id=staff, message=_reminder_text(name, expires_on, threshold),
                              link="/workforce/credentials/")
                 for _pk, org, staff, name, expires_on, _email, _lang in rows])
        return len(rows)
    except IntegrityError:
        # Another scan raced us on some rows: fall back to one at a time; the constraint decides.
        count = 0
        for row in rows:
            pk, org, staff, name, expires_on, _email, _lang = row
            try:
                with transaction.atomic():
                    CredentialReminder.objects.create(credential_id=pk, threshold_days=threshold, expires_on=expires_on)
                    Notification.objects.create(organisation_id=org, recipient_id=staff,
                                                message=_reminder_text(name, expires_on, threshold),
                                                link="/workforce/credentials/")
                count += 1
            except IntegrityError:
                continue
        return count


def _send_pending_emails(chunk_size: int = 500) -> int:
    """Email the reminders not yet emailed (after the in-app reminder is committed). A failed send leaves the
    flag unset, so the next scan (or the task's retry) sends it again."""
    sent = 0
    last_pk = 0
    while True:
        batch = list(CredentialReminder.objects.filter(emailed=False, pk__gt=last_pk)
                     .select_related("credential", "credential__staff").order_by("pk")[:chunk_size])
        if not batch:
            return sent
        last_pk = batch[-1].pk
        messages = []
        ids = []
        for reminder in batch:
            staff = reminder.credential.staff
            ids.append(reminder.pk)
            if staff.email:
                messages.append(EmailMessage(
                    subject=_("Credential renewal reminder"),
                    body=_reminder_text(reminder.credential.name, reminder.expires_on, reminder.threshold_days),
                    from_email=settings.DEFAULT_FROM_EMAIL, to=[staff.email]))
        if messages:
            get_connection().send_messages(messages)
        CredentialReminder.objects.filter(pk__in=ids).update(emailed=True)
        sent += len(messages)
