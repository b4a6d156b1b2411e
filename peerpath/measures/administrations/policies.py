"""Who may give a measure to a client: the roles that administer, for a client on their caseload or
team (``clients.permissions.visible_clients``), in their own organisation. One policy for the page,
the API and the services."""

from __future__ import annotations

from typing import Any

from peerpath.clients.permissions import visible_clients
from peerpath.core.access import Policy
from peerpath.measures.administrations.selectors import ADMINISTER_ROLES


def _client_visible(user: Any, client: Any) -> bool:
    return visible_clients(user).filter(pk=client.pk).exists()


ADMINISTER_FOR_CLIENT = Policy("measures.administer_for_client", ADMINISTER_ROLES, scope=_client_visible)
