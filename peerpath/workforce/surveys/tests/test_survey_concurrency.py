"""Peers answering the same pulse survey at the same moment: one response each, never duplicated."""

from __future__ import annotations

import pytest

from peerpath.accounts.tests.factories import StaffFactory
from peerpath.core.tests.concurrency import run_concurrently
from peerpath.core.tests.factories import OrganisationFactory, TeamFactory
from peerpath.workforce.models import SurveyReceipt, SurveyResponse
from peerpath.workforce.surveys import services
from peerpath.workforce.tests.factories import SurveyRoundFactory, full_answers


@pytest.mark.django_db(transaction=True)
def test_concurrent_submissions_store_exactly_one_response_per_receipt():
    organisation = OrganisationFactory()
    team = TeamFactory(organisation=organisation)
    peers = [StaffFactory(organisation=organisation, role="peer", teams=[team]) for _ in range(12)]
    survey_round = SurveyRoundFactory(organisation=organisation)
    # Earlier answers are what a racing submission re-inserts a second time.
    for i in range(8, 12):
        services.survey_submit(actor=peers[i], survey_round=survey_round, answers=full_answers(1 + i % 5))

    def submit(i: int) -> None:
        services.survey_submit(actor=peers[i], survey_round=survey_round, answers=full_answers(1 + i % 5))

    results = run_concurrently(submit, 8)
    assert [r for r in results if r is not None] == []
    assert SurveyReceipt.objects.filter(survey_round=survey_round).count() == 12
    assert SurveyResponse.objects.filter(survey_round=survey_round).count() == 12
    scores = sorted(r["burnout"] for r in SurveyResponse.objects.filter(survey_round=survey_round).values_list("answers", flat=True))
    assert scores == sorted(1 + i % 5 for i in range(12))
