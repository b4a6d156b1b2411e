import secrets

import factory

from peerpath.accounts.models import ApiToken, ExperienceArea, PeerExperience, StaffMember
from peerpath.core.api_support import hash_token
from peerpath.core.choices import Role
from peerpath.core.tests.factories import OrganisationFactory

TEST_PASSWORD = "correct horse battery staple"


class StaffFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StaffMember
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"staff{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    organisation = factory.SubFactory(OrganisationFactory)
    role = Role.PEER
    password = factory.django.Password(TEST_PASSWORD)

    @factory.post_generation
    def teams(self, create, extracted, **kwargs):
        if create and extracted:
            self.teams.add(*extracted)


class ExperienceAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExperienceArea
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"area-{n}")
    name = factory.Sequence(lambda n: f"Experience area {n}")


class PeerExperienceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PeerExperience

    owner = factory.SubFactory(StaffFactory)
    area = factory.SubFactory(ExperienceAreaFactory)
    use_for_matching = True
    share_with_clients = False


def make_token(staff: StaffMember, secret: str | None = None) -> str:
    # Random part: a test may sign the same person in to the API more than once (key hashes are unique).
    secret = secret or f"pp_test_{staff.pk}_{staff.username}_{secrets.token_hex(4)}"
    ApiToken.objects.create(staff=staff, name="test", prefix=secret[:10], key_hash=hash_token(secret))
    return secret
