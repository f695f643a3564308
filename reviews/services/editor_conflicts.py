"""Keep the editors' conflicts of interest as data (`journal.models.EditorConflict`).

Reads go through `reviews.selectors.editor_conflicts.editor_conflicted_ids`. The writes here
keep the rows true:

- `editor_conflicts_paper_changed`: a paper's authors or declared conflicts changed; its rows
  are recomputed against every scanned editor of the venue, in the caller's transaction;
- `editor_conflicts_person_changed`: a person's profile, publications or declared conflicts
  changed; their scans are dropped (the next read rescans) and the papers they author are
  recomputed (their co-authors and affiliation are conflict evidence too);
- `editor_conflict_pair_changed`: one pair changed by a declaration with one paper (a reviewer's
  "conflict" bid); only that row is written;
- `editor_conflicts_rebuild`: the whole venue, as the nightly pass does;
- `editor_conflicts_scan_editors`: the venue's chairs and area chairs whose scan is not stored
  yet, all in one pass (a pass over the papers costs the same for one person or hundreds). It
  runs in the background when someone takes an editor's role and in the nightly pass, so
  nobody's first dashboard waits for the scan of a large venue.

A reviewer's scans are stored the same way (the bidding page reads them): the rows are a
person's conflicts by the reviewers' rules, whatever their role.

The rules themselves are `reviews.selectors.conflicts`; nothing here decides what a conflict is.
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from kombu.exceptions import OperationalError

from journal.enums import RoleKind
from journal.models import (
    Authorship,
    EditorConflict,
    EditorConflictScan,
    Submission,
    User,
    Venue,
)
from reviews.selectors.conflicts import conflict_mask, conflicted_people

logger = logging.getLogger(__name__)


def editor_conflicts_paper_changed(*, submission: Submission) -> None:
    """Recompute `submission`'s rows against every editor whose scan of its venue is stored."""
    editor_ids = list(
        EditorConflictScan.objects.filter(venue_id=submission.venue_id).values_list(
            "user_id", flat=True
        )
    )
    EditorConflict.objects.filter(submission=submission).delete()
    if not editor_ids:
        return
    editors = list(User.objects.filter(pk__in=editor_ids).order_by("pk"))
    conflicted = conflicted_people(submission=submission, people=editors)
    EditorConflict.objects.bulk_create(
        [
            EditorConflict(venue_id=submission.venue_id, submission=submission, user=editor)
            for editor in conflicted
        ],
        ignore_conflicts=True,
    )


def editor_conflicts_person_changed(*, user: User) -> None:
    """`user`'s conflict evidence changed: drop their scans, recompute the papers they author."""
    EditorConflictScan.objects.filter(user=user).delete()
    authored = Submission.objects.filter(
        pk__in=Authorship.objects.filter(
            Q(user_id=user.pk) | Q(email=(user.email or "").lower())
        ).values("submission_id")
    )
    for submission in authored:
        editor_conflicts_paper_changed(submission=submission)


def editor_conflict_pair_changed(*, user: User, submission: Submission, conflicted: bool) -> None:
    """Keep one pair's row true after `user` declared (or withdrew) a conflict with a paper.

    The caller has checked the other rules when `conflicted` is False (the pair is free).
    """
    scanned = EditorConflictScan.objects.filter(user=user, venue_id=submission.venue_id)
    if not scanned.exists():
        return
    if conflicted:
        EditorConflict.objects.get_or_create(
            submission=submission, user=user, defaults={"venue_id": submission.venue_id}
        )
    else:
        EditorConflict.objects.filter(submission=submission, user=user).delete()


def editor_conflicts_rebuild(*, venue: Venue) -> int:
    """Recompute every stored editor's conflicts at `venue` in one pass; return the row count."""
    editor_ids = list(
        EditorConflictScan.objects.filter(venue=venue).values_list("user_id", flat=True)
    )
    editors = list(User.objects.filter(pk__in=editor_ids).order_by("pk"))
    rows = _conflict_rows(venue, editors)
    with transaction.atomic():
        EditorConflict.objects.filter(venue=venue).delete()
        EditorConflict.objects.bulk_create(rows, batch_size=2000, ignore_conflicts=True)
        EditorConflictScan.objects.filter(venue=venue, user_id__in=editor_ids).update(
            scanned_at=timezone.now()
        )
    return len(rows)


def _conflict_rows(venue: Venue, editors: list[User]) -> list[EditorConflict]:
    """The rows of `editors`' conflicts with `venue`'s papers, from one pass over the papers."""
    submissions = list(Submission.objects.filter(venue=venue).order_by("pk"))
    if not editors or not submissions:
        return []
    mask = conflict_mask(venue=venue, submissions=submissions, reviewers=editors).tocoo()
    return [
        EditorConflict(venue=venue, submission=submissions[r], user=editors[c])
        for r, c in zip(mask.row.tolist(), mask.col.tolist(), strict=True)
    ]


#: The roles whose holders read a venue's papers through the dashboards.
EDITOR_ROLES = (RoleKind.CHIEF, RoleKind.ACTION_EDITOR, RoleKind.SENIOR_AREA_CHAIR)


def editor_conflicts_scan_editors(*, venue: Venue) -> int:
    """Store the scans of `venue`'s editors (chairs, area chairs, senior area chairs) who
    have none, in one pass over its papers; return how many people were scanned.

    Safe to run twice or beside a reader's own scan: people scanned meanwhile are skipped,
    and a row or scan stored twice is kept once.
    """
    editors = list(
        User.objects.filter(venue_roles__venue=venue, venue_roles__role__in=EDITOR_ROLES)
        .exclude(pk__in=EditorConflictScan.objects.filter(venue=venue).values("user_id"))
        .distinct()
        .order_by("pk")
    )
    if not editors:
        return 0
    rows = _conflict_rows(venue, editors)
    now = timezone.now()
    with transaction.atomic():
        EditorConflict.objects.filter(venue=venue, user__in=editors).delete()
        EditorConflict.objects.bulk_create(rows, batch_size=2000, ignore_conflicts=True)
        EditorConflictScan.objects.bulk_create(
            [EditorConflictScan(venue=venue, user=editor, scanned_at=now) for editor in editors],
            ignore_conflicts=True,
        )
    return len(editors)


def editor_conflicts_queue_scan(*, venue: Venue) -> None:
    """Scan `venue`'s new editors in the background once the current transaction commits."""
    from reviews.tasks import editor_conflicts_scan_task

    venue_id = venue.pk

    def enqueue() -> None:
        # Without the broker the scan happens at the editor's first visit instead.
        try:
            editor_conflicts_scan_task.delay(venue_id)
        except OperationalError as exc:
            logger.warning("Could not queue the conflict scan of venue %s: %s", venue_id, exc)

    transaction.on_commit(enqueue)


def editor_conflicts_rebuild_all() -> int:
    """The nightly pass: scan editors not scanned yet, rebuild every venue's stored editor
    conflicts."""
    for venue in Venue.objects.filter(roles__role__in=EDITOR_ROLES).distinct():
        editor_conflicts_scan_editors(venue=venue)
    return sum(
        editor_conflicts_rebuild(venue=venue)
        for venue in Venue.objects.filter(
            pk__in=EditorConflictScan.objects.values("venue_id")
        )
    )
