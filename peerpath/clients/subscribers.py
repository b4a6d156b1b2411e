"""Reactions to referral events: the peer who loses a client is told (after commit)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from peerpath.core.events import Event, subscriber
from peerpath.core.notifications import notification_kind, notify

notification_kind("referral.closed_for_peer",
                  _("A referral of a client on your caseload (%(client)s) was closed; the client left your caseload."))
notification_kind("referral.assigned_to_peer", _("A new client was assigned to you: %(client)s."))


def _client_name(client_id: int) -> str:
    from peerpath.clients.models import Client

    client = Client.objects.filter(pk=client_id).first()
    return client.display_name if client else ""


@subscriber("referral.closed")
def tell_peers_who_lost_the_client(event: Event) -> None:
    by_id = event.payload.get("by_id")
    for peer_id in event.payload.get("ended_peer_ids", []):
        if peer_id == by_id:
            continue  # they closed it themselves
        notify(recipient=peer_id, kind="referral.closed_for_peer", organisation_id=event.organisation_id,
               params={"client": _client_name(event.payload["client_id"])}, link="/care/",
               client=event.payload["client_id"])


@subscriber("referral.assigned")
def tell_the_assigned_peer(event: Event) -> None:
    if event.payload.get("peer_id") == event.payload.get("by_id"):
        return  # a peer who took the client on knows
    notify(recipient=event.payload["peer_id"], kind="referral.assigned_to_peer",
           organisation_id=event.organisation_id, params={"client": _client_name(event.payload["client_id"])},
           link=f"/clients/referrals/{event.payload['referral_id']}/", client=event.payload["client_id"])
