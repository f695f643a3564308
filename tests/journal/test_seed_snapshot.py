"""The demo snapshot: current with its inputs, loaded in seconds, its history ending before now."""

from datetime import timedelta
from time import perf_counter

import pytest
from django.db import connection, transaction
from django.test import override_settings
from django.utils import timezone

from journal.demo.seed import seed_demo
from journal.demo.snapshot import (
    SnapshotUnusable,
    snapshot_inputs,
    snapshot_load,
    snapshot_read,
)
from journal.models import AuditEvent, Submission, SubmissionVersion, User, Venue
from reviews.models import Review, ReviewInvitation


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker, tmp_path_factory):
    """Load the snapshot once for the module, in a transaction rolled back at the end."""
    media = tmp_path_factory.mktemp("media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media), transaction.atomic():
        started = perf_counter()
        report = seed_demo()
        report.load_seconds = perf_counter() - started
        with SubmissionVersion.objects.order_by("pk").first().pdf.open("rb") as handle:
            report.first_pdf = handle.read()  # the stored files land in this MEDIA_ROOT
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        yield report
        transaction.set_rollback(True)


def test_snapshot_is_current_with_the_seed_data_demo_code_and_migrations():
    document = snapshot_read()

    assert document["inputs"] == snapshot_inputs()
    assert len(document["rows"]) > 10_000


@pytest.mark.django_db
def test_snapshot_load_fills_the_demo_in_seconds(loaded):
    assert loaded.load_seconds < 30
    assert loaded.created["submissions"] == Submission.objects.count() == 200
    assert set(Venue.objects.values_list("slug", flat=True)) == {"tmlr-demo", "conf-demo"}
    assert User.objects.get(email="author@demo.example.edu").has_usable_password()
    assert loaded.first_pdf.startswith(b"%PDF-")


@pytest.mark.django_db
def test_snapshot_history_ends_just_before_now(loaded):
    now = timezone.now()
    latest = AuditEvent.objects.order_by("-created_at").first().created_at

    assert now - timedelta(hours=2) < latest <= now
    assert not Submission.objects.filter(created_at__gt=now).exists()
    assert not Review.objects.filter(submitted_at__gt=now).exists()
    assert not ReviewInvitation.objects.filter(created_at__gt=now).exists()
    # deadlines keep their distance from now: some reviews are due, some overdue
    assert ReviewInvitation.objects.filter(review_due__gt=now).exists()
    assert ReviewInvitation.objects.filter(review_due__lt=now).exists()


@pytest.mark.django_db
def test_snapshot_second_load_is_refused_and_changes_nothing(loaded):
    before = (Submission.objects.count(), AuditEvent.objects.count(), User.objects.count())

    with pytest.raises(SnapshotUnusable, match="already has"):
        snapshot_load(document=snapshot_read())

    assert (Submission.objects.count(), AuditEvent.objects.count(), User.objects.count()) == before


@pytest.mark.django_db
def test_seed_demo_after_the_snapshot_creates_nothing(loaded):
    before = (Submission.objects.count(), AuditEvent.objects.count())

    report = seed_demo()

    assert sum(report.created.values()) == 0
    assert (Submission.objects.count(), AuditEvent.objects.count()) == before
