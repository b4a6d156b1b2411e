"""Reads of staff records. Lived experience has three readers, each seeing less:

* the owner: everything (``own_experiences``),
* matching and colleagues, admins included: only areas consented for matching
  (``matching_experiences``),
* clients: only areas consented to be shown to clients (``client_visible_experiences``).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet

from peerpath.accounts.models import ApiToken, ExperienceArea, PeerExperience, StaffMember, TeamMembership
from peerpath.core.choices import Role
from peerpath.core.models import Team
from peerpath.core.tenancy import active_team_ids, organisation_teams
from peerpath.lib.search import query_terms, search_text


def own_experiences(*, actor: StaffMember) -> QuerySet[PeerExperience]:
    return PeerExperience.objects.filter(owner=actor, is_active=True).select_related("area")


def matching_experiences(*, organisation_id: int) -> QuerySet[PeerExperience]:
    return PeerExperience.objects.filter(
        owner__organisation_id=organisation_id, is_active=True, use_for_matching=True
    ).select_related("area")


def client_visible_experiences(*, peer: StaffMember) -> QuerySet[PeerExperience]:
    return PeerExperience.objects.filter(owner=peer, is_active=True, share_with_clients=True).select_related("area")


def own_api_tokens(*, actor: StaffMember) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(staff=actor, is_active=True)


def peers_in_organisation(*, user: Any) -> QuerySet[StaffMember]:
    return StaffMember.objects.filter(organisation_id=user.organisation_id, role=Role.PEER, is_active=True)


def staff_in_organisation(*, user: Any) -> QuerySet[StaffMember]:
    """The organisation's active people (its system account is not one of them)."""
    return StaffMember.objects.filter(organisation_id=user.organisation_id, is_active=True).exclude(role=Role.SYSTEM)


def all_staff_of_organisation(*, user: Any) -> QuerySet[StaffMember]:
    """Active and deactivated staff, for administrators."""
    return (StaffMember.objects.filter(organisation_id=user.organisation_id).exclude(role=Role.SYSTEM)
            .order_by("-is_active", "last_name", "first_name"))


def colleague_get(*, user: Any, staff_id: Any, field: str) -> StaffMember:
    """A staff member of the user's organisation; another organisation's looks the same as nobody
    (``ServiceError(code="not_found")`` on ``field``)."""
    from peerpath.core.resolve import resolve

    return resolve(StaffMember.objects.filter(organisation_id=user.organisation_id).exclude(role=Role.SYSTEM),
                   staff_id, field=field)


def experience_areas_by_code(codes: Any) -> QuerySet[ExperienceArea]:
    return ExperienceArea.objects.filter(code__in=list(codes))


def staff_get_for(*, user: Any, staff_id: int) -> StaffMember:
    from django.http import Http404

    staff = all_staff_of_organisation(user=user).filter(pk=staff_id).first()
    if staff is None:
        raise Http404("No such staff member.")
    return staff


def teams_of(staff: Any) -> QuerySet[Team]:
    """The staff member's active teams (active team and active membership)."""
    return organisation_teams(staff.organisation_id).filter(pk__in=active_team_ids(staff))


def staff_list_for(*, user: Any) -> QuerySet[StaffMember]:
    """All staff with their active memberships (``active_memberships``), for the admin's list."""
    current = TeamMembership.objects.filter(is_active=True, team__is_active=True).select_related("team")
    return all_staff_of_organisation(user=user).prefetch_related(
        Prefetch("memberships", queryset=current, to_attr="active_memberships"))


def staff_search_for(*, user: Any, query: str, role: str = "", limit: int = 10) -> list[StaffMember]:
    """The staff type-ahead: the reader's organisation's active people whose folded name or user name
    contains every term of the query, in any order. An organisation has tens to hundreds of staff,
    so the folding happens in Python (no search column to keep in step)."""
    terms = query_terms(query)
    if not terms:
        return []
    people = staff_in_organisation(user=user)
    if role:
        people = people.filter(role=role)
    found = []
    for person in people.order_by("last_name", "first_name", "pk"):
        text = search_text(names=[person.first_name, person.last_name, person.username])
        if all(term in text for term in terms):
            found.append(person)
            if len(found) >= limit:
                break
    return found


def team_supervisor_ids(*, team_id: int) -> list[int]:
    """The active supervisors with an active membership of the team (who decide on its referrals)."""
    return list(StaffMember.objects.filter(role=Role.SUPERVISOR, is_active=True, memberships__team_id=team_id,
                                           memberships__is_active=True, memberships__team__is_active=True)
                .order_by("pk").values_list("pk", flat=True).distinct())
