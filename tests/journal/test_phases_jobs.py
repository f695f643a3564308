"""The venue-wide work of entering a phase: rounds, releases, the response window, decisions."""

from datetime import timedelta

import pytest
from django.utils import timezone

from journal.enums import DecisionOutcome, DecisionStatus, Phase, PhaseJobStatus, SubmissionState
from journal.models import AuditEvent, OutboundEmail, PhaseJob, Venue
from journal.services.decisions import decision_draft
from journal.services.phase_jobs import phase_job_execute, phase_jobs_requeue_stale
from journal.services.phase_steps import OpenRounds, ReleaseReviews
from journal.services.phases import venue_phase_enter
from reviews.enums import Recommendation
from reviews.models import MetaReview, ReviewRound
from reviews.services.invitations import invitation_accept, invitation_create
from reviews.services.rounds import round_schedule
from tests.journal.phases_world import add_papers, phased_venue

pytestmark = pytest.mark.django_db
S = SubmissionState


def at_phase(world, phase):
    Venue.objects.filter(pk=world.venue.pk).update(phase=phase)
    world.venue.refresh_from_db()


def enter(world, phase, capture, **kwargs):
    with capture(execute=True):
        job = venue_phase_enter(venue=world.venue, phase=phase, actor=world.chief, **kwargs)
    job.refresh_from_db()
    world.venue.refresh_from_db()
    return job


def rerun(job):
    """Run a finished job's work again, as a retried or duplicated task would."""
    again = PhaseJob.objects.create(
        venue=job.venue, from_phase=job.from_phase, phase=job.phase, created_by=job.created_by
    )
    return phase_job_execute(job_id=again.pk)


def snapshot(venue):
    return {
        "rounds": sorted(
            ReviewRound.objects.filter(submission__venue=venue).values_list(
                "submission_id", "number", "review_due", "released_at", "response_closes_at"
            )
        ),
        "states": sorted(venue.submissions.values_list("pk", "state")),
        "audit": AuditEvent.objects.filter(venue=venue).exclude(action="venue.phase").count(),
        "emails": OutboundEmail.objects.filter(venue=venue).count(),
    }


def test_reviewing_opens_rounds_for_screened_papers_only(django_capture_on_commit_callbacks):
    world = phased_venue(n_papers=3, screened=True)
    unscreened = add_papers(world, 2)
    at_phase(world, Phase.BIDDING)
    job = enter(world, Phase.REVIEWING, django_capture_on_commit_callbacks)
    assert job.status == PhaseJobStatus.DONE
    assert job.counts["rounds_opened"] == 3
    due = world.venue.phases.get(phase=Phase.REVIEWING).ends_at
    screened = world.papers[:3]
    for paper in screened:
        paper.refresh_from_db()
        assert paper.state == S.UNDER_REVIEW
        assert list(paper.review_rounds.values_list("number", "review_due")) == [(1, due)]
    for paper in unscreened:
        paper.refresh_from_db()
        assert paper.state == S.SUBMITTED and not paper.review_rounds.exists()
    moved = AuditEvent.objects.filter(venue=world.venue, action="submission.transition")
    assert moved.count() == 3 and {e.actor for e in moved} == {world.chief}


def test_entering_reviewing_twice_changes_nothing(django_capture_on_commit_callbacks):
    world = phased_venue(n_papers=4, screened=True)
    at_phase(world, Phase.BIDDING)
    job = enter(world, Phase.REVIEWING, django_capture_on_commit_callbacks)
    before = snapshot(world.venue)
    again = rerun(job)
    assert again.status == PhaseJobStatus.DONE and again.counts["rounds_opened"] == 0
    assert snapshot(world.venue) == before
    # a finished job run again is left as it is
    assert phase_job_execute(job_id=job.pk).finished_at == job.finished_at


