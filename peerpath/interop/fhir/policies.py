"""Who may read which FHIR resources: a thin layer over the selectors and permission rules the pages use.

Client-level resources are always scoped by ``peerpath.clients.permissions.visible_clients`` /
``visible_referrals`` (peer: own caseload; supervisor and clinician: their teams; leader and admin: the
organisation; evaluator: nothing). Item answers follow the measures rule (clinicians see scores only). Staff
records never include lived experience. There is no second permission path here: only which selector backs
which resource type, and which roles may use a type at all (others get 403, like ``@allow`` on a page)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from peerpath.accounts.models import StaffMember
from peerpath.accounts.selectors import staff_in_organisation
from peerpath.care.models import EncounterAttendance, Goal, RecoveryPlan
from peerpath.clients.models import Client, Referral
from peerpath.clients.permissions import visible_clients, visible_referrals
from peerpath.core.models import Organisation
from peerpath.measures.choices import AdministrationStatus
from peerpath.measures.models import Administration, Instrument
from peerpath.measures.selectors import ANSWER_READERS, READ_ROLES, instruments_for, readable_clients

ROLES_BY_TYPE: dict[str, frozenset[str]] = {
    "Patient": READ_ROLES,
    "Practitioner": READ_ROLES,
    "PractitionerRole": READ_ROLES,
    "Organization": READ_ROLES,
    "CareTeam": READ_ROLES,
    "ServiceRequest": READ_ROLES,
    "Encounter": READ_ROLES,
    "Goal": READ_ROLES,
    "CarePlan": READ_ROLES,
    "Questionnaire": READ_ROLES,
    "QuestionnaireResponse": ANSWER_READERS,
    "Observation": READ_ROLES,
}


def may_read_type(actor: Any, resource_type: str) -> bool:
    return bool(getattr(actor, "organisation_id", None)) and getattr(actor, "role", None) in ROLES_BY_TYPE.get(resource_type, ())


def clients(actor: Any) -> QuerySet[Client]:
    return visible_clients(actor)


def referrals(actor: Any) -> QuerySet[Referral]:
    return visible_referrals(actor)


def attendances(actor: Any) -> QuerySet[EncounterAttendance]:
    return EncounterAttendance.objects.filter(
        client__in=visible_clients(actor), encounter__organisation_id=actor.organisation_id, encounter__is_active=True,
    )


def goals(actor: Any) -> QuerySet[Goal]:
    return Goal.objects.filter(plan__client__in=visible_clients(actor), plan__organisation_id=actor.organisation_id,
                               plan__is_active=True, is_active=True)


def plans(actor: Any) -> QuerySet[RecoveryPlan]:
    return RecoveryPlan.objects.filter(client__in=visible_clients(actor), organisation_id=actor.organisation_id,
                                       is_active=True)


def staff(actor: Any) -> QuerySet[StaffMember]:
    """Colleagues as practitioners: the organisation's active staff, not its system account (no lived experience
    is ever read)."""
    return staff_in_organisation(user=actor).filter(system_account__isnull=True)


def organisations(actor: Any) -> QuerySet[Organisation]:
    return Organisation.objects.filter(pk=actor.organisation_id, is_active=True)


def instruments(actor: Any) -> QuerySet[Instrument]:
    return instruments_for(actor)


def _completed(actor: Any) -> QuerySet[Administration]:
    return Administration.objects.filter(organisation_id=actor.organisation_id, is_active=True,
                                         status=AdministrationStatus.COMPLETED, client__in=readable_clients(actor))


def responses(actor: Any) -> QuerySet[Administration]:
    if getattr(actor, "role", None) not in ANSWER_READERS:
        return Administration.objects.none()
    return _completed(actor)


def scores(actor: Any) -> QuerySet[Administration]:
    return _completed(actor).filter(total_score__isnull=False)
