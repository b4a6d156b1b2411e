"""Writes for staff accounts: API tokens, language, and the peer's own lived experience."""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any

from django.contrib.auth import authenticate
from django.db import transaction
from django.utils import timezone

from peerpath.accounts.models import ApiToken, ExperienceArea, PeerExperience, StaffMember
from peerpath.core.api_support import hash_token
from peerpath.core.audit import audit_record
from peerpath.core.choices import AuditAction, Role
from peerpath.core.exceptions import NotAllowed, ServiceError

TOKEN_LIFETIME = timedelta(days=90)


def api_token_create(*, actor: StaffMember, name: str) -> tuple[ApiToken, str]:
    """Create a token for the actor. The secret is returned once and never stored."""
    name = (name or "").strip()
    if not name:
        raise ServiceError("Give the token a name so you can recognise it later.", field="name")
    if len(name) > 100:
        raise ServiceError("Use at most 100 characters.", field="name")
    secret = f"pp_{secrets.token_urlsafe(32)}"
    with transaction.atomic():
        token = ApiToken.objects.create(
            staff=actor,
            name=name,
            prefix=secret[:10],
            key_hash=hash_token(secret),
            expires_at=timezone.now() + TOKEN_LIFETIME,
        )
        audit_record(actor=actor, action=AuditAction.TOKEN, target=token, detail={"event": "created"})
    return token, secret


def api_token_revoke(*, actor: StaffMember, token_id: int) -> None:
    with transaction.atomic():
        token = ApiToken.objects.filter(pk=token_id, staff=actor, is_active=True).first()
        if token is None:
            raise ServiceError("No such token.", field="token")
        token.is_active = False
        token.save(update_fields=["is_active", "updated_at"])
        audit_record(actor=actor, action=AuditAction.TOKEN, target=token, detail={"event": "revoked"})


def api_token_from_credentials(*, username: str, password: str, otp_code: str = "", name: str = "API") -> tuple[ApiToken, str]:
    """Exchange a username and password (and authenticator code when set up) for a token."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP

    user = authenticate(username=username, password=password)
    if user is None or not user.is_active:
        raise ServiceError("Username or password is not correct.", field="password")
    totp = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    if totp is not None:
        if not otp_code:
            raise ServiceError("Enter the code from your authenticator app.", field="otp_code")
        if not TOTP(totp).validate_code(otp_code):
            raise ServiceError("That authenticator code is not valid.", field="otp_code")
    elif user.organisation and user.organisation.require_mfa:
        raise ServiceError("Your organisation requires two-factor sign-in: set it up in the web app first.", field="otp_code")
    return api_token_create(actor=user, name=name)


def language_set(*, actor: StaffMember, language: str) -> None:
    if language not in {"en", "es"}:
        raise ServiceError("Choose English or Spanish.", field="language")
    actor.language = language
    actor.save(update_fields=["language"])


def peer_experience_save(
    *,
    actor: StaffMember,
    area: ExperienceArea,
    use_for_matching: bool,
    share_with_clients: bool,
    private_note: str = "",
) -> PeerExperience:
    """Record or change one area of the actor's *own* lived experience."""
    if actor.role != Role.PEER:
        raise NotAllowed("Only peer support workers record lived experience.")
    with transaction.atomic():
        experience, _created = PeerExperience.objects.update_or_create(
            owner=actor,
            area=area,
            defaults={
                "use_for_matching": use_for_matching,
                "share_with_clients": share_with_clients,
                "private_note": private_note,
                "is_active": True,
            },
        )
        # The trail records that consent changed, never which experience or the note.
        audit_record(
            actor=actor, action=AuditAction.UPDATE, target_type="accounts.peerexperience", target_id=experience.pk,
            detail={"use_for_matching": use_for_matching, "share_with_clients": share_with_clients},
        )
    return experience


def peer_experience_remove(*, actor: StaffMember, experience_id: int) -> None:
    with transaction.atomic():
        experience = PeerExperience.objects.filter(pk=experience_id, owner=actor, is_active=True).first()
        if experience is None:
            raise ServiceError("No such experience.", field="experience")
        experience.is_active = False
        experience.use_for_matching = False
        experience.share_with_clients = False
        experience.private_note = ""
        experience.save(update_fields=["is_active", "use_for_matching", "share_with_clients", "private_note", "updated_at"])
        audit_record(actor=actor, action=AuditAction.DEACTIVATE, target_type="accounts.peerexperience", target_id=experience.pk)


def staff_is_in_teams(staff: Any, team_ids: set[int]) -> bool:
    return bool(team_ids & set(staff.teams.values_list("pk", flat=True)))
