"""Small hand-made venues for matching tests: papers and reviewers on distinct topics."""

from dataclasses import dataclass, field

from journal.demo.workflow import drive_to_state
from journal.enums import RoleKind, SubmissionState
from journal.models import Submission, User, Venue
from journal.services.submissions import submission_create
from reviews.services.publications import publication_add
from tests.factories import ConferenceFactory, UserFactory, VenueRoleFactory

TOPICS = {
    "graphs": (
        "graph neural networks",
        "message passing over graph nodes for node classification and link prediction",
    ),
    "diffusion": (
        "diffusion models",
        "score matching and denoising diffusion for image synthesis and fast sampling",
    ),
    "bandits": (
        "multi-armed bandits",
        "regret bounds for exploration in online learning with bandit feedback",
    ),
    "privacy": (
        "differential privacy",
        "private training with clipped gradients and a privacy budget accountant",
    ),
}


@dataclass
class SmallVenue:
    venue: Venue
    chief: User
    papers: list[Submission] = field(default_factory=list)
    reviewers: list[User] = field(default_factory=list)
    paper_topics: list[str] = field(default_factory=list)
    reviewer_topics: list[str] = field(default_factory=list)


def person(tag: str, n: int, **fields) -> User:
    return UserFactory(
        email=f"{tag}{n}@{tag}{n}.example.org",
        display_name=f"{tag.title()} Person{n}",
        affiliation=f"{tag.title()} Lab {n}",
        **fields,
    )


def add_reviewer(small: SmallVenue, topic: str, **role) -> User:
    n = len(small.reviewers)
    user = person("rev", n + 1000 * small.venue.pk)
    VenueRoleFactory(venue=small.venue, user=user, role=RoleKind.REVIEWER, **role)
    name, text = TOPICS[topic]
    publication_add(user=user, title=f"On {name}, part {n}", abstract=f"We study {text}.")
    publication_add(user=user, title=f"Advances in {name} {n}", abstract=f"New {text}.")
    small.reviewers.append(user)
    small.reviewer_topics.append(topic)
    return user


def add_paper(small: SmallVenue, topic: str, *, authors=()) -> Submission:
    n = len(small.papers)
    author = person("author", n + 1000 * small.venue.pk)
    name, text = TOPICS[topic]
    submission = submission_create(
        venue=small.venue,
        creator=author,
        title=f"A study of {name} ({n})",
        abstract=f"This paper is about {text}.",
        hypothesis_claim="It works.",
        keywords=[name],
        authors=list(authors),
    )
    drive_to_state(
        submission, SubmissionState.SUBMITTED, author=author, editor=small.chief, chief=small.chief
    )
    small.papers.append(submission)
    small.paper_topics.append(topic)
    return submission


def small_venue(
    *, paper_topics: list[str], reviewer_topics: list[str], per_paper: int = 1, **venue
) -> SmallVenue:
    """Build a conference with one paper per entry of `paper_topics`, likewise reviewers."""
    conference = ConferenceFactory(reviewers_per_paper=per_paper, **venue)
    chief = UserFactory(email=f"chief{conference.pk}@chair.example.net")
    VenueRoleFactory(venue=conference, user=chief, role=RoleKind.CHIEF)
    small = SmallVenue(venue=conference, chief=chief)
    for topic in reviewer_topics:
        add_reviewer(small, topic)
    for topic in paper_topics:
        add_paper(small, topic)
    return small
