"""The demo seed: every state occurs, the people fit the brief, seeding again changes nothing."""

import hashlib
import io
import re

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import Count
from django.test import override_settings
from django.utils import timezone

from journal.demo.corpus import SLOTS, load_seeds
from journal.demo.plan import demo_plan
from journal.demo.seed import seed_demo, seed_synthetic
from journal.enums import RoleKind, SubmissionState, VenueKind
from journal.models import (
    Authorship,
    DeclaredConflict,
    Submission,
    SubmissionVersion,
    User,
    Venue,
    VenueRole,
)
from reviews.models import Publication

DEMO_AUTHOR = "author@demo.example.edu"


def _fingerprint() -> dict[str, tuple[int, str]]:
    """Return, for every model of both apps, its row count and a hash of all its values."""
    result = {}
    for label in ("journal", "reviews"):
        for model in apps.get_app_config(label).get_models():
            digest = hashlib.sha256()
            rows = model.objects.order_by("pk").values_list()
            for row in rows.iterator():
                digest.update(repr(row).encode())
            result[model._meta.label] = (rows.count(), digest.hexdigest())
    return result


def _reviewers(**filters):
    reviewer_ids = VenueRole.objects.filter(role=RoleKind.REVIEWER, **filters).values("user_id")
    return User.objects.filter(pk__in=reviewer_ids)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """Seed the demo once for the module, inside a transaction rolled back at the end."""
    media = tmp_path_factory.mktemp("media")
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=media),
        transaction.atomic(),
    ):
        yield seed_demo()
        transaction.set_rollback(True)


def test_demo_plan_same_seed_same_plan():
    assert demo_plan() == demo_plan()


def test_demo_plan_text_complete_and_unique():
    plan = demo_plan()
    leftover = re.compile(r"\{(" + "|".join(SLOTS) + r")\}", re.IGNORECASE)
    titles = [(s.venue, s.text.title.lower()) for s in plan.submissions]
    assert len(set(titles)) == len(titles) == 200
    for spec in plan.submissions:
        text = spec.text
        fields = [text.title, text.abstract, text.hypothesis_claim, text.hypothesis_rationale]
        assert not any(leftover.search(f) for f in [*fields, text.hypothesis_refutation])
        sentences = re.split(r"(?<=[.?!])\s+(?=[A-Z$])", text.abstract)
        assert 4 <= len(sentences) <= 8
        assert 1 <= len(text.claims) <= 5
        assert all(c.code_url.startswith("https://code.example.org/") for c in text.claims)
        assert 1 <= len(spec.authors) <= 6


def test_demo_plan_addresses_fictional_or_never_authors():
    plan = demo_plan()
    providers = set(load_seeds().public_domains)
    public = {u.person.email for u in plan.users if u.person.email.split("@")[1] in providers}
    authors = {a.email for s in plan.submissions for a in s.authors}
    assert public  # a few reviewers use personal addresses, to exercise conflict rules
    assert not public & authors
    assert all(".example." in e.split("@")[1] for e in authors)


@pytest.mark.slow
@pytest.mark.django_db
def test_seed_demo_second_run_changes_nothing(demo):
    before = _fingerprint()

    report = seed_demo()

    assert sum(report.created.values()) == 0
    assert _fingerprint() == before


@pytest.mark.slow
@pytest.mark.django_db
def test_seed_demo_every_state_occurs(demo):
    assert set(Submission.objects.values_list("state", flat=True)) == set(SubmissionState)
    assert Submission.objects.count() == 200


@pytest.mark.slow
@pytest.mark.django_db
def test_seed_demo_venues_have_their_kinds(demo):
    journal = Venue.objects.get(slug="tmlr-demo")
    conference = Venue.objects.get(slug="conf-demo")

    assert journal.kind == VenueKind.JOURNAL and journal.is_double_blind
    assert (journal.reviewers_per_paper, journal.review_period_days) == (3, 14)
    assert (journal.long_paper_pages, journal.long_review_period_days) == (12, 28)
    assert journal.submission_deadline is None
    assert conference.kind == VenueKind.CONFERENCE and conference.is_double_blind
    assert conference.submission_deadline > timezone.now() + timezone.timedelta(days=25)
    assert conference.camera_ready_deadline > conference.submission_deadline
    assert (journal.review_form.slug, conference.review_form.slug) == ("tmlr", "neurips-style")