def test_an_interrupted_job_finishes_without_repeating(django_capture_on_commit_callbacks):
    world = phased_venue(n_papers=6, screened=True)
    at_phase(world, Phase.BIDDING)
    with django_capture_on_commit_callbacks(execute=False):
        job = venue_phase_enter(venue=world.venue, phase=Phase.REVIEWING, actor=world.chief)

    def lose_worker(step, chunk):
        if step.name == "rounds_opened":
            raise RuntimeError("worker lost")

    with pytest.raises(RuntimeError):
        phase_job_execute(job_id=job.pk, batch=2, on_batch=lose_worker)
    job.refresh_from_db()
    assert job.status == PhaseJobStatus.FAILED and "worker lost" in job.message
    assert ReviewRound.objects.filter(submission__venue=world.venue).count() == 2
    PhaseJob.objects.filter(pk=job.pk).update(status=PhaseJobStatus.RUNNING)
    phase_job_execute(job_id=job.pk, batch=2)
    assert ReviewRound.objects.filter(submission__venue=world.venue).count() == 6
    assert AuditEvent.objects.filter(venue=world.venue, action="review_round.open").count() == 6


def reviewed_world(capture, n_papers=2):
    world = phased_venue(n_papers=n_papers, screened=True)
    at_phase(world, Phase.BIDDING)
    enter(world, Phase.REVIEWING, capture)
    reviewer = world.reviewers[0]
    paper = world.papers[0]
    paper.refresh_from_db()
    invitation = invitation_create(submission=paper, reviewer=reviewer, invited_by=world.chief)
    invitation_accept(invitation=invitation, actor=reviewer)
    return world


def test_author_response_releases_reviews_and_opens_the_window(
    django_capture_on_commit_callbacks,
):
    world = reviewed_world(django_capture_on_commit_callbacks)
    job = enter(world, Phase.AUTHOR_RESPONSE, django_capture_on_commit_callbacks)
    window = world.venue.phases.get(phase=Phase.AUTHOR_RESPONSE)
    assert job.counts["reviews_released"] == 2 and job.counts["response_opened"] == 2
    for rnd in ReviewRound.objects.filter(submission__venue=world.venue):
        assert rnd.released_at is not None
        assert rnd.response_closes_at == window.ends_at
        assert rnd.response_window_open()
    mails = OutboundEmail.objects.filter(
        venue=world.venue, template__startswith="reviews/emails/reviews_released"
    )
    assert sorted(mails.values_list("template", flat=True)) == [
        "reviews/emails/reviews_released",
        "reviews/emails/reviews_released",
        "reviews/emails/reviews_released_reviewer",
    ]
    to_author = mails.filter(template="reviews/emails/reviews_released").first()
    assert "You may respond until" in to_author.body
    before = snapshot(world.venue)
    rerun(job)
    assert snapshot(world.venue) == before


def test_leaving_author_response_closes_the_window_but_not_an_extension(
    django_capture_on_commit_callbacks,
):
    world = reviewed_world(django_capture_on_commit_callbacks)
    enter(world, Phase.AUTHOR_RESPONSE, django_capture_on_commit_callbacks)
    extended, other = (p.review_rounds.get() for p in world.papers[:2])
    later = extended.response_closes_at + timedelta(days=3)
    round_schedule(review_round=extended, actor=world.chief, response_closes_at=later)
    enter(world, Phase.DISCUSSION, django_capture_on_commit_callbacks)
    extended.refresh_from_db()
    other.refresh_from_db()
    assert extended.response_closes_at == later and extended.response_window_open()
    assert not other.response_window_open()
    assert other.response_closes_at <= timezone.now()


def test_jumping_past_author_response_releases_without_a_window(
    django_capture_on_commit_callbacks,
):
    world = reviewed_world(django_capture_on_commit_callbacks)
    job = enter(world, Phase.DISCUSSION, django_capture_on_commit_callbacks, confirm=True)
    assert job.counts["reviews_released"] == 2
    for rnd in ReviewRound.objects.filter(submission__venue=world.venue):
        assert rnd.released_at is not None and rnd.response_closes_at is None


