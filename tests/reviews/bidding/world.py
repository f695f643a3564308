"""A small conference for the bidding tests: a chair, reviewers, submitted papers."""

from dataclasses import dataclass, field

from journal.demo.workflow import drive_to_state
from journal.enums import Anonymity, RoleKind, SubmissionState
from journal.models import Submission, User, Venue
from journal.services.submissions import AuthorInput, submission_create
from reviews.models import AffinityScore, MatchingSettings
from tests.factories import ConferenceFactory, UserFactory, VenueRoleFactory


@dataclass
class BidWorld:
    venue: Venue
    chief: User
    reviewer: User
    papers: list[Submission] = field(default_factory=list)

    def add_paper(self, title: str, *, keywords=("graphs",), author: User | None = None,
                  affinity: float | None = None, abstract: str = "",
                  subject_area: str = "") -> Submission:
        author = author or UserFactory(display_name=f"Author of {title}")
        submission = submission_create(
            venue=self.venue,
            creator=author,
            title=title,
            abstract=abstract or f"We study {title.lower()} with care.",
            hypothesis_claim="It works.",
            keywords=list(keywords),
            subject_area=subject_area,
            authors=[
                AuthorInput(name=author.display_name, email=author.email, is_corresponding=True)
            ],
        )
        drive_to_state(
            submission, SubmissionState.SUBMITTED, author=author, editor=self.chief,
            chief=self.chief,
        )
        if affinity is not None:
            AffinityScore.objects.create(
                venue=self.venue, submission=submission, reviewer=self.reviewer,
                score=affinity, rank=1,
            )
        self.papers.append(submission)
        return submission

    def add_reviewer(self, **fields) -> User:
        user = UserFactory(**fields)
        VenueRoleFactory(venue=self.venue, user=user, role=RoleKind.REVIEWER)
        return user


def bid_world(*, papers: int = 3, anonymity=Anonymity.DOUBLE_BLIND, open_bidding=True,
              min_bids: int = 2) -> BidWorld:
    venue = ConferenceFactory(anonymity=anonymity, reviewers_per_paper=2)
    chief = UserFactory(display_name="Chair Person")
    VenueRoleFactory(venue=venue, user=chief, role=RoleKind.CHIEF)
    reviewer = UserFactory(display_name="Rita Reviewer")
    VenueRoleFactory(venue=venue, user=reviewer, role=RoleKind.REVIEWER)
    MatchingSettings.objects.create(venue=venue, bidding_open=open_bidding, min_bids=min_bids)
    world = BidWorld(venue=venue, chief=chief, reviewer=reviewer)
    for n in range(papers):
        world.add_paper(f"Paper number {n}", affinity=0.1 + n / 100)
    return world
