"""Entries this app adds to the main navigation (see peerpath.core.nav)."""

from peerpath.core.nav import NavItem

NAV_ITEMS: list[NavItem] = []
