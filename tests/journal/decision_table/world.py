"""A hand-made conference for the decision table: a 0-10 rating and a confidence, papers
reviewed through the real services so every number on the table is known in advance."""

from dataclasses import dataclass

from journal.demo.workflow import drive_to_state
from journal.enums import SubmissionState, VenueKind
from journal.models import Submission, User
from journal.services.submissions import AuthorInput, ClaimInput, submission_create
from reviews.models import Review, ReviewForm, ReviewFormField
from reviews.services.invitations import invitation_accept, invitation_create
from reviews.services.reviews import review_submit
from reviews.services.rounds import round_current
from tests.factories import claims_assessed
from tests.reviews.workflow.world import World, make_world

S = SubmissionState
TEN = [{"value": v, "label": str(v)} for v in range(11)]
CONFIDENCE = [{"value": v, "label": str(v)} for v in range(1, 6)]


def rating_form() -> ReviewForm:
    form = ReviewForm.objects.create(slug=f"rating-{ReviewForm.objects.count()}", name="Rating")
    ReviewFormField.objects.create(
        form=form, key="rating", order=0, kind="score", label="Rating", options=TEN, weight=1.0
    )
    ReviewFormField.objects.create(
        form=form,
        key="confidence",
        order=1,
        kind="score",
        label="Confidence",
        options=CONFIDENCE,
        independent=True,
    )
    return form


@dataclass
class Conf:
    world: World

    @property
    def venue(self):
        return self.world.venue

    @property
    def chief(self) -> User:
        return self.world.chief

    def paper(
        self,
        title: str,
        *,
        keywords: tuple[str, ...] = (),
        state: str = S.UNDER_REVIEW,
        gain: tuple[float, float] | None = None,
        subject_area: str = "",
    ) -> Submission:
        w = self.world
        claims = []
        if gain is not None:
            claims = [
                ClaimInput(dataset="SCAN", metric="acc", value=gain[0], best_prior_value=gain[1])
            ]
        paper = submission_create(
            venue=w.venue,
            creator=w.author,
            title=title,
            abstract="An abstract.",
            hypothesis_claim="A claim.",
            keywords=keywords,
            subject_area=subject_area,
            authors=[AuthorInput(name="Ada", email=w.author.email, is_corresponding=True)],
            claims=claims,
        )
        drive_to_state(paper, state, author=w.author, editor=w.editor, chief=w.chief)
        paper.refresh_from_db()
        return paper

    def review(self, paper: Submission, reviewer: User, rating: int, confidence: int = 3):
        invitation = paper.review_invitations.filter(reviewer=reviewer).first()
        if invitation is None:
            invitation = invitation_create(
                submission=paper, reviewer=reviewer, invited_by=self.world.editor
            )
            invitation_accept(invitation=invitation, actor=reviewer)
        review = Review.objects.get(submission=paper, reviewer=reviewer)
        return review_submit(
            review=review,
            actor=reviewer,
            raw={"rating": str(rating), "confidence": str(confidence)},
            claims=claims_assessed(review),
        )

    def invite(self, paper: Submission, reviewer: User) -> None:
        invitation = invitation_create(
            submission=paper, reviewer=reviewer, invited_by=self.world.editor
        )
        invitation_accept(invitation=invitation, actor=reviewer)

    def current_round(self, paper: Submission):
        return round_current(submission=paper)


def make_conf(*, reviewers_per_paper: int = 2, n_reviewers: int = 3) -> Conf:
    """A conference whose form is a 0-10 rating; its first paper is the world's."""
    world = make_world(
        kind=VenueKind.CONFERENCE,
        n_reviewers=n_reviewers,
        reviewers_per_paper=reviewers_per_paper,
        review_form=rating_form(),
    )
    return Conf(world)
