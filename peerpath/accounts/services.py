"""Writes for staff accounts: API tokens, language, and the peer's own lived experience."""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from peerpath.accounts.models import ApiToken, ExperienceArea, PeerExperience, StaffMember, TeamMembership
from peerpath.accounts.policies import MANAGE_ORGANISATION, MANAGE_STAFF, OWN_EXPERIENCE
from peerpath.core.access import HUMAN_ROLES
from peerpath.core.api_support import hash_token
from peerpath.core.audit import audit_record
from peerpath.core.choices import AuditAction, Role
from peerpath.core.exceptions import ServiceError
from peerpath.core.tenancy import active_team_ids, forget_active_teams

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


def language_set(*, actor: StaffMember, language: str) -> None:
    if language not in {"en", "es"}:
        raise ServiceError(_("Choose English or Spanish."), field="language")
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
    OWN_EXPERIENCE.check(actor)
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
            raise ServiceError(_("No such experience."), field="experience", code="not_found")
        experience.is_active = False
        experience.use_for_matching = False
        experience.share_with_clients = False
        experience.private_note = ""
        experience.save(update_fields=["is_active", "use_for_matching", "share_with_clients", "private_note", "updated_at"])
        audit_record(actor=actor, action=AuditAction.DEACTIVATE, target_type="accounts.peerexperience", target_id=experience.pk)


def staff_is_in_teams(staff: Any, team_ids: set[int]) -> bool:
    return bool(team_ids & set(active_team_ids(staff)))


def memberships_replace(*, staff: StaffMember, teams: list[Any]) -> None:
    """Make ``teams`` the staff member's active teams: memberships that end are deactivated (with
    their end time), never deleted; a team joined (again) gets a new membership row."""
    wanted = {team.pk for team in teams}
    current = TeamMembership.objects.filter(staff=staff, is_active=True)
    current.exclude(team_id__in=wanted).update(is_active=False, ended_at=timezone.now(), updated_at=timezone.now())
    kept = set(current.filter(team_id__in=wanted).values_list("team_id", flat=True))
    TeamMembership.objects.bulk_create([TeamMembership(staff=staff, team_id=pk) for pk in sorted(wanted - kept)])
    forget_active_teams(staff)


def staff_create(
    *, actor: StaffMember, username: str, first_name: str, last_name: str, email: str, role: str,
    teams: list[Any], password: str, caseload_capacity: int = 20,
) -> StaffMember:
    """An administrator creates a staff account in their own organisation."""
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    MANAGE_STAFF.check(actor)
    username = (username or "").strip()
    if not username:
        raise ServiceError(_("Choose a username."), field="username", code="required")
    if StaffMember.objects.filter(username__iexact=username).exists():
        raise ServiceError(_("That username is taken."), field="username", code="conflict")
    if role not in HUMAN_ROLES:
        raise ServiceError(_("Choose a role."), field="role")
    if any(team.organisation_id != actor.organisation_id for team in teams):
        raise ServiceError(_("Choose teams of your organisation."), field="teams", code="not_found")
    candidate = StaffMember(username=username, first_name=first_name, last_name=last_name, email=email)
    try:
        validate_password(password, user=candidate)
    except ValidationError as exc:
        raise ServiceError(" ".join(exc.messages), field="password") from exc
    with transaction.atomic():
        staff = StaffMember.objects.create_user(
            username=username, password=password, first_name=first_name.strip(), last_name=last_name.strip(),
            email=email.strip(), role=role, organisation_id=actor.organisation_id, caseload_capacity=caseload_capacity,
        )
        memberships_replace(staff=staff, teams=teams)
        audit_record(actor=actor, action=AuditAction.CREATE, target=staff, detail={"role": role, "teams": [t.pk for t in teams]})
    return staff


def staff_update(*, actor: StaffMember, staff: StaffMember, role: str, teams: list[Any], is_active: bool, caseload_capacity: int) -> StaffMember:
    MANAGE_STAFF.check(actor, staff)
    if role not in HUMAN_ROLES:
        raise ServiceError(_("Choose a role."), field="role")
    if staff.pk == actor.pk and (role != Role.ADMIN or not is_active):
        raise ServiceError(_("You cannot remove your own administrator access."), field="role", code="conflict")
    if any(team.organisation_id != actor.organisation_id for team in teams):
        raise ServiceError(_("Choose teams of your organisation."), field="teams", code="not_found")
    with transaction.atomic():
        before = {"role": staff.role, "is_active": staff.is_active, "teams": sorted(active_team_ids(staff))}
        staff.role, staff.is_active, staff.caseload_capacity = role, is_active, caseload_capacity
        staff.save(update_fields=["role", "is_active", "caseload_capacity"])
        memberships_replace(staff=staff, teams=teams)
        after = {"role": role, "is_active": is_active, "teams": sorted(t.pk for t in teams)}
        audit_record(actor=actor, action=AuditAction.UPDATE, target=staff, detail={"before": before, "after": after})
    return staff


REFERRAL_LIMITS = {"referral_urgent_working_days": (1, 10), "referral_soon_days": (1, 30), "referral_routine_days": (1, 90)}


def organisation_settings_update(*, actor: StaffMember, require_mfa: bool, safety_protocol: str,
                                 **referral_limits: int | None) -> Any:
    """Save the organisation's settings; referral time limits left out keep their values."""
    MANAGE_ORGANISATION.check(actor)
    organisation = actor.organisation
    assert organisation is not None
    limits = {}
    for name, value in referral_limits.items():
        if name not in REFERRAL_LIMITS:
            raise TypeError(name)
        low, high = REFERRAL_LIMITS[name]
        if value is None:
            continue
        if not low <= int(value) <= high:
            raise ServiceError(_("Enter a whole number from %(low)s to %(high)s.") % {"low": low, "high": high},
                               field=name, code="out_of_range")
        limits[name] = int(value)
    with transaction.atomic():
        organisation.require_mfa = require_mfa
        organisation.safety_protocol = safety_protocol.strip()
        for name, value in limits.items():
            setattr(organisation, name, value)
        organisation.save(update_fields=["require_mfa", "safety_protocol", *limits, "updated_at"])
        audit_record(actor=actor, action=AuditAction.UPDATE, target=organisation,
                     detail={"require_mfa": require_mfa, **limits})
    return organisation
