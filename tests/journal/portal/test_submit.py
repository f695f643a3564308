"""The submission form: drafts, files, submitting once, deadlines, anonymity."""

from datetime import UTC, datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from journal.enums import SubmissionState, VersionKind
from journal.models import Submission
from tests.factories import ConferenceFactory
from tests.journal.portal.conftest import draft, form_data, oversize_pdf, pdf_upload

pytestmark = pytest.mark.django_db


def submit_url(venue):
    return reverse("journal:submit", kwargs={"slug": venue.slug})


def test_submit_page_needs_login(client, venue):
    response = client.get(submit_url(venue))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_submit_page_labels_every_field(client, venue, author):
    client.force_login(author)
    page = client.get(submit_url(venue)).content.decode()
    for field in ("id_title", "id_abstract", "id_hypothesis_claim", "id_pdf", "id_authors-0-name"):
        assert f'for="{field}"' in page
    assert author.email in page  # the creator is the first author row


def test_save_draft_keeps_everything(client, venue, author):
    client.force_login(author)
    data = form_data(authors=[("Grace Hopper", author.email), ("Alan Turing", "alan@example.org")])
    response = client.post(submit_url(venue), {**data, "pdf": pdf_upload()})
    submission = Submission.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("journal:submission-edit", kwargs={"pk": submission.pk})
    assert submission.state == SubmissionState.DRAFT
    assert submission.keywords == ["attention", "transformers"]
    assert [a.email for a in submission.authors.all()] == [author.email, "alan@example.org"]
    assert submission.benchmark_claims.get().best_prior_value == 26.3
    assert submission.declared_conflicts.get().value == "rival.example.org"
    assert submission.versions.get().page_count == 2
    edit = client.get(response["Location"]).content.decode()
    assert "Attention is enough" in edit and "alan@example.org" in edit and "version 1" in edit


def test_submit_with_pdf_submits_and_emails(
    client, venue, chief, author, outbox, django_capture_on_commit_callbacks
):
    client.force_login(author)
    data = form_data(action="submit", authors=[("Grace Hopper", author.email)])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(submit_url(venue), {**data, "pdf": pdf_upload()})
    submission = Submission.objects.get()
    assert response["Location"] == submission.get_absolute_url()
    assert submission.state == SubmissionState.SUBMITTED
    assert {m.to[0] for m in outbox} == {author.email, chief.email}


def test_submit_without_pdf_keeps_draft_and_says_why(client, venue, author):
    client.force_login(author)
    response = client.post(
        submit_url(venue), form_data(action="submit", authors=[("G H", author.email)]), follow=True
    )
    assert Submission.objects.get().state == SubmissionState.DRAFT
    assert "Upload the paper&#x27;s PDF before submitting" in response.content.decode()


def test_double_post_creates_one_submission(client, venue, author):
    client.force_login(author)
    data = form_data(token="same-token", action="submit", authors=[("G H", author.email)])
    first = client.post(submit_url(venue), {**data, "pdf": pdf_upload()})
    second = client.post(submit_url(venue), {**data, "pdf": pdf_upload()})
    submission = Submission.objects.get()
    assert submission.state == SubmissionState.SUBMITTED
    assert submission.versions.count() == 1
    assert first["Location"] == second["Location"] == submission.get_absolute_url()


def test_double_submit_of_a_draft_is_harmless(client, venue, author):
    submission = draft(venue, author)
    client.force_login(author)
    url = reverse("journal:submission-edit", kwargs={"pk": submission.pk})
    data = form_data(token="a", action="submit", authors=[("G H", author.email)])
    assert client.post(url, {**data, "pdf": pdf_upload()}).status_code == 302
    again = client.post(url, {**data, "form_token": "b", "pdf": pdf_upload()})
    assert again.status_code == 302 and again["Location"] == submission.get_absolute_url()
    submission.refresh_from_db()
    assert submission.state == SubmissionState.SUBMITTED
    assert submission.versions.count() == 1


def test_non_pdf_is_refused_next_to_the_field(client, venue, author):
    client.force_login(author)
    data = form_data(authors=[("G H", author.email)])
    notpdf = SimpleUploadedFile("paper.pdf", b"PK\x03\x04 a zip", content_type="application/pdf")
    response = client.post(submit_url(venue), {**data, "pdf": notpdf})
    page = response.content.decode()
    assert response.status_code == 400
    assert "This file is not a PDF" in page
    assert 'id="id_pdf_error"' in page
    assert "Attention is enough" in page and "WMT14 en-de" in page  # nothing typed is lost
    assert not Submission.objects.exists()


