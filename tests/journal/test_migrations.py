"""Models and migrations agree; data migrations mark what was already there."""

import importlib

import pytest
from django.apps import apps
from django.core.management import call_command

from journal.demo.workflow import drive_to_state, pdf_file
from journal.enums import RoleKind, SubmissionState
from journal.models import AuditEvent, SubmissionVersion
from journal.services.submissions import submission_create
from journal.services.versions import version_upload
from tests.factories import UserFactory, VenueFactory, VenueRoleFactory

S = SubmissionState


@pytest.mark.django_db
def test_makemigrations_check_is_clean():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


@pytest.mark.django_db
def test_existing_versions_marked_submitted_from_the_audit_trail():
    venue = VenueFactory()
    chief = VenueRoleFactory(venue=venue, role=RoleKind.CHIEF).user
    author = UserFactory()

    def paper(title):
        return submission_create(
            venue=venue, creator=author, title=title, abstract="A", hypothesis_claim="H"
        )

    people = {"author": author, "editor": chief, "chief": chief}
    traced = drive_to_state(paper("Traced"), S.UNDER_REVIEW, **people)
    version_upload(submission=traced, actor=author, pdf=pdf_file(), change_summary="Typos")
    drive_to_state(traced, S.REVISION_REQUESTED, **people)
    version_upload(submission=traced, actor=author, pdf=pdf_file(), change_summary="Pending")
    bulk = drive_to_state(paper("Loaded in bulk"), S.SUBMITTED, **people)
    AuditEvent.objects.filter(submission=bulk).delete()
    SubmissionVersion.objects.update(submitted_at=None)

    migration = importlib.import_module("journal.migrations.0004_version_submitted_at")
    migration.stamp_submitted_versions(apps, None)

    submitted_at = traced.audit_events.get(to_state=S.SUBMITTED).created_at
    v1, v2, v3 = traced.versions.order_by("number")
    assert v1.submitted_at == submitted_at
    assert v2.submitted_at == v2.created_at  # uploaded under review: submitted at once
    assert v3.submitted_at is None  # the revision was never resubmitted
    only = bulk.versions.get()
    assert only.submitted_at == only.created_at
