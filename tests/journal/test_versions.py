"""Versions are immutable records of each upload; bad files are refused with a reason."""

import io
from types import SimpleNamespace

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from pypdf import PdfReader
from rest_framework.test import APIClient

from journal.demo.pdf import make_pdf
from journal.demo.workflow import drive_to_state, pdf_file
from journal.enums import Anonymity, RoleKind, SubmissionState, VersionKind
from journal.errors import AnonymityError, DomainError, FileCheckError
from journal.models import AuditEvent
from journal.services.portal import draft_submit
from journal.services.submissions import AuthorInput, submission_create
from journal.services.versions import version_upload
from journal.services.workflow import submission_transition
from reviews.services.invitations import invitation_accept, invitation_create
from tests.factories import UserFactory, VenueFactory, VenueRoleFactory
from tests.pdfs import pdf_upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft():
    venue = VenueFactory(page_limit=4, max_pdf_mb=1)
    author = UserFactory()
    submission = submission_create(
        venue=venue, creator=author, title="T", abstract="A", hypothesis_claim="H"
    )
    return submission, author


def test_upload_records_hash_size_pages_and_metadata(draft):
    submission, author = draft
    data = make_pdf(page_count=3)
    version = version_upload(submission=submission, actor=author, pdf=ContentFile(data, "p.pdf"))
    import hashlib

    assert version.number == 1
    assert version.pdf_sha256 == hashlib.sha256(data).hexdigest()
    assert version.pdf_size == len(data)
    assert version.page_count == 3
    assert version.metadata["title"] == "T"
    assert version.pdf.read() == data


def test_upload_after_submission_keeps_old(draft):
    submission, author = draft
    v1 = version_upload(submission=submission, actor=author, pdf=pdf_file(pages=2))
    drive_to_state(submission, SubmissionState.SUBMITTED, author=author, editor=None, chief=None)
    v2 = version_upload(
        submission=submission, actor=author, pdf=pdf_file(pages=3), change_summary="More"
    )
    assert (v1.number, v2.number) == (1, 2)
    assert v1.pdf.name != v2.pdf.name
    v1.refresh_from_db()
    assert v1.page_count == 2 and v1.pdf.storage.exists(v1.pdf.name)
    assert v1.submitted_at is not None and v2.submitted_at is not None


def test_upload_not_a_pdf_refused(draft):
    submission, author = draft
    with pytest.raises(FileCheckError, match="not a PDF") as info:
        version_upload(
            submission=submission, actor=author, pdf=ContentFile(b"PK\x03\x04zip", "a.pdf")
        )
    assert info.value.field == "pdf"
    assert not submission.versions.exists()


def test_upload_broken_pdf_refused(draft):
    submission, author = draft
    with pytest.raises(FileCheckError, match="could not be read"):
        version_upload(
            submission=submission, actor=author, pdf=ContentFile(b"%PDF-1.4\ngarbage", "a.pdf")
        )


def test_upload_too_many_pages_refused(draft):
    submission, author = draft
    with pytest.raises(FileCheckError, match=r"5 pages; .* at most 4"):
        version_upload(submission=submission, actor=author, pdf=pdf_file(pages=5))


def test_upload_too_large_refused(draft):
    submission, author = draft
    big = make_pdf(page_count=1) + b"%" + b"x" * (1024 * 1024)
    with pytest.raises(FileCheckError, match="at most 1 MB"):
        version_upload(submission=submission, actor=author, pdf=ContentFile(big, "big.pdf"))


def test_upload_after_draft_needs_change_summary():
    venue = VenueFactory()
    chief = VenueRoleFactory(venue=venue, role=RoleKind.CHIEF).user
    author = UserFactory()
    submission = submission_create(
        venue=venue, creator=author, title="T", abstract="A", hypothesis_claim="H"
    )
    drive_to_state(submission, SubmissionState.SUBMITTED, author=author, editor=chief, chief=chief)
    with pytest.raises(DomainError, match="Summarise"):
        version_upload(submission=submission, actor=author, pdf=pdf_file())
    version = version_upload(
        submission=submission, actor=author, pdf=pdf_file(), change_summary="Typos"
    )
    assert version.number == 2


