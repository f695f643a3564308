"""Versions are immutable records of each upload; bad files are refused with a reason."""

import pytest
from django.core.files.base import ContentFile

from journal.demo.pdf import make_pdf
from journal.demo.workflow import drive_to_state, pdf_file
from journal.enums import RoleKind, SubmissionState, VersionKind
from journal.errors import DomainError, FileCheckError
from journal.services.submissions import submission_create
from journal.services.versions import version_upload
from tests.factories import UserFactory, VenueFactory, VenueRoleFactory

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


def test_upload_new_version_keeps_old(draft):
    submission, author = draft
    v1 = version_upload(submission=submission, actor=author, pdf=pdf_file(pages=2))
    v2 = version_upload(submission=submission, actor=author, pdf=pdf_file(pages=3))
    assert (v1.number, v2.number) == (1, 2)
    assert v1.pdf.name != v2.pdf.name
    v1.refresh_from_db()
    assert v1.page_count == 2 and v1.pdf.storage.exists(v1.pdf.name)


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
