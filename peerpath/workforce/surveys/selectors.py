"""Staff surveys (peer role agreement and workplace stigma), answered anonymously, shown for groups of at least five."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from peerpath.core.models import Team
from peerpath.workforce.models import (
    SurveyReceipt,
    SurveyResponse,
    SurveyRound,
)
from peerpath.workforce.staff.selectors import MIN_CELL
from peerpath.workforce.surveys import questions as survey


def survey_rounds_for(user: Any) -> QuerySet[SurveyRound]:
    return SurveyRound.objects.filter(organisation_id=user.organisation_id, is_active=True).order_by("-opens_on")


def survey_round_for(user: Any, pk: int) -> SurveyRound:
    survey_round = survey_rounds_for(user).filter(pk=pk).first()
    if survey_round is None:
        raise Http404
    return survey_round


def open_rounds_to_answer(user: Any) -> list[SurveyRound]:
    today = timezone.localdate()
    answered = SurveyReceipt.objects.filter(staff_id=user.pk).values("survey_round_id")
    return list(survey_rounds_for(user).filter(opens_on__lte=today, closes_on__gte=today)
                .exclude(pk__in=answered))


def _summary(answer_sets: list[dict[str, Any]]) -> dict[str, Any] | None:
    n = len(answer_sets)
    if n < MIN_CELL:
        return None
    means = {k: round(sum(a[k] for a in answer_sets) / n, 2) for k in survey.AGREEMENT_KEYS}
    shares = {k: round(100 * sum(1 for a in answer_sets if a.get(k)) / n) for k in survey.YES_NO_KEYS}
    return {"n": n, "means": means, "shares": shares}


def survey_results(survey_round: SurveyRound) -> dict[str, Any]:
    by_team: dict[Any, list[dict[str, Any]]] = defaultdict(list)
    for team_id, answers in SurveyResponse.objects.filter(survey_round=survey_round).values_list("team_id", "answers"):
        by_team[team_id].append(answers)
    teams: dict[Any, str] = {t.pk: t.name for t in Team.objects.filter(pk__in=[k for k in by_team if k])}
    everyone = [a for answers in by_team.values() for a in answers]
    team_rows = [{"team": teams.get(team_id, "—"), "summary": _summary(answers)}
                 for team_id, answers in sorted(by_team.items(), key=lambda kv: teams.get(kv[0], ""))]
    return {"overall": _summary(everyone), "teams": team_rows, "min_cell": MIN_CELL,
            "responded": SurveyReceipt.objects.filter(survey_round=survey_round).count()}


def survey_trend(user: Any) -> list[dict[str, Any]]:
    rows = []
    for survey_round in survey_rounds_for(user).order_by("opens_on"):
        answers = list(SurveyResponse.objects.filter(survey_round=survey_round).values_list("answers", flat=True))
        rows.append({"round": survey_round, "summary": _summary(answers)})
    return rows
