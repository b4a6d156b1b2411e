from django.utils.translation import gettext_lazy as _

from peerpath.core.choices import Role
from peerpath.core.nav import NavItem

NAV_ITEMS = [NavItem(_("My lived experience"), "accounts:my_experience", frozenset({Role.PEER}), order=800)]
