"""allauth hooks: closed sign-up, one lockout key, the client's real address, and tokens
revoked when the password changes."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest


class ClosedSignupAdapter(DefaultAccountAdapter):
    """Staff accounts are created by an organisation's admin, never by self sign-up."""

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False

    def _get_login_attempts_cache_key(self, request: HttpRequest, **credentials: Any) -> str:
        # allauth keys the lockout by "<site domain>:<login>", and without the sites framework
        # the domain is the Host header *with its port*: "Host: 127.0.0.1:1" reset the count.
        # The username alone is the key, the same for the web form, API tokens and the admin.
        return lockout_key(credentials.get("username", "") or credentials.get("login", ""))

    def get_client_ip(self, request: HttpRequest) -> str:
        from peerpath.core.request_context import client_ip

        return client_ip(request.META) or super().get_client_ip(request)

    def set_password(self, user: Any, password: str) -> None:
        from peerpath.accounts.sign_in import api_tokens_revoke_all

        super().set_password(user, password)
        api_tokens_revoke_all(user=user, reason="password_changed")


def lockout_key(username: str) -> str:
    return f"login:{(username or '').strip().lower()}"
