"""Writes for readiness rounds: open (with invitations), answer once, close."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from peerpath.accounts.models import StaffMember
from peerpath.core.audit import audit_record
from peerpath.core.choices import AuditAction, Role
from peerpath.core.exceptions import NotAllowed, ServiceError
from peerpath.implementation.models import (
    ReadinessAnswer,
    ReadinessInvitation,
    ReadinessResponse,
    ReadinessRound,
    RoundStatus,
)
from peerpath.implementation.readiness import rules, scoring
from peerpath.implementation.reference.selectors import readiness_instruments


def readiness_round_open(
    *, actor: Any, title: str, opens_on: date, closes_on: date, instrument_codes: list[str], invited_roles: list[str],
    team: Any = None, free_text_prompt: str = "",
) -> ReadinessRound:
    """Open a round and invite every active staff member of the chosen roles (of the team, for a team round)."""
    if not rules.may_open(actor):
        raise NotAllowed
    if team is not None and team.organisation_id != actor.organisation_id:
        raise NotAllowed
    if not title.strip():
        raise ServiceError(_("Give the round a title."), field="title")
    if closes_on < opens_on:
        raise ServiceError(_("The round must close on or after the day it opens."), field="closes_on")
    instruments = [i for i in readiness_instruments() if i.code in set(instrument_codes)]
    if not instruments or len(instruments) != len(set(instrument_codes)):
        raise ServiceError(_("Choose at least one of the questionnaires offered."), field="instrument_codes")
    if not invited_roles or not set(invited_roles) <= set(Role.values):
        raise ServiceError(_("Choose at least one staff role to invite."), field="invited_roles")
    with transaction.atomic():
        readiness_round = ReadinessRound.objects.create(
            organisation_id=actor.organisation_id, title=title.strip(), team=team, opens_on=opens_on,
            closes_on=closes_on, invited_roles=sorted(set(invited_roles)), free_text_prompt=free_text_prompt.strip(),
            opened_by=actor)
        readiness_round.instruments.set(instruments)
        staff = StaffMember.objects.filter(organisation_id=actor.organisation_id, is_active=True,
                                           role__in=invited_roles)
        if team is not None:
            staff = staff.filter(memberships__team=team, memberships__is_active=True)
        ReadinessInvitation.objects.bulk_create(
            [ReadinessInvitation(readiness_round=readiness_round, staff_id=pk, role=role)
             for pk, role in staff.distinct().values_list("pk", "role")])
        audit_record(actor=actor, action=AuditAction.CREATE, target=readiness_round,
                     detail={"invited": readiness_round.invitations.count()})
    return readiness_round


def readiness_response_submit(
    *, actor: Any, readiness_round: ReadinessRound, answers: dict[int, int], comment: str = "",
) -> ReadinessResponse:
    """Store one person's answers (``answers`` maps item ids to values; unanswered items are left out) with
    the scores the instruments' rules give. Once per person, only while the round is open."""
    invitation = ReadinessInvitation.objects.filter(readiness_round=readiness_round, staff=actor).first()
    if invitation is None or readiness_round.organisation_id != actor.organisation_id:
        raise NotAllowed
    today = timezone.localdate()
    if readiness_round.status != RoundStatus.OPEN or not readiness_round.opens_on <= today <= readiness_round.closes_on:
        raise ServiceError(_("This survey is closed."))
    if invitation.responded_at is not None:
        raise ServiceError(_("You have already answered this survey. Thank you."))
    instruments = list(readiness_round.instruments.prefetch_related("items"))
    items = {item.pk: (instrument, item) for instrument in instruments for item in instrument.items.all()}
    for item_id, value in answers.items():
        if item_id not in items:
            raise ServiceError(_("This question is not part of the survey."), field=f"item_{item_id}")
        instrument, _item = items[item_id]
        if isinstance(value, bool) or not isinstance(value, int) or not instrument.scale_min <= value <= instrument.scale_max:
            raise ServiceError(_("Choose an answer from %(low)s to %(high)s.") % {
                "low": instrument.scale_min, "high": instrument.scale_max}, field=f"item_{item_id}")
    scores = {
        instrument.code: scoring.score(
            scoring=instrument.scoring, missing_rule=instrument.missing_rule,
            items=[(i.number, i.subscale) for i in instrument.items.all()],
            answers={items[pk][1].number: v for pk, v in answers.items() if items[pk][0].pk == instrument.pk})
        for instrument in instruments
    }
    with transaction.atomic():
        # Lock the invitation: two submissions at once (double tap, two tabs) store one response.
        invitation = ReadinessInvitation.objects.select_for_update().get(pk=invitation.pk)
        if invitation.responded_at is not None:
            raise ServiceError(_("You have already answered this survey. Thank you."))
        response = ReadinessResponse.objects.create(readiness_round=readiness_round, respondent=actor,
                                                    role=invitation.role, comment=comment.strip(), scores=scores)
        ReadinessAnswer.objects.bulk_create(
            [ReadinessAnswer(response=response, item_id=pk, value=v) for pk, v in answers.items()])
        invitation.responded_at = timezone.now()
        invitation.save(update_fields=["responded_at", "updated_at"])
        audit_record(actor=actor, action=AuditAction.CREATE, target=readiness_round,
                     detail={"answered_items": len(answers)})
    return response


def readiness_round_close(*, actor: Any, readiness_round: ReadinessRound) -> ReadinessRound:
    if not rules.may_open(actor) or readiness_round.organisation_id != actor.organisation_id:
        raise NotAllowed
    with transaction.atomic():
        readiness_round.status = RoundStatus.CLOSED
        readiness_round.save(update_fields=["status", "updated_at"])
        audit_record(actor=actor, action=AuditAction.UPDATE, target=readiness_round, detail={"status": "closed"})
    return readiness_round
