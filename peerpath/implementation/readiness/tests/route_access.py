"""Access rules of the readiness routes (see peerpath/testing/access.py and readiness/rules.py).

Leaders and admins open and close rounds; leaders, admins, supervisors and evaluators read aggregate
results; everyone invited answers (the round used here invites every role of organisation A)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from peerpath.implementation.models import ReadinessItem
from peerpath.testing.access import Route

EVERYONE = {"peer", "supervisor", "clinician", "leader", "evaluator", "admin"}
RESULT_READERS = {"supervisor", "leader", "evaluator", "admin"}
OPENERS = {"leader", "admin"}
CREATED = frozenset({201})


def _open(w: Any) -> Any:
    from peerpath.implementation.readiness import services

    today = timezone.localdate()
    return services.readiness_round_open(
        actor=w.a.users["leader"], title="Readiness", opens_on=today, closes_on=today,
        instrument_codes=["aim"], invited_roles=sorted(EVERYONE))


def _round(w: Any) -> dict[str, Any]:
    return {"pk": _open(w).pk}


def _api_round(w: Any) -> dict[str, Any]:
    return {"round_id": _open(w).pk}


def _answers(w: Any) -> dict[str, Any]:
    items = ReadinessItem.objects.filter(instrument__code="aim").order_by("-id", "number")[:4]
    return {"answers": [{"item_id": i.pk, "value": 4} for i in items], "comment": "Good start"}


def _new_round(w: Any) -> dict[str, Any]:
    today = timezone.localdate().isoformat()
    return {"title": "Team readiness", "opens_on": today, "closes_on": today, "instrument_codes": ["oric", "fim"],
            "invited_roles": ["peer", "clinician"], "team_id": w.a.team.pk}


ROUTES = [
    Route("implementation:readiness_round_list", allowed=RESULT_READERS, org_bound=False),
    Route("implementation:readiness_round_create", allowed=OPENERS, org_bound=False),
    Route("implementation:readiness_my_surveys", allowed=EVERYONE, org_bound=False),
    Route("implementation:readiness_round_detail", allowed=RESULT_READERS, kwargs=_round),
    Route("implementation:readiness_answer", allowed=EVERYONE, kwargs=_round),
    Route("implementation:readiness_round_close", allowed=OPENERS, method="POST", kwargs=_round,
          data=lambda w: {}, ok=frozenset({302})),
    Route("api:readiness_rounds", allowed=RESULT_READERS, org_bound=False),
    Route("api:readiness_round_open", allowed=OPENERS, method="POST", data=_new_round, ok=CREATED, org_bound=True),
    Route("api:readiness_round_results", allowed=RESULT_READERS, kwargs=_api_round),
    Route("api:readiness_round_close", allowed=OPENERS, method="POST", kwargs=_api_round, data=lambda w: {}),
    Route("api:readiness_waiting", allowed=EVERYONE, org_bound=False),
    Route("api:readiness_survey", allowed=EVERYONE, kwargs=_api_round),
    Route("api:readiness_answers_submit", allowed=EVERYONE, method="POST", kwargs=_api_round, data=_answers,
          ok=CREATED),
]
