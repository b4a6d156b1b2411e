"""Entries this app adds to the main navigation (see peerpath.core.nav)."""

from django.utils.translation import gettext_lazy as _

from peerpath.core.choices import Role
from peerpath.core.nav import NavItem

NAV_ITEMS: list[NavItem] = [
    NavItem(_("Workforce"), "workforce:home", frozenset(Role.values), order=80),
]
