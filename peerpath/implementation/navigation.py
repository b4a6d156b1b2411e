"""Entries this app adds to the main navigation (see peerpath.core.nav)."""

from django.utils.translation import gettext_lazy as _

from peerpath.core.choices import Role
from peerpath.core.nav import NavItem

MANAGERS = frozenset({Role.LEADER, Role.ADMIN, Role.SUPERVISOR, Role.EVALUATOR})

NAV_ITEMS: list[NavItem] = [
    NavItem(_("Implementation"), "implementation:planning_home", MANAGERS, order=90),
    NavItem(_("My implementation actions"), "implementation:planning_my_items",
            frozenset({Role.PEER, Role.CLINICIAN}), order=91),
    NavItem(_("Surveys for you"), "implementation:readiness_my_surveys", frozenset(Role.values), order=92),
]
