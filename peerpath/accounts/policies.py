"""Who may manage staff accounts, organisation settings and lived experience (sign-in, two-factor
and API token flows guard themselves)."""

from peerpath.core.access import HUMAN_ROLES, STAFF_WHO_CARE, Policy
from peerpath.core.choices import Role

SIGNED_IN = Policy("accounts.signed_in", HUMAN_ROLES)  # one's own profile, language, tokens
MANAGE_STAFF = Policy("accounts.manage_staff", {Role.ADMIN})  # obj: the staff member (same organisation)
MANAGE_ORGANISATION = Policy("accounts.manage_organisation", {Role.ADMIN})
OWN_EXPERIENCE = Policy("accounts.own_experience", {Role.PEER})  # a peer's own lived experience
SEARCH_STAFF = Policy("accounts.search_staff", STAFF_WHO_CARE)  # the staff type-ahead: own organisation only
