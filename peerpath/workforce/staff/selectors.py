"""The workforce home, staff profiles, who may see whom, notices and background job runs (shared by every area)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from peerpath.accounts.models import StaffMember
from peerpath.core.audit import audit_shown
from peerpath.core.choices import Role
from peerpath.core.notifications import notification_client_ids
from peerpath.core.tenancy import active_team_ids
from peerpath.workforce.models import (
    Notification,
)

MIN_CELL = 5


ORG_WIDE = frozenset({Role.LEADER, Role.ADMIN})


def visible_staff(user: Any) -> QuerySet[StaffMember]:
    """Staff whose workforce records the user may see: leader/admin all, supervisors their teams, others themselves."""
    qs = StaffMember.objects.filter(organisation_id=user.organisation_id, is_active=True)
    if user.role in ORG_WIDE:
        return qs.order_by("last_name", "first_name", "username")
    if user.role == Role.SUPERVISOR:
        team_ids = active_team_ids(user)
        return (qs.filter(Q(pk=user.pk) | Q(memberships__team_id__in=team_ids, memberships__is_active=True))
                .distinct().order_by("last_name", "first_name", "username"))
    return qs.filter(pk=user.pk)


def staff_for(user: Any, staff_id: int) -> StaffMember:
    staff = visible_staff(user).filter(pk=staff_id).first()
    if staff is None:
        raise Http404
    return staff


def org_staff(user: Any) -> QuerySet[StaffMember]:
    return StaffMember.objects.filter(organisation_id=user.organisation_id, is_active=True).order_by(
        "last_name", "first_name", "username")


def notifications_shown(user: Any, *, limit: int = 100) -> list[Notification]:
    """The user's latest notifications about to be shown (page and API); the clients they name are audited."""
    rows = list(notifications_for(user)[:limit])
    audit_shown(actor=user, target_type="core.notification", client_ids=notification_client_ids(rows))
    return rows


def notifications_for(user: Any) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient_id=user.pk, organisation_id=user.organisation_id, is_active=True)
