"""Authors listed by e-mail are invited to claim the paper, and can."""

import re

import pytest
from django.urls import reverse

from journal.demo.workflow import drive_to_state
from journal.enums import SubmissionState
from journal.services.claims import authorship_claim, claim_invitations_send, claim_token
from journal.services.portal import PaperDetails, draft_submit, submission_revise
from journal.services.submissions import AuthorInput
from tests.factories import UserFactory
from tests.journal.portal.conftest import draft, pdf_upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(venue, chief, author, outbox, django_capture_on_commit_callbacks):
    submission = draft(
        venue, author, coauthors=[AuthorInput(name="New Person", email="new.person@example.org")]
    )
    with django_capture_on_commit_callbacks(execute=True):
        # A draft is given its PDF on the way to any state.
        drive_to_state(submission, SubmissionState.DRAFT, author=author, editor=chief, chief=chief)
        draft_submit(submission=submission, actor=author, acknowledge_anonymity=True)
    submission.refresh_from_db()
    return submission


def invitation(outbox):
    return next(
        m
        for m in outbox
        if m.to == ["new.person@example.org"] and "listed as an author" in m.subject
    )


def test_submitting_invites_unclaimed_authors_once(submitted, author, outbox):
    message = invitation(outbox)
    assert submitted.title in message.body
    assert not [m for m in outbox if m.to == [author.email] and "listed as an author" in m.subject]
    assert claim_invitations_send(submission=submitted, actor=author) == 0


def test_claim_link_attaches_the_paper(client, submitted, outbox):
    link = re.search(r"http\S+/claims/\S+/", invitation(outbox).body).group(0)
    path = link.split("://", 1)[1].split("/", 1)[1]
    newcomer = UserFactory(email="someone.else@example.org")
    client.force_login(newcomer)
    page = client.get("/" + path)
    assert "New Person" in page.content.decode()
    response = client.post("/" + path)
    assert response["Location"] == submitted.get_absolute_url()
    authorship = submitted.authors.get(email="new.person@example.org")
    assert authorship.user == newcomer and authorship.claimed_at is not None
    assert submitted.title in client.get(reverse("journal:my-submissions")).content.decode()


def test_claim_twice_by_another_account_is_refused(client, submitted):
    token = claim_token(submission=submitted, email="new.person@example.org")
    url = reverse("journal:claim", kwargs={"token": token})
    client.force_login(UserFactory())
    client.post(url)
    client.force_login(UserFactory())
    response = client.post(url)
    assert response.status_code == 400
    assert "already claimed" in response.content.decode()


def test_tampered_token_is_refused(client, submitted):
    client.force_login(UserFactory())
    response = client.get(reverse("journal:claim", kwargs={"token": "nonsense:abc"}))
    assert response.status_code == 400
    assert "not valid" in response.content.decode()


def test_claim_needs_login(client, submitted):
    token = claim_token(submission=submitted, email="new.person@example.org")
    response = client.get(reverse("journal:claim", kwargs={"token": token}))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_claim_survives_a_revision_of_the_author_list(client, venue, chief, author, submitted):
    token = claim_token(submission=submitted, email="new.person@example.org")
    newcomer = UserFactory(email="different.address@example.org")
    authorship_claim(token=token, user=newcomer)
    drive_to_state(
        submitted, SubmissionState.REVISION_REQUESTED, author=author, editor=chief, chief=chief
    )
    details = PaperDetails(
        metadata={"title": "Revised", "abstract": "A.", "hypothesis_claim": "H."},
        authors=[
            AuthorInput(name="Grace", email=author.email),
            AuthorInput(name="New Person", email="new.person@example.org"),
        ],
        claims=[],
        conflicts=[],
    )
    submission_revise(
        submission=submitted,
        actor=author,
        form_token="r",
        pdf=pdf_upload(),
        change_summary="Revised.",
        details=details,
    )
    assert submitted.authors.get(email="new.person@example.org").user == newcomer
