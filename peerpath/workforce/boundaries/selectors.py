"""Boundary consultations: a peer asks about a boundary question, a supervisor answers; the quarterly trend."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from peerpath.accounts.models import StaffMember
from peerpath.core.choices import Role
from peerpath.workforce.models import (
    BoundaryCategory,
    BoundaryConsultation,
)
from peerpath.workforce.staff.selectors import MIN_CELL


def boundaries_for(user: Any) -> QuerySet[BoundaryConsultation]:
    """Only the peer who raised it and their supervisor(s): never leaders or admins."""
    qs = BoundaryConsultation.objects.filter(organisation_id=user.organisation_id, is_active=True)
    if user.role == Role.PEER:
        return qs.filter(raised_by=user).select_related("raised_by")
    if user.role == Role.SUPERVISOR:
        team_ids = user.memberships.filter(is_active=True).values("team_id")
        peers = StaffMember.objects.filter(organisation_id=user.organisation_id, role=Role.PEER,
                                           memberships__team_id__in=team_ids, memberships__is_active=True)
        return qs.filter(raised_by__in=peers).select_related("raised_by")
    return qs.none()


def boundary_for(user: Any, pk: int) -> BoundaryConsultation:
    consultation = boundaries_for(user).filter(pk=pk).first()
    if consultation is None:
        raise Http404
    return consultation


def _quarter(d: date) -> str:
    return f"{d.year}-Q{(d.month - 1) // 3 + 1}"


def boundary_trend(organisation_id: Any) -> dict[str, Any]:
    """Counts by quarter and category with cells under five suppressed (None)."""
    counts: dict[tuple[str, str], int] = defaultdict(int)
    for created, category in BoundaryConsultation.objects.filter(
            organisation_id=organisation_id, is_active=True).values_list("created_at", "category"):
        counts[(_quarter(timezone.localdate(created)), category)] += 1
    quarters = sorted({q for q, _c in counts})
    rows = []
    for quarter in quarters:
        cells = []
        for value, label in BoundaryCategory.choices:
            n = counts.get((quarter, value), 0)
            cells.append({"category": value, "label": label, "count": n if n >= MIN_CELL else None})
        rows.append({"quarter": quarter, "cells": cells})
    return {"categories": BoundaryCategory.choices, "rows": rows, "min_cell": MIN_CELL}
