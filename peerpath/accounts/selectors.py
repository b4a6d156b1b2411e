"""Reads of staff records. Lived experience has three readers, each seeing less:

* the owner: everything (``own_experiences``),
* matching and colleagues, admins included: only areas consented for matching
  (``matching_experiences``),
* clients: only areas consented to be shown to clients (``client_visible_experiences``).
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from peerpath.accounts.models import ApiToken, PeerExperience, StaffMember
from peerpath.core.choices import Role


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
    return StaffMember.objects.filter(organisation_id=user.organisation_id, is_active=True)


def all_staff_of_organisation(*, user: Any) -> QuerySet[StaffMember]:
    """Active and deactivated staff, for administrators."""
    return StaffMember.objects.filter(organisation_id=user.organisation_id).order_by("-is_active", "last_name", "first_name")


def staff_get_for(*, user: Any, staff_id: int) -> StaffMember:
    from django.http import Http404

    staff = all_staff_of_organisation(user=user).filter(pk=staff_id).first()
    if staff is None:
        raise Http404("No such staff member.")
    return staff