def test_decisions_publish_recorded_decisions_and_meta_reviews(
    django_capture_on_commit_callbacks,
):
    world = reviewed_world(django_capture_on_commit_callbacks, n_papers=3)
    accepted, rejected, undecided = world.papers
    for paper, outcome in ((accepted, DecisionOutcome.POSTER), (rejected, DecisionOutcome.REJECT)):
        paper.refresh_from_db()
        decision_draft(submission=paper, editor=world.chief, outcome=outcome)
    for paper in world.papers:
        MetaReview.objects.create(
            round=paper.review_rounds.get(),
            editor=world.area_chair,
            text="The reviewers agree.",
            recommendation=Recommendation.choices[0][0],
        )
    at_phase(world, Phase.META_REVIEW)
    job = enter(world, Phase.DECISIONS, django_capture_on_commit_callbacks)
    assert job.counts["decisions_published"] == 2
    expected = ((accepted, S.ACCEPTED), (rejected, S.REJECTED), (undecided, S.UNDER_REVIEW))
    for paper, state in expected:
        paper.refresh_from_db()
        assert paper.state == state
    assert not world.venue.submissions.filter(decisions__status=DecisionStatus.DRAFT).exists()
    released = dict(
        MetaReview.objects.filter(round__submission__venue=world.venue).values_list(
            "round__submission_id", "released_at"
        )
    )
    assert released[accepted.pk] and released[rejected.pk] and released[undecided.pk] is None
    decision_mails = OutboundEmail.objects.filter(
        venue=world.venue, template="journal/emails/decision"
    )
    assert decision_mails.count() == 2
    before = snapshot(world.venue)
    rerun(job)
    assert snapshot(world.venue) == before


@pytest.mark.parametrize("n", [5, 50])
def test_opening_rounds_takes_a_fixed_number_of_queries_per_batch(
    n, django_assert_max_num_queries
):
    world = phased_venue(n_papers=n, screened=True)
    job = PhaseJob.objects.create(
        venue=world.venue, from_phase=Phase.BIDDING, phase=Phase.REVIEWING
    )
    step = OpenRounds(job, timezone.now())
    ids = step.pending_ids()
    assert len(ids) == n
    with django_assert_max_num_queries(12):
        assert step.run(ids) == n


@pytest.mark.parametrize("n", [5, 50])
def test_releasing_reviews_takes_a_fixed_number_of_queries_per_batch(
    n, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    world = phased_venue(n_papers=n, screened=True)
    at_phase(world, Phase.BIDDING)
    enter(world, Phase.REVIEWING, django_capture_on_commit_callbacks)
    job = PhaseJob.objects.create(
        venue=world.venue, from_phase=Phase.REVIEWING, phase=Phase.AUTHOR_RESPONSE
    )
    step = ReleaseReviews(job, timezone.now())
    ids = step.pending_ids()
    assert len(ids) == n
    with django_assert_max_num_queries(12):
        assert step.run(ids) == n
    assert OutboundEmail.objects.filter(template="reviews/emails/reviews_released").count() == n


def test_a_lost_job_is_queued_again_by_the_schedule():
    world = phased_venue(n_papers=2, screened=True)
    at_phase(world, Phase.BIDDING)
    job = venue_phase_enter(venue=world.venue, phase=Phase.REVIEWING, actor=world.chief)
    # its task never ran (the commit hook is not run here): ten minutes later it is queued again
    assert phase_jobs_requeue_stale() == 0
    PhaseJob.objects.filter(pk=job.pk).update(created_at=timezone.now() - timedelta(minutes=11))
    assert phase_jobs_requeue_stale() == 1
    job.refresh_from_db()
    assert job.status == PhaseJobStatus.DONE and job.counts["rounds_opened"] == 2
