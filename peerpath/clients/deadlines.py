"""When a referral needs a decision by: its urgency's time limit, set per organisation.

Urgent referrals count working days (Monday to Friday: a Friday-evening referral is due on Monday, not on
Saturday when nobody reads the inbox); soon and routine referrals count calendar days, as their labels say
("within 3 days", "within 2 weeks"). Public holidays are not known here and are not skipped.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.utils import timezone

from peerpath.clients.choices import ReferralStatus, Urgency

#: Statuses that still wait for someone to act (a decision, then a peer).
AWAITING_ACTION = (ReferralStatus.NEW, ReferralStatus.ACCEPTED)


def _add_working_days(day: date, n: int) -> date:
    while n > 0:
        day += timedelta(days=1)
        if day.weekday() < 5:
            n -= 1
    return day


def due_by(referral: Any, organisation: Any) -> date:
    """The day by which the referral should have been acted on (accepted and assigned)."""
    received = timezone.localdate(referral.created_at)
    if referral.urgency == Urgency.URGENT:
        return _add_working_days(received, organisation.referral_urgent_working_days)
    if referral.urgency == Urgency.SOON:
        return received + timedelta(days=organisation.referral_soon_days)
    return received + timedelta(days=organisation.referral_routine_days)


def is_overdue(referral: Any, organisation: Any, *, today: date | None = None) -> bool:
    return referral.status in AWAITING_ACTION and due_by(referral, organisation) < (today or timezone.localdate())
