"""Demo: the closed referral loop, written through the referral services so every notification it sends is
the real one — a referral that arrived this morning (its team's supervisors are told), one accepted and
assigned in one step (the peer and the referring clinician are told), one declined with a reason (the
clinician is told), and an urgent one from three working days ago still new, so the inbox shows it overdue.
One of the clinician's notifications is already read, so the centre shows read and unread."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.utils import timezone

from peerpath.clients import services
from peerpath.clients.models import Referral
from peerpath.core.notifications import Notification
from peerpath.demo.context import DemoContext

NEW_PEOPLE = [("Marisol", "Quintero", date(1986, 4, 12)), ("Dwayne", "Hollis", date(1979, 9, 30)),
              ("Keiko", "Brandt", date(1994, 1, 8)), ("Tobias", "Ferreira", date(1968, 11, 21))]


def seed_referral_loop(ctx: DemoContext) -> None:
    org = ctx.organisations[0]
    clinician, supervisor, peer = ctx.staff["clinician"], ctx.staff["supervisor"], ctx.staff["peer"]
    team = ctx.teams[org.pk][0]
    # New people, registered by the clinician as a referral form does.
    clients = [services.client_create(actor=clinician, team=team, first_name=first, last_name=last, date_of_birth=born)
               for first, last, born in NEW_PEOPLE]
    arrived, assigned, declined, overdue = clients
    services.referral_create(actor=clinician, client=arrived, team=team, urgency="soon",
                             reason="Discharged yesterday after a long admission; lives alone and would like company "
                                    "to get to the community group.")
    first = services.referral_create(actor=clinician, client=assigned, team=team, urgency="routine",
                                     reason="Wants to get back to work and to talk with someone who has done it.")
    services.referral_accept(actor=supervisor, referral_id=first.pk)
    services.referral_assign(actor=supervisor, referral_id=first.pk, peer=peer)
    second = services.referral_create(actor=clinician, client=declined, team=team, urgency="routine",
                                      reason="Asked about peer support at the clinic.")
    services.referral_decline(actor=supervisor, referral_id=second.pk,
                              reason="Already has a peer through the housing programme; we have let them know.")
    late = services.referral_create(actor=clinician, client=overdue, team=team, urgency="urgent",
                                    reason="Frequent emergency visits this month; agreed to meet a peer this week.")
    received = ctx.today - timedelta(days=5)
    Referral.objects.filter(pk=late.pk).update(  # history: it came in five days ago and nobody has acted
        created_at=datetime(received.year, received.month, received.day, 9, 30, tzinfo=timezone.get_current_timezone()))
    oldest = Notification.objects.filter(recipient=clinician).order_by("pk").first()
    if oldest is not None:
        Notification.objects.filter(pk=oldest.pk).update(read_at=timezone.now())
