"""The public and submission pages: permissions, anonymity, query counts."""

import pytest
from django.urls import reverse

from journal.demo.workflow import drive_to_state
from journal.enums import RoleKind, SubmissionState
from journal.services.submissions import AuthorInput, submission_create
from tests.factories import UserFactory, VenueFactory, VenueRoleFactory

pytestmark = pytest.mark.django_db


def make(venue, author, state, *, chief, title="Paper"):
    submission = submission_create(
        venue=venue,
        creator=author,
        title=title,
        abstract="Uses $x_1$.",
        hypothesis_claim="H",
        authors=[AuthorInput(name="Grace Author", email=author.email)],
    )
    return drive_to_state(submission, state, author=author, editor=chief, chief=chief)


@pytest.fixture
def venue_and_chief():
    venue = VenueFactory()
    return venue, VenueRoleFactory(venue=venue, role=RoleKind.CHIEF).user


def test_home_lists_venues(client, venue_and_chief):
    venue, _ = venue_and_chief
    response = client.get(reverse("journal:home"))
    assert response.status_code == 200
    assert venue.name in response.content.decode()


def test_venue_page_unknown_is_404(client):
    assert client.get(reverse("journal:venue-detail", kwargs={"slug": "nope"})).status_code == 404


@pytest.mark.parametrize("count", [1, 50])
def test_venue_page_query_count_constant(client, venue_and_chief, count, django_assert_num_queries):
    venue, chief = venue_and_chief
    author = UserFactory()
    for i in range(count):
        make(venue, author, SubmissionState.PUBLISHED, chief=chief, title=f"Paper {i}")
    with django_assert_num_queries(3):
        response = client.get(venue.get_absolute_url())
    assert response.content.decode().count("Grace Author") == count


def test_submission_page_permissions(client, venue_and_chief):
    venue, chief = venue_and_chief
    author = UserFactory()
    submission = make(venue, author, SubmissionState.SUBMITTED, chief=chief)
    url = submission.get_absolute_url()

    assert client.get(url).status_code == 404
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404
    client.force_login(author)
    page = client.get(url)
    assert page.status_code == 200 and "Grace Author" in page.content.decode()
    client.force_login(chief)
    assert "Grace Author" in client.get(url).content.decode()


def test_submission_page_published_public(client, venue_and_chief):
    venue, chief = venue_and_chief
    submission = make(venue, UserFactory(), SubmissionState.PUBLISHED, chief=chief)
    page = client.get(submission.get_absolute_url())
    assert page.status_code == 200
    assert '<span class="math">$x_1$</span>' in page.content.decode()


def test_uploaded_files_not_served_from_media_url(client, venue_and_chief):
    venue, chief = venue_and_chief
    submission = make(venue, UserFactory(), SubmissionState.SUBMITTED, chief=chief)
    path = submission.versions.get().pdf.url
    assert client.get(path).status_code == 404


def test_admin_lists_every_model(admin_client):
    from django.contrib import admin

    for model in admin.site._registry:
        meta = model._meta
        url = reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")
        assert admin_client.get(url).status_code == 200, url


def test_existence_oracle_signed_in_stranger_cannot_tell_a_paper_from_a_missing_one(
    client, venue_and_chief
):
    venue, chief = venue_and_chief
    submission = make(venue, UserFactory(), SubmissionState.UNDER_REVIEW, chief=chief)
    client.force_login(UserFactory())
    existing = client.get(submission.get_absolute_url())
    missing = client.get(f"/submissions/{submission.pk + 1000}/")
    assert existing.status_code == missing.status_code == 404
    assert existing.content == missing.content
