"""The demo tells a true story: each paper's events in order, and every chart with data.

The module loads the demo (the snapshot of a run through the services) once.
"""

import re
from collections import defaultdict

import pytest
from django.db import connection, transaction
from django.db.models import F, Max, Min
from django.test import override_settings
from django.utils import timezone

from journal.demo.seed import seed_demo
from journal.enums import DecisionStatus, SubmissionState
from journal.models import AuditEvent, Decision, Submission, User
from reviews.enums import InvitationState, ReviewState
from reviews.models import Comment, MetaReview, Review, ReviewerRecommendation, ReviewInvitation

S = SubmissionState
#: The moves of the workflow in the order a paper makes them.
ORDER = [
    S.SUBMITTED,
    S.UNDER_REVIEW,
    S.DECISION_PENDING,
    S.ACCEPTED,
    S.CAMERA_READY,
    S.PUBLISHED,
    S.RETRACTED,
]


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    media = tmp_path_factory.mktemp("media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media), transaction.atomic():
        report = seed_demo()
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        yield report
        transaction.set_rollback(True)


def _events() -> dict[int, list[AuditEvent]]:
    events = defaultdict(list)
    rows = AuditEvent.objects.exclude(submission=None).order_by("pk")
    for event in rows.only("pk", "submission_id", "action", "to_state", "created_at"):
        events[event.submission_id].append(event)
    return events


@pytest.mark.django_db
def test_every_paper_begins_with_its_creation_and_ends_before_now(demo):
    now = timezone.now()
    for submission_id, events in _events().items():
        first = min(events, key=lambda e: (e.created_at, e.pk))
        assert first.action == "submission.created", submission_id
        uploads = [e.created_at for e in events if e.action == "version.uploaded"]
        submitted = [
            e.created_at
            for e in events
            if e.action == "submission.transition" and e.to_state == S.SUBMITTED
        ]
        if submitted:
            assert min(uploads) < min(submitted), submission_id
        assert max(e.created_at for e in events) <= now


@pytest.mark.django_db
def test_replies_ratings_and_reviews_come_after_what_they_answer(demo):
    replies = Comment.objects.exclude(parent=None).select_related("parent")
    assert replies.exists()
    for reply in replies:
        assert reply.parent.created_at < reply.created_at
    rated = Review.objects.exclude(rated_at=None)
    assert rated.count() > 100
    for review in rated:
        assert review.submitted_at < review.rated_at


@pytest.mark.django_db
def test_every_paper_moves_through_the_workflow_in_order(demo):
    for submission_id, events in _events().items():
        moves = [e for e in events if e.action == "submission.transition"]
        times = [e.created_at for e in moves]
        assert times == sorted(times), submission_id
        reached = [S(e.to_state) for e in moves if e.to_state in ORDER]
        # a revision goes back to "submitted"; within each round the order holds
        rounds, current = [], []
        for state in reached:
            if state == S.SUBMITTED and current:
                rounds.append(current)
                current = []
            current.append(state)
        rounds.append(current)
        for states in rounds:
            assert states == sorted(states, key=ORDER.index), submission_id


@pytest.mark.django_db
def test_submitted_then_invited_then_accepted_then_reviewed(demo):
    first_submitted = dict(
        AuditEvent.objects.filter(action="submission.transition", to_state=S.SUBMITTED)
        .values("submission_id")
        .annotate(at=Min("created_at"))
        .values_list("submission_id", "at")
    )
    invitations = ReviewInvitation.objects.select_related("submission").order_by("pk")
    assert invitations.count() > 300
    for invitation in invitations:
        submission = invitation.submission
        assert submission.created_at <= first_submitted[submission.pk] <= invitation.created_at
        if invitation.responded_at is not None:
            assert invitation.created_at < invitation.responded_at
    reviews = Review.objects.filter(state=ReviewState.SUBMITTED).select_related("invitation")
    for review in reviews:
        assert review.invitation.state == InvitationState.ACCEPTED
        assert review.invitation.responded_at <= review.created_at < review.submitted_at


@pytest.mark.django_db
def test_discussion_recommendations_meta_review_and_decision_follow_the_reviews(demo):
    last_review = dict(
        Review.objects.filter(state=ReviewState.SUBMITTED)
        .values("round_id")
        .annotate(at=Max("submitted_at"))
        .values_list("round_id", "at")
    )
    recommendations = ReviewerRecommendation.objects.all()
    assert recommendations.count() > 150
    for recommendation in recommendations:
        assert recommendation.created_at > last_review[recommendation.round_id]
    for meta in MetaReview.objects.all():
        assert meta.created_at > last_review[meta.round_id]
    for comment in Comment.objects.exclude(round=None):
        assert comment.created_at > comment.round.created_at
    published = Decision.objects.filter(status=DecisionStatus.PUBLISHED).select_related(
        "submission"
    )
    assert published.count() > 40
    for decision in published:
        rounds = decision.submission.review_rounds.filter(created_at__lt=decision.created_at)
        latest = max(last_review[r.pk] for r in rounds if r.pk in last_review)
        assert latest < decision.created_at <= decision.published_at


@pytest.mark.django_db
def test_papers_have_ages_from_hours_to_months(demo):
    now = timezone.now()
    ages = [(now - s.created_at).days for s in Submission.objects.all()]

    assert min(ages) < 7 and max(ages) > 60
    assert Submission.objects.filter(state=S.PUBLISHED).exists()
    assert not Submission.objects.filter(created_at__gt=now).exists()


MISSING = re.compile(r'class="muted">(No [^<]*|Not enough[^<]*)<')


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("slug", "chief", "allowed"),
    [
        ("conf-demo", "chair@conf-demo.example.org", set()),
        ("tmlr-demo", "chief@tmlr-demo.example.org", set()),
    ],
)
def test_every_analytics_chart_has_data(demo, client, slug, chief, allowed):
    client.force_login(User.objects.get(email=chief))

    response = client.get(f"/venues/{slug}/dashboard/analytics/")

    assert response.status_code == 200
    html = response.content.decode()
    assert set(MISSING.findall(html)) <= allowed
    assert "Too little data" not in html
    assert "submitted reviews." in html


