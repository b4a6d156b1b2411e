import datetime as dt

import factory

from peerpath.accounts.tests.factories import StaffFactory
from peerpath.clients.models import Client, Match, Referral
from peerpath.core.tests.factories import TeamFactory


class ClientFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Client

    team = factory.SubFactory(TeamFactory)
    organisation = factory.SelfAttribute("team.organisation")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    date_of_birth = dt.date(1985, 4, 12)
    language = "en"


class ReferralFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Referral

    client = factory.SubFactory(ClientFactory)
    organisation = factory.SelfAttribute("client.organisation")
    team = factory.SelfAttribute("client.team")
    referred_by = factory.SubFactory(StaffFactory, organisation=factory.SelfAttribute("..organisation"), role="clinician")
    reason = "Recently discharged; would like someone who has been there."


class MatchFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Match

    client = factory.SubFactory(ClientFactory)
    organisation = factory.SelfAttribute("client.organisation")
    peer = factory.SubFactory(StaffFactory, organisation=factory.SelfAttribute("..organisation"))
    started_on = factory.LazyFunction(lambda: dt.datetime.now(dt.UTC).date() - dt.timedelta(days=30))
