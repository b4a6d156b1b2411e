"""Tenancy: one definition of "my teams" and organisation-scoped lookups.

A user's active teams are the teams that are active *and* where their membership is active.
Memberships are deactivated, never deleted, so history (who was on which team when) survives.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from peerpath.core.models import Team

_CACHE_ATTR = "_peerpath_active_team_ids"


def active_team_ids(user: Any) -> list[int]:
    """Ids of the user's active teams (active team and active membership), cached on the user."""
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        return list(cached)
    if user is None or not getattr(user, "pk", None) or not getattr(user, "organisation_id", None):
        return []
    ids = list(
        Team.objects.filter(
            organisation_id=user.organisation_id, is_active=True,
            memberships__staff_id=user.pk, memberships__is_active=True,
        ).order_by("id").values_list("id", flat=True).distinct()
    )
    setattr(user, _CACHE_ATTR, tuple(ids))
    return ids


def forget_active_teams(user: Any) -> None:
    """Drop the cached team ids (after the user's memberships changed)."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def organisation_teams(organisation_id: int, *, include_inactive: bool = False) -> QuerySet[Team]:
    """The organisation's active teams (with ``include_inactive``, also the closed ones, whose history a report
    may still be filtered by)."""
    teams = Team.objects.filter(organisation_id=organisation_id)
    return teams if include_inactive else teams.filter(is_active=True)


def team_for(user: Any, team_id: Any, *, include_inactive: bool = False) -> Team | None:
    """A team of the user's organisation by id from a URL or payload; None when it is missing, another
    organisation's, not a valid id (or closed, unless ``include_inactive``) — all alike."""
    from peerpath.core.resolve import parse_id

    number = parse_id(team_id)
    if number is None:
        return None
    teams = organisation_teams(getattr(user, "organisation_id", None) or 0, include_inactive=include_inactive)
    return teams.filter(pk=number).first()


def in_organisation(queryset: QuerySet[Any], user: Any) -> QuerySet[Any]:
    """Records of the user's own organisation only."""
    return queryset.filter(organisation_id=getattr(user, "organisation_id", None))
