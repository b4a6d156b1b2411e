from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import factory
from django.utils import timezone

from peerpath.workforce.models import (
    BoundaryConsultation,
    Course,
    Credential,
    RoleDefinition,
    SupervisionSession,
    SurveyRound,
)
from peerpath.workforce.roles import services as roles_services


class RoleDefinitionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoleDefinition

    organisation = factory.LazyAttribute(lambda o: o.drafted_by.organisation)
    title = factory.Sequence(lambda n: f"Peer support worker {n}")
    purpose = roles_services.ROLE_TEMPLATE["purpose"]
    peer_functions = roles_services.ROLE_TEMPLATE["peer_functions"]
    generic_duties = roles_services.ROLE_TEMPLATE["generic_duties"]
    not_the_role = roles_services.ROLE_TEMPLATE["not_the_role"]
    supervision_arrangement = roles_services.ROLE_TEMPLATE["supervision_arrangement"]
    hours_and_flexibility = roles_services.ROLE_TEMPLATE["hours_and_flexibility"]
    pay_band = "Band 4"
    record_access = roles_services.ROLE_TEMPLATE["record_access"]
    disclosure_control = roles_services.ROLE_TEMPLATE["disclosure_control"]


class CourseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Course

    title = factory.Sequence(lambda n: f"Course {n}")
    topic = "boundaries"
    hours = Decimal("6.0")


class CredentialFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Credential

    organisation = factory.LazyAttribute(lambda o: o.staff.organisation)
    name = "Certified peer specialist"
    issuer = "State certification board"
    number = factory.Sequence(lambda n: f"CPS-{n:05d}")
    issued_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=700))
    expires_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=365))


class SupervisionSessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SupervisionSession
        skip_postgeneration_save = True

    organisation = factory.LazyAttribute(lambda o: o.led_by.organisation)
    kind = "individual"
    held_on = factory.LazyFunction(timezone.localdate)
    topics = factory.LazyFunction(lambda: ["boundaries"])

    @factory.post_generation
    def attendees(self, create, extracted, **kwargs):
        if create and extracted:
            self.attendees.set(extracted)


class BoundaryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BoundaryConsultation

    organisation = factory.LazyAttribute(lambda o: o.raised_by.organisation)
    category = "gift"
    question = "A person I support offered me a small gift. May I accept it?"


class SurveyRoundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SurveyRound

    title = factory.Sequence(lambda n: f"Pulse {n}")
    opens_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=3))
    closes_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=10))


def full_answers(score: int = 4, **overrides: object) -> dict[str, object]:
    from peerpath.workforce.surveys import questions as survey

    answers: dict[str, object] = {k: score for k in survey.AGREEMENT_KEYS}
    answers.update({k: False for k in survey.YES_NO_KEYS})
    answers.update(overrides)
    return answers


def today() -> date:
    return timezone.localdate()
