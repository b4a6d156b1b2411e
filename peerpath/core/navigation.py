from django.utils.translation import gettext_lazy as _

from peerpath.core.choices import Role
from peerpath.core.nav import NavItem

NAV_ITEMS = [NavItem(_("Audit trail"), "core:audit_search", frozenset({Role.ADMIN}), order=900)]
