"""Peer role definitions (drafted, reviewed, approved, versioned, printed) and pay equity against employment terms."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from statistics import median
from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from peerpath.core.choices import Role
from peerpath.workforce.models import (
    EmploymentTerms,
    RoleDefinition,
    RoleDefinitionReview,
)
from peerpath.workforce.staff.selectors import MIN_CELL


def role_definitions_for(user: Any) -> QuerySet[RoleDefinition]:
    return RoleDefinition.objects.filter(organisation_id=user.organisation_id, is_active=True).order_by(
        "title", "-version")


def role_definition_for(user: Any, pk: int) -> RoleDefinition:
    definition = role_definitions_for(user).filter(pk=pk).first()
    if definition is None:
        raise Http404
    return definition


def can_review(user: Any, definition: RoleDefinition) -> bool:
    return RoleDefinitionReview.objects.filter(definition=definition, reviewer_id=user.pk, is_active=True).exists()


def compare(a: RoleDefinition, b: RoleDefinition) -> list[dict[str, Any]]:
    names = ["purpose", "peer_functions", "generic_duties", "not_the_role", "team_type", "supervision_arrangement",
             "hours_and_flexibility", "pay_band", "record_access", "disclosure_control"]
    return [{"label": getattr(RoleDefinition._meta.get_field(n), "verbose_name", n), "a": getattr(a, n), "b": getattr(b, n),
             "changed": getattr(a, n) != getattr(b, n)} for n in names]


HOURS_BANDS = [(Decimal(0), Decimal(20), "< 20"), (Decimal(20), Decimal(30), "20–29.9"),
               (Decimal(30), Decimal(35), "30–34.9"), (Decimal(35), Decimal(100), "35+")]


def pay_equity(organisation_id: Any) -> list[dict[str, Any]]:
    """Median pay per hour by hours band and role (peer vs every other role); groups under five hidden."""
    groups: dict[tuple[str, str], list[Decimal]] = defaultdict(list)
    for role, pay, hours in EmploymentTerms.objects.filter(
            staff__organisation_id=organisation_id, staff__is_active=True, is_active=True
    ).values_list("staff__role", "hourly_pay", "weekly_hours"):
        band = next(label for low, high, label in HOURS_BANDS if low <= hours < high)
        groups[(band, "peer" if role == Role.PEER else "other")].append(pay)
    rows = []
    for _low, _high, band in HOURS_BANDS:
        peer, other = groups.get((band, "peer"), []), groups.get((band, "other"), [])
        if not peer and not other:
            continue
        peer_median = Decimal(median(peer)).quantize(Decimal("0.01")) if len(peer) >= MIN_CELL else None
        other_median = Decimal(median(other)).quantize(Decimal("0.01")) if len(other) >= MIN_CELL else None
        ratio = (peer_median / other_median * 100).quantize(Decimal("1")) if peer_median and other_median else None
        rows.append({"band": band, "peer_n": len(peer), "other_n": len(other), "peer_median": peer_median,
                     "other_median": other_median, "ratio": ratio})
    return rows