def test_camera_ready_only_after_acceptance(draft):
    submission, author = draft
    with pytest.raises(DomainError, match="cannot be uploaded while the paper is draft"):
        version_upload(
            submission=submission, actor=author, pdf=pdf_file(), kind=VersionKind.CAMERA_READY
        )


# --- Double-blind: unsubmitted versions, the anonymity check, the copy readers get ---------


@pytest.fixture
def blind():
    """A double-blind venue with a chief (handling editor), a reviewer and an author's draft."""
    venue = VenueFactory(anonymity=Anonymity.DOUBLE_BLIND)
    chief = VenueRoleFactory(venue=venue, role=RoleKind.CHIEF).user
    reviewer = VenueRoleFactory(venue=venue, role=RoleKind.REVIEWER).user
    author = UserFactory()
    submission = submission_create(
        venue=venue,
        creator=author,
        title="Engines of thought",
        abstract="A",
        hypothesis_claim="H",
        authors=[AuthorInput(name="Ada Lovelace", email=author.email)],
    )
    return SimpleNamespace(
        venue=venue, chief=chief, reviewer=reviewer, author=author, submission=submission
    )


def to_review(world, state=SubmissionState.UNDER_REVIEW):
    """Drive the paper to review with the reviewer on it, then on to `state`."""
    people = {"author": world.author, "editor": world.chief, "chief": world.chief}
    drive_to_state(world.submission, SubmissionState.UNDER_REVIEW, **people)
    invitation = invitation_create(
        submission=world.submission, reviewer=world.reviewer, invited_by=world.chief
    )
    invitation_accept(invitation=invitation, actor=world.reviewer)
    if state != SubmissionState.UNDER_REVIEW:
        drive_to_state(world.submission, state, **people)
    world.submission.refresh_from_db()


def file_url(submission, number):
    kwargs = {"pk": submission.pk, "number": number, "part": "pdf"}
    return reverse("journal:version-file", kwargs=kwargs)


def download(client, url) -> bytes:
    response = client.get(url)
    assert response.status_code == 200, response
    return b"".join(response.streaming_content)


NAMED = [["Engines of thought", "Ada Lovelace, Analytical Society"]]
ANONYMOUS = [["Engines of thought", "Anonymous authors"]]


def test_flagged_draft_version_replaced_is_deleted_and_reviewer_gets_404(
    client, blind, django_capture_on_commit_callbacks
):
    submission, author = blind.submission, blind.author
    flagged = version_upload(submission=submission, actor=author, pdf=pdf_upload(NAMED))
    refused = draft_submit(submission=submission, actor=author)
    assert refused.warnings == ["Author name 'Ada Lovelace' on page 1"]
    submission.refresh_from_db()
    assert submission.state == SubmissionState.DRAFT and flagged.submitted_at is None
    stored = flagged.pdf.name
    assert flagged.pdf.storage.exists(stored)

    with django_capture_on_commit_callbacks(execute=True):
        clean = version_upload(submission=submission, actor=author, pdf=pdf_upload(ANONYMOUS))
    assert clean.number == 2
    assert list(submission.versions.values_list("number", flat=True)) == [2]
    assert not flagged.pdf.storage.exists(stored)
    assert AuditEvent.objects.filter(
        submission=submission, action="version.discarded", data__numbers=[1]
    ).exists()

    to_review(blind)
    clean.refresh_from_db()
    assert clean.submitted_at is not None and clean.anonymity_findings == []
    client.force_login(blind.reviewer)
    assert client.get(file_url(submission, 1)).status_code == 404
    assert b"Ada Lovelace" not in download(client, file_url(submission, 2))
    page = client.get(submission.get_absolute_url()).content.decode()
    assert file_url(submission, 2) in page and file_url(submission, 1) not in page


