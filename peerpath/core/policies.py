"""Core's own policies (the audit trail)."""

from peerpath.core.access import Policy
from peerpath.core.choices import Role

READ_AUDIT_TRAIL = Policy("core.read_audit_trail", {Role.ADMIN})
