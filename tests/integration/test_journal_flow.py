"""A full journal flow on PostgreSQL with the real Celery worker and Redis:
submit -> assign -> invite/accept -> review -> release -> discuss -> recommend -> decide ->
camera-ready -> publish, with the e-mails that go out, and no identity leaking under
double-blind review on any page or API response along the way."""

import pytest
from django.urls import reverse

from journal.demo.workflow import drive_to_state
from journal.enums import DecisionStatus, SubmissionState
from reviews.models import Review
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


@pytest.mark.django_db(transaction=True)
def test_full_journal_flow(celery_worker, outbox):
    # submit -> assign an action editor -> under review (through the real services)
    world = make_world(n_reviewers=3, reviewers_per_paper=3)
    sub = world.submission
    visits = Visits()
    pk = sub.pk

    # the action editor invites three reviewers from the submission's pages
    visits.get(world.editor, sub.get_absolute_url())
    visits.get(world.editor, reverse("reviews:invite", args=[pk]))
    for reviewer in world.reviewers:
        visits.post(world.editor, reverse("reviews:invite", args=[pk]), {"reviewer": reviewer.pk})

    # each reviewer accepts and writes the review (a draft first, then the submission)
    for i, reviewer in enumerate(world.reviewers):
        visits.get(reviewer, reverse("reviews:reviewing"))
        invitation = reviewer.review_invitations.get()
        url = reverse("reviews:invitation", args=[invitation.pk])
        visits.get(reviewer, url)
        visits.post(reviewer, url, {"answer": "accept"})
        review = Review.objects.get(invitation=invitation)
        edit = reverse("reviews:review-edit", args=[review.pk])
        visits.post(reviewer, edit, {"summary": "Draft", "save": "1"})
        visits.get(reviewer, sub.get_absolute_url())
        visits.api(reviewer, f"/api/v1/submissions/{pk}/")
        visits.api(reviewer, "/api/v1/submissions/")
        visits.post(
            reviewer,
            edit,
            {**balanced_answers(hypothesis=str(3 + i)), **claims_posted(sub), "submit": "1"},
        )
        visits.get(reviewer, reverse("reviews:submission-reviews", args=[pk]))

    # release: the journal releases when all assigned reviews are in
    review_round = sub.review_rounds.get()
    assert review_round.released_at is not None

    # authors read the reviews and discuss with the reviewers
    visits.get(world.author, sub.get_absolute_url())
    visits.api(world.author, f"/api/v1/submissions/{pk}/")
    visits.get(world.author, reverse("reviews:submission-reviews", args=[pk]))
    discussion = reverse("reviews:discussion", args=[pk])
    visits.post(
        world.reviewers[0], discussion, {"body": "Why no dense baseline?", "audience": "everyone"}
    )
    visits.post(world.reviewers[1], discussion, {"body": "Agree with R1.", "audience": "reviewers"})
    visits.post(world.author, discussion, {"body": "Added in v2, Table 3.", "audience": "everyone"})
    for reviewer in world.reviewers:
        visits.get(reviewer, discussion)
    visits.get(world.author, discussion)

    # recommendations to the action editor, hidden from authors
    for reviewer in world.reviewers:
        visits.post(
            reviewer,
            reverse("reviews:recommend", args=[pk]),
            {"recommendation": "accept", "claims_supported": "yes", "audience_interested": "yes"},
        )
    author_reviews = visits.get(world.author, reverse("reviews:submission-reviews", args=[pk]))
    assert "recommendations" not in author_reviews.content.decode()

    # every API response the reviewers and the authors can get while the paper is in review
    visit_api(visits, world)

    # the action editor rates the reviews, writes the meta-review and submits the decision
    for review in Review.objects.filter(submission=sub):
        visits.post(
            world.editor, reverse("reviews:rate", args=[pk, review.pk]), {"rating": "meets"}
        )
    visits.post(
        world.editor,
        reverse("reviews:meta-review", args=[pk]),
        {"recommendation": "accept", "text": "Convincing evidence."},
    )
    decision_url = reverse("reviews:decision", args=[pk])
    visits.post(
        world.editor,
        decision_url,
        {
            "step": "submit",
            "outcome": "accept",
            "claims_supported": "yes",
            "audience_interested": "yes",
            "certifications": ["reproducibility"],
            "comment": "Congratulations.",
        },
    )
    decision = sub.decisions.get()
    assert decision.status == DecisionStatus.AWAITING_APPROVAL

    # the editor-in-chief approves; the decision is published to the authors
    visits.post(
        world.chief,
        decision_url,
        {
            "step": "approve",
            "action": "approve",
            "certifications": ["reproducibility", "outstanding"],
        },
    )
    sub.refresh_from_db()
    assert sub.state == S.ACCEPTED
    visits.get(world.author, sub.get_absolute_url())
    visits.get(world.author, reverse("reviews:submission-reviews", args=[pk]))

    # camera-ready and publication
    drive_to_state(sub, S.PUBLISHED, author=world.author, editor=world.editor, chief=world.chief)
    assert sub.state == S.PUBLISHED

    # every page and API response: no identity crossed the blind (editors see everyone)
    assert assert_no_leaks(world, visits) > 30
    editor_view = visits.get(world.editor, reverse("reviews:submission-reviews", args=[pk]))
    assert world.reviewers[0].display_name in editor_view.content.decode()
    assert "Quillfeather" in visits.get(world.editor, sub.get_absolute_url()).content.decode()
    assert "Reviewer 1" in visits.get(world.author, discussion).content.decode()

    # the e-mails that went out, delivered by the worker
    emails = wait_for_mail()
    for reviewer in world.reviewers:
        got = templates_to(emails, reviewer)
        assert {
            "reviews/emails/invitation",
            "reviews/emails/invitation_accepted_reviewer",
            "reviews/emails/reviews_released_reviewer",
        } <= got
    assert "reviews/emails/comment_posted" in templates_to(emails, world.reviewers[2])
    editor_got = templates_to(emails, world.editor)
    assert {
        "reviews/emails/invitation_accepted",
        "reviews/emails/review_submitted",
        "reviews/emails/comment_posted",
        "reviews/emails/recommendation_submitted",
    } <= editor_got
    assert "reviews/emails/decision_awaiting_approval" in templates_to(emails, world.chief)
    author_got = templates_to(emails, world.author)
    assert {
        "journal/emails/submission_received",
        "reviews/emails/reviews_released",
        "reviews/emails/comment_posted",
        "journal/emails/decision",
        "journal/emails/published",
    } <= author_got
    decision_mail = next(e for e in emails if e.template == "journal/emails/decision")
    assert "Outstanding" in decision_mail.body and "Reproducibility" in decision_mail.body
    assert_no_leaks_in_mail(world)
