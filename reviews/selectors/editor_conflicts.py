"""Read the editors' conflicts of interest kept as data (`journal.models.EditorConflict`).

The stored rows are derived data, a cache of `reviews.selectors.conflicts` per person and
venue: where a person's scan of a venue is known they are read as they are; where it is not,
the venue is scanned once and the result stored, so only a person's first visit pays for it.
Keeping the rows true after a change is `reviews.services.editor_conflicts`.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone

from journal.models import EditorConflict, EditorConflictScan, User
from reviews.selectors.conflicts import conflicted_submission_ids


def editor_conflicted_ids(*, user: User, venue_ids: Sequence[int]) -> dict[int, set[int]]:
    """Return, per venue of `venue_ids`, the ids of its papers `user` is conflicted with."""
    found: dict[int, set[int]] = {venue_id: set() for venue_id in venue_ids}
    if not venue_ids:
        return found
    scanned = set(
        EditorConflictScan.objects.filter(user=user, venue_id__in=venue_ids).values_list(
            "venue_id", flat=True
        )
    )
    if scanned:
        rows = EditorConflict.objects.filter(user=user, venue_id__in=scanned).values_list(
            "venue_id", "submission_id"
        )
        for venue_id, submission_id in rows:
            found[venue_id].add(submission_id)
    missing = [venue_id for venue_id in venue_ids if venue_id not in scanned]
    if missing:
        found.update(_scan_person(user, missing))
    return found


def _scan_person(user: User, venue_ids: list[int]) -> dict[int, set[int]]:
    fresh = conflicted_submission_ids(venue_ids=venue_ids, person=user)
    with transaction.atomic():
        EditorConflict.objects.filter(user=user, venue_id__in=venue_ids).delete()
        EditorConflict.objects.bulk_create(
            [
                EditorConflict(venue_id=venue_id, submission_id=sid, user=user)
                for venue_id, ids in fresh.items()
                for sid in ids
            ],
            ignore_conflicts=True,
        )
        now = timezone.now()
        for venue_id in venue_ids:
            EditorConflictScan.objects.update_or_create(
                venue_id=venue_id, user=user, defaults={"scanned_at": now}
            )
    return fresh
