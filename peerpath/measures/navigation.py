"""Entries this app adds to the main navigation (see peerpath.core.nav)."""

from django.utils.translation import gettext_lazy as _

from peerpath.core.choices import Role
from peerpath.core.nav import NavItem

NAV_ITEMS: list[NavItem] = [
    NavItem(_("Measures due"), "measures:due", frozenset({Role.PEER, Role.SUPERVISOR}), order=17),
    NavItem(_("Follow-up rates"), "measures:rates", frozenset({Role.SUPERVISOR, Role.LEADER}), order=65),
    NavItem(_("Instruments"), "measures:instrument_list", frozenset({Role.ADMIN}), order=840),
    NavItem(_("Measure schedules"), "measures:schedule_list", frozenset({Role.ADMIN, Role.LEADER}), order=842),
]
