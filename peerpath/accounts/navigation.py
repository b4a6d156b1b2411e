from django.utils.translation import gettext_lazy as _

from peerpath.core.choices import Role
from peerpath.core.nav import NavItem

NAV_ITEMS = [
    NavItem(_("Staff"), "accounts:staff_list", frozenset({Role.ADMIN}), order=850),
    NavItem(_("Organisation"), "accounts:organisation_settings", frozenset({Role.ADMIN}), order=860),NavItem(_("My lived experience"), "accounts:my_experience", frozenset({Role.PEER}), order=800)]
