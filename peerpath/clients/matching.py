"""Suggesting the best-fitting peers for a referral, with the reasons shown.

A transparent points score, not a black box: supervisors see every reason that counted.
Lived experience counts only where the peer consented to its use for matching.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from peerpath.accounts.models import StaffMember
from peerpath.accounts.selectors import matching_experiences
from peerpath.clients.models import Referral
from peerpath.clients.selectors import caseload_counts
from peerpath.core.choices import Role

POINTS_SHARED_EXPERIENCE = 3
POINTS_LANGUAGE = 2
POINTS_SAME_TEAM = 2
POINTS_GENDER = 1
POINTS_HEADROOM_MAX = 2


@dataclass
class Suggestion:
    peer: StaffMember
    score: float
    caseload: int
    capacity: int
    reasons: list[str] = field(default_factory=list)

    @property
    def has_room(self) -> bool:
        return self.caseload < self.capacity


LANGUAGE_NAMES = {"en": "English", "es": "Spanish", "pt": "Portuguese", "pl": "Polish", "ar": "Arabic"}


def suggest_peers(referral: Referral, *, limit: int = 5) -> list[Suggestion]:
    organisation_id = referral.organisation_id
    peers = list(
        StaffMember.objects.filter(organisation_id=organisation_id, role=Role.PEER, is_active=True)
        .prefetch_related("teams")
    )
    wanted_areas = {area.pk: area for area in referral.preferred_experiences.all()}
    consented: dict[int, list[Any]] = {}
    for experience in matching_experiences(organisation_id=organisation_id):
        consented.setdefault(experience.owner_id, []).append(experience.area)
    loads = caseload_counts(organisation_id=organisation_id)
    language = referral.preferred_language or (referral.client.language if referral.client.language != "en" else "")

    suggestions = []
    for peer in peers:
        caseload = loads.get(peer.pk, 0)
        suggestion = Suggestion(peer=peer, score=0.0, caseload=caseload, capacity=peer.caseload_capacity)
        shared = [area for area in consented.get(peer.pk, []) if area.pk in wanted_areas]
        for area in shared:
            suggestion.score += POINTS_SHARED_EXPERIENCE
            suggestion.reasons.append(_("Shares lived experience: %(area)s") % {"area": area.name})
        if language and language in peer.language_codes:
            suggestion.score += POINTS_LANGUAGE
            suggestion.reasons.append(_("Speaks %(language)s") % {"language": LANGUAGE_NAMES.get(language, language)})
        if any(team.pk == referral.team_id for team in peer.teams.all()):
            suggestion.score += POINTS_SAME_TEAM
            suggestion.reasons.append(_("On the client's team (%(team)s)") % {"team": referral.team.name})
        if referral.preferred_peer_gender and peer.gender == referral.preferred_peer_gender:
            suggestion.score += POINTS_GENDER
            suggestion.reasons.append(_("Gender the client prefers"))
        headroom = peer.caseload_capacity - caseload
        if headroom > 0:
            suggestion.score += POINTS_HEADROOM_MAX * min(headroom, 10) / 10
            suggestion.reasons.append(_("Caseload %(n)s of %(cap)s") % {"n": caseload, "cap": peer.caseload_capacity})
        else:
            suggestion.reasons.append(_("Caseload full (%(n)s of %(cap)s)") % {"n": caseload, "cap": peer.caseload_capacity})
        suggestions.append(suggestion)
    suggestions.sort(key=lambda s: (s.has_room, s.score, -s.caseload), reverse=True)
    return suggestions[:limit]
