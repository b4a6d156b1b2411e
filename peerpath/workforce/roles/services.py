"""Peer role definitions (drafted, reviewed, approved, versioned, printed) and pay equity against employment terms."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from peerpath.accounts.models import StaffMember
from peerpath.core.audit import audit_record
from peerpath.core.choices import AuditAction, Role
from peerpath.core.exceptions import NotAllowed, ServiceError
from peerpath.core.validation import clean_text
from peerpath.workforce.models import (
    ReviewerGroup,
    RoleDefinition,
    RoleDefinitionComment,
    RoleDefinitionReview,
    RoleDefinitionStatus,
)
from peerpath.workforce.roles import selectors
from peerpath.workforce.staff.services import _require, _same_org, notify

ROLE_DEFINITION_AUTHORS = frozenset({Role.LEADER})


ROLE_TEMPLATE = {
    "purpose": "Offer mutual, recovery-oriented support drawing on lived experience of mental-health or substance-use "
               "challenges, and help the team keep a recovery focus.",
    "peer_functions": "Share lived experience purposefully; build hope; support people to set and pursue their own "
                      "recovery goals; connect people with community and natural supports; advocate alongside them.",
    "generic_duties": "Accompany to appointments; help with housing, benefits and practical tasks; attend team "
                      "meetings.",
    "not_the_role": "Not counselling or therapy; not diagnosis; not medication management; not acting as a case "
                    "manager.",
    "supervision_arrangement": "At least monthly individual supervision by a supervisor trained in the peer role, plus "
                               "group peer supervision.",
    "hours_and_flexibility": "Part-time or full-time; flexible hours agreed with the worker.",
    "pay_band": "Band 4",
    "record_access": "Read and write access to the records of people on the worker's caseload.",
    "disclosure_control": "The worker decides what, when and with whom to share their own history; it is never "
                          "disclosed by others.",
}


ROLE_TEXT_FIELDS = list(ROLE_TEMPLATE)


def role_definition_create(*, actor: Any, title: str, team_type: str = "", **fields: Any) -> RoleDefinition:
    _require(actor, ROLE_DEFINITION_AUTHORS)
    title = clean_text(title, "title", max_length=200)
    values = {name: clean_text(fields.get(name, ROLE_TEMPLATE[name]), name, required=name != "generic_duties")
              for name in ROLE_TEXT_FIELDS}
    with transaction.atomic():
        latest = (RoleDefinition.objects.filter(organisation_id=actor.organisation_id, title=title)
                  .order_by("-version").first())
        definition = RoleDefinition.objects.create(
            organisation_id=actor.organisation_id, title=title, version=(latest.version + 1) if latest else 1,
            team_type=clean_text(team_type, "team_type", required=False, max_length=20), drafted_by=actor, **values)
        audit_record(actor=actor, action=AuditAction.CREATE, target=definition)
    return definition


def role_definition_new_version(*, actor: Any, definition: RoleDefinition) -> RoleDefinition:
    _require(actor, ROLE_DEFINITION_AUTHORS)
    _same_org(actor, definition)
    fields = {name: getattr(definition, name) for name in ROLE_TEXT_FIELDS}
    return role_definition_create(actor=actor, title=definition.title, team_type=definition.team_type, **fields)


def role_definition_update(*, actor: Any, definition: RoleDefinition, team_type: str = "",
                           **fields: Any) -> RoleDefinition:
    """Change the text of a draft (a version in consultation or active is frozen; start a new version)."""
    _require(actor, ROLE_DEFINITION_AUTHORS)
    _same_org(actor, definition)
    if definition.status != RoleDefinitionStatus.DRAFT:
        raise ServiceError(_("Only a draft can be changed; start a new version."), field="status")
    values = {name: clean_text(fields.get(name, getattr(definition, name)), name, required=name != "generic_duties")
              for name in ROLE_TEXT_FIELDS}
    with transaction.atomic():
        for name, value in values.items():
            setattr(definition, name, value)
        definition.team_type = clean_text(team_type, "team_type", required=False, max_length=20)
        definition.save()
        audit_record(actor=actor, action=AuditAction.UPDATE, target=definition)
    return definition


def role_definition_send(*, actor: Any, definition: RoleDefinition,
                         reviewers: dict[str, list[StaffMember]]) -> RoleDefinition:
    """Send a draft for consultation to named people in each of the three groups (all three are required)."""
    _require(actor, ROLE_DEFINITION_AUTHORS)
    _same_org(actor, definition)
    if definition.status != RoleDefinitionStatus.DRAFT:
        raise ServiceError(_("Only a draft can be sent for consultation."), field="status")
    for group in ReviewerGroup.values:
        people = reviewers.get(group) or []
        if not people:
            raise ServiceError(_("Name at least one person in each group."), field=group)
        for person in people:
            if person.organisation_id != actor.organisation_id or not person.is_active:
                raise ServiceError(_("Choose people from your organisation."), field=group)
        if group == ReviewerGroup.PEERS and any(p.role != Role.PEER for p in people):
            raise ServiceError(_("The peer group must be peer workers."), field=group)
    seen: set[int] = set()
    with transaction.atomic():
        for group in ReviewerGroup.values:
            for person in reviewers[group]:
                if person.pk in seen:
                    raise ServiceError(_("A person can be named in one group only."), field=group)
                seen.add(person.pk)
                RoleDefinitionReview.objects.create(definition=definition, reviewer=person, group=group)
                notify(recipient=person, message=_("Your review is asked for: %(t)s") % {"t": str(definition)},
                       link=f"/workforce/roles/{definition.pk}/")
        definition.status = RoleDefinitionStatus.CONSULTATION
        definition.save(update_fields=["status", "updated_at"])
        audit_record(actor=actor, action=AuditAction.UPDATE, target=definition, detail={"status": "consultation"})
    return definition


def role_definition_comment(*, actor: Any, definition: RoleDefinition, body: str) -> RoleDefinitionComment:
    _same_org(actor, definition)
    if not selectors.can_review(actor, definition) and actor.role not in ROLE_DEFINITION_AUTHORS:
        raise NotAllowed(_("Only the people consulted can comment."))
    body = clean_text(body, "body", max_length=5000)
    with transaction.atomic():
        comment = RoleDefinitionComment.objects.create(definition=definition, author=actor, body=body)
        audit_record(actor=actor, action=AuditAction.CREATE, target=comment)
    return comment


def role_definition_approve(*, actor: Any, definition: RoleDefinition) -> RoleDefinition:
    _same_org(actor, definition)
    review = RoleDefinitionReview.objects.filter(definition=definition, reviewer=actor, is_active=True).first()
    if review is None:
        raise NotAllowed(_("Only the people consulted can approve."))
    if definition.status != RoleDefinitionStatus.CONSULTATION:
        raise ServiceError(_("This version is not in consultation."), field="status")
    if review.approved_at:
        raise ServiceError(_("You have already approved this version."), field="status")
    with transaction.atomic():
        now = timezone.now()
        review.approved_at = now
        review.save(update_fields=["approved_at", "updated_at"])
        audit_record(actor=actor, action=AuditAction.UPDATE, target=definition, detail={"approved": True})
        if not definition.reviews.filter(is_active=True, approved_at__isnull=True).exists():
            (RoleDefinition.objects.filter(organisation_id=definition.organisation_id, title=definition.title,
                                           status=RoleDefinitionStatus.ACTIVE)
             .update(status=RoleDefinitionStatus.SUPERSEDED, updated_at=now))
            definition.status = RoleDefinitionStatus.ACTIVE
            definition.activated_at = now
            definition.save(update_fields=["status", "activated_at", "updated_at"])
            audit_record(actor=actor, action=AuditAction.UPDATE, target=definition, detail={"status": "active"})
    return definition
