"""Unbounded text: the paper's texts hold one limit on the submission form, the API and the
service (the audit stored an 8 MB abstract through the form while the API capped at 20,000)."""

import pytest
from django.urls import reverse

from journal.errors import DomainError
from journal.limits import TEXT_MAX_CHARS
from journal.models import Submission
from journal.services.submissions import submission_create, submission_update
from tests.api.support import client_for
from tests.journal.portal.conftest import draft, form_data

pytestmark = pytest.mark.django_db
OVERLONG = "x" * (TEXT_MAX_CHARS + 1)


def test_unbounded_text_eight_megabyte_abstract_refused_by_the_form(client, venue, author):
    client.force_login(author)
    data = form_data()
    data["abstract"] = "word " * (8 * 1024 * 1024 // 5)
    response = client.post(reverse("journal:submit", kwargs={"slug": venue.slug}), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "at most 20000 characters" in page.replace(",", "")
    assert not Submission.objects.exists()


def test_unbounded_text_abstract_refused_by_the_api(venue, author):
    response = client_for(author).post(
        "/api/v1/submissions/",
        {
            "venue": venue.slug,
            "title": "Long",
            "abstract": OVERLONG,
            "hypothesis_claim": "It holds.",
        },
        format="json",
    )
    assert response.status_code == 400
    assert "abstract" in response.json()["errors"]
    assert not Submission.objects.exists()


def test_unbounded_text_refused_by_the_services(venue, author):
    with pytest.raises(DomainError, match="The abstract has 20,001 characters") as caught:
        submission_create(
            venue=venue, creator=author, title="T", abstract=OVERLONG, hypothesis_claim="H"
        )
    assert caught.value.field == "abstract"
    assert not Submission.objects.exists()
    submission = draft(venue, author)
    with pytest.raises(DomainError, match="What would refute it has 20,001 characters"):
        submission_update(submission=submission, actor=author, hypothesis_refutation=OVERLONG)
    with pytest.raises(DomainError, match="The title has 301 characters"):
        submission_update(submission=submission, actor=author, title="t" * 301)
    submission.refresh_from_db()
    assert submission.hypothesis_refutation != OVERLONG
    assert len(submission.title) < 301
