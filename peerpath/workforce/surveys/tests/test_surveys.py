"""Survey anonymity is real: once submitted, nothing links a response to a person."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.apps import apps
from django.db import models

from peerpath.accounts.tests.factories import StaffFactory
from peerpath.core.exceptions import NotAllowed, ServiceError
from peerpath.core.models import AuditEvent
from peerpath.workforce.models import SurveyReceipt, SurveyResponse
from peerpath.workforce.surveys import selectors as surveys_selectors
from peerpath.workforce.surveys import services as surveys_services
from peerpath.workforce.tests.factories import SurveyRoundFactory, full_answers, today

pytestmark = pytest.mark.django_db


def test_no_model_links_a_response_to_a_person():
    """Inspect every field of every model: the response table has no person, no time and no sequential key;
    no other table points at a response; the receipt shares no field with the response but the round."""
    staff_model = apps.get_model("accounts", "StaffMember")
    response_fields = {f.name: f for f in SurveyResponse._meta.get_fields()}
    assert set(response_fields) == {"id", "survey_round", "team", "answers"}
    assert isinstance(response_fields["id"], models.UUIDField)
    for f in SurveyResponse._meta.get_fields():
        assert not isinstance(f, (models.DateField, models.DateTimeField, models.TimeField))
        if f.is_relation:
            assert f.related_model is not staff_model
    for model in apps.get_models():
        for f in model._meta.get_fields():
            if f.is_relation and f.concrete and f.related_model is SurveyResponse:
                pytest.fail(f"{model._meta.label}.{f.name} points at a survey response")
    receipt_fields = {f.name for f in SurveyReceipt._meta.get_fields()}
    assert receipt_fields == {"id", "survey_round", "staff"}
    assert receipt_fields & set(response_fields) == {"id", "survey_round"}
    # the shared name "id" is not a shared value: responses use random UUIDs, receipts integers
    assert not isinstance(SurveyReceipt._meta.pk, models.UUIDField)


def test_submission_stores_answers_apart_from_the_person(world):
    survey_round = SurveyRoundFactory(organisation=world.a.organisation)
    peers = [world.a.users["peer"]] + [StaffFactory(organisation=world.a.organisation, role="peer",
                                                    teams=[world.a.team]) for _ in range(5)]
    for i, peer in enumerate(peers):
        surveys_services.survey_submit(actor=peer, survey_round=survey_round, answers=full_answers(1 + i % 5))
    assert SurveyReceipt.objects.filter(survey_round=survey_round).count() == 6
    responses = list(SurveyResponse.objects.filter(survey_round=survey_round).values())
    assert len(responses) == 6
    for row in responses:
        assert set(row) == {"id", "survey_round_id", "team_id", "answers"}
    # audit events name the round, never a response
    response_ids = {str(r["id"]) for r in responses}
    assert not AuditEvent.objects.filter(target_id__in=response_ids).exists()
    assert not AuditEvent.objects.filter(target_type="workforce.surveyresponse").exists()


def test_responses_are_rewritten_in_random_order_on_each_submission(world):
    survey_round = SurveyRoundFactory(organisation=world.a.organisation)
    peers = [StaffFactory(organisation=world.a.organisation, role="peer", teams=[world.a.team]) for _ in range(3)]
    surveys_services.survey_submit(actor=peers[0], survey_round=survey_round, answers=full_answers(1))
    first_ids = set(SurveyResponse.objects.values_list("id", flat=True))
    surveys_services.survey_submit(actor=peers[1], survey_round=survey_round, answers=full_answers(2))
    ids = set(SurveyResponse.objects.values_list("id", flat=True))
    assert len(ids) == 2 and not (first_ids & ids)  # earlier keys replaced: no key outlives a later submission


def test_one_response_per_person_open_rounds_only_and_valid_answers(world):
    peer = world.a.users["peer"]
    survey_round = SurveyRoundFactory(organisation=world.a.organisation)
    surveys_services.survey_submit(actor=peer, survey_round=survey_round, answers=full_answers())
    with pytest.raises(ServiceError):
        surveys_services.survey_submit(actor=peer, survey_round=survey_round, answers=full_answers())
    assert SurveyResponse.objects.count() == 1
    closed = SurveyRoundFactory(organisation=world.a.organisation, opens_on=today() - timedelta(days=30),
                                closes_on=today() - timedelta(days=1))
    with pytest.raises(ServiceError):
        surveys_services.survey_submit(actor=peer, survey_round=closed, answers=full_answers())
    fresh = SurveyRoundFactory(organisation=world.a.organisation)
    for bad in (full_answers(6), full_answers(burnout=None), {**full_answers(), "salary": 3},
                full_answers(stigma_coworkers="yes")):
        with pytest.raises(ServiceError):
            surveys_services.survey_submit(actor=peer, survey_round=fresh, answers=bad)
    assert not SurveyReceipt.objects.filter(survey_round=fresh).exists()
    with pytest.raises(NotAllowed):
        surveys_services.survey_submit(actor=world.a.users["leader"], survey_round=fresh, answers=full_answers())
    with pytest.raises(NotAllowed):
        surveys_services.survey_submit(actor=world.b.users["peer"], survey_round=fresh, answers=full_answers())
    with pytest.raises(ServiceError):
        surveys_services.survey_round_create(actor=world.a.users["leader"], title="x", opens_on=today(),
                                     closes_on=today() - timedelta(days=1))


def test_results_by_team_hide_cells_under_five_and_trend(world):
    survey_round = SurveyRoundFactory(organisation=world.a.organisation)
    big = [StaffFactory(organisation=world.a.organisation, role="peer", teams=[world.a.team]) for _ in range(5)]
    small = [StaffFactory(organisation=world.a.organisation, role="peer", teams=[world.a.other_team])
             for _ in range(2)]
    for peer in big:
        surveys_services.survey_submit(actor=peer, survey_round=survey_round,
                               answers=full_answers(4, stigma_coworkers=True))
    for peer in small:
        surveys_services.survey_submit(actor=peer, survey_round=survey_round, answers=full_answers(2))
    results = surveys_selectors.survey_results(survey_round)
    assert results["responded"] == 7 and results["overall"]["n"] == 7
    teams = {row["team"]: row["summary"] for row in results["teams"]}
    assert teams["Team a-1"]["means"]["skills_used"] == 4 and teams["Team a-1"]["shares"]["stigma_coworkers"] == 100
    assert teams["Team a-2"] is None
    assert results["overall"]["shares"]["stigma_coworkers"] == 71
    trend = surveys_selectors.survey_trend(world.a.users["leader"])
    assert [row["summary"]["n"] for row in trend] == [7]
    assert surveys_selectors.open_rounds_to_answer(big[0]) == []
