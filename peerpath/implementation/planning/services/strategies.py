"""Writes for the organisation's own CFIR-to-ERIC strategy matches (create, retire, restore)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from peerpath.core.audit import audit_record
from peerpath.core.choices import AuditAction
from peerpath.core.exceptions import NotAllowed, ServiceError
from peerpath.core.validation import clean_text
from peerpath.implementation.models import (
    Cfir2009Construct,
    StrategyMatch,
)
from peerpath.implementation.planning.rules import TABLE_EDITORS
from peerpath.implementation.planning.services.common import _construct, _require, _strategy
from peerpath.implementation.reference import selectors as reference


def strategy_match_create(*, actor: Any, strategy: Any, level: Any, source: str, construct: Any = None,
                          construct_2009: Any = None, note: str = "") -> StrategyMatch:
    """Add an organisation's own row to its barrier → strategy table (admins): one construct (CFIR 2.0
    or 2009), a strategy, a level and where the link comes from."""
    _require(actor, TABLE_EDITORS)
    if (construct in (None, "")) == (construct_2009 in (None, "")):
        raise ServiceError(_("Choose one construct: CFIR 2.0 or CFIR 2009."), field="construct")
    if construct not in (None, ""):
        construct = _construct(construct)
        construct_2009 = None
    else:
        current = reference.current_dataset("cfir2009")
        if (not isinstance(construct_2009, Cfir2009Construct)
                or construct_2009.dataset_id != getattr(current, "pk", None)):
            raise ServiceError(_("Choose a construct of CFIR 2009."), field="construct_2009")
        construct = None
    strategy = _strategy(strategy, required=True)
    if level not in (1, 2) or isinstance(level, bool):
        raise ServiceError(_("Choose Level 1 or Level 2."), field="level")
    source = clean_text(source, "source", max_length=200)
    note = clean_text(note, "note", required=False, max_length=500)
    with transaction.atomic():
        match = StrategyMatch.objects.create(organisation_id=actor.organisation_id, construct=construct,
                                             construct_2009=construct_2009, strategy=strategy, level=level,
                                             source=source, note=note)
        audit_record(actor=actor, action=AuditAction.CREATE, target=match)
    return match


def strategy_match_retire(*, actor: Any, match: StrategyMatch) -> StrategyMatch:
    """Stop using a shipped row in this organisation (it stays in the table for everyone else)."""
    _require(actor, TABLE_EDITORS)
    if match.organisation_id is not None:
        raise ServiceError(_("Only shipped rows are retired; deactivate your own rows instead."), field="match")
    with transaction.atomic():
        match.retired_by.add(actor.organisation_id)
        audit_record(actor=actor, action=AuditAction.UPDATE, target=match, detail={"retired": True})
    return match


def strategy_match_restore(*, actor: Any, match: StrategyMatch) -> StrategyMatch:
    _require(actor, TABLE_EDITORS)
    if match.organisation_id is not None:
        raise ServiceError(_("Only shipped rows are retired; deactivate your own rows instead."), field="match")
    with transaction.atomic():
        match.retired_by.remove(actor.organisation_id)
        audit_record(actor=actor, action=AuditAction.UPDATE, target=match, detail={"retired": False})
    return match


def strategy_match_deactivate(*, actor: Any, match: StrategyMatch) -> StrategyMatch:
    _require(actor, TABLE_EDITORS)
    if match.organisation_id != actor.organisation_id:
        raise NotAllowed
    with transaction.atomic():
        match.is_active = False
        match.save(update_fields=["is_active", "updated_at"])
        audit_record(actor=actor, action=AuditAction.DEACTIVATE, target=match)
    return match
