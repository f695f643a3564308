"""A full conference flow on PostgreSQL with the real Celery worker and Redis: reviews are
released on the configured date by the periodic job, authors respond inside the window,
chairs decide in bulk with categories; no identity leaks under double-blind review."""

import time

import pytest
from django.urls import reverse
from django.utils import timezone

from journal.demo.workflow import drive_to_state
from journal.enums import DecisionStatus, SubmissionState, VenueKind
from journal.services.decisions import decision_transition
from reviews.models import Review
from reviews.tasks import reviews_periodic
from tests.factories import claims_posted
from tests.integration.flow import (
    Visits,
    assert_no_leaks,
    assert_no_leaks_in_mail,
    templates_to,
    visit_api,
    wait_for_mail,
)
from tests.reviews.workflow.world import balanced_answers, make_world

S = SubmissionState
pytestmark = [pytest.mark.worker, pytest.mark.slow]


def _dt(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


@pytest.mark.django_db(transaction=True)
def test_full_conference_flow(celery_worker, outbox):
    world = make_world(kind=VenueKind.CONFERENCE, n_reviewers=3, reviewers_per_paper=3)
    sub = world.submission
    pk = sub.pk
    visits = Visits()

    # the area chair invites; reviewers accept and review
    for reviewer in world.reviewers:
        visits.post(world.editor, reverse("reviews:invite", args=[pk]), {"reviewer": reviewer.pk})
    for reviewer in world.reviewers:
        invitation = reviewer.review_invitations.get()
        visits.get(reviewer, reverse("reviews:invitation", args=[invitation.pk]))
        visits.post(
            reviewer, reverse("reviews:invitation", args=[invitation.pk]), {"answer": "accept"}
        )
        review = Review.objects.get(invitation=invitation)
        visits.post(
            reviewer,
            reverse("reviews:review-edit", args=[review.pk]),
            {**balanced_answers(), **claims_posted(sub), "submit": "1"},
        )
        visits.get(reviewer, reverse("reviews:reviewing"))
        visits.get(reviewer, sub.get_absolute_url())
        visits.api(reviewer, f"/api/v1/submissions/{pk}/")

    # not released before the configured date, even with all reviews in
    review_round = sub.review_rounds.get()
    assert review_round.released_at is None
    visits.get(world.author, reverse("reviews:submission-reviews", args=[pk]), status=403)

    # the chair sets the release date and the author-response window
    now = timezone.now()
    visits.post(
        world.chief,
        reverse("reviews:schedule", args=[pk]),
        {
            "release_at": _dt(now - timezone.timedelta(minutes=1)),
            "response_opens_at": _dt(now - timezone.timedelta(minutes=1)),
            "response_closes_at": _dt(now + timezone.timedelta(days=7)),
            "response_word_limit": "50",
        },
    )
    # the periodic job (on the worker) releases and e-mails the authors
    reviews_periodic.delay()
    deadline = time.monotonic() + 30
    while review_round.released_at is None:
        assert time.monotonic() < deadline, "the periodic job did not release the round"
        time.sleep(0.1)
        review_round.refresh_from_db()

    # authors read and respond inside the window and its word limit
    visits.get(world.author, sub.get_absolute_url())
    visits.get(world.author, reverse("reviews:submission-reviews", args=[pk]))
    discussion = reverse("reviews:discussion", args=[pk])
    too_long = {"body": "word " * 51, "audience": "everyone"}
    visits.post(world.author, discussion, too_long, status=400)
    visits.post(
        world.author,
        discussion,
        {"body": "Thank you; see the new ablation.", "audience": "everyone"},
    )
    visits.post(
        world.reviewers[0],
        discussion,
        {"body": "Convinced; raising my score.", "audience": "everyone"},
    )
    visits.post(
        world.editor, discussion, {"body": "Thoughts on the baseline?", "audience": "reviewers"}
    )
    for person in [*world.reviewers, world.author]:
        visits.get(person, discussion)
        visits.api(person, f"/api/v1/submissions/{pk}/")

    # recommendations, then the chairs decide in bulk with categories
    for reviewer in world.reviewers:
        visits.post(
            reviewer, reverse("reviews:recommend", args=[pk]), {"recommendation": "leaning_accept"}
        )
    # every API response the reviewers and the authors can get while the paper is in review
    visit_api(visits, world)

    table = reverse("journal:dashboard-decisions", args=[world.venue.slug])
    visits.get(world.chief, table)
    confirm = reverse("journal:dashboard-decisions-confirm", args=[world.venue.slug])
    shown = visits.post(
        world.chief,
        confirm,
        {
            "step": "review",
            "scope": "chosen",
            "paper": [pk],
            "outcome": "oral",
            "comment": "See you there.",
        },
        status=200,
    )
    record = {"step": "record", "token": shown.context["token"], "comment": "See you there."}
    visits.post(world.chief, confirm, record, status=200)
    decision = sub.decisions.get()
    assert decision.outcome == "oral" and decision.status == DecisionStatus.DRAFT
    # recorded, not released: the venue's decisions phase releases every recorded decision
    decision_transition(decision=decision, to_status=DecisionStatus.PUBLISHED, actor=world.chief)
    sub.refresh_from_db()
    assert sub.state == S.ACCEPTED
    visits.get(world.author, sub.get_absolute_url())

    # camera-ready and publication
    drive_to_state(sub, S.PUBLISHED, author=world.author, editor=world.editor, chief=world.chief)

    assert assert_no_leaks(world, visits) > 20
    author_thread = visits.get(world.author, discussion).content.decode()
    assert "Reviewer 1" in author_thread and "Thoughts on the baseline" not in author_thread

    emails = wait_for_mail()
    author_got = templates_to(emails, world.author)
    assert {
        "reviews/emails/reviews_released",
        "reviews/emails/comment_posted",
        "journal/emails/decision",
        "journal/emails/published",
    } <= author_got
    for reviewer in world.reviewers:
        assert {
            "reviews/emails/invitation",
            "reviews/emails/reviews_released_reviewer",
            "reviews/emails/comment_posted",
        } <= templates_to(emails, reviewer)
    decision_mail = next(e for e in emails if e.template == "journal/emails/decision")
    assert "Accept (oral)" in decision_mail.body and "See you there." in decision_mail.body
    assert_no_leaks_in_mail(world)
