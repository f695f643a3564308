"""What reviewers tell the venue: expertise keywords and their own conflicts.

Bids are in `reviews.services.bidding` (re-exported here as `bid_set`).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from journal.enums import ConflictKind
from journal.errors import DomainError
from journal.models import Submission, User
from reviews.models import Bid, BidValue, ExpertiseKeyword, ReviewerConflict
from reviews.services.bidding import bid_set
from reviews.services.editor_conflicts import editor_conflicts_person_changed

__all__ = [
    "bid_set",
    "expertise_keywords_set",
    "reviewer_conflict_declare",
    "reviewer_conflict_remove",
]

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
        if submission is not None:
            # A conflict with one paper is the "conflict" bid on it: the bidding page shows it.
            Bid.objects.update_or_create(
                submission=submission,
                reviewer=reviewer,
                defaults={"value": BidValue.CONFLICT, "updated_at": timezone.now()},
            )
    return conflict


def reviewer_conflict_remove(*, reviewer: User, conflict_id: int) -> None:
    """Withdraw one of the reviewer's own declared conflicts (and a "conflict" bid with it)."""
    with transaction.atomic():
        conflict = ReviewerConflict.objects.filter(pk=conflict_id, reviewer=reviewer).first()
        if conflict is None:
            raise DomainError("No such conflict on your list.")
        if conflict.submission_id is not None:
            Bid.objects.filter(
                reviewer=reviewer, submission_id=conflict.submission_id, value=BidValue.CONFLICT
            ).delete()
        conflict.delete()
        editor_conflicts_person_changed(user=reviewer)
