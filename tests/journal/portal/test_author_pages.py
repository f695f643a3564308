"""After submitting: the list, the submission page, revise, withdraw, camera-ready, public page."""

import pytest
from django.urls import reverse

from journal.demo.workflow import drive_to_state
from journal.enums import (
    AuditVisibility,
    DecisionOutcome,
    DecisionStatus,
    ReviewPublication,
    SubmissionState,
    VersionKind,
)
from journal.models import AuditEvent
from journal.services.decisions import decision_draft, decision_transition
from journal.services.submissions import AuthorInput
from tests.factories import UserFactory, VenueFactory
from tests.journal.portal.conftest import draft, form_data, pdf_upload

pytestmark = pytest.mark.django_db
S = SubmissionState


def at_state(venue, author, chief, state, **kwargs):
    return drive_to_state(
        draft(venue, author, **kwargs), state, author=author, editor=chief, chief=chief
    )


@pytest.mark.parametrize("count", [1, 4])
def test_my_submissions_query_count_constant(
    client, venue, chief, author, count, django_assert_num_queries
):
    for i in range(count):
        at_state(venue, author, chief, S.SUBMITTED, title=f"Paper {i}")
    client.force_login(author)
    client.get(reverse("journal:my-submissions"))  # warm the session
    with django_assert_num_queries(5):
        response = client.get(reverse("journal:my-submissions"))
    assert response.content.decode().count("Nothing to do: the editors are checking") == count


def test_my_submissions_shows_state_and_next_step(client, venue, chief, author):
    at_state(venue, author, chief, S.REVISION_REQUESTED, title="Needs work")
    draft(venue, author, title="Unfinished")
    client.force_login(author)
    page = client.get(reverse("journal:my-submissions")).content.decode()
    assert "Needs work" in page and "Revision requested" in page
    assert "Upload a revised version and resubmit." in page
    assert "Unfinished" in page and "Finish the details" in page


def test_submission_page_shows_versions_diff_and_timeline(client, venue, chief, author):
    submission = at_state(venue, author, chief, S.REVISION_REQUESTED)
    client.force_login(author)
    url = reverse("journal:submission-revise", kwargs={"pk": submission.pk})
    data = form_data(token="rev", authors=[("Grace Hopper", author.email)], title="A better title")
    data.update({"change_summary": "Tightened the proof.", "pdf": pdf_upload()})
    response = client.post(url, data)
    assert response["Location"] == submission.get_absolute_url()
    submission.refresh_from_db()
    assert submission.state == S.SUBMITTED
    assert submission.title == "A better title"
    page = client.get(submission.get_absolute_url()).content.decode()
    assert "Version 2" in page and "Version 1" in page
    assert "Tightened the proof." in page
    assert "A <del>draft</del> <ins>better title</ins>" in page
    assert "Revision requested" in page and "by Editors" in page  # timeline, no editor name
    assert chief.display_name not in page
    for number in (1, 2):
        assert (
            reverse(
                "journal:version-file",
                kwargs={"pk": submission.pk, "number": number, "part": "pdf"},
            )
            in page
        )


def test_revise_requires_change_summary(client, venue, chief, author):
    submission = at_state(venue, author, chief, S.UNDER_REVIEW)
    client.force_login(author)
    url = reverse("journal:submission-revise", kwargs={"pk": submission.pk})
    response = client.post(url, {"form_token": "x", "pdf": pdf_upload(), "change_summary": ""})
    assert response.status_code == 400
    assert 'id="id_change_summary_error"' in response.content.decode()
    assert submission.versions.count() == 1


def test_revise_during_review_uploads_version_without_state_change(client, venue, chief, author):
    submission = at_state(venue, author, chief, S.UNDER_REVIEW)
    client.force_login(author)
    url = reverse("journal:submission-revise", kwargs={"pk": submission.pk})
    data = {"form_token": "x", "pdf": pdf_upload(), "change_summary": "Typos."}
    client.post(url, data)
    client.post(url, {**data, "pdf": pdf_upload()})  # the same form sent twice
    submission.refresh_from_db()
    assert submission.state == S.UNDER_REVIEW
    assert submission.versions.count() == 2


def test_revise_refused_when_closed(client, venue, chief, author):
    submission = at_state(venue, author, chief, S.REJECTED)
    client.force_login(author)
    response = client.get(reverse("journal:submission-revise", kwargs={"pk": submission.pk}))
    assert response.status_code == 403


def test_withdraw_needs_confirmation(
    client, venue, chief, author, outbox, django_capture_on_commit_callbacks
):
    submission = at_state(venue, author, chief, S.SUBMITTED)
    client.force_login(author)
    url = reverse("journal:submission-withdraw", kwargs={"pk": submission.pk})
    assert "Withdraw this paper?" in client.get(url).content.decode()
    assert client.post(url, {}).status_code == 400
    outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"confirm": "on", "reason": "Found a bug."})
    assert response["Location"] == submission.get_absolute_url()
    submission.refresh_from_db()
    assert submission.state == S.WITHDRAWN
    assert author.email in {m.to[0] for m in outbox}
    assert client.post(url, {"confirm": "on"})["Location"] == submission.get_absolute_url()


