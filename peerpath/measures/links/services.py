"""One-time survey links: a client answers an administration on their own device, without signing in."""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from peerpath.core.api_support import hash_token
from peerpath.core.audit import audit_record
from peerpath.core.choices import AuditAction
from peerpath.core.exceptions import ServiceError
from peerpath.measures.administrations.services import _language, _require_client, administration_submit
from peerpath.measures.choices import (
    AdministrationStatus,
    Language,
    Mode,
)
from peerpath.measures.instruments import selectors as instruments_selectors
from peerpath.measures.models import (
    Administration,
    SurveyLink,
)

LINK_HOURS = 72


def link_create(*, actor: Any, administration: Administration, language: str = Language.EN,
                hours: int = LINK_HOURS) -> tuple[SurveyLink, str]:
    """A one-time link for the client to answer alone. Returns the link and the secret token (shown once)."""
    _require_client(actor, administration.client)
    if administration.status != AdministrationStatus.DUE:
        raise ServiceError(_("This measure is no longer open."), field="status")
    if not instruments_selectors.has_all_text(administration.instrument, actor.organisation_id):
        raise ServiceError(_("Add the item text for this instrument before sending it."), field="instrument")
    language = _language(language)
    token = secrets.token_urlsafe(24)
    with transaction.atomic():
        link = SurveyLink.objects.create(organisation_id=actor.organisation_id, administration=administration,
                                         token_hash=hash_token(token), expires_at=timezone.now() + timedelta(hours=hours),
                                         created_by=actor, language=language)
        audit_record(actor=actor, action=AuditAction.CREATE, target=link, client=administration.client)
    return link, token


def link_lookup(token: str) -> SurveyLink | None:
    """The link for a token if it can still be used (not used, not expired, still due); else None."""
    if not token or len(token) > 100:
        return None
    link = (SurveyLink.objects.select_related("administration", "administration__client", "administration__instrument")
            .filter(token_hash=hash_token(token), is_active=True).first())
    if link is None:
        return None
    if link.used_at or link.expires_at <= timezone.now() or link.administration.status != AdministrationStatus.DUE:
        return None
    return link


def link_exists(token: str) -> bool:
    return bool(token) and len(token) <= 100 and SurveyLink.objects.filter(token_hash=hash_token(token)).exists()


def link_submit(*, token: str, answers: Mapping[Any, Any], language: str) -> Administration:
    """The client's own answers through a one-time link: the link is locked, checked and used in one transaction."""
    with transaction.atomic():
        link = SurveyLink.objects.select_for_update().filter(token_hash=hash_token(token or ""), is_active=True).first()
        if link is None or link.used_at or link.expires_at <= timezone.now():
            raise ServiceError(_("This link can no longer be used."), field="token")
        administration = Administration.objects.select_related("client", "instrument").get(pk=link.administration_id)
        link.used_at = timezone.now()
        link.save(update_fields=["used_at", "updated_at"])
        administration = administration_submit(actor=None, administration=administration, answers=answers,
                                               mode=Mode.SELF, language=language, via_link=link)
    return administration
