"""A synthetic venue whose decisions follow originality, built through the real services:
papers with benchmark claims, two submitted reviews each, a meta-review and a decision."""

import random

from journal.demo.workflow import drive_to_state
from journal.enums import SubmissionState
from journal.services.submissions import AuthorInput, ClaimInput, submission_create
from reviews.models import Review
from reviews.services.assessments import meta_review_save
from reviews.services.invitations import invitation_accept, invitation_create
from reviews.services.reviews import review_submit
from tests.factories import UserFactory, VenueRoleFactory, claims_assessed, review_answers

S = SubmissionState
OTHERS = ["hypothesis", "evidence", "benchmarks", "generalisation", "clarity", "reproducibility"]


def reviewed_paper(world, *, number: int, originality: int, rng: random.Random, gain: float):
    """Add one paper with two reviews whose originality is `originality` (others random);
    accept it when originality > 3, reject it otherwise; its headline gain is `gain`%."""
    author = UserFactory()
    submission = submission_create(
        venue=world.venue,
        creator=author,
        title=f"Paper {number}: a test of an idea",
        abstract="We test an idea.",
        hypothesis_claim="The idea holds.",
        authors=[AuthorInput(name="Ada Author", email=author.email)],
        claims=[
            ClaimInput(
                dataset="SCAN",
                metric="accuracy",
                value=80 * (1 + gain / 100),
                best_prior_value=80.0,
                runs=5,
                spread=0.4,
            )
        ],
    )
    drive_to_state(
        submission, S.UNDER_REVIEW, author=author, editor=world.editor, chief=world.chief
    )
    for _ in range(2):
        reviewer = VenueRoleFactory(venue=world.venue, role="reviewer").user
        invitation = invitation_create(
            submission=submission, reviewer=reviewer, invited_by=world.editor
        )
        invitation_accept(invitation=invitation, actor=reviewer)
        review = Review.objects.get(invitation=invitation)
        raw = review_answers(review)
        raw["originality"] = originality
        for key in OTHERS:
            raw[key] = rng.randint(1, 5)
        review_submit(review=review, actor=reviewer, raw=raw, claims=claims_assessed(review))
    accepted = originality > 3
    meta_review_save(
        review_round=submission.review_rounds.get(),
        editor=world.editor,
        text="The idea decides it.",
        recommendation="accept" if accepted else "reject",
    )
    return drive_to_state(
        submission,
        S.ACCEPTED if accepted else S.REJECTED,
        author=author,
        editor=world.editor,
        chief=world.chief,
    )


def idea_driven_venue(world, *, papers: int = 12, seed: int = 3) -> None:
    """Fill `world.venue` with `papers` decided papers; big gains go with low originality."""
    rng = random.Random(seed)
    for n in range(papers):
        originality = [1, 2, 3, 4, 5][n % 5]
        gain = [6.0, 4.0, 2.0, 0.8, 0.3][n % 5]  # the reverse of originality
        reviewed_paper(world, number=n, originality=originality, rng=rng, gain=gain)