@pytest.mark.django_db
def test_conference_has_papers_in_every_phase_a_visitor_tries(demo, client):
    now = timezone.now()
    conference = Submission.objects.filter(venue__slug="conf-demo")
    responding = conference.filter(
        state=SubmissionState.UNDER_REVIEW,
        review_rounds__released_at__lte=now,
        review_rounds__response_opens_at__lte=now,
        review_rounds__response_closes_at__gt=now,
    ).distinct()
    mine = responding.get(authors__user__email="author@demo.example.edu")
    client.force_login(User.objects.get(email="author@demo.example.edu"))

    page = client.get(f"/submissions/{mine.pk}/discussion/").content.decode()

    assert responding.count() >= 3
    assert "The author-response window is open from" in page
    assert "Add a comment" in page
    assert conference.filter(state=SubmissionState.SUBMITTED).exists()  # bidding
    assert conference.filter(state=SubmissionState.DECISION_PENDING).exists()  # discussion
    assert conference.filter(state__in=SubmissionState.DECIDED).exists()
    assert MetaReview.objects.filter(round__submission__venue__slug="conf-demo").exists()


@pytest.mark.django_db
def test_emails_are_dated_by_the_actions_that_queued_them(demo):
    from journal.enums import EmailStatus
    from journal.models import OutboundEmail

    emails = OutboundEmail.objects.exclude(submission=None).select_related("submission")
    days = [(timezone.now() - e.created_at).days for e in emails]
    early = [e for e in emails if e.created_at < e.submission.created_at]
    sent = OutboundEmail.objects.filter(status=EmailStatus.SENT)

    assert min(days) < 3 and max(days) > 60
    assert early == []
    assert sent.exists()
    assert not sent.exclude(sent_at=F("created_at")).exists()
    assert not OutboundEmail.objects.filter(created_at__gt=timezone.now()).exists()
