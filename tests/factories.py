"""factory_boy factories for plain rows; workflow states are reached through services."""

import factory
from django.utils import timezone

from journal.enums import Anonymity, RoleKind, VenueKind
from journal.models import User, Venue, VenueRole

PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@uni{n % 7}.example.edu")
    display_name = factory.Faker("name")
    affiliation = factory.Sequence(lambda n: f"University {n % 7}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @classmethod
    def _after_postgeneration(cls, instance, create, results=None):
        if create:
            instance.save()


class VenueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Venue

    slug = factory.Sequence(lambda n: f"venue-{n}")
    name = factory.Sequence(lambda n: f"Venue {n}")
    kind = VenueKind.JOURNAL
    anonymity = Anonymity.DOUBLE_BLIND


class ConferenceFactory(VenueFactory):
    kind = VenueKind.CONFERENCE
    submission_deadline = factory.LazyFunction(lambda: timezone.now() + timezone.timedelta(days=7))


class VenueRoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = VenueRole

    venue = factory.SubFactory(VenueFactory)
    user = factory.SubFactory(UserFactory)
    role = RoleKind.REVIEWER
