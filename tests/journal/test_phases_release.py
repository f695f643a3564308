"""At a conference run on phases, decisions and meta-reviews follow the timeline: a decision
made on a paper's own page is recorded until the decisions phase releases it with all the
others, and meta-reviews are written from the reviewing phase until then."""

import pytest
from django.urls import reverse
from django.utils import timezone

from journal.enums import Anonymity, DecisionOutcome, DecisionStatus, Phase, VenueKind
from journal.errors import TransitionError
from journal.models import AuditEvent, OutboundEmail, Submission, Venue
from journal.services.decisions import decision_draft, decision_transition
from journal.services.phases import venue_timeline_set
from reviews.models import MetaReview
from reviews.services.assessments import meta_review_save
from reviews.services.meta_reviews import meta_reviews_release
from reviews.services.rounds import round_current
from tests.api.support import client_for
from tests.factories import PASSWORD
from tests.journal.phases_world import week_plan
from tests.reviews.workflow.world import invite_all, make_world, submit_review

pytestmark = pytest.mark.django_db

META_TEXT = "The reviewers agree that the ablations test the hypothesis."


def at_phase(world, phase):
    Venue.objects.filter(pk=world.venue.pk).update(phase=phase)
    world.venue.refresh_from_db()
    world.submission.venue.refresh_from_db()


@pytest.fixture
def world():
    world = make_world(kind=VenueKind.CONFERENCE, anonymity=Anonymity.DOUBLE_BLIND)
    venue_timeline_set(venue=world.venue, actor=world.chief, phases=week_plan())
    at_phase(world, Phase.REVIEWING)
    Submission.objects.filter(pk=world.submission.pk).update(screened_at=timezone.now())
    world.submission.refresh_from_db()
    invite_all(world)
    for reviewer in world.reviewers:
        submit_review(world, reviewer)
    return world


def frozen(world):
    paper = world.submission
    paper.refresh_from_db()
    return {
        "state": paper.state,
        "decisions": sorted(paper.decisions.values_list("status", "outcome")),
        "emails": OutboundEmail.objects.filter(venue=world.venue).count(),
        "audit": AuditEvent.objects.filter(submission=paper).count(),
    }


def test_the_paper_page_records_a_decision_before_the_decisions_phase(client, world):
    client.login(email=world.chief.email, password=PASSWORD)
    url = reverse("reviews:decision", args=[world.submission.pk])
    page = client.get(url).content.decode()
    assert "Record the decision" in page
    assert "Decide and publish" not in page
    assert "releases every decision to the authors at once" in page
    answer = client.post(
        url, {"step": "save", "outcome": DecisionOutcome.POSTER, "comment": "Clear gains."}
    )
    assert answer.status_code == 302
    decision = world.submission.decisions.get()
    assert decision.status == DecisionStatus.DRAFT
    follow = client.get(url).content.decode()
    assert "Decision recorded. The authors see it when the venue releases its decisions." in follow
    assert not OutboundEmail.objects.filter(template="journal/emails/decision").exists()


def test_publishing_one_paper_early_is_refused_and_changes_nothing(client, world):
    decision = decision_draft(
        submission=world.submission, editor=world.chief, outcome=DecisionOutcome.POSTER
    )
    before = frozen(world)
    client.login(email=world.chief.email, password=PASSWORD)
    answer = client.post(
        reverse("reviews:decision", args=[world.submission.pk]),
        {"step": "publish", "outcome": DecisionOutcome.POSTER, "comment": ""},
    )
    assert answer.status_code == 409 or answer.status_code == 400
    assert "releases all decisions to the authors at once" in answer.content.decode()
    api = client_for(world.chief).post(
        f"/api/v1/decisions/{decision.pk}/transition/",
        {"to_status": DecisionStatus.PUBLISHED},
        format="json",
    )
    assert 400 <= api.status_code < 500
    assert "decisions phase" in str(api.json())
    with pytest.raises(TransitionError, match="decisions phase"):
        decision_transition(
            decision=decision, to_status=DecisionStatus.PUBLISHED, actor=world.chief
        )
    after = frozen(world)
    # Re-saving the same draft through the page is the only change: the refusal added none.
    assert after["state"] == before["state"] and after["decisions"] == before["decisions"]
    assert after["emails"] == before["emails"]


def test_after_the_release_a_late_decision_is_published_on_its_own(world):
    decision = decision_draft(
        submission=world.submission, editor=world.chief, outcome=DecisionOutcome.REJECT
    )
    at_phase(world, Phase.DECISIONS)
    decision_transition(decision=decision, to_status=DecisionStatus.PUBLISHED, actor=world.chief)
    decision.refresh_from_db()
    world.submission.refresh_from_db()
    assert decision.status == DecisionStatus.PUBLISHED
    assert world.submission.state == "rejected"
    told = OutboundEmail.objects.filter(template="journal/emails/decision").values_list(
        "to", flat=True
    )
    assert world.author.email in told


def test_a_conference_without_a_timeline_still_publishes_directly():
    world = make_world(kind=VenueKind.CONFERENCE)
    invite_all(world)
    for reviewer in world.reviewers:
        submit_review(world, reviewer)
    decision = decision_draft(
        submission=world.submission, editor=world.chief, outcome=DecisionOutcome.POSTER
    )
    decision_transition(decision=decision, to_status=DecisionStatus.PUBLISHED, actor=world.chief)
    world.submission.refresh_from_db()
    assert world.submission.state == "accepted"


def meta(world, text=META_TEXT):
    return meta_review_save(
        review_round=round_current(submission=world.submission),
        editor=world.editor,
        text=text,
        recommendation="accept",
    )


def test_meta_reviews_wait_for_the_reviewing_phase(world):
    at_phase(world, Phase.BIDDING)
    with pytest.raises(TransitionError, match="once its reviewing phase opens"):
        meta(world)
    assert not MetaReview.objects.exists()


@pytest.mark.parametrize(
    "phase", [Phase.REVIEWING, Phase.AUTHOR_RESPONSE, Phase.DISCUSSION, Phase.META_REVIEW]
)
def test_meta_reviews_are_written_until_the_decisions(world, phase):
    at_phase(world, phase)
    meta(world)
    meta(world, text="Revised: " + META_TEXT)
    assert MetaReview.objects.get().text.startswith("Revised:")


def test_no_meta_review_after_the_decisions_are_released(client, world):
    meta(world)
    at_phase(world, Phase.DECISIONS)
    with pytest.raises(TransitionError, match="released its decisions"):
        meta(world, text="Changed after the fact.")
    client.login(email=world.editor.email, password=PASSWORD)
    client.post(
        reverse("reviews:meta-review", args=[world.submission.pk]),
        {"text": "Changed after the fact.", "recommendation": "reject"},
    )
    api = client_for(world.editor).put(
        f"/api/v1/submissions/{world.submission.pk}/meta-review/",
        {"text": "Changed after the fact.", "recommendation": "reject"},
        format="json",
    )
    assert 400 <= api.status_code < 500
    assert "released its decisions" in str(api.json())
    assert MetaReview.objects.get().text == META_TEXT


def test_a_released_meta_review_is_never_changed():
    world = make_world(kind=VenueKind.CONFERENCE)
    invite_all(world)
    for reviewer in world.reviewers:
        submit_review(world, reviewer)
    meta(world)
    meta_reviews_release(venue=world.venue, actor=world.chief)
    with pytest.raises(TransitionError, match="released to the authors"):
        meta(world, text="Changed after release.")
    assert MetaReview.objects.get().text == META_TEXT
