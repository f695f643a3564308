"""The demo seed: every state occurs, the people fit the brief, seeding again changes nothing."""

import hashlib
import io
import re
from collections import Counter

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.db.models import Count
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from journal.demo.corpus import SLOTS, load_seeds
from journal.demo.plan import demo_plan
from journal.demo.seed import seed_demo
from journal.demo.seed_synthetic import seed_synthetic
from journal.demo.snapshot import snapshot_models, snapshot_read
from journal.enums import DecisionOutcome, DecisionStatus, RoleKind, SubmissionState, VenueKind
from journal.models import (
    AuditEvent,
    Authorship,
    Decision,
    DeclaredConflict,
    Submission,
    SubmissionVersion,
    User,
    Venue,
    VenueRole,
)
from reviews.enums import InvitationState, ReviewState
from reviews.models import (
    AffinityRun,
    AssignmentRun,
    Bid,
    Comment,
    JobStatus,
    ProposedAssignment,
    Publication,
    Review,
    ReviewerRecommendation,
    ReviewForm,
    ReviewFormField,
    ReviewInvitation,
    ReviewRound,
    RunStatus,
)
from reviews.rules import bidding_is_open
from reviews.selectors.conflicts import conflicts_for_pair

#: Seeding the demo through the services takes minutes: the suite starts this file first.
pytestmark = pytest.mark.long_setup

DEMO_AUTHOR = "author@demo.example.edu"
DEMO_REVIEWER = "reviewer@demo.example.edu"


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
    """Seed the demo once for the module, inside a transaction rolled back at the end.

    Without sentence embeddings (TF-IDF affinity only): embedding the demo's texts was half
    of the seeding time, and these tests check what is seeded, not the affinity model.
    """
    media = tmp_path_factory.mktemp("media")
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=media, AFFINITY_EMBEDDING_MODEL=""),
        transaction.atomic(),
    ):
        report = seed_demo(snapshot=False)
        if connection.vendor == "postgresql":
            # The rows are never committed, so autovacuum never samples them; without fresh
            # statistics the planner may choose nested loops over thousands of rows.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        yield report
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
    review_models = [
        "reviews.ReviewRound",
        "reviews.ReviewInvitation",
        "reviews.Review",
        "reviews.ReviewVersion",
        "reviews.Comment",
        "reviews.ReviewerRecommendation",
        "reviews.MetaReview",
        "reviews.AssignmentRun",
        "journal.Decision",
    ]
    assert all(before[label][0] > 0 for label in review_models)

    report = seed_demo()

    assert sum(report.created.values()) == 0
    assert _fingerprint() == before


@pytest.mark.slow
@pytest.mark.django_db
def test_seed_demo_snapshot_holds_what_the_services_seed_today(demo):
    document = snapshot_read()
    in_snapshot = Counter(row["model"] for row in document["rows"])
    seeded = {
        model._meta.label_lower: model.objects.count()
        for model in snapshot_models()
        if model.objects.exists() and model not in (ReviewForm, ReviewFormField)  # migrations
    }
    papers = {
        (row["fields"]["title"], row["fields"]["state"])
        for row in document["rows"]
        if row["model"] == "journal.submission"
    }

    assert dict(in_snapshot) == seeded
    assert papers == set(Submission.objects.values_list("title", "state"))


@pytest.mark.slow
@pytest.mark.django_db
def test_seed_demo_conference_has_a_senior_area_chair_over_its_area_chairs(demo):
    conference = Venue.objects.get(slug="conf-demo")
    senior = VenueRole.objects.get(venue=conference, role=RoleKind.SENIOR_AREA_CHAIR).user
    assert senior.email == "sac@conf-demo.example.org"
    assert Publication.objects.filter(user=senior).count() == 4
    chairs = VenueRole.objects.filter(venue=conference, role=RoleKind.ACTION_EDITOR)
    assert chairs.count() == 3
    assert set(chairs.values_list("senior_id", flat=True)) == {senior.pk}
    for role in chairs:
        assert Publication.objects.filter(user=role.user).count() >= 3


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
    assert (journal.review_form.slug, conference.review_form.slug) == ("peerless-balanced",) * 2


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

    text = out.getvalue()
    assert DEMO_AUTHOR in text
    assert "the password of every demo account is peerless-demo" in text
    assert "already seeded" in text
    for role in ("Authors", "Reviewers", "Journal editors (tmlr-demo)", "Conference chairs"):
        assert role in text
    assert "try: http://127.0.0.1:8000/reviewing/" in text
    assert "Sign in at http://127.0.0.1:8000/accounts/login/" in text


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


REVIEWED_STATES = {
    SubmissionState.UNDER_REVIEW,
    SubmissionState.DECISION_PENDING,
    SubmissionState.REVISION_REQUESTED,
    SubmissionState.ACCEPTED,
    SubmissionState.REJECTED,
    SubmissionState.CAMERA_READY,
    SubmissionState.PUBLISHED,
    SubmissionState.RETRACTED,
}


@pytest.mark.slow
@pytest.mark.django_db
def test_seed_demo_reviews_in_every_reviewed_state(demo):
    submitted = Review.objects.filter(state=ReviewState.SUBMITTED)
    states = set(submitted.values_list("submission__state", flat=True))

    assert states == REVIEWED_STATES
    assert Review.objects.filter(
        state=ReviewState.DRAFT, submission__state=SubmissionState.UNDER_REVIEW
    ).exists()
    assert submitted.filter(is_late=True).exists()
    assert (
        ReviewInvitation.objects.filter(state=InvitationState.DECLINED)
        .exclude(decline_reason="")
        .exists()
    )
    overdue = ReviewInvitation.objects.filter(
        state=InvitationState.ACCEPTED,
        review_due__lt=timezone.now(),
        review__state=ReviewState.DRAFT,
        submission__state=SubmissionState.UNDER_REVIEW,
    )
    assert overdue.exists()
    assert ReviewInvitation.objects.filter(
        state=InvitationState.PENDING, submission__state=SubmissionState.UNDER_REVIEW
    ).exists()
    assert not ReviewInvitation.objects.exclude(submission__state__in=REVIEWED_STATES).exists()


