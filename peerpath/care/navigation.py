from django.utils.translation import gettext_lazy as _

from peerpath.core.choices import Role
from peerpath.core.nav import NavItem

NAV_ITEMS = [
    NavItem(_("Today"), "care:peer_home", frozenset({Role.PEER}), order=10),
    NavItem(_("My caseload"), "care:caseload", frozenset({Role.PEER}), order=15),
    NavItem(_("Record encounter"), "care:encounter_create", frozenset({Role.PEER}), order=16),
    NavItem(_("Team meetings"), "care:meeting_list", frozenset({Role.PEER, Role.SUPERVISOR, Role.CLINICIAN, Role.LEADER}), order=40),
    NavItem(_("Consultations"), "care:consultation_list",
            frozenset({Role.PEER, Role.SUPERVISOR, Role.CLINICIAN, Role.LEADER, Role.ADMIN}), order=41),
]
