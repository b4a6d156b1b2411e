from django.utils.translation import gettext_lazy as _

from peerpath.clients.policies import BROWSE_CLIENTS, READ_REFERRALS
from peerpath.core.nav import NavItem

NAV_ITEMS = [
    NavItem(_("Clients"), "clients:client_list", BROWSE_CLIENTS, order=20),
    NavItem(_("Referrals"), "clients:referral_inbox", READ_REFERRALS, order=30),
]
