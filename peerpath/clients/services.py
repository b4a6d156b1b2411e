"""Writes for clients, referrals and matches. Each call: keyword-only, policy check first,
validation (translated ``ServiceError`` naming the service's own argument), one transaction,
an explicit audit event, domain events after commit."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from peerpath.accounts.models import ExperienceArea, StaffMember
from peerpath.clients.choices import REFERRAL_TRANSITIONS, DiagnosisGroup, ReferralStatus, Sex
from peerpath.clients.models import Client, Match, Referral
from peerpath.clients.policies import (
    ASSIGN_REFERRAL,
    CLOSE_REFERRAL,
    HANDLE_REFERRAL,
    REFER,
    REGISTER_CLIENT,
    may_use_team,
    visible_referrals,
)
from peerpath.core.audit import audit_record
from peerpath.core.choices import AuditAction, Role
from peerpath.core.events import publish_on_commit
from peerpath.core.exceptions import NotAllowed, ServiceError
from peerpath.core.models import Team


def _text_given(value: str, field: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ServiceError(message, field=field, code="required")
    return value


def client_create(
    *, actor: StaffMember, team: Team, first_name: str, last_name: str, date_of_birth: date | None = None,
    preferred_name: str = "", record_number: str = "", language: str = "en", phone: str = "", email: str = "",
    sex: str = "", diagnosis_group: str = "",
) -> Client:
    REGISTER_CLIENT.check(actor)
    if not may_use_team(actor, team):
        raise ServiceError(_("Choose one of your own teams."), field="team", code="not_found")
    first_name = _text_given(first_name, "first_name", _("Enter the client's first name."))
    last_name = _text_given(last_name, "last_name", _("Enter the client's last name."))
    if date_of_birth and date_of_birth > timezone.localdate():
        raise ServiceError(_("Date of birth cannot be in the future."), field="date_of_birth", code="out_of_range")
    if sex and sex not in Sex.values:
        raise ServiceError(_("Choose one of the listed values, or leave it empty."), field="sex", code="invalid")
    if diagnosis_group and diagnosis_group not in DiagnosisGroup.values:
        raise ServiceError(_("Choose one of the listed values, or leave it empty."), field="diagnosis_group", code="invalid")
    with transaction.atomic():
        client = Client.objects.create(
            organisation_id=team.organisation_id, team=team, first_name=first_name, last_name=last_name,
            date_of_birth=date_of_birth, preferred_name=preferred_name.strip(), record_number=record_number.strip(),
            language=language or "en", phone=phone.strip(), email=email.strip(), sex=sex,
            diagnosis_group=diagnosis_group,
        )
        audit_record(actor=actor, action=AuditAction.CREATE, target=client, client=client)
    return client


CLIENT_DETAILS = ("first_name", "last_name", "preferred_name", "date_of_birth", "record_number", "language", "phone",
                  "email")


def client_update(*, actor: StaffMember, client: Client, **changes: Any) -> list[str]:
    """Correct a client's registration details (``CLIENT_DETAILS``; the caller resolved ``client`` through the
    selectors). Saves only the fields that differ, through ``Client.save`` so ``search_text`` follows; nothing
    different → no write and no audit event. Returns the names of the fields changed."""
    REGISTER_CLIENT.check(actor, client.team)
    unknown = set(changes) - set(CLIENT_DETAILS)
    if unknown:  # a caller's mistake, not the user's
        raise TypeError(f"client_update() got unexpected details: {', '.join(sorted(unknown))}")
    for name in ("first_name", "last_name"):
        if name in changes:
            changes[name] = _text_given(changes[name], name, _("Enter the client's first name.") if name == "first_name"
                                        else _("Enter the client's last name."))
    if changes.get("date_of_birth") and changes["date_of_birth"] > timezone.localdate():
        raise ServiceError(_("Date of birth cannot be in the future."), field="date_of_birth", code="out_of_range")
    changes = {k: (v.strip() if isinstance(v, str) else v) for k, v in changes.items()}
    changed = [name for name in CLIENT_DETAILS if name in changes and getattr(client, name) != changes[name]]
    if not changed:
        return []
    with transaction.atomic():
        for name in changed:
            setattr(client, name, changes[name])
        client.save(update_fields=[*changed, "updated_at"])
        audit_record(actor=actor, action=AuditAction.UPDATE, target=client, client=client, detail={"changed": changed})
    return changed


def referral_create(
    *, actor: StaffMember, client: Client, reason: str, urgency: str, team: Team | None = None,
    preferred_language: str = "", preferred_peer_gender: str = "", preferred_modality: str = "",
    preferred_experiences: list[ExperienceArea] | None = None,
) -> Referral:
    """Refer a client to peer support. The caller has already resolved ``client`` through the
    selectors, so it is one the actor may see. The team must be one the actor may refer to —
    the same rule (``policies.may_use_team``) for the page and the API."""
    REFER.check(actor, client)
    reason = _text_given(reason, "reason", _("Say why peer support could help."))
    team = team or client.team
    if not may_use_team(actor, team):
        raise ServiceError(_("Choose one of your own teams."), field="team", code="not_found")
    with transaction.atomic():
        referral = Referral.objects.create(
            organisation_id=client.organisation_id, client=client, team=team, referred_by=actor, reason=reason,
            urgency=urgency, preferred_language=preferred_language, preferred_peer_gender=preferred_peer_gender,
            preferred_modality=preferred_modality,
        )
        if preferred_experiences:
            referral.preferred_experiences.set(preferred_experiences)
        audit_record(actor=actor, action=AuditAction.CREATE, target=referral, client=client,
                     detail={"status": referral.status, "urgency": urgency})
        publish_on_commit("referral.created", referral.organisation_id,
                          {"referral_id": referral.pk, "client_id": client.pk, "team_id": team.pk})
    return referral


def _lock_referral(actor: StaffMember, referral_id: int) -> Referral:
    # Lock the row alone: the visibility query may join (or be DISTINCT), which PostgreSQL cannot lock.
    visible = visible_referrals(actor).filter(pk=referral_id).values("pk")
    referral = (Referral.objects.select_for_update(of=("self",)).select_related("assigned_peer")
                .filter(pk__in=visible).first())
    if referral is None:
        raise Http404("No such referral.")
    return referral


def _move(referral: Referral, actor: StaffMember, to_status: str, **fields: Any) -> None:
    if to_status not in REFERRAL_TRANSITIONS[referral.status]:
        raise ServiceError(
            _("A referral that is %(from)s cannot become %(to)s.") % {
                "from": referral.get_status_display().lower(), "to": ReferralStatus(to_status).label.lower()},
            field="status", code="conflict",
        )
    from_status = referral.status
    referral.status = to_status
    referral.status_changed_at = timezone.now()
    referral.status_changed_by = actor
    for name, value in fields.items():
        setattr(referral, name, value)
    referral.save(update_fields=["status", "status_changed_at", "status_changed_by", "updated_at", *fields])
    audit_record(actor=actor, action=AuditAction.UPDATE, target=referral, client=referral.client,
                 detail={"from": from_status, "to": to_status})
    publish_on_commit("referral.status_changed", referral.organisation_id,
                      {"referral_id": referral.pk, "from": from_status, "to": to_status, "by_id": actor.pk})


def referral_accept(*, actor: StaffMember, referral_id: int, take_on: bool = False) -> Referral:
    """Accept a new referral. A peer who accepts may take the client on straight away."""
    HANDLE_REFERRAL.check(actor)
    with transaction.atomic():
        referral = _lock_referral(actor, referral_id)
        _move(referral, actor, ReferralStatus.ACCEPTED)
        if take_on and actor.role == Role.PEER:
            _assign(referral, actor, actor)
    return referral


def referral_decline(*, actor: StaffMember, referral_id: int, reason: str) -> Referral:
    HANDLE_REFERRAL.check(actor)
    reason = _text_given(reason, "reason", _("Say why the referral is declined; the referrer will see it."))
    with transaction.atomic():
        referral = _lock_referral(actor, referral_id)
        _move(referral, actor, ReferralStatus.DECLINED, decline_reason=reason)
    return referral


def _assign(referral: Referral, actor: StaffMember, peer: StaffMember) -> None:
    if peer.organisation_id != referral.organisation_id or peer.role != Role.PEER or not peer.is_active:
        raise ServiceError(_("Choose an active peer support worker of your organisation."), field="peer")
    _move(referral, actor, ReferralStatus.ASSIGNED, assigned_peer=peer)
    match, created = Match.objects.get_or_create(
        client=referral.client, peer=peer, is_active=True,
        defaults={"organisation_id": referral.organisation_id, "referral": referral, "started_on": timezone.localdate()},
    )
    if created:
        audit_record(actor=actor, action=AuditAction.CREATE, target=match, client=referral.client, detail={"peer": peer.pk})
    publish_on_commit("referral.assigned", referral.organisation_id,
                      {"referral_id": referral.pk, "client_id": referral.client_id, "peer_id": peer.pk,
                       "by_id": actor.pk})


def referral_assign(*, actor: StaffMember, referral_id: int, peer: StaffMember) -> Referral:
    """Assign a referral to a peer; the client joins that peer's caseload. A new referral is accepted and
    assigned in one step (a supervisor picking a suggested peer has decided on it): both moves are audited,
    in one transaction."""
    ASSIGN_REFERRAL.check(actor)
    if actor.role == Role.PEER and peer.pk != actor.pk:
        raise NotAllowed(_("A peer can only take a referral on themselves."))
    with transaction.atomic():
        referral = _lock_referral(actor, referral_id)
        ASSIGN_REFERRAL.check(actor, referral)
        if referral.status == ReferralStatus.NEW:
            HANDLE_REFERRAL.check(actor, referral)
            _move(referral, actor, ReferralStatus.ACCEPTED)
        _assign(referral, actor, peer)
    return referral


def referral_close(*, actor: StaffMember, referral_id: int, reason: str) -> Referral:
    """Close a referral; an active match made from it ends today, and a peer who loses the client
    (when someone else closes it) is told."""
    CLOSE_REFERRAL.check(actor)
    reason = _text_given(reason, "reason", _("Say why the referral is closed."))
    with transaction.atomic():
        referral = _lock_referral(actor, referral_id)
        CLOSE_REFERRAL.check(actor, referral)
        _move(referral, actor, ReferralStatus.CLOSED, close_reason=reason)
        ended_peers = []
        for match in Match.objects.select_for_update().filter(referral=referral, is_active=True):
            match.is_active = False
            match.ended_on = timezone.localdate()
            match.save(update_fields=["is_active", "ended_on", "updated_at"])
            audit_record(actor=actor, action=AuditAction.DEACTIVATE, target=match, client=referral.client)
            ended_peers.append(match.peer_id)
        publish_on_commit("referral.closed", referral.organisation_id,
                          {"referral_id": referral.pk, "client_id": referral.client_id, "by_id": actor.pk,
                           "ended_peer_ids": ended_peers})
    return referral


BULK_LIMIT = 100


def referrals_bulk(*, actor: StaffMember, referral_ids: list[int], action: str, reason: str = "",
                   peer: StaffMember | None = None) -> list[Referral]:
    """Decline or assign several referrals at once, through the one-referral services (each checks its own
    policy, moves, audits and notifies as it would alone). All or nothing: if one of them cannot be moved, none
    is, and the error names it, so a supervisor never wonders which half of a batch went through."""
    ids = list(dict.fromkeys(int(i) for i in referral_ids))
    if not ids:
        raise ServiceError(_("Tick at least one referral."), field="referral_ids", code="required")
    if len(ids) > BULK_LIMIT:
        raise ServiceError(_("Choose at most %(n)s referrals at a time.") % {"n": BULK_LIMIT}, field="referral_ids")
    if action == "decline":
        reason = _text_given(reason, "reason", _("Say why the referrals are declined; each referrer will see it."))
    elif action == "assign":
        if peer is None:
            raise ServiceError(_("Choose a peer support worker."), field="peer", code="required")
    else:
        raise ServiceError(_("Choose decline or assign."), field="action")
    done: list[Referral] = []
    with transaction.atomic():
        for referral_id in ids:
            try:
                if action == "decline":
                    done.append(referral_decline(actor=actor, referral_id=referral_id, reason=reason))
                elif peer is not None:
                    done.append(referral_assign(actor=actor, referral_id=referral_id, peer=peer))
            except ServiceError as exc:
                referral = Referral.objects.select_related("client").get(pk=referral_id)
                raise ServiceError(_("Nothing was changed: %(client)s — %(reason)s") % {
                    "client": referral.client.display_name, "reason": exc.reason}, field=exc.field or "referral_ids",
                    code=exc.code) from exc
    return done
