from django.utils.translation import gettext_lazy as _

from peerpath.core.choices import Role
from peerpath.core.nav import NavItem

NAV_ITEMS = [
    NavItem(_("Clients"), "clients:client_list", frozenset({Role.SUPERVISOR, Role.CLINICIAN, Role.LEADER, Role.ADMIN}), order=20),
    NavItem(_("Referrals"), "clients:referral_inbox", frozenset({Role.PEER, Role.SUPERVISOR, Role.CLINICIAN, Role.LEADER}), order=30),
]
