"""42 CFR Part 2: clients flagged as receiving substance-use disorder services. Every FHIR resource about them
carries the security labels (v3 ActCode ``42CFRPart2``, v3 Confidentiality ``R``, and the refrain-from-redisclosure
obligation ``NORDSLCD``), and a system (SMART token) gets their records only under a recorded, current consent
naming that system. Staff readers keep the pages' access (the labels tell an EHR what the records are)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from peerpath.clients.permissions import visible_clients
from peerpath.core.audit import audit_record
from peerpath.core.choices import AuditAction, Role
from peerpath.core.exceptions import NotAllowed, ServiceError
from peerpath.interop.fhir import codes
from peerpath.interop.models import DisclosureConsent, SudServiceFlag

SECURITY_LABELS = [
    {"system": codes.V3_ACT_CODE, "code": "42CFRPart2", "display": "42 CFR Part2"},
    {"system": codes.V3_CONFIDENTIALITY, "code": "R", "display": "restricted"},
    {"system": codes.V3_ACT_CODE, "code": "NORDSLCD", "display": "no redisclosure without consent directive"},
]
FLAG_ROLES = frozenset({Role.SUPERVISOR, Role.CLINICIAN, Role.LEADER})


def flagged_ids(organisation_id: int) -> set[int]:
    return set(SudServiceFlag.objects.filter(organisation_id=organisation_id, is_active=True)
               .values_list("client_id", flat=True))


def withheld_ids(actor: Any) -> set[int]:
    """Part 2 clients whose records this caller may not receive: for a system, those without its consent."""
    system_client_id = getattr(actor, "fhir_system_client_id", None)
    if system_client_id is None:
        return set()
    today = timezone.localdate()
    consented = set(DisclosureConsent.objects.filter(
        organisation_id=actor.organisation_id, recipient_id=system_client_id, is_active=True, given_on__lte=today,
    ).filter(Q(expires_on__isnull=True) | Q(expires_on__gte=today)).values_list("client_id", flat=True))
    return flagged_ids(actor.organisation_id) - consented


def label(resource: dict[str, Any], client: Any, part2_ids: set[int]) -> dict[str, Any]:
    if client is not None and client.pk in part2_ids:
        resource.setdefault("meta", {})["security"] = list(SECURITY_LABELS)
    return resource


def sud_flag_set(*, actor: Any, client: Any) -> SudServiceFlag:
    if getattr(actor, "role", None) not in FLAG_ROLES:
        raise NotAllowed("Only supervisors, clinicians and program leaders flag Part 2 records.")
    if not visible_clients(actor).filter(pk=client.pk).exists():
        raise NotAllowed("Not one of your clients.")
    with transaction.atomic():
        flag, _created = SudServiceFlag.objects.update_or_create(
            client=client, defaults={"organisation_id": client.organisation_id, "flagged_by": actor, "is_active": True})
        audit_record(actor=actor, action=AuditAction.UPDATE, target=flag, client=client, detail={"part2": True})
    return flag


def disclosure_consent_record(*, actor: Any, client: Any, recipient: Any, given_on: Any, expires_on: Any = None) -> DisclosureConsent:
    if getattr(actor, "role", None) not in FLAG_ROLES:
        raise NotAllowed("Only supervisors, clinicians and program leaders record consent.")
    if not visible_clients(actor).filter(pk=client.pk).exists() or recipient.organisation_id != actor.organisation_id:
        raise NotAllowed("Not one of your clients or systems.")
    if given_on > timezone.localdate():
        raise ServiceError("The consent date cannot be in the future.", field="given_on")
    if expires_on is not None and expires_on < given_on:
        raise ServiceError("The consent cannot end before it was given.", field="expires_on")
    with transaction.atomic():
        consent = DisclosureConsent.objects.create(organisation_id=actor.organisation_id, client=client,
                                                   recipient=recipient, recorded_by=actor, given_on=given_on,
                                                   expires_on=expires_on)
        audit_record(actor=actor, action=AuditAction.CREATE, target=consent, client=client,
                     detail={"part2_consent": recipient.pk})
    return consent
