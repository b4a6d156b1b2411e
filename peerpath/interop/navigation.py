"""Entries this app adds to the main navigation (see peerpath.core.nav)."""

from django.utils.translation import gettext_lazy as _

from peerpath.core.choices import Role
from peerpath.core.nav import NavItem

NAV_ITEMS = [NavItem(_("Interoperability (FHIR)"), "interop:overview", frozenset({Role.ADMIN}), order=910)]
