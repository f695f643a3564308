"""A conference on a phase timeline, with papers and people, for the phase and screening tests."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import timedelta

from django.utils import timezone

from journal.enums import Phase, RoleKind, SubmissionState
from journal.models import Authorship, Submission, SubmissionVersion, User, Venue
from journal.services.phases import PlannedPhase, venue_timeline_set
from tests.factories import ConferenceFactory, UserFactory, VenueRoleFactory

_numbers = itertools.count(1)


@dataclass
class PhasedVenue:
    venue: Venue
    chief: User
    area_chair: User
    reviewers: list[User]
    papers: list[Submission] = field(default_factory=list)


def week_plan(start=None, *, skip=()) -> list[PlannedPhase]:
    """Every phase one week long, back to back, from `start` (a week ago by default)."""
    start = start or timezone.now() - timedelta(days=7)
    rows = []
    for i, phase in enumerate(p for p in Phase if p not in skip):
        rows.append(
            PlannedPhase(
                phase=phase,
                starts_at=start + timedelta(days=7 * i),
                ends_at=start + timedelta(days=7 * (i + 1)),
            )
        )
    return rows


def add_papers(world: PhasedVenue, n: int, *, screened: bool = False, page_count: int = 8):
    """`n` submitted papers, each with an author and a submitted version (fast, in bulk)."""
    now = timezone.now()
    start = (max((p.number for p in world.papers), default=0)) + 1
    author = UserFactory(display_name="Ada Author")
    papers = Submission.objects.bulk_create(
        [
            Submission(
                venue=world.venue,
                number=start + i,
                title=f"Paper {start + i} on sparse attention",
                abstract="We study sparse attention.",
                hypothesis_claim="Sparsity helps.",
                keywords=["attention"],
                state=SubmissionState.SUBMITTED,
                created_by=author,
                submitted_at=now,
                screened_at=now if screened else None,
                screened_by=world.chief if screened else None,
            )
            for i in range(n)
        ]
    )
    Authorship.objects.bulk_create(
        [
            Authorship(
                submission=p,
                order=0,
                user=author,
                name="Ada Author",
                email=author.email,
                is_corresponding=True,
            )
            for p in papers
        ]
    )
    SubmissionVersion.objects.bulk_create(
        [
            SubmissionVersion(
                submission=p,
                number=1,
                pdf=f"submissions/{p.pk}.pdf",
                pdf_sha256="0" * 64,
                pdf_size=1000,
                page_count=page_count,
                created_by=author,
                submitted_at=now,
                anonymity_findings=[],
            )
            for p in papers
        ]
    )
    world.papers.extend(papers)
    return papers


def phased_venue(*, n_papers: int = 0, screened: bool = False, timeline=True, **fields):
    n = next(_numbers)
    venue = ConferenceFactory(**fields)
    chief = VenueRoleFactory(
        venue=venue,
        role=RoleKind.CHIEF,
        user=UserFactory(display_name="Carla Chair", email=f"chair{n}@chairs.example.org"),
    ).user
    area_chair = VenueRoleFactory(
        venue=venue,
        role=RoleKind.ACTION_EDITOR,
        user=UserFactory(display_name="Arlo Areachair", email=f"ac{n}@acs.example.org"),
    ).user
    reviewers = [
        VenueRoleFactory(
            venue=venue,
            role=RoleKind.REVIEWER,
            user=UserFactory(email=f"rev{i}.{n}@reviewers{i}.example.net"),
        ).user
        for i in range(3)
    ]
    world = PhasedVenue(venue=venue, chief=chief, area_chair=area_chair, reviewers=reviewers)
    if timeline:
        venue_timeline_set(venue=venue, actor=chief, phases=week_plan())
        venue.refresh_from_db()
    if n_papers:
        add_papers(world, n_papers, screened=screened)
    return world
