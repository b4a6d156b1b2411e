from typing import Any

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "peerpath.accounts"
    label = "accounts"
    verbose_name = "Staff and accounts"

    def ready(self) -> None:
        # allauth's MFA flows have no adapter hook for "an authenticator was removed or reset";
        # its signals are the only place to hear it. The receiver only calls the service.
        from allauth.mfa import signals

        signals.authenticator_removed.connect(_second_factor_changed, dispatch_uid="peerpath_mfa_removed")
        signals.authenticator_reset.connect(_second_factor_changed, dispatch_uid="peerpath_mfa_reset")


def _second_factor_changed(sender: Any, request: Any = None, user: Any = None, **kwargs: Any) -> None:
    from peerpath.accounts.sign_in import api_tokens_revoke_all

    api_tokens_revoke_all(user=user, reason="second_factor_changed")
