"""Writes for CFIR 2.0 ratings: open a rating round, save ratings (one, a domain, or all at once)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from peerpath.core.audit import audit_record
from peerpath.core.choices import AuditAction
from peerpath.core.exceptions import NotAllowed, ServiceError
from peerpath.implementation.models import CfirConstruct, CfirRating, CfirRatingRound
from peerpath.implementation.ratings import rules
from peerpath.implementation.ratings.validation import check_rating
from peerpath.implementation.reference.selectors import current_dataset

TITLE_MAX = 200
NOTES_MAX = 4000


def cfir_round_create(*, actor: Any, title: str, rated_on: date, team: Any = None, notes: str = "") -> CfirRatingRound:
    """Open a rating round on the current CFIR 2.0 version, for the organisation or one team."""
    if team is not None and team.organisation_id != actor.organisation_id:
        raise NotAllowed
    if not rules.may_rate(actor, team.pk if team is not None else None):
        raise NotAllowed
    title = (title or "").strip()
    if not title:
        raise ServiceError(_("Give the rating round a title."), field="title")
    if len(title) > TITLE_MAX:
        raise ServiceError(_("Keep the title under %(n)s characters.") % {"n": TITLE_MAX}, field="title")
    if len(notes or "") > NOTES_MAX:
        raise ServiceError(_("Keep the notes under %(n)s characters.") % {"n": NOTES_MAX}, field="notes")
    dataset = current_dataset("cfir2")
    if dataset is None:
        raise ServiceError(_("The CFIR 2.0 reference data is not loaded."))
    with transaction.atomic():
        rating_round = CfirRatingRound.objects.create(
            organisation_id=actor.organisation_id, title=title, team=team, rated_on=rated_on, dataset=dataset,
            created_by=actor, notes=(notes or "").strip())
        audit_record(actor=actor, action=AuditAction.CREATE, target=rating_round)
    return rating_round


def cfir_ratings_save(*, actor: Any, rating_round: CfirRatingRound,
                      ratings: Iterable[Mapping[str, Any]]) -> list[CfirRating]:
    """Save ratings of one round: each entry has ``construct`` (code), ``role`` (code or None), ``value``
    ("rated", "mixed", "missing"; empty = clear the rating), ``score`` (−2..+2 when rated), ``evidence`` and
    optionally ``field`` (what an error names). Every entry is checked first; one invalid entry refuses them
    all, with the reason and the field."""
    if rating_round.organisation_id != actor.organisation_id or not rating_round.is_active:
        raise NotAllowed
    if not rules.may_rate(actor, rating_round.team_id):
        raise NotAllowed
    entries = list(ratings)
    constructs = {c.code: c for c in CfirConstruct.objects.filter(dataset_id=rating_round.dataset_id)}
    checked: list[tuple[CfirConstruct, CfirConstruct | None, Mapping[str, Any]]] = []
    seen: set[tuple[str, str]] = set()
    for index, entry in enumerate(entries):
        field = str(entry.get("field") or f"ratings.{index}")
        code, role_code = entry.get("construct"), entry.get("role")
        construct = constructs.get(code) if isinstance(code, str) else None
        if construct is None:
            raise ServiceError(_("%(code)s is not a CFIR 2.0 construct.") % {"code": code}, field=f"{field}.construct")
        role = None
        if role_code not in (None, ""):
            role = constructs.get(role_code) if isinstance(role_code, str) else None
            if role is None:
                raise ServiceError(_("%(code)s is not one of the Individuals roles.") % {"code": role_code},
                                   field=f"{field}.role")
        key = (construct.code, role.code if role else "")
        if key in seen:
            raise ServiceError(_("%(code)s is rated twice.") % {"code": " / ".join(filter(None, key))}, field=field)
        seen.add(key)
        if entry.get("value") in (None, ""):
            checked.append((construct, role, entry))  # clear
            continue
        check_rating(construct=construct, role=role, value=entry.get("value"), score=entry.get("score"),
                     evidence=entry.get("evidence", "") or "", dataset_id=rating_round.dataset_id, field=field)
        checked.append((construct, role, entry))
    saved: list[CfirRating] = []
    cleared = 0
    with transaction.atomic():
        existing = {(r.construct_id, r.role_id): r
                    for r in CfirRating.objects.select_for_update().filter(rating_round=rating_round)}
        for construct, role, entry in checked:
            current = existing.get((construct.pk, role.pk if role else None))
            if entry.get("value") in (None, ""):
                if current is not None and current.is_active:
                    current.is_active = False
                    current.save(update_fields=["is_active", "updated_at"])
                    cleared += 1
                continue
            values = {"value": entry["value"], "score": entry.get("score"),
                      "evidence": (entry.get("evidence") or "").strip(), "rated_by": actor, "is_active": True}
            if current is None:
                current = CfirRating.objects.create(rating_round=rating_round, construct=construct, role=role, **values)
            else:
                for name, value in values.items():
                    setattr(current, name, value)
                current.save()
            saved.append(current)
        if saved or cleared:
            audit_record(actor=actor, action=AuditAction.UPDATE, target=rating_round,
                         detail={"saved": len(saved), "cleared": cleared})
    return saved


def cfir_round_update(*, actor: Any, rating_round: CfirRatingRound, title: str, rated_on: date,
                      notes: str = "") -> CfirRatingRound:
    if rating_round.organisation_id != actor.organisation_id or not rules.may_rate(actor, rating_round.team_id):
        raise NotAllowed
    title = (title or "").strip()
    if not title:
        raise ServiceError(_("Give the rating round a title."), field="title")
    with transaction.atomic():
        rating_round.title, rating_round.rated_on, rating_round.notes = title[:TITLE_MAX], rated_on, (notes or "").strip()
        rating_round.save(update_fields=["title", "rated_on", "notes", "updated_at"])
        audit_record(actor=actor, action=AuditAction.UPDATE, target=rating_round)
    return rating_round


def cfir_round_deactivate(*, actor: Any, rating_round: CfirRatingRound) -> CfirRatingRound:
    if rating_round.organisation_id != actor.organisation_id or not rules.may_rate(actor, rating_round.team_id):
        raise NotAllowed
    with transaction.atomic():
        rating_round.is_active = False
        rating_round.save(update_fields=["is_active", "updated_at"])
        audit_record(actor=actor, action=AuditAction.DEACTIVATE, target=rating_round)
    return rating_round
