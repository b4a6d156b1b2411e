"""Checks and value cleaning shared by the planning writes (barriers, strategy matches, plans)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.utils.translation import gettext as _

from peerpath.core.exceptions import NotAllowed, ServiceError
from peerpath.core.models import Team
from peerpath.implementation.models import (
    BarrierKind,
    CfirConstruct,
    EricStrategy,
)
from peerpath.implementation.planning.rules import can_write_scope
from peerpath.implementation.reference import selectors as reference

MAX_TITLE = 200


def _require(actor: Any, roles: Iterable[str]) -> None:
    if not actor.is_active or actor.organisation_id is None or actor.role not in set(roles):
        raise NotAllowed(_("Your role cannot do this."))


def _require_scope(actor: Any, team: Team | None) -> None:
    if not can_write_scope(actor, team.pk if team else None):
        raise NotAllowed(_("You can change only the barriers and plans of your own teams."))


def _same_org(actor: Any, obj: Any) -> None:
    if obj.organisation_id != actor.organisation_id:
        raise NotAllowed


def _team(actor: Any, team: Any) -> Team | None:
    if team is None or team == "":
        return None
    if not isinstance(team, Team) or team.organisation_id != actor.organisation_id or not team.is_active:
        raise ServiceError(_("Choose a team of your organisation."), field="team")
    return team


def _kind(value: Any) -> str:
    if value not in BarrierKind.values:
        raise ServiceError(_("Choose barrier or facilitator."), field="kind")
    return str(value)


def _construct(value: Any, field: str = "construct") -> CfirConstruct:
    if not isinstance(value, CfirConstruct) or not reference.cfir_constructs().filter(pk=value.pk).exists():
        raise ServiceError(_("Choose a construct of CFIR 2.0."), field=field)
    return value


def _strategy(value: Any, field: str = "strategy", *, required: bool = False) -> EricStrategy | None:
    if value is None or value == "":
        if required:
            raise ServiceError(_("Choose an ERIC strategy."), field=field)
        return None
    if not isinstance(value, EricStrategy) or not reference.eric_strategies().filter(pk=value.pk).exists():
        raise ServiceError(_("Choose one of the ERIC strategies."), field=field)
    return value


def _date(value: Any, field: str, *, required: bool = False) -> date | None:
    if value is None or value == "":
        if required:
            raise ServiceError(_("Enter a date."), field=field)
        return None
    if not isinstance(value, date):
        raise ServiceError(_("Enter a date."), field=field)
    return value
