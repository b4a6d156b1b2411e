"""Moved to ``peerpath.clients.policies`` (the one visibility table); kept only until the apps
that still import it from here (measures, outcomes) switch to ``peerpath.clients.selectors``."""

from peerpath.clients.policies import (  # noqa: F401
    ORG_WIDE_ROLES,
    REFERRAL_HANDLERS,
    REFERRERS,
    TEAM_ROLES,
    can_edit_care,
    visible_clients,
    visible_referrals,
)
