"""What reviewers tell the venue: expertise keywords, bids and their own conflicts."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from journal.enums import ConflictKind, RoleKind
from journal.errors import DomainError
from journal.models import Submission, User
from reviews.models import Bid, BidValue, ExpertiseKeyword, ReviewerConflict
from reviews.selectors.expertise import MATCHABLE_STATES, matching_settings_of
from reviews.services.editor_conflicts import editor_conflicts_person_changed

MAX_KEYWORDS = 30


def expertise_keywords_set(*, user: User, keywords: Iterable[str]) -> list[str]:
    """Replace `user`'s expertise keywords; return them cleaned, in order, without repeats."""
    cleaned: list[str] = []
    for raw in keywords:
        keyword = " ".join(str(raw).split())[:100]
        if keyword and keyword.lower() not in {k.lower() for k in cleaned}:
            cleaned.append(keyword)
    if len(cleaned) > MAX_KEYWORDS:
        raise DomainError(f"Name at most {MAX_KEYWORDS} keywords.", field="keywords")
    with transaction.atomic():
        ExpertiseKeyword.objects.filter(user=user).delete()
        ExpertiseKeyword.objects.bulk_create(
            ExpertiseKeyword(user=user, keyword=keyword) for keyword in cleaned
        )
    return cleaned


def bid_set(*, submission: Submission, reviewer: User, value: str) -> Bid | None:
    """Record a reviewer's bid on a paper; a neutral bid removes any earlier one.

    Refused unless the venue has bidding open, the person reviews there, the paper still
    needs reviewers and the person is not one of its authors.
    """
    if value not in BidValue.values:
        raise DomainError(f"Unknown bid '{value}'.", field="value")
    venue = submission.venue
    if not matching_settings_of(venue=venue).bidding_open:
        raise DomainError(f"Bidding is closed at {venue.name}.")
    if not venue.roles.filter(user=reviewer, role=RoleKind.REVIEWER).exists():
        raise DomainError(f"Only reviewers of {venue.name} bid on its papers.")
    if submission.state not in MATCHABLE_STATES:
        raise DomainError("This paper is not open for bids.")
    if submission.authors.filter(user=reviewer).exists():
        raise DomainError("You are an author of this paper.")
    if value == BidValue.NEUTRAL:
        Bid.objects.filter(submission=submission, reviewer=reviewer).delete()
        return None
    bid, _ = Bid.objects.update_or_create(
        submission=submission,
        reviewer=reviewer,
        defaults={"value": value, "updated_at": timezone.now()},
    )
    return bid


def reviewer_conflict_declare(
    *,
    reviewer: User,
    submission: Submission | None = None,
    kind: str = "",
    value: str = "",
    reason: str = "",
) -> ReviewerConflict:
    """Record a conflict the reviewer declares: with one paper, or a person/institution/domain."""
    value = value.strip()
    if submission is None:
        if kind not in ConflictKind.values:
            raise DomainError("Say whether the conflict is a person, an institution or a domain.")
        if not value:
            raise DomainError("Name the person, institution or domain.", field="value")
        if kind == ConflictKind.DOMAIN:
            value = value.lower().lstrip("@")
        existing = ReviewerConflict.objects.filter(
            reviewer=reviewer, submission=None, kind=kind, value__iexact=value
        ).first()
    else:
        kind, value = "", ""
        existing = ReviewerConflict.objects.filter(reviewer=reviewer, submission=submission).first()
    if existing is not None:
        return existing
    with transaction.atomic():
        conflict = ReviewerConflict.objects.create(
            reviewer=reviewer,
            submission=submission,
            kind=kind,
            value=value,
            reason=reason.strip()[:300],
        )
        editor_conflicts_person_changed(user=reviewer)
    return conflict


def reviewer_conflict_remove(*, reviewer: User, conflict_id: int) -> None:
    """Withdraw one of the reviewer's own declared conflicts."""
    with transaction.atomic():
        deleted, _ = ReviewerConflict.objects.filter(pk=conflict_id, reviewer=reviewer).delete()
        if not deleted:
            raise DomainError("No such conflict on your list.")
        editor_conflicts_person_changed(user=reviewer)
