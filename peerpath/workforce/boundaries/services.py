"""Boundary consultations: a peer asks about a boundary question, a supervisor answers; the quarterly trend."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from peerpath.core.audit import audit_record
from peerpath.core.choices import AuditAction, Role
from peerpath.core.exceptions import NotAllowed, ServiceError
from peerpath.core.validation import clean_text
from peerpath.workforce.models import (
    BoundaryCategory,
    BoundaryConsultation,
)
from peerpath.workforce.staff.services import _require, notify
from peerpath.workforce.supervision import selectors as supervision_selectors


def boundary_raise(*, actor: Any, category: str, question: str) -> BoundaryConsultation:
    _require(actor, {Role.PEER}, _("Boundary consultations are raised by peer workers."))
    if category not in BoundaryCategory.values:
        raise ServiceError(_("Choose a category."), field="category")
    question = clean_text(question, "question", max_length=5000)
    with transaction.atomic():
        consultation = BoundaryConsultation.objects.create(organisation_id=actor.organisation_id, raised_by=actor,
                                                           category=category, question=question)
        for supervisor in supervision_selectors.supervisors_of(actor):
            notify(recipient=supervisor, message=_("A peer asked for a boundary consultation."),
                   link=f"/workforce/boundaries/{consultation.pk}/")
        audit_record(actor=actor, action=AuditAction.CREATE, target=consultation)
    return consultation


def boundary_respond(*, actor: Any, consultation: BoundaryConsultation, response: str,
                     close: bool = True) -> BoundaryConsultation:
    if not supervision_selectors.is_supervisor_of(actor, consultation.raised_by):
        raise NotAllowed(_("Only the peer's supervisor can respond."))
    if consultation.closed_at:
        raise ServiceError(_("This consultation is closed."), field="response")
    response = clean_text(response, "response", max_length=5000)
    with transaction.atomic():
        consultation.response = response
        consultation.responded_by = actor
        if close:
            consultation.closed_at = timezone.now()
        consultation.save(update_fields=["response", "responded_by", "closed_at", "updated_at"])
        notify(recipient=consultation.raised_by, message=_("Your supervisor responded to your boundary question."),
               link=f"/workforce/boundaries/{consultation.pk}/")
        audit_record(actor=actor, action=AuditAction.UPDATE, target=consultation)
    return consultation
