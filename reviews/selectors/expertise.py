"""Reads about reviewers: who reviews at a venue, their loads, texts and stored affinities."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from journal.enums import LoadPeriod, RoleKind
from journal.models import Submission, User, Venue, VenueRole
from journal.rendering import render_plain_text
from journal.selectors.availability import Away, review_window, roles_away
from journal.selectors.phases import screened_submissions
from reviews.enums import InvitationState
from reviews.models import (
    AffinityScore,
    Bid,
    ExpertiseKeyword,
    MatchingSettings,
    Publication,
    ReviewInvitation,
)

#: Publications per reviewer that describe their expertise (the most recent ones).
MAX_PUBLICATIONS = 50


@dataclass(frozen=True)
class ReviewerSlot:
    """A reviewer of a venue with their load, quota and availability today."""

    user: User
    load: int
    quota: int | None
    available: bool
    away: Away | None = None
    subject_areas: tuple[str, ...] = ()

    @property
    def remaining(self) -> int | None:
        """Return how many more papers they may take (None without a quota)."""
        return None if self.quota is None else max(0, self.quota - self.load)

    @property
    def is_full(self) -> bool:
        return self.remaining == 0


def matching_settings_of(*, venue: Venue) -> MatchingSettings:
    """Return the venue's matching settings (defaults when none were saved)."""
    try:
        return venue.matching_settings
    except MatchingSettings.DoesNotExist:
        return MatchingSettings(venue=venue)


def matchable_submissions(*, venue: Venue) -> QuerySet[Submission]:
    """Return the venue's papers that need reviewers, in number order.

    At a conference that runs on phases only papers that passed screening count.
    """
    return screened_submissions(venue=venue)


def venue_reviewer_roles(*, venue: Venue) -> QuerySet[VenueRole]:
    """Return the reviewer roles of a venue with their users, in a stable order."""
    return (
        VenueRole.objects.filter(venue=venue, role=RoleKind.REVIEWER, user__is_active=True)
        .select_related("user")
        .order_by("user_id")
    )


def reviewer_loads(*, venue: Venue, roles: Sequence[VenueRole]) -> dict[int, int]:
    """Return each reviewer's current load at the venue, per their role's load period.

    The load is the number of papers with a pending or accepted invitation at the venue; for
    a yearly quota only invitations from this calendar year count.
    """
    year_start = timezone.now().replace(month=1, day=1, hour=0, minute=0, second=0, microsecond=0)
    active = Q(review_invitations__state__in=InvitationState.ACTIVE) & Q(
        review_invitations__submission__venue=venue
    )
    counts = (
        User.objects.filter(pk__in=[r.user_id for r in roles])
        .annotate(
            venue_load=Count("review_invitations__submission", filter=active, distinct=True),
            year_load=Count(
                "review_invitations__submission",
                filter=active & Q(review_invitations__created_at__gte=year_start),
                distinct=True,
            ),
        )
        .values_list("pk", "venue_load", "year_load")
    )
    by_user = {pk: (venue_load, year_load) for pk, venue_load, year_load in counts}
    loads = {}
    for role in roles:
        venue_load, year_load = by_user.get(role.user_id, (0, 0))
        loads[role.user_id] = year_load if role.load_period == LoadPeriod.YEAR else venue_load
    return loads


def reviewer_slots(*, venue: Venue) -> list[ReviewerSlot]:
    """Return every active reviewer of the venue with load, quota and availability: one
    away at any time of a review period starting today is not available."""
    roles = list(venue_reviewer_roles(venue=venue))
    loads = reviewer_loads(venue=venue, roles=roles)
    start, end = review_window(venue=venue)
    away = roles_away(roles=roles, start=start, end=end)
    return [
        ReviewerSlot(
            user=role.user,
            load=loads.get(role.user_id, 0),
            quota=role.load_quota,
            available=role.user_id not in away,
            away=away.get(role.user_id),
            subject_areas=tuple(role.subject_areas or ()),
        )
        for role in roles
    ]


def active_invitation_pairs(*, submission_ids: Sequence[int]) -> list[tuple[int, int]]:
    """Return (submission id, reviewer id) of pending or accepted invitations."""
    return list(
        ReviewInvitation.objects.filter(
            submission_id__in=submission_ids, state__in=InvitationState.ACTIVE
        )
        .values_list("submission_id", "reviewer_id")
        .distinct()
    )


def ended_invitation_pairs(*, submission_ids: Sequence[int]) -> list[tuple[int, int]]:
    """Return pairs whose invitation was declined, withdrawn or expired (never re-propose)."""
    return list(
        ReviewInvitation.objects.filter(submission_id__in=submission_ids)
        .exclude(state__in=InvitationState.ACTIVE)
        .values_list("submission_id", "reviewer_id")
        .distinct()
    )


def submission_text(submission: Submission) -> str:
    """Return the text that describes a paper to the affinity model.

    Title and abstract are given as their rendered plain text (no Markdown, no LaTeX macro
    names); embeddings are cached by the hash of this text, so a change here or in
    `render_plain_text` re-embeds each paper once.
    """
    keywords = ". ".join(
        render_plain_text(k) for k in submission.keywords or () if isinstance(k, str)
    )
    parts = (
        render_plain_text(submission.title),
        render_plain_text(submission.abstract),
        keywords,
    )
    return "\n".join(part for part in parts if part)


def publication_text(title: str, abstract: str) -> str:
    """Return the plain text of a reviewer's publication for the affinity model."""
    title, abstract = render_plain_text(title), render_plain_text(abstract)
    return f"{title}\n{abstract}" if abstract else title


def reviewer_documents(*, user_ids: Sequence[int]) -> dict[int, list[tuple[str, str]]]:
    """Return, per reviewer, (label, text) of each publication plus one for their keywords.

    Only the `MAX_PUBLICATIONS` most recent publications count, so prolific authors do not
    dominate the corpus or the memory of the affinity computation.
    """
    docs: dict[int, list[tuple[str, str]]] = defaultdict(list)
    pubs = Publication.objects.filter(user_id__in=user_ids).order_by(
        "user_id", F("year").desc(nulls_last=True), "-pk"
    )
    for user_id, title, abstract in pubs.values_list("user_id", "title", "abstract"):
        if len(docs[user_id]) < MAX_PUBLICATIONS:
            docs[user_id].append((title, publication_text(title, abstract)))
    keywords: dict[int, list[str]] = defaultdict(list)
    rows = ExpertiseKeyword.objects.filter(user_id__in=user_ids).order_by("user_id", "keyword")
    for user_id, keyword in rows.values_list("user_id", "keyword"):
        keywords[user_id].append(render_plain_text(keyword))
    for user_id, words in keywords.items():
        docs[user_id].append(("Declared expertise: " + ", ".join(words), ". ".join(words)))
    return docs


def bids_of(*, submission_ids: Sequence[int]) -> dict[tuple[int, int], str]:
    """Return {(submission id, reviewer id): bid value} of the given papers."""
    rows = Bid.objects.filter(submission_id__in=submission_ids).values_list(
        "submission_id", "reviewer_id", "value"
    )
    return {(s, r): v for s, r, v in rows}


def affinity_scores_of(*, submission: Submission) -> dict[int, float]:
    """Return the stored affinity of each candidate reviewer of one paper."""
    rows = AffinityScore.objects.filter(submission=submission).values_list("reviewer_id", "score")
    return dict(rows)


def venue_has_bids(*, venue: Venue) -> bool:
    return Bid.objects.filter(submission__venue=venue).exists()


def venue_has_affinities(*, venue: Venue) -> bool:
    return AffinityScore.objects.filter(venue=venue).exists()