@pytest.mark.slow
@pytest.mark.django_db
def test_seed_demo_reviewers_have_three_to_ten_publications(demo):
    counts = list(_reviewers().annotate(n=Count("publications")).values_list("n", flat=True))

    assert len(counts) >= 150
    assert min(counts) >= 3 and max(counts) <= 10
    assert _reviewers(venue__slug="tmlr-demo").filter(venue_roles__venue__slug="conf-demo").exists()
    assert VenueRole.objects.filter(role=RoleKind.REVIEWER, load_quota__isnull=False).exists()
    assert VenueRole.objects.filter(unavailable_until__gt=timezone.localdate()).exists()


@pytest.mark.slow
@pytest.mark.django_db
def test_seed_demo_reviewers_share_publications(demo):
    names = set(_reviewers().values_list("display_name", flat=True))
    coauthors = [n for c in Publication.objects.values_list("coauthors", flat=True) for n in c]

    assert sum(name in names for name in coauthors) >= 30


@pytest.mark.slow
@pytest.mark.django_db
def test_seed_demo_author_has_papers_in_both_venues(demo):
    rows = Authorship.objects.filter(user__email=DEMO_AUTHOR).values_list(
        "submission__venue__slug", "submission__state"
    )

    assert {venue for venue, _ in rows} == {"tmlr-demo", "conf-demo"}
    assert len({state for _, state in rows}) >= 5


@pytest.mark.slow
@pytest.mark.django_db
def test_seed_demo_submissions_have_hypothesis_claims_and_conflicts(demo):
    papers = Submission.objects.annotate(
        claims=Count("benchmark_claims", distinct=True), people=Count("authors", distinct=True)
    )

    assert not papers.filter(hypothesis_claim="").exists()
    assert not papers.filter(hypothesis_refutation="").exists()
    assert set(papers.values_list("claims", flat=True)) <= {1, 2, 3, 4, 5}
    assert set(papers.values_list("people", flat=True)) <= {1, 2, 3, 4, 5, 6}
    assert Authorship.objects.filter(user__in=_reviewers()).exists()
    assert DeclaredConflict.objects.exists()
    assert SubmissionVersion.objects.filter(number__gt=1).exclude(change_summary="").exists()


@pytest.mark.slow
@pytest.mark.django_db
def test_seed_demo_command_prints_logins(demo):
    out = io.StringIO()

    call_command("seed_demo", stdout=out)

    assert DEMO_AUTHOR in out.getvalue()
    assert "peerless-demo" in out.getvalue()
    assert "already seeded" in out.getvalue()


@pytest.mark.django_db
def test_seed_synthetic_creates_requested_counts():
    report = seed_synthetic(slug="bench-test", papers=30, reviewers=40, seed=1)

    venue = Venue.objects.get(slug="bench-test")
    assert report.created["submissions"] == venue.submissions.count() == 30
    assert venue.roles.filter(role=RoleKind.REVIEWER).count() == 40
    versions = SubmissionVersion.objects.filter(submission__venue=venue)
    assert versions.count() == 30
    assert versions.values("pdf").distinct().count() == 1
    counts = _reviewers(venue=venue).annotate(n=Count("publications")).values_list("n", flat=True)
    assert min(counts) >= 5
    assert not venue.submissions.annotate(n=Count("authors")).filter(n=0).exists()


@pytest.mark.django_db
def test_seed_synthetic_second_run_changes_nothing():
    seed_synthetic(slug="bench-test", papers=30, reviewers=40, seed=1)
    before = _fingerprint()

    report = seed_synthetic(slug="bench-test", papers=30, reviewers=40, seed=1)

    assert sum(report.created.values()) == 0
    assert _fingerprint() == before


@pytest.mark.django_db
def test_seed_synthetic_larger_run_completes_a_smaller_one():
    seed_synthetic(slug="bench-test", papers=20, reviewers=30, seed=1)
    papers = Submission.objects.filter(venue__slug="bench-test").order_by("number")
    first = list(papers.values_list("number", "title"))

    seed_synthetic(slug="bench-test", papers=30, reviewers=40, seed=1)

    venue = Venue.objects.get(slug="bench-test")
    assert venue.submissions.count() == 30
    assert venue.roles.filter(role=RoleKind.REVIEWER).count() == 40
    assert list(papers.values_list("number", "title"))[:20] == first


def test_seed_demo_command_needs_both_sizes():
    with pytest.raises(CommandError):
        call_command("seed_demo", "--papers", "10")
