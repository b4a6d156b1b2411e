from django.utils.translation import gettext_lazy as _

from peerpath.care.policies import CONSULT, PEER_WORK, READ_MEETINGS, RECORD_ENCOUNTER
from peerpath.core.nav import NavItem

NAV_ITEMS = [
    NavItem(_("Today"), "care:peer_home", PEER_WORK, order=10),
    NavItem(_("My caseload"), "care:caseload", PEER_WORK, order=15),
    NavItem(_("Record encounter"), "care:encounter_create", RECORD_ENCOUNTER, order=16),
    NavItem(_("Team meetings"), "care:meeting_list", READ_MEETINGS, order=40),
    NavItem(_("Consultations"), "care:consultation_list", CONSULT, order=41),
]
