"""Writes for barriers and facilitators, and the organisation's barrier templates."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from peerpath.core.access import require
from peerpath.core.audit import audit_record
from peerpath.core.choices import AuditAction
from peerpath.core.exceptions import NotAllowed, ServiceError
from peerpath.core.models import Team
from peerpath.core.validation import clean_text
from peerpath.implementation.models import (
    Barrier,
    BarrierKind,
    BarrierTemplate,
)
from peerpath.implementation.planning.policies import WRITE_SCOPE, scope_of
from peerpath.implementation.planning.rules import TABLE_EDITORS, WRITERS
from peerpath.implementation.planning.services.common import (
    MAX_TITLE,
    _construct,
    _date,
    _kind,
    _same_org,
    _team,
)
from peerpath.implementation.reference import selectors as reference

BARRIER_FIELDS = ("kind", "title", "description", "evidence", "construct", "raised_by", "team", "resolved_on")


def _barrier_values(actor: Any, *, kind: Any, title: Any, description: Any, evidence: Any, construct: Any,
                    raised_by: Any, team: Any, resolved_on: Any, check_construct: bool = True) -> dict[str, Any]:
    values = {
        "kind": _kind(kind), "title": clean_text(title, "title", max_length=MAX_TITLE),
        "description": clean_text(description, "description", required=False, max_length=5000),
        "evidence": clean_text(evidence, "evidence", required=False, max_length=5000),
        "construct": _construct(construct) if check_construct else construct,
        "raised_by": clean_text(raised_by, "raised_by", required=False, max_length=200),
        "team": _team(actor, team), "resolved_on": _date(resolved_on, "resolved_on"),
    }
    addressed = _date(resolved_on, "resolved_on")
    if addressed and addressed > timezone.localdate():
        raise ServiceError(_("The date it was addressed cannot be in the future."), field="resolved_on")
    return values


def barrier_create(*, actor: Any, title: str, construct: Any, kind: str = BarrierKind.BARRIER, description: str = "",
                   evidence: str = "", raised_by: str = "", team: Any = None, resolved_on: Any = None,
                   template: BarrierTemplate | None = None) -> Barrier:
    """Record a barrier or facilitator (leaders and admins; supervisors for their own teams)."""
    require(actor, WRITERS)
    # The team is resolved first (another organisation's team is a field error, like a missing one),
    # then the actor's scope over it is checked before anything is written.
    values = _barrier_values(actor, kind=kind, title=title, description=description, evidence=evidence,
                             construct=construct, raised_by=raised_by, team=team, resolved_on=resolved_on)
    WRITE_SCOPE.check(actor, scope_of(actor, values["team"]))
    with transaction.atomic():
        barrier = Barrier.objects.create(organisation_id=actor.organisation_id, recorded_by=actor, template=template,
                                         **values)
        audit_record(actor=actor, action=AuditAction.CREATE, target=barrier,
                     detail={"template": template.key} if template else {})
    return barrier


def barrier_from_template(*, actor: Any, template: BarrierTemplate, team: Any = None, raised_by: str = "",
                          evidence: str = "") -> Barrier:
    """Add a literature template to the register in one click; the same template twice for the same
    team (or twice organisation-wide) is refused."""
    require(actor, WRITERS)
    WRITE_SCOPE.check(actor, scope_of(actor, team if isinstance(team, Team) else None))
    if not reference.barrier_templates(organisation_id=actor.organisation_id).filter(pk=template.pk).exists():
        raise ServiceError(_("Choose one of the templates."), field="template")
    team = _team(actor, team)
    duplicate = Barrier.objects.filter(organisation_id=actor.organisation_id, template=template, team=team,
                                       is_active=True)
    if duplicate.exists():
        where = team.name if team else _("the whole organisation")
        raise ServiceError(_("“%(title)s” is already in the register for %(where)s.")
                           % {"title": template.localized("title"), "where": where}, field="template")
    return barrier_create(actor=actor, kind=template.kind, title=template.localized("title")[:MAX_TITLE],
                          description=template.localized("description"), construct=template.construct,
                          evidence=evidence or _("Source: %(source)s") % {"source": template.source},
                          raised_by=raised_by, team=team, template=template)


def barrier_update(*, actor: Any, barrier: Barrier, **changes: Any) -> Barrier:
    """Change a barrier's text, construct, team or the date it was addressed (empty date: open again)."""
    require(actor, WRITERS)
    _same_org(actor, barrier)
    WRITE_SCOPE.check(actor, scope_of(actor, barrier.team))
    unknown = set(changes) - set(BARRIER_FIELDS)
    if unknown:
        raise ServiceError(_("Unknown field."), field=sorted(unknown)[0])
    current = {name: getattr(barrier, name) for name in BARRIER_FIELDS}
    merged = {**current, **changes}
    if "team" in changes:
        WRITE_SCOPE.check(actor, scope_of(actor, changes["team"] if isinstance(changes["team"], Team) else None))
    values = _barrier_values(actor, **merged, check_construct=merged["construct"] != current["construct"])
    with transaction.atomic():
        changed = sorted(name for name, value in values.items() if value != current[name])
        for name, value in values.items():
            setattr(barrier, name, value)
        barrier.save()
        audit_record(actor=actor, action=AuditAction.UPDATE, target=barrier, detail={"changed": changed})
    return barrier


def barrier_deactivate(*, actor: Any, barrier: Barrier) -> Barrier:
    require(actor, WRITERS)
    _same_org(actor, barrier)
    WRITE_SCOPE.check(actor, scope_of(actor, barrier.team))
    with transaction.atomic():
        barrier.is_active = False
        barrier.save(update_fields=["is_active", "updated_at"])
        audit_record(actor=actor, action=AuditAction.DEACTIVATE, target=barrier)
    return barrier


def barrier_template_create(*, actor: Any, kind: str, title: str, construct: Any, source: str,
                            description: str = "") -> BarrierTemplate:
    """An organisation's own barrier or facilitator template (admins)."""
    require(actor, TABLE_EDITORS)
    kind, title = _kind(kind), clean_text(title, "title", max_length=MAX_TITLE)
    construct = _construct(construct)
    description = clean_text(description, "description", required=False, max_length=5000)
    source = clean_text(source, "source", max_length=200)
    with transaction.atomic():
        template = BarrierTemplate.objects.create(
            organisation_id=actor.organisation_id, key=f"own-{slugify(title)[:50]}", kind=kind, title=title,
            description=description, construct=construct, source=source)
        audit_record(actor=actor, action=AuditAction.CREATE, target=template)
    return template


def barrier_template_deactivate(*, actor: Any, template: BarrierTemplate) -> BarrierTemplate:
    require(actor, TABLE_EDITORS)
    if template.organisation_id != actor.organisation_id:
        raise NotAllowed
    with transaction.atomic():
        template.is_active = False
        template.save(update_fields=["is_active", "updated_at"])
        audit_record(actor=actor, action=AuditAction.DEACTIVATE, target=template)
    return template
