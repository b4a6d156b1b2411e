from django.utils.translation import gettext_lazy as _

from peerpath.accounts.policies import MANAGE_ORGANISATION, MANAGE_STAFF, OWN_EXPERIENCE
from peerpath.core.nav import NavItem

NAV_ITEMS = [
    NavItem(_("Staff"), "accounts:staff_list", MANAGE_STAFF, order=850),
    NavItem(_("Organisation"), "accounts:organisation_settings", MANAGE_ORGANISATION, order=860),
    NavItem(_("My lived experience"), "accounts:my_experience", OWN_EXPERIENCE, order=800),
]
