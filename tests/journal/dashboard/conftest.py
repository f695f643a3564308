"""A venue with its people, and papers walked through the real workflow and review services."""

from dataclasses import dataclass

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from journal.demo.workflow import drive_to_state
from journal.enums import RoleKind, SubmissionState
from journal.models import Submission, User, Venue
from journal.services.submissions import AuthorInput, submission_create
from reviews.models import Review
from reviews.services.invitations import invitation_accept, invitation_create
from reviews.services.reviews import review_submit
from tests.factories import UserFactory, VenueFactory, VenueRoleFactory, review_answers


@dataclass
class World:
    venue: Venue
    chief: User
    editor: User
    other_editor: User
    reviewer: User
    author: User

    def paper(
        self,
        state: str = SubmissionState.SUBMITTED,
        *,
        title: str = "Sparse attention scales",
        abstract: str = "We study attention.",
        keywords: tuple[str, ...] = ("attention",),
        editor: User | None = None,
        author: User | None = None,
        subject_area: str = "",
    ) -> Submission:
        """Create a paper and drive it to `state`; its action editor is `editor`."""
        author = author or self.author
        submission = submission_create(
            venue=self.venue,
            creator=author,
            title=title,
            abstract=abstract,
            hypothesis_claim="Sparsity keeps accuracy.",
            keywords=keywords,
            subject_area=subject_area,
            authors=[AuthorInput(name="Ada Author", email=author.email)],
        )
        return drive_to_state(
            submission, state, author=author, editor=editor or self.editor, chief=self.chief
        )


@pytest.fixture
def world(db) -> World:
    venue = VenueFactory(reviewers_per_paper=2)
    people = {}
    for name, role in [
        ("chief", RoleKind.CHIEF),
        ("editor", RoleKind.ACTION_EDITOR),
        ("other_editor", RoleKind.ACTION_EDITOR),
        ("reviewer", RoleKind.REVIEWER),
    ]:
        people[name] = VenueRoleFactory(venue=venue, role=role).user
    return World(venue=venue, author=UserFactory(), **people)


def add_review(
    world: World, submission: Submission, reviewer: User | None = None, *, submit=True, score=None
):
    """Invite a reviewer (a new one by default), accept, and submit a review."""
    if reviewer is None:
        reviewer = VenueRoleFactory(venue=world.venue, role=RoleKind.REVIEWER).user
    invitation = invitation_create(submission=submission, reviewer=reviewer, invited_by=world.chief)
    if not submit:
        return invitation
    invitation_accept(invitation=invitation, actor=reviewer)
    review = Review.objects.get(invitation=invitation)
    review_submit(review=review, actor=reviewer, raw=review_answers(review, score))
    return invitation


def count_queries(client, url: str) -> int:
    """Return how many queries one GET of `url` makes (after a first, warming GET)."""
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)
