"""factory_boy factories for plain rows; workflow states are reached through services."""

import factory
from django.utils import timezone

from journal.enums import Anonymity, RoleKind, VenueKind
from journal.models import User, Venue, VenueRole
from reviews.enums import FieldKind
from reviews.models import Review, ReviewFormField

PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    # Everyone at their own institution: a conflict of interest in a test is always deliberate.
    email = factory.Sequence(lambda n: f"person{n}@uni{n}.example.edu")
    display_name = factory.Faker("name")
    affiliation = factory.Sequence(lambda n: f"University {n}")
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


def review_answers(review: Review, score: int | None = None) -> dict:
    """Return answers that satisfy every required field of the review's form."""
    raw = {}
    for field in ReviewFormField.objects.filter(form_id=review.form_id):
        values = field.option_values()
        if field.kind == FieldKind.SCORE:
            raw[field.key] = score if score in values else values[len(values) // 2]
        elif field.kind == FieldKind.YES_NO:
            raw[field.key] = True
        elif field.kind == FieldKind.SINGLE_CHOICE:
            raw[field.key] = values[0]
        elif field.kind == FieldKind.MULTIPLE_CHOICE:
            raw[field.key] = values[:1]
        else:
            raw[field.key] = " ".join(["careful"] * max(field.min_words or 0, 5))
    return raw


def claims_assessed(review: Review, verdict: str = "supported") -> list:
    """Return a verdict on every benchmark claim of the review's paper (for submitting)."""
    from reviews.services.claim_assessments import ClaimAssessmentInput

    return [
        ClaimAssessmentInput(claim_id=pk, verdict=verdict, reason="As the tables show.")
        for pk in review.submission.benchmark_claims.values_list("pk", flat=True)
    ]


def claims_posted(submission, verdict: str = "supported") -> dict[str, str]:
    """Return the review page's POST fields giving every claim of `submission` a verdict."""
    claims = submission.benchmark_claims.values_list("pk", flat=True)
    return {f"claim-{pk}-verdict": verdict for pk in claims}
