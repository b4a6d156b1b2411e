import datetime as dt

import factory
from django.utils import timezone

from peerpath.accounts.tests.factories import StaffFactory
from peerpath.care.models import (
    Encounter,
    EncounterAttendance,
    Goal,
    GoalStep,
    PeerConsultation,
    RecoveryPlan,
    TeamMeeting,
)
from peerpath.clients.tests.factories import ClientFactory
from peerpath.core.tests.factories import TeamFactory


class EncounterFactory(factory.django.DjangoModelFactory):
    """An individual encounter; pass ``clients=[...]`` to attach attendees."""

    class Meta:
        model = Encounter
        skip_postgeneration_save = True

    peer = factory.SubFactory(StaffFactory)
    organisation = factory.SelfAttribute("peer.organisation")
    started_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=1))
    duration_minutes = 45
    modality = "in_person"
    setting = "community"
    activities = factory.LazyFunction(lambda: ["sharing_experience", "hope_goals"])
    peer_specific_minutes = 45
    note = "Talked about getting back to the allotment."

    @factory.post_generation
    def clients(self, create, extracted, **kwargs):
        if create and extracted:
            for client in extracted:
                EncounterAttendance.objects.create(encounter=self, client=client, started_at=self.started_at,
                                                   duration_minutes=self.duration_minutes)


class RecoveryPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RecoveryPlan

    client = factory.SubFactory(ClientFactory)
    organisation = factory.SelfAttribute("client.organisation")
    written_with = factory.SubFactory(StaffFactory, organisation=factory.SelfAttribute("..organisation"))
    client_vision = "A place of my own and a routine that keeps me well."


class GoalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Goal

    plan = factory.SubFactory(RecoveryPlanFactory)
    own_words = "I want to get my own flat by the summer."
    life_area = "housing"
    chime = "empowerment"


class GoalStepFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GoalStep

    goal = factory.SubFactory(GoalFactory)
    description = "Call the housing office"
    due_on = factory.LazyFunction(lambda: dt.datetime.now(dt.UTC).date() + dt.timedelta(days=7))


class TeamMeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TeamMeeting

    team = factory.SubFactory(TeamFactory)
    organisation = factory.SelfAttribute("team.organisation")
    held_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=2))
    recorded_by = factory.SubFactory(StaffFactory, organisation=factory.SelfAttribute("..organisation"), role="supervisor")
    topic = "Weekly review"


class PeerConsultationFactory(factory.django.DjangoModelFactory):
    """A clinician of the peer's organisation asked the peer for their view (no client unless given)."""

    class Meta:
        model = PeerConsultation

    peer = factory.SubFactory(StaffFactory, role="peer")
    organisation = factory.SelfAttribute("peer.organisation")
    asked_by = factory.SubFactory(StaffFactory, organisation=factory.SelfAttribute("..organisation"), role="clinician")
    held_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=1))
    topic = "How to start with someone who says they do not need help"