def test_unsubmitted_revision_visible_to_the_authors_only(client, blind):
    submission = blind.submission
    version_upload(submission=submission, actor=blind.author, pdf=pdf_upload(ANONYMOUS))
    to_review(blind, SubmissionState.REVISION_REQUESTED)
    pending = version_upload(
        submission=submission, actor=blind.author, pdf=pdf_upload(NAMED), change_summary="Names"
    )
    assert pending.submitted_at is None
    for person in (blind.reviewer, blind.chief):
        client.force_login(person)
        assert client.get(file_url(submission, 2)).status_code == 404
        assert client.get(file_url(submission, 1)).status_code == 200
        page = client.get(submission.get_absolute_url()).content.decode()
        assert file_url(submission, 2) not in page
    client.force_login(blind.author)
    assert b"Ada Lovelace" in download(client, file_url(submission, 2))


def test_revision_replaced_before_resubmission_is_deleted(
    blind, django_capture_on_commit_callbacks
):
    submission = blind.submission
    version_upload(submission=submission, actor=blind.author, pdf=pdf_upload(ANONYMOUS))
    to_review(blind, SubmissionState.REVISION_REQUESTED)
    flagged = version_upload(
        submission=submission, actor=blind.author, pdf=pdf_upload(NAMED), change_summary="v2"
    )
    with pytest.raises(AnonymityError, match="Author name 'Ada Lovelace' on page 1"):
        submission_transition(
            submission=submission, to_state=SubmissionState.SUBMITTED, actor=blind.author
        )
    submission.refresh_from_db()
    assert submission.state == SubmissionState.REVISION_REQUESTED
    with django_capture_on_commit_callbacks(execute=True):
        version_upload(
            submission=submission,
            actor=blind.author,
            pdf=pdf_upload(ANONYMOUS),
            change_summary="v3",
        )
    assert not flagged.pdf.storage.exists(flagged.pdf.name)
    submission_transition(
        submission=submission, to_state=SubmissionState.SUBMITTED, actor=blind.author
    )
    numbers = submission.versions.filter(submitted_at__isnull=False).values_list(
        "number", flat=True
    )
    assert list(numbers) == [1, 3]


def test_upload_under_review_naming_the_author_refused(blind):
    version_upload(submission=blind.submission, actor=blind.author, pdf=pdf_upload(ANONYMOUS))
    to_review(blind)
    with pytest.raises(AnonymityError, match="Author name 'Ada Lovelace' on page 1") as refused:
        version_upload(
            submission=blind.submission,
            actor=blind.author,
            pdf=pdf_upload(NAMED),
            change_summary="Typos",
        )
    assert refused.value.status_code == 400
    assert blind.submission.versions.count() == 1
    confirmed = version_upload(
        submission=blind.submission,
        actor=blind.author,
        pdf=pdf_upload(NAMED),
        change_summary="Typos",
        acknowledge_anonymity=True,
    )
    assert confirmed.submitted_at is not None and confirmed.anonymity_acknowledged
    assert confirmed.anonymity_findings == ["Author name 'Ada Lovelace' on page 1"]


def test_pdf_author_metadata_flagged_and_absent_from_reviewer_download(client, blind):
    submission = blind.submission
    pdf = pdf_upload(ANONYMOUS, info={"/Author": "Ada Lovelace"}, xmp_creators=["Ada Lovelace"])
    version = version_upload(submission=submission, actor=blind.author, pdf=pdf)
    to_review(blind)  # metadata alone does not stop the submission: readers get none
    version.refresh_from_db()
    assert version.anonymity_findings == [
        "Metadata /Author: Ada Lovelace",
        "XMP dc:creator: Ada Lovelace",
    ]
    for person in (blind.reviewer, blind.chief):
        client.force_login(person)
        data = download(client, file_url(submission, 1))
        assert b"Lovelace" not in data
        reader = PdfReader(io.BytesIO(data))
        assert not reader.metadata or "/Author" not in reader.metadata
        assert reader.xmp_metadata is None
        assert "Engines of thought" in reader.pages[0].extract_text()
    api = APIClient()
    api.force_authenticate(blind.reviewer)
    response = api.get(f"/api/v1/versions/{version.pk}/pdf/")
    assert response.status_code == 200
    assert b"Lovelace" not in b"".join(response.streaming_content)
    client.force_login(blind.author)
    original = PdfReader(io.BytesIO(download(client, file_url(submission, 1))))
    assert original.metadata["/Author"] == "Ada Lovelace"
