"""Reads for readiness rounds.

Results are aggregates by role group only. A role group with fewer than five respondents is never shown
on its own: small groups are pooled into "Other roles" when the pool reaches five, otherwise left out of
the groups (counted only in "Everyone"). So that a hidden group cannot be worked out by subtracting the
shown groups from "Everyone", the smallest shown groups are pooled too until the pool reaches five
(complementary suppression). "Everyone" and the comments appear only when the round has five respondents,
and nothing but counts appears while the round still takes answers."""

from __future__ import annotations

import random
from datetime import date
from statistics import fmean, pstdev
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from peerpath.core.choices import Role
from peerpath.core.tenancy import active_team_ids
from peerpath.implementation.models import ReadinessInvitation, ReadinessResponse, ReadinessRound, RoundStatus
from peerpath.implementation.readiness import rules

OTHER = "other"


def rounds_for(user: Any) -> QuerySet[ReadinessRound]:
    """Rounds whose results the user may read: the organisation's rounds (supervisors: whole-organisation
    rounds and their own teams' rounds), with invited/answered counts."""
    if not user.organisation_id or user.role not in rules.RESULT_READERS:
        return ReadinessRound.objects.none()
    rounds = (ReadinessRound.objects.filter(organisation_id=user.organisation_id, is_active=True)
              .select_related("team")
              .annotate(n_invited=Count("invitations", distinct=True),
                        n_answered=Count("invitations", filter=Q(invitations__responded_at__isnull=False),
                                         distinct=True)))
    if user.role == Role.SUPERVISOR:
        mine = active_team_ids(user)
        rounds = rounds.filter(Q(team__isnull=True) | Q(team_id__in=mine))
    return rounds


def round_for(user: Any, pk: int) -> ReadinessRound:
    """One round the user may read results of; 404 whether missing or forbidden."""
    found = rounds_for(user).filter(pk=pk).first()
    if found is None:
        raise Http404("No such round.")
    return found


def is_accepting(readiness_round: ReadinessRound, today: date | None = None) -> bool:
    today = today or timezone.localdate()
    return readiness_round.status == RoundStatus.OPEN and readiness_round.opens_on <= today <= readiness_round.closes_on


def waiting_for(user: Any) -> QuerySet[ReadinessRound]:
    """Open rounds (today within their dates) the user is invited to and has not answered yet."""
    today = timezone.localdate()
    invited = ReadinessInvitation.objects.filter(staff=user, responded_at__isnull=True).values("readiness_round_id")
    return ReadinessRound.objects.filter(organisation_id=user.organisation_id, status=RoundStatus.OPEN,
                                         is_active=True, opens_on__lte=today, closes_on__gte=today, pk__in=invited)


def invitation_round_for(user: Any, pk: int) -> ReadinessRound:
    """A round the user is invited to (to answer it); 404 otherwise."""
    found = ReadinessRound.objects.filter(pk=pk, organisation_id=user.organisation_id, is_active=True,
                                          invitations__staff=user).first()
    if found is None:
        raise Http404("No such survey.")
    return found


def has_answered(user: Any, readiness_round: ReadinessRound) -> bool:
    return ReadinessInvitation.objects.filter(readiness_round=readiness_round, staff=user,
                                              responded_at__isnull=False).exists()


def _summary(values: list[float]) -> dict[str, float] | None:
    if not values:
        return None
    return {"n": len(values), "mean": round(fmean(values), 2),
            "sd": round(pstdev(values), 2) if len(values) > 1 else 0.0,
            "min": round(min(values), 2), "max": round(max(values), 2)}


def _group(rows: list[tuple[str, dict[str, Any]]], n_invited: int, keys: list[tuple[str, str]]) -> dict[str, Any]:
    return {"respondents": len(rows), "invited": n_invited,
            "response_rate": round(len(rows) / n_invited, 3) if n_invited else None,
            "scores": {f"{code}.{scale}": _summary([s[code][scale] for _role, s in rows
                                                    if (s.get(code) or {}).get(scale) is not None])
                       for code, scale in keys}}


def _ensure_reader(user: Any, readiness_round: ReadinessRound) -> None:
    if (user.organisation_id != readiness_round.organisation_id or user.role not in rules.RESULT_READERS
            or not user.is_active):
        raise Http404("No such round.")


