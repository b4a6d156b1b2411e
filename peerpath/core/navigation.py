from django.utils.translation import gettext_lazy as _

from peerpath.core.nav import NavItem
from peerpath.core.policies import READ_AUDIT_TRAIL

NAV_ITEMS = [NavItem(_("Audit trail"), "core:audit_search", READ_AUDIT_TRAIL, order=900)]
