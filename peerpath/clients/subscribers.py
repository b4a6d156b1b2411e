"""Reactions to referral events (after commit): everyone in the referral's loop hears of its changes.

* a new referral: the supervisors of its team (they decide on it);
* every later status change: the referrer, unless they made it themselves;
* assigned: the peer who now has the client (unless they took it on themselves);
* closed: a peer whose match ended with it (unless they closed it).

Notifications name the client only to people who already know of the referral (its referrer, its team's
supervisors, its peer); they are rendered in the recipient's language when read.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from peerpath.core.events import Event, subscriber
from peerpath.core.notifications import notification_kind, notify

notification_kind("referral.closed_for_peer",
                  _("A referral of a client on your caseload (%(client)s) was closed; the client left your caseload."))
notification_kind("referral.assigned_to_peer", _("A new client was assigned to you: %(client)s."))
notification_kind("referral.received", _("A new referral for your team: %(client)s."))
notification_kind("referral.accepted_for_referrer", _("Your referral of %(client)s was accepted."))
notification_kind("referral.declined_for_referrer", _("Your referral of %(client)s was declined."))
notification_kind("referral.assigned_for_referrer", _("Your referral of %(client)s was assigned to a peer support worker."))
notification_kind("referral.closed_for_referrer", _("Your referral of %(client)s was closed."))


def _referral(referral_id: int):  # type: ignore[no-untyped-def]
    from peerpath.clients.models import Referral

    return Referral.objects.select_related("client").filter(pk=referral_id).first()


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


@subscriber("referral.created")
def tell_the_teams_supervisors(event: Event) -> None:
    from peerpath.accounts.selectors import team_supervisor_ids

    referral = _referral(event.payload["referral_id"])
    if referral is None:
        return
    for supervisor_id in team_supervisor_ids(team_id=referral.team_id):
        if supervisor_id == referral.referred_by_id:
            continue
        notify(recipient=supervisor_id, kind="referral.received", organisation_id=event.organisation_id,
               params={"client": referral.client.display_name},
               link=f"/clients/referrals/{referral.pk}/", client=referral.client_id)


@subscriber("referral.status_changed")
def tell_the_referrer(event: Event) -> None:
    referral = _referral(event.payload["referral_id"])
    if referral is None or referral.referred_by_id == event.payload.get("by_id"):
        return  # the referrer made the change
    if event.payload["to"] == "accepted" and referral.status != "accepted":
        return  # accepted and assigned in one step: the referrer hears once, of the assignment
    kind = f"referral.{event.payload['to']}_for_referrer"
    notify(recipient=referral.referred_by_id, kind=kind, organisation_id=event.organisation_id,
           params={"client": referral.client.display_name}, link=f"/clients/referrals/{referral.pk}/",
           client=referral.client_id)
