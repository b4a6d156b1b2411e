"""Entries this app adds to the main navigation (see peerpath.core.nav)."""

from django.utils.translation import gettext_lazy as _

from peerpath.core.choices import Role
from peerpath.core.nav import NavItem

NAV_ITEMS: list[NavItem] = [
    NavItem(_("Evaluation"), "outcomes:evaluation", frozenset({Role.LEADER, Role.EVALUATOR}), order=70),
    NavItem(_("Import service use"), "outcomes:service_event_import",
            frozenset({Role.SUPERVISOR, Role.CLINICIAN, Role.LEADER, Role.ADMIN}), order=75),
]
