"""Access rules of the CFIR ratings routes (see peerpath/testing/access.py and ratings/rules.py).

Readers: leaders, admins, evaluators, and supervisors (organisation-wide rounds and their own teams').
Raters: leaders and admins everywhere, supervisors for their own team's rounds (every user of
organisation A belongs to ``world.a.team``). Peers and clinicians: none of these routes."""

from __future__ import annotations

from typing import Any

from peerpath.implementation.ratings.tests.factories import RatingRoundFactory, rate
from peerpath.testing.access import Route

READERS = {"leader", "admin", "supervisor", "evaluator"}
RATERS = {"leader", "admin", "supervisor"}
ORG_RATERS = {"leader", "admin"}


def _org_round(w: Any) -> Any:
    if "cfir_org_round" not in w.a.extra:
        found = RatingRoundFactory(created_by=w.a.users["leader"])
        rate(found, "III.D", 1)
        w.a.extra["cfir_org_round"] = found
    return w.a.extra["cfir_org_round"]


def _team_round(w: Any) -> Any:
    if "cfir_team_round" not in w.a.extra:
        found = RatingRoundFactory(created_by=w.a.users["leader"], team=w.a.team)
        rate(found, "IV.B.2", -1, role="IV.A.8")
        w.a.extra["cfir_team_round"] = found
    return w.a.extra["cfir_team_round"]


ROUTES = [
    Route("implementation:ratings_round_list", allowed=READERS, org_bound=False),
    Route("implementation:ratings_heatmap", allowed=READERS, org_bound=False),
    Route("implementation:ratings_round_detail", allowed=READERS, kwargs=lambda w: {"pk": _org_round(w).pk}),
    Route("implementation:ratings_round_rate", allowed=RATERS,
          kwargs=lambda w: {"pk": _team_round(w).pk, "domain": "IV"}),
    Route("api:ratings_api_round_list", allowed=READERS, org_bound=False),
    Route("api:ratings_api_round_create", allowed=ORG_RATERS, method="POST", org_bound=False,
          data=lambda w: {"title": "Spring rating", "rated_on": "2026-03-01", "notes": "Team meeting"},
          ok=frozenset({201})),
    Route("api:ratings_api_round_get", allowed=READERS, kwargs=lambda w: {"round_id": _org_round(w).pk}),
    Route("api:ratings_api_ratings_save", allowed=RATERS, method="PUT",
          kwargs=lambda w: {"round_id": _team_round(w).pk},
          data=lambda w: {"ratings": [{"construct_code": "III.F", "value": "rated", "score": 2,
                                       "evidence": "Peers co-wrote the role description."}]}),
    Route("api:ratings_api_heatmap", allowed=READERS, org_bound=False),
]
