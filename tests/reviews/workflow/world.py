"""Build a venue with its people and a paper under review, through the real services."""

import itertools
from dataclasses import dataclass, field

from journal.demo.workflow import drive_to_state
from journal.enums import Anonymity, RoleKind, SubmissionState, VenueKind
from journal.models import Submission, User, Venue
from journal.services.submissions import AuthorInput, ClaimInput, submission_create
from reviews.models import Review, ReviewInvitation
from reviews.services.invitations import invitation_accept, invitation_create
from reviews.services.reviews import review_submit
from tests.factories import (
    ConferenceFactory,
    UserFactory,
    VenueFactory,
    VenueRoleFactory,
    claims_assessed,
)

AUTHOR_NAME = "Ada Quillfeather"
AUTHOR_EMAIL = "ada.quillfeather@authors-lab.example.org"
COAUTHOR_NAME = "Basil Underwood"
COAUTHOR_EMAIL = "basil.underwood@authors-lab.example.org"
REVIEWER_NAMES = ["Rita Okonkwo-Reyes", "Sven Halvorsen", "Mira Castellanos", "Theo Abernathy"]
_worlds = itertools.count()


@dataclass
class World:
    venue: Venue
    chief: User
    editor: User
    author: User
    reviewers: list[User]
    submission: Submission
    invitations: list[ReviewInvitation] = field(default_factory=list)

    @property
    def people(self) -> list[User]:
        return [self.chief, self.editor, self.author, *self.reviewers]


def make_world(
    *,
    kind: str = VenueKind.JOURNAL,
    anonymity: str = Anonymity.DOUBLE_BLIND,
    n_reviewers: int = 3,
    reviewers_per_paper: int = 3,
    state: str = SubmissionState.UNDER_REVIEW,
    **venue_fields,
) -> World:
    factory = ConferenceFactory if kind == VenueKind.CONFERENCE else VenueFactory
    venue = factory(anonymity=anonymity, reviewers_per_paper=reviewers_per_paper, **venue_fields)
    chief = VenueRoleFactory(
        venue=venue, role=RoleKind.CHIEF, user=UserFactory(display_name="Carla Chiefsworth")
    ).user
    editor = VenueRoleFactory(
        venue=venue,
        role=RoleKind.ACTION_EDITOR,
        user=UserFactory(display_name="Edgar Actioneditor"),
    ).user
    n = next(_worlds)
    author_email = AUTHOR_EMAIL if n == 0 else AUTHOR_EMAIL.replace("@", f"{n}@")
    author = UserFactory(
        display_name=AUTHOR_NAME, email=author_email, affiliation="Northfield University"
    )
    reviewers = [
        VenueRoleFactory(
            venue=venue,
            role=RoleKind.REVIEWER,
            user=UserFactory(
                display_name=name,
                email=f"reviewer{i}.{n}@review-school{i}.example.net",
                affiliation=f"Review School {i}",
            ),
        ).user
        for i, name in enumerate(REVIEWER_NAMES[:n_reviewers])
    ]
    submission = submission_create(
        venue=venue,
        creator=author,
        title="Sparse attention learns compositional rules",
        abstract="We test whether sparse attention **learns** rules.",
        hypothesis_claim="Sparsity makes attention compositional.",
        hypothesis_refutation="Dense attention composing equally well.",
        authors=[
            AuthorInput(name=AUTHOR_NAME, email=author_email, is_corresponding=True),
            AuthorInput(name=COAUTHOR_NAME, email=COAUTHOR_EMAIL),
        ],
        claims=[ClaimInput(dataset="SCAN", metric="accuracy", value=0.91, best_prior_value=0.9)],
    )
    drive_to_state(submission, state, author=author, editor=editor, chief=chief)
    return World(venue, chief, editor, author, reviewers, submission)


def invite_all(world: World, *, accept: bool = True, **kwargs) -> list[ReviewInvitation]:
    """Invite every reviewer of the world (and accept, by default)."""
    invitations = []
    for reviewer in world.reviewers:
        invitation = invitation_create(
            submission=world.submission, reviewer=reviewer, invited_by=world.editor, **kwargs
        )
        if accept:
            invitation_accept(invitation=invitation, actor=reviewer)
        invitations.append(invitation)
    world.invitations = invitations
    return invitations


def balanced_answers(**overrides) -> dict:
    """Return a complete answer set for Peerless balanced."""
    answers = {
        "summary": "The paper claims sparsity makes attention compositional.",
        "originality": "4",
        "hypothesis": "5",
        "evidence": "3",
        "benchmarks": "2",
        "generalisation": "3",
        "clarity": "4",
        "reproducibility": "3",
        "confidence": "4",
        "strengths": "A clear, falsifiable hypothesis.",
        "weaknesses": "Only two datasets.",
        "requested_changes": "Add a dense baseline with the same budget.",
        "recommendation": "leaning_accept",
    }
    answers.update(overrides)
    return answers


def submit_review(world: World, reviewer: User, **overrides) -> Review:
    review = Review.objects.get(submission=world.submission, reviewer=reviewer)
    return review_submit(
        review=review,
        actor=reviewer,
        raw=balanced_answers(**overrides),
        claims=claims_assessed(review),
    )
