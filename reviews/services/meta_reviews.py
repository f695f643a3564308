"""Release the area chairs' meta-reviews of a venue to the authors (a conference's decisions
phase does this for every paper at once)."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from journal.models import User, Venue
from journal.services.audit import audit_log
from reviews.models import MetaReview
from reviews.services.notify import notify_authors

#: Meta-reviews released per transaction: a failed batch leaves the earlier ones released
#: and itself untouched; running again picks up where it stopped.
RELEASE_BATCH = 500


def meta_reviews_release(
    *, venue: Venue, actor: User | None, now: datetime | None = None
) -> int:
    """Show every written, unreleased meta-review of `venue` to its paper's authors, and tell
    them by e-mail; return how many were released. Safe to run twice: released ones stay."""
    now = now or timezone.now()
    released = 0
    while True:
        with transaction.atomic():
            batch = list(
                MetaReview.objects.select_for_update(of=("self",))
                .filter(round__submission__venue=venue, released_at=None)
                .select_related("round__submission__venue")
                .order_by("pk")[:RELEASE_BATCH]
            )
            if not batch:
                break
            MetaReview.objects.filter(pk__in=[m.pk for m in batch]).update(released_at=now)
            for meta in batch:
                submission = meta.round.submission
                audit_log(
                    venue=venue,
                    submission=submission,
                    actor=actor,
                    action="meta_review.release",
                    data={"round": meta.round.number},
                    at=now,
                    visibility="authors",
                )
                notify_authors(
                    submission=submission,
                    template="reviews/emails/meta_review_released",
                    context={"round": meta.round},
                    now=now,
                )
            released += len(batch)
    if released:
        audit_log(
            venue=venue, actor=actor, action="meta_reviews.released", data={"count": released}
        )
    return released