@pytest.mark.slow
@pytest.mark.django_db
def test_seed_demo_review_rows_come_from_the_services(demo):
    created = AuditEvent.objects.filter(action="invitation.create")
    invited = {event.data["invitation"] for event in created}
    submitted = Review.objects.filter(state=ReviewState.SUBMITTED)

    assert set(ReviewInvitation.objects.values_list("pk", flat=True)) == invited
    assert not Review.objects.exclude(invitation__state=InvitationState.ACCEPTED).exists()
    assert not submitted.filter(versions=None).exists()
    assert AuditEvent.objects.filter(action="review.submit").count() == submitted.count()


@pytest.mark.slow
@pytest.mark.django_db
def test_seed_demo_reviewer_has_pending_invitations_a_draft_and_reviews(demo):
    mine = ReviewInvitation.objects.filter(reviewer__email=DEMO_REVIEWER)
    pending = mine.filter(state=InvitationState.PENDING)
    drafts = Review.objects.filter(reviewer__email=DEMO_REVIEWER, state=ReviewState.DRAFT)
    submitted = Review.objects.filter(reviewer__email=DEMO_REVIEWER, state=ReviewState.SUBMITTED)

    assert 1 <= pending.count() <= 2
    assert drafts.count() == 1
    assert drafts.get().invitation.review_due < timezone.now() + timezone.timedelta(days=3)
    assert 2 <= submitted.count() <= 3
    assert set(mine.values_list("submission__venue__slug", flat=True)) == {
        "tmlr-demo",
        "conf-demo",
    }


@pytest.mark.slow
@pytest.mark.django_db
def test_seed_demo_decided_papers_have_published_decisions(demo):
    decided = Submission.objects.filter(state__in=SubmissionState.DECISION_OUT)
    without = decided.exclude(decisions__status=DecisionStatus.PUBLISHED)
    # A conference has no revision outcome: there the workflow alone requests it.
    assert set(without.values_list("venue__kind", "state")) <= {
        (VenueKind.CONFERENCE, SubmissionState.REVISION_REQUESTED)
    }
    rejected = Decision.objects.filter(
        status=DecisionStatus.PUBLISHED, submission__state=SubmissionState.REJECTED
    )
    assert set(rejected.values_list("outcome", flat=True)) == {DecisionOutcome.REJECT}
    assert not decided.exclude(review_rounds__meta_review__isnull=False).exists()
    assert ReviewerRecommendation.objects.exists()
    assert Review.objects.exclude(rating="").exists()


@pytest.mark.slow
@pytest.mark.django_db
def test_seed_demo_accepted_papers_score_higher_than_rejected(demo):
    def mean_rating(states):
        reviews = Review.objects.filter(
            submission__venue__slug="conf-demo",
            submission__state__in=states,
            state=ReviewState.SUBMITTED,
        )
        scores = [r.submitted_answers["evidence"] for r in reviews]
        return sum(scores) / len(scores)

    accepted = {SubmissionState.ACCEPTED, SubmissionState.CAMERA_READY}
    assert mean_rating(accepted) > mean_rating({SubmissionState.REJECTED})


@pytest.mark.slow
@pytest.mark.django_db
def test_seed_demo_discussion_and_released_reviews_for_the_author(demo):
    released = ReviewRound.objects.filter(
        submission__authors__user__email=DEMO_AUTHOR, released_at__isnull=False
    )

    assert released.exists()
    audiences = set(Comment.objects.values_list("role", "audience"))
    assert {("author", "everyone"), ("reviewer", "reviewers"), ("editor", "editors")} <= audiences


@pytest.mark.slow
@pytest.mark.django_db
def test_seed_demo_conference_has_a_matching_proposal(demo):
    venue = Venue.objects.get(slug="conf-demo")

    assert AffinityRun.objects.filter(venue=venue, status=JobStatus.DONE).exists()
    assert AssignmentRun.objects.filter(venue=venue, status=RunStatus.PROPOSED).count() == 1
    assert ProposedAssignment.objects.filter(run__venue=venue).exists()
    assert not ReviewInvitation.objects.filter(source="matching").exists()


@pytest.mark.slow
@pytest.mark.django_db
def test_seed_demo_conference_has_bids_and_the_reviewer_reaches_the_bidding_page(demo, client):
    venue = Venue.objects.get(slug="conf-demo")
    assert bidding_is_open(venue)
    bids = Bid.objects.filter(submission__venue=venue).select_related("submission", "reviewer")
    mine = bids.filter(reviewer__email=DEMO_REVIEWER)
    assert bids.count() > 20 and 1 <= mine.count() < venue.matching_settings.min_bids
    assert not any(conflicts_for_pair(submission=b.submission, reviewer=b.reviewer) for b in bids)
    client.force_login(User.objects.get(email=DEMO_REVIEWER))
    response = client.get(reverse("reviews:bids", args=[venue.slug]))
    assert response.status_code == 200
    html = response.content.decode()
    assert f"You have bid on <strong>{mine.count()}</strong> paper" in html
    assert mine.first().submission.title in html or "page 1 of" in html
