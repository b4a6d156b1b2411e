"""Staff surveys (peer role agreement and workplace stigma), answered anonymously, shown for groups of at least five."""

from __future__ import annotations

import random
import uuid
from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from peerpath.core.audit import audit_record
from peerpath.core.choices import AuditAction, Role
from peerpath.core.exceptions import ServiceError
from peerpath.core.validation import clean_text
from peerpath.workforce.models import (
    SurveyReceipt,
    SurveyResponse,
    SurveyRound,
)
from peerpath.workforce.staff.services import _require, _same_org
from peerpath.workforce.surveys import questions as survey

SURVEY_MANAGERS = frozenset({Role.LEADER, Role.ADMIN})


def survey_round_create(*, actor: Any, title: str, opens_on: date, closes_on: date) -> SurveyRound:
    _require(actor, SURVEY_MANAGERS)
    title = clean_text(title, "title", max_length=200)
    if not isinstance(opens_on, date) or not isinstance(closes_on, date):
        raise ServiceError(_("Enter a date."), field="opens_on")
    if closes_on < opens_on:
        raise ServiceError(_("The closing date must not be before the opening date."), field="closes_on")
    with transaction.atomic():
        survey_round = SurveyRound.objects.create(organisation_id=actor.organisation_id, title=title,
                                                  opens_on=opens_on, closes_on=closes_on)
        audit_record(actor=actor, action=AuditAction.CREATE, target=survey_round)
    return survey_round


def clean_answers(answers: dict[str, Any]) -> dict[str, int | bool]:
    if not isinstance(answers, dict):
        raise ServiceError(_("Answer the questions."), field="answers")
    unknown = set(answers) - set(survey.ALL_KEYS)
    if unknown:
        raise ServiceError(_("Unknown question: %(k)s") % {"k": sorted(unknown)[0]}, field="answers")
    cleaned: dict[str, int | bool] = {}
    for key in survey.AGREEMENT_KEYS:
        value = answers.get(key)
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
            raise ServiceError(_("Answer every statement from 1 to 5."), field=key)
        cleaned[key] = value
    for key in survey.YES_NO_KEYS:
        value = answers.get(key, False)
        if not isinstance(value, bool):
            raise ServiceError(_("Answer yes or no."), field=key)
        cleaned[key] = value
    return cleaned


def survey_submit(*, actor: Any, survey_round: SurveyRound, answers: dict[str, Any]) -> None:
    """Store the answers with no link to the person: a random key, the round and the team only.
    A separate receipt records *that* the person answered. Nothing is audited with the response's id."""
    _require(actor, {Role.PEER}, _("The pulse survey is for peer workers."))
    _same_org(actor, survey_round)
    today = timezone.localdate()
    if not survey_round.is_active or not survey_round.opens_on <= today <= survey_round.closes_on:
        raise ServiceError(_("This survey is not open."), field="survey_round")
    cleaned = clean_answers(answers)
    team = actor.teams.filter(is_active=True).order_by("name").first()
    with transaction.atomic():
        # One submission of a round at a time: _reshuffle_responses reads, deletes and re-inserts every
        # response, so two at once would each re-insert the rows the other could not yet see (duplicates).
        SurveyRound.objects.select_for_update().filter(pk=survey_round.pk).values_list("pk").first()
        try:
            with transaction.atomic():
                SurveyReceipt.objects.create(survey_round=survey_round, staff=actor)
        except IntegrityError:
            raise ServiceError(_("You have already answered this survey."), field="survey_round") from None
        SurveyResponse.objects.create(id=uuid.uuid4(), survey_round=survey_round, team=team, answers=cleaned)
        _reshuffle_responses(survey_round)
        audit_record(actor=actor, action=AuditAction.CREATE, target_type="workforce.surveyreceipt",
                     target_id=str(survey_round.pk))


def _reshuffle_responses(survey_round: SurveyRound) -> None:
    """Re-write every response of the round in random order with fresh random keys, in the submitting
    transaction (which holds the round's row lock, see ``survey_submit``). Storage order (SQLite rowid, PostgreSQL physical order and transaction ids) then says nothing
    about who answered when: all responses of the round share the latest transaction and a random order.
    The rows are anonymous copies, so replacing them is not a deletion of anyone's record."""
    rows = list(SurveyResponse.objects.filter(survey_round=survey_round).values_list("team_id", "answers"))
    random.SystemRandom().shuffle(rows)
    SurveyResponse.objects.filter(survey_round=survey_round).delete()
    SurveyResponse.objects.bulk_create([SurveyResponse(id=uuid.uuid4(), survey_round=survey_round, team_id=team_id,
                                                       answers=answers) for team_id, answers in rows])
