"""The two-factor rule, as core sees it: core imports no domain app, so the rule itself lives in
accounts (``peerpath.accounts.mfa.mfa_missing``) and is named by the ``PEERPATH_MFA_RULE`` setting.
Pages (the middleware) and API tokens (``ApiTokenAuth``) both ask here, so they cannot disagree."""

from __future__ import annotations

from functools import cache
from typing import Any

from django.conf import settings
from django.utils.module_loading import import_string


@cache
def _rule() -> Any:
    return import_string(settings.PEERPATH_MFA_RULE)


def mfa_missing(user: Any) -> bool:
    """True when the person must set up a second factor before going on."""
    return bool(_rule()(user))
