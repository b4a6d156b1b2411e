"""Test helpers for readiness rounds: open a round, add staff who answer it with chosen values."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from peerpath.accounts.tests.factories import StaffFactory
from peerpath.implementation.readiness import services


def open_round(leader: Any, **extra: Any) -> Any:
    today = timezone.localdate()
    values: dict[str, Any] = {"title": "Spring readiness", "opens_on": today, "closes_on": today + timedelta(days=14),
                              "instrument_codes": ["oric", "aim"], "invited_roles": ["peer", "clinician"]}
    values.update(extra)
    return services.readiness_round_open(actor=leader, **values)


def round_items(readiness_round: Any) -> list[Any]:
    return [i for inst in readiness_round.instruments.order_by("order").prefetch_related("items")
            for i in inst.items.all()]


def answer(person: Any, readiness_round: Any, value: int = 4, skip: int = 0, comment: str = "") -> Any:
    return services.readiness_response_submit(
        actor=person, readiness_round=readiness_round,
        answers={i.pk: value for i in round_items(readiness_round)[skip:]}, comment=comment)


def staff(organisation: Any, role: str, n: int) -> list[Any]:
    return [StaffFactory(organisation=organisation, role=role) for _ in range(n)]


def answered_round(leader: Any, groups: dict[str, tuple[int, int]], close: bool = True, **extra: Any) -> Any:
    """A round answered by new staff: ``groups`` maps role → (how many people, the value each gives);
    closed afterwards unless ``close`` is False (results are shown only for rounds that take no more answers)."""
    people = {role: staff(leader.organisation, role, n) for role, (n, _v) in groups.items()}
    readiness_round = open_round(leader, invited_roles=sorted(groups), **extra)
    for role, (_n, value) in groups.items():
        for person in people[role]:
            answer(person, readiness_round, value=value)
    if close:
        services.readiness_round_close(actor=leader, readiness_round=readiness_round)
    return readiness_round
