"""Peer certification credentials, their expiry status, and the daily reminders before they lapse."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.db.models import Max, QuerySet
from django.utils import timezone

from peerpath.accounts.models import StaffMember
from peerpath.workforce.models import (
    Credential,
)
from peerpath.workforce.staff.selectors import visible_staff


def credential_lapsed_for(staff: StaffMember, *, today: date | None = None) -> bool:
    """True when one of the staff member's credentials has expired and no current credential of the same
    name replaces it (billing checks use this)."""
    today = today or timezone.localdate()
    latest = (Credential.objects.filter(staff_id=staff.pk, is_active=True)
              .values("name").annotate(latest=Max("expires_on")))
    return any(row["latest"] < today for row in latest)


def credentials_for(user: Any, staff: StaffMember | None = None) -> QuerySet[Credential]:
    qs = Credential.objects.filter(organisation_id=user.organisation_id, is_active=True,
                                   staff__in=visible_staff(user)).select_related("staff")
    if staff is not None:
        qs = qs.filter(staff=staff)
    return qs.order_by("expires_on", "id")


def credential_status(credential: Credential, today: date | None = None) -> str:
    today = today or timezone.localdate()
    if credential.expires_on < today:
        return "lapsed"
    if credential.expires_on <= today + timedelta(days=90):
        return "expiring"
    return "current"