def test_oversize_pdf_is_refused(client, venue, author):
    client.force_login(author)
    response = client.post(
        submit_url(venue), {**form_data(authors=[("G H", author.email)]), "pdf": oversize_pdf()}
    )
    assert response.status_code == 400
    assert "accepts at most 1 MB" in response.content.decode()
    assert not Submission.objects.exists()


def test_too_many_pages_is_refused(client, venue, author):
    client.force_login(author)
    data = {**form_data(authors=[("G H", author.email)]), "pdf": pdf_upload(pages=13)}
    response = client.post(submit_url(venue), data)
    assert "The PDF has 13 pages" in response.content.decode()


def test_missing_hypothesis_is_required(client, venue, author):
    client.force_login(author)
    data = form_data(authors=[("G H", author.email)], hypothesis_claim="")
    response = client.post(submit_url(venue), data)
    assert response.status_code == 400
    assert 'id="id_hypothesis_claim_error"' in response.content.decode()


def test_empty_extra_rows_are_ignored(client, venue, author):
    client.force_login(author)
    data = form_data(authors=[("G H", author.email)])
    data.update({"claims-TOTAL_FORMS": "2", "claims-1-higher_is_better": "on"})
    data.update({"conflicts-TOTAL_FORMS": "2", "conflicts-1-kind": ""})
    assert client.post(submit_url(venue), data).status_code == 302
    assert Submission.objects.get().benchmark_claims.count() == 1


def test_deadline_passed_closes_the_form(client, author):
    conference = ConferenceFactory(submission_deadline=timezone.now() - timezone.timedelta(hours=1))
    client.force_login(author)
    page = client.get(submit_url(conference)).content.decode()
    assert "deadline of" in page and "has passed" in page
    assert 'name="title"' not in page
    response = client.post(submit_url(conference), form_data(authors=[("G H", author.email)]))
    assert response.status_code == 409
    assert not Submission.objects.exists()


def test_deadline_shown_in_the_readers_zone_and_machine_time(client, author):
    deadline = datetime(2030, 5, 17, 21, 59, tzinfo=UTC)
    conference = ConferenceFactory(
        submission_deadline=deadline, timezone="America/New_York", deadlines_in_aoe=False
    )
    client.force_login(author)
    page = client.get(submit_url(conference)).content.decode()
    assert 'datetime="2030-05-17T21:59:00+00:00"' in page
    assert "17 May 2030, 21:59 UTC" in page


def test_double_blind_warns_about_names_on_first_page(client, venue, author):
    client.force_login(author)
    data = form_data(action="submit", authors=[("Grace Hopper", author.email)])
    named = pdf_upload(lines=("A paper", "Grace Hopper, Example University"))
    response = client.post(submit_url(venue), {**data, "pdf": named}, follow=True)
    submission = Submission.objects.get()
    assert submission.state == SubmissionState.DRAFT
    page = response.content.decode()
    assert "may identify the authors" in page and "Grace Hopper" in page
    edit = reverse("journal:submission-edit", kwargs={"pk": submission.pk})
    confirmed = {**data, "form_token": "t-2", "acknowledge_anonymity": "on"}
    response = client.post(edit, confirmed)
    submission.refresh_from_db()
    assert submission.state == SubmissionState.SUBMITTED


def test_edit_page_of_submitted_paper_redirects(client, venue, author):
    submission = draft(venue, author)
    client.force_login(author)
    url = reverse("journal:submission-edit", kwargs={"pk": submission.pk})
    client.post(
        url, {**form_data(action="submit", authors=[("G", author.email)]), "pdf": pdf_upload()}
    )
    assert client.get(url)["Location"] == submission.get_absolute_url()


def test_markdown_preview_is_sanitised(client, author):
    client.force_login(author)
    response = client.post(
        reverse("journal:markdown-preview"), {"text": "**bold** $x_1$ <script>alert(1)</script>"}
    )
    html = response.content.decode()
    assert "<strong>bold</strong>" in html and '<span class="math">$x_1$</span>' in html
    assert "<script>" not in html


def test_markdown_preview_needs_login(client):
    assert client.post(reverse("journal:markdown-preview"), {"text": "x"}).status_code == 302


def test_first_version_is_an_anonymised_submission(client, venue, author):
    client.force_login(author)
    client.post(
        submit_url(venue), {**form_data(authors=[("G", author.email)]), "pdf": pdf_upload()}
    )
    assert Submission.objects.get().versions.get().kind == VersionKind.SUBMISSION