def results_final(readiness_round: ReadinessRound, today: date | None = None) -> bool:
    """Results are shown once no more answers can come in (closed, or past its last day): while answers
    still arrive, watching "Everyone" move after a colleague answers would give their answers away."""
    today = today or timezone.localdate()
    return readiness_round.status == RoundStatus.CLOSED or readiness_round.closes_on < today


def round_results(user: Any, readiness_round: ReadinessRound) -> dict[str, Any]:
    """Aggregates per role group and for the whole round (see the module docstring for what is hidden);
    while the round still takes answers only the counts (``final`` False).

    ``groups`` maps a role (or ``"other"``) to {respondents, invited, response_rate, scores}; ``scores`` maps
    ``"<instrument>.<subscale or total>"`` to {n, mean, sd, min, max} or None."""
    _ensure_reader(user, readiness_round)
    invited: dict[str, int] = {}
    for role in ReadinessInvitation.objects.filter(readiness_round=readiness_round).values_list("role", flat=True):
        invited[role] = invited.get(role, 0) + 1
    responses = list(ReadinessResponse.objects.filter(readiness_round=readiness_round)
                     .values_list("role", "scores", "comment"))
    rows = [(role, scores) for role, scores, _c in responses]
    by_role: dict[str, list[tuple[str, dict[str, Any]]]] = {}
    for row in rows:
        by_role.setdefault(row[0], []).append(row)
    instruments = list(readiness_round.instruments.all())
    keys: list[tuple[str, str]] = []
    for instrument in instruments:
        if instrument.scoring == "subscale_means" and instrument.subscales:
            keys += [(instrument.code, s["code"]) for s in instrument.subscales]
        else:
            keys.append((instrument.code, "total"))

    final = results_final(readiness_round)
    enough = final and len(rows) >= rules.MIN_GROUP
    shown = {role: r for role, r in by_role.items() if len(r) >= rules.MIN_GROUP}
    pooled_roles = {role for role in by_role if role not in shown}
    pool = [row for role in pooled_roles for row in by_role[role]]
    if not final:
        shown, pool = {}, []
    # Complementary suppression: a pool of 1–4 next to "Everyone" could be worked out by subtraction.
    while enough and 0 < len(pool) < rules.MIN_GROUP and shown:
        smallest = min(shown, key=lambda role: (len(shown[role]), role))
        pool += shown.pop(smallest)
        pooled_roles.add(smallest)
    groups: dict[str, dict[str, Any]] = {
        role: _group(r, invited.get(role, 0), keys) for role, r in sorted(shown.items())}
    if len(pool) >= rules.MIN_GROUP and shown:
        pooled_invited = sum(n for role, n in invited.items() if role not in shown)
        groups[OTHER] = _group(pool, pooled_invited, keys)
    comments = [c for _r, _s, c in responses if c.strip()] if enough else []
    random.shuffle(comments)  # no order that follows who answered when
    return {
        "min_group": rules.MIN_GROUP,
        "final": final,
        "respondents": len(rows),
        "invited": sum(invited.values()),
        "overall": _group(rows, sum(invited.values()), keys) if enough else None,
        "groups": groups,
        "suppressed_respondents": (len(rows) - sum(g["respondents"] for g in groups.values())) if enough else 0,
        "comments": comments,
        "scales": [f"{code}.{scale}" for code, scale in keys],
    }


def previous_round(user: Any, readiness_round: ReadinessRound) -> ReadinessRound | None:
    """The round before this one with the same scope (organisation or the same team)."""
    same_scope = (Q(team__isnull=True) if readiness_round.team_id is None else Q(team_id=readiness_round.team_id))
    return (rounds_for(user).filter(same_scope, opens_on__lt=readiness_round.opens_on)
            .order_by("-opens_on", "-id").first())


def round_comparison(user: Any, before: ReadinessRound, after: ReadinessRound) -> list[dict[str, Any]]:
    """Change in the whole-round means from ``before`` to ``after`` (scales both rounds scored; only when
    both rounds have enough respondents to show "Everyone")."""
    old = round_results(user, before)["overall"]
    new = round_results(user, after)["overall"]
    if not old or not new:
        return []
    changes = []
    for scale, summary in new["scores"].items():
        previous = old["scores"].get(scale)
        if summary and previous:
            changes.append({"scale": scale, "before": previous["mean"], "after": summary["mean"],
                            "change": round(summary["mean"] - previous["mean"], 2)})
    return changes
