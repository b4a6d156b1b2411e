"""Two-factor sign-in: who must have an authenticator, secrets encrypted at rest, and an
activation page that keeps its secret while it is open.

One rule (``mfa_missing``) decides for pages (``RequireMfaMiddleware``) and for API tokens
(``ApiTokenAuth``), so the API can never be a way around it.
"""

from __future__ import annotations

import base64
import hashlib
from typing import Any

from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.totp.forms import ActivateTOTPForm
from allauth.mfa.totp.internal import auth as totp_auth
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings

ENCRYPTED_PREFIX = "fernet:"


def mfa_required(user: Any) -> bool:
    """Platform administrators always need two-factor; staff when their organisation says so."""
    if getattr(user, "is_staff", False) or getattr(user, "is_superuser", False):
        return True
    return bool(getattr(getattr(user, "organisation", None), "require_mfa", False))


def mfa_missing(user: Any) -> bool:
    """True when the rule applies to the user and they have no authenticator app yet."""
    if not mfa_required(user):
        return False
    from allauth.mfa.models import Authenticator

    return not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def _fernet_for(secret_key: str) -> Fernet:
    # A dedicated key derived from SECRET_KEY (never SECRET_KEY itself), so rotating SECRET_KEY
    # with SECRET_KEY_FALLBACKS keeps old secrets readable.
    digest = hashlib.sha256(f"peerpath.mfa.secrets:{secret_key}".encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def _fernet() -> MultiFernet:
    keys = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return MultiFernet([_fernet_for(key) for key in keys])


def encrypt_secret(text: str) -> str:
    return ENCRYPTED_PREFIX + _fernet().encrypt(text.encode("utf-8")).decode("ascii")


def decrypt_secret(stored: str) -> str:
    if not stored.startswith(ENCRYPTED_PREFIX):
        return stored  # written before encryption; the migration encrypts these
    try:
        return _fernet().decrypt(stored[len(ENCRYPTED_PREFIX):].encode("ascii")).decode("utf-8")
    except InvalidToken as exc:
        raise ValueError("A two-factor secret cannot be decrypted with the current SECRET_KEY") from exc


class PeerpathMfaAdapter(DefaultMFAAdapter):
    def encrypt(self, text: str) -> str:
        return encrypt_secret(text)

    def decrypt(self, encrypted_text: str) -> str:
        return decrypt_secret(encrypted_text)


class IdempotentActivateTOTPForm(ActivateTOTPForm):
    """allauth makes a new secret on every GET, so a second GET (another tab, a reload, a stray
    request) silently invalidates the QR code already scanned. Keep the session's secret until
    activation succeeds (allauth clears it then)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.user = kwargs.pop("user")
        super(ActivateTOTPForm, self).__init__(*args, **kwargs)
        self.secret = totp_auth.get_totp_secret(regenerate=False)
