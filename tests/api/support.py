"""Helpers of the API tests: tokens, clients and a venue with people in every role."""

from dataclasses import dataclass

from rest_framework.test import APIClient

from journal.demo.workflow import drive_to_state
from journal.enums import Anonymity, RoleKind, SubmissionState
from journal.models import Submission, User, Venue
from journal.services.api_tokens import api_token_create
from journal.services.submissions import AuthorInput, submission_create
from reviews.services.invitations import invitation_accept, invitation_create
from tests.factories import UserFactory, VenueFactory, VenueRoleFactory

S = SubmissionState


def token_for(user: User, *, scope: str = "write", venue: Venue | None = None) -> str:
    return api_token_create(user=user, name="tests", scope=scope, venue=venue)[1]


def client_for(user: User | None = None, **token_options) -> APIClient:
    """Return an API client sending a fresh token of `user` (anonymous without one)."""
    client = APIClient()
    if user is not None:
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {token_for(user, **token_options)}")
    return client


def paper(venue: Venue, author: User, *, title: str = "Sparse attention is enough", **extra):
    return submission_create(
        venue=venue,
        creator=author,
        title=title,
        abstract="We show $O(n)$ attention suffices.",
        hypothesis_claim="Sparse attention matches dense attention.",
        authors=[
            AuthorInput(name="Ada Author", email=author.email, is_corresponding=True),
            AuthorInput(name="Co Author", email="co@lab.example.org", affiliation="Lab"),
        ],
        **{"keywords": ["attention", "sparsity"], **extra},
    )


@dataclass
class World:
    venue: Venue
    chief: User
    editor: User
    author: User
    reviewer: User
    outsider: User
    submission: Submission

    def drive(self, submission: Submission, state: str) -> Submission:
        return drive_to_state(
            submission, state, author=self.author, editor=self.editor, chief=self.chief
        )


def make_world(*, anonymity: str = Anonymity.DOUBLE_BLIND) -> World:
    """Build a venue whose paper is under review by a reviewer who accepted."""
    venue = VenueFactory(anonymity=anonymity)
    chief = VenueRoleFactory(venue=venue, role=RoleKind.CHIEF).user
    editor = VenueRoleFactory(venue=venue, role=RoleKind.ACTION_EDITOR).user
    reviewer = VenueRoleFactory(venue=venue, role=RoleKind.REVIEWER).user
    author, outsider = UserFactory(), UserFactory()
    world = World(venue, chief, editor, author, reviewer, outsider, paper(venue, author))
    world.drive(world.submission, S.UNDER_REVIEW)
    invitation = invitation_create(
        submission=world.submission, reviewer=reviewer, invited_by=editor
    )
    invitation_accept(invitation=invitation, actor=reviewer)
    world.submission.refresh_from_db()
    return world