def test_camera_ready_after_acceptance(client, venue, chief, author):
    submission = at_state(venue, author, chief, S.ACCEPTED)
    client.force_login(author)
    url = reverse("journal:submission-camera-ready", kwargs={"pk": submission.pk})
    page = client.get(submission.get_absolute_url()).content.decode()
    assert url in page
    response = client.post(url, {"form_token": "cr", "pdf": pdf_upload(lines=("Grace Hopper",))})
    assert response.status_code == 302
    submission.refresh_from_db()
    assert submission.state == S.CAMERA_READY
    assert submission.versions.filter(kind=VersionKind.CAMERA_READY).count() == 1


def test_camera_ready_before_acceptance_redirects(client, venue, chief, author):
    submission = at_state(venue, author, chief, S.UNDER_REVIEW)
    client.force_login(author)
    url = reverse("journal:submission-camera-ready", kwargs={"pk": submission.pk})
    assert client.get(url)["Location"] == submission.get_absolute_url()


def test_version_download_is_the_pdf(client, venue, chief, author):
    submission = at_state(venue, author, chief, S.SUBMITTED)
    client.force_login(author)
    url = reverse("journal:version-file", kwargs={"pk": submission.pk, "number": 1, "part": "pdf"})
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    missing = reverse(
        "journal:version-file", kwargs={"pk": submission.pk, "number": 9, "part": "pdf"}
    )
    assert client.get(missing).status_code == 404
    assert client.get(url.replace("/pdf/", "/supplement/")).status_code == 404


def test_public_paper_page(client, venue, chief, author):
    venue.review_publication = ReviewPublication.ACCEPTED
    venue.save()
    submission = at_state(venue, author, chief, S.PUBLISHED)
    url = reverse("journal:paper", kwargs={"slug": venue.slug, "number": submission.number})
    page = client.get(url)
    html = page.content.decode()
    assert page.status_code == 200
    assert submission.title in html and author.display_name in html
    camera = submission.versions.get(kind=VersionKind.CAMERA_READY)
    pdf_url = reverse(
        "journal:version-file", kwargs={"pk": submission.pk, "number": camera.number, "part": "pdf"}
    )
    assert pdf_url in html
    assert client.get(pdf_url).status_code == 200
    assert 'id="reviews"' in html


def test_public_paper_page_hides_unpublished(client, venue, chief, author):
    submission = at_state(venue, author, chief, S.ACCEPTED)
    url = reverse("journal:paper", kwargs={"slug": venue.slug, "number": submission.number})
    assert client.get(url).status_code == 404


def test_timeline_shows_only_author_events(client, venue, chief, author):
    submission = at_state(venue, author, chief, S.UNDER_REVIEW)
    AuditEvent.objects.create(
        venue=venue, submission=submission, actor=chief, action="secret.note", note="Hidden!"
    )
    AuditEvent.objects.create(
        venue=venue,
        submission=submission,
        actor=chief,
        action="notice.sent",
        note="For you.",
        visibility=AuditVisibility.AUTHORS,
    )
    client.force_login(author)
    page = client.get(submission.get_absolute_url()).content.decode()
    assert "For you." in page and "Hidden!" not in page


def test_coauthor_listed_by_email_sees_the_paper(client, venue, chief, author):
    coauthor = UserFactory()
    submission = at_state(
        venue,
        author,
        chief,
        S.SUBMITTED,
        coauthors=[AuthorInput(name="Co Author", email=coauthor.email)],
    )
    client.force_login(coauthor)
    assert submission.title in client.get(reverse("journal:my-submissions")).content.decode()
    page = client.get(submission.get_absolute_url())
    assert page.status_code == 200
    assert (
        reverse("journal:submission-withdraw", kwargs={"pk": submission.pk})
        in page.content.decode()
    )


def test_published_decision_shown_to_authors(client, venue, chief, author):
    submission = at_state(venue, author, chief, S.UNDER_REVIEW)
    decision = decision_draft(
        submission=submission,
        editor=chief,
        outcome=DecisionOutcome.REJECT,
        claims_supported=False,
        audience_interested=True,
        comment="The *main claim* needs a stronger baseline.",
    )
    client.force_login(author)
    assert "stronger baseline" not in client.get(submission.get_absolute_url()).content.decode()
    decision_transition(decision=decision, to_status=DecisionStatus.PUBLISHED, actor=chief)
    page = client.get(submission.get_absolute_url()).content.decode()
    assert "<em>main claim</em> needs a stronger baseline" in page
    assert 'id="decision-heading"' in page


def test_my_submissions_offers_open_venues(client, venue, author):
    closed = VenueFactory(name="Closed Venue", accepting_submissions=False)
    client.force_login(author)
    page = client.get(reverse("journal:my-submissions")).content.decode()
    assert reverse("journal:submit", kwargs={"slug": venue.slug}) in page
    assert closed.name not in page


def test_revision_naming_the_authors_needs_confirmation(client, venue, chief, author):
    submission = at_state(venue, author, chief, S.UNDER_REVIEW)
    client.force_login(author)
    url = reverse("journal:submission-revise", kwargs={"pk": submission.pk})
    named = {
        "form_token": "n",
        "change_summary": "Fixes.",
        "pdf": pdf_upload(lines=(author.email,)),
    }
    response = client.post(url, named)
    assert response.status_code == 400
    assert "may identify the authors" in response.content.decode()
    assert submission.versions.count() == 1
    named["pdf"] = pdf_upload(lines=(author.email,))
    response = client.post(url, {**named, "acknowledge_anonymity": "on"})
    assert response.status_code == 302
    assert submission.versions.count() == 2
