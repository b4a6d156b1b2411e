"""Signing in outside the web form (API tokens) through the same allauth flow and counters,
and revoking every token when a credential changes.

There is one lockout for every way in: the web form, ``POST /api/v1/auth/token`` and the
platform admin all count failures through allauth's adapter under the same username key
(see ``ClosedSignupAdapter``), and wrong authenticator codes through allauth's MFA limit.
"""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import get_adapter
from allauth.core.context import request_context
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from peerpath.accounts.models import ApiToken, StaffMember
from peerpath.core.audit import audit_record
from peerpath.core.choices import AuditAction
from peerpath.core.exceptions import ServiceError


class SignInLocked(ServiceError):
    """Too many failed attempts: refused whatever the password or code."""


def _locked_or_invalid(exc: ValidationError, field: str) -> ServiceError:
    if getattr(exc, "code", "") in {"too_many_login_attempts", "rate_limited"}:
        return SignInLocked(_("Too many failed attempts. Try again in 15 minutes."), field=field)
    return ServiceError(" ".join(exc.messages), field=field)


def api_token_from_credentials(
    *, request: HttpRequest, username: str, password: str, otp_code: str = "", name: str = "API"
) -> tuple[ApiToken, str]:
    """Exchange a username and password (and authenticator code when set up) for a token."""
    from allauth.mfa.base.internal.flows import check_rate_limit
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP

    from peerpath.accounts.mfa import mfa_required
    from peerpath.accounts.services import api_token_create

    with request_context(request):
        try:
            user = get_adapter(request).authenticate(request, username=username, password=password)
        except ValidationError as exc:
            raise _locked_or_invalid(exc, "password") from exc
        if user is None or not user.is_active:
            raise ServiceError(_("Username or password is not correct."), field="password")
        totp = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
        if totp is not None:
            if not otp_code:
                raise ServiceError(_("Enter the code from your authenticator app."), field="otp_code")
            try:
                clear_limit = check_rate_limit(user)
            except ValidationError as exc:
                raise _locked_or_invalid(exc, "otp_code") from exc
            if not TOTP(totp).validate_code(otp_code):
                raise ServiceError(_("That authenticator code is not valid."), field="otp_code")
            clear_limit()
        elif mfa_required(user):
            raise ServiceError(
                _("Your organisation requires two-factor sign-in: set it up in the web app first."), field="otp_code"
            )
    return api_token_create(actor=user, name=name)


def api_tokens_revoke_all(*, user: Any, reason: str) -> int:
    """A changed password or a reset second factor ends every API token of the person: a
    token minted with the old credentials must not outlive them."""
    if not isinstance(user, StaffMember) or user.pk is None:
        return 0
    with transaction.atomic():
        revoked = ApiToken.objects.filter(staff=user, is_active=True).update(is_active=False)
        if revoked:
            audit_record(
                actor=user, action=AuditAction.TOKEN, target=user, detail={"event": "revoked_all", "reason": reason, "count": revoked},
            )
    return revoked
