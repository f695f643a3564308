"""Bids: a reviewer's level of interest in a paper, and the chair's reminders to bid.

A bid of "conflict" declares a conflict of interest with the paper (a `ReviewerConflict`,
which the conflict rules and so the matching read): the pair is never matched. Moving the
bid to any other level withdraws that declaration. "Neutral" removes the bid.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings as site
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from journal.errors import DomainError
from journal.limits import BID_WEIGHT_MAX, MIN_BIDS_MAX
from journal.models import Submission, User, Venue
from journal.rules import forget_access
from journal.services.audit import audit_log
from journal.services.email import email_queue
from reviews.models import Bid, BidValue, MatchingSettings, ReviewerConflict
from reviews.rules import bid_hidden_ids, bidding_is_open, is_venue_reviewer
from reviews.selectors.bidding import (
    BID_REMINDER_TEMPLATE,
    biddable_submissions,
    bids_made_count,
    reviewers_to_remind,
)
from reviews.selectors.conflicts import conflicts_for_pair
from reviews.selectors.expertise import matching_settings_of
from reviews.services.editor_conflicts import editor_conflict_pair_changed

#: The reason recorded on a conflict declared by bidding "conflict".
CONFLICT_BID_REASON = "Declared on the bidding page."


def bid_set(*, submission: Submission, reviewer: User, value: str) -> Bid | None:
    """Record a reviewer's bid on a paper; a neutral bid removes any earlier one.

    Refused unless the venue takes bids now (`reviews.rules.can_bid`), the person reviews
    there, the paper takes bids and the person is neither its author nor conflicted with it
    (a conflict they declared by bidding may be taken back). Return the bid, or None for
    neutral.
    """
    if value not in BidValue.values:
        levels = ", ".join(f"'{v}'" for v in BidValue.values)
        raise DomainError(f"Unknown bid '{value}'; a bid is one of {levels}.", field="value")
    venue = submission.venue
    if not is_venue_reviewer(reviewer, venue):
        raise DomainError(f"Only reviewers of {venue.name} bid on its papers.")
    if not bidding_is_open(venue):
        raise DomainError(f"Bidding is closed at {venue.name}; your bids are kept as they are.")
    if not biddable_submissions(venue=venue).filter(pk=submission.pk).exists():
        raise DomainError(f"Paper #{submission.number} does not take bids.")
    if submission.pk in bid_hidden_ids(reviewer, venue):
        raise DomainError(
            f"You are an author of paper #{submission.number} or have a conflict of interest "
            "with it, so you do not bid on it."
        )
    with transaction.atomic():
        earlier = (
            Bid.objects.select_for_update().filter(submission=submission, reviewer=reviewer).first()
        )
        if value == BidValue.CONFLICT:
            _, created = ReviewerConflict.objects.get_or_create(
                reviewer=reviewer,
                submission=submission,
                defaults={"reason": CONFLICT_BID_REASON},
            )
            if created:
                editor_conflict_pair_changed(user=reviewer, submission=submission, conflicted=True)
        elif earlier is not None and earlier.value == BidValue.CONFLICT:
            ReviewerConflict.objects.filter(reviewer=reviewer, submission=submission).delete()
            _refuse_if_conflicted(submission, reviewer)
            editor_conflict_pair_changed(user=reviewer, submission=submission, conflicted=False)
        if value == BidValue.NEUTRAL:
            if earlier is not None:
                earlier.delete()
            bid = None
        else:
            bid, _ = Bid.objects.update_or_create(
                submission=submission,
                reviewer=reviewer,
                defaults={"value": value, "updated_at": timezone.now()},
            )
    forget_access(reviewer, "_peerless_bid_hidden", "_peerless_conflicted")
    return bid


def _refuse_if_conflicted(submission: Submission, reviewer: User) -> None:
    """Refuse taking back a conflict bid when another conflict rule still holds.

    The reason is not named: it may point at the authors, whom a reviewer may not know.
    """
    if conflicts_for_pair(submission=submission, reviewer=reviewer):
        raise DomainError(
            f"The venue's conflict rules also find a conflict of interest between you and "
            f"paper #{submission.number}, so it stays a conflict."
        )


def bid_counts(*, venue: Venue, reviewer: User) -> tuple[int, int]:
    """Return (bids made, the venue's minimum) for the reviewer's counter."""
    return bids_made_count(venue=venue, reviewer=reviewer), matching_settings_of(
        venue=venue
    ).min_bids


@dataclass(frozen=True)
class ReminderResult:
    """What a round of bid reminders did."""

    sent: int
    skipped_recent: int


def bid_reminders_send(*, venue: Venue, actor: User) -> ReminderResult:
    """Remind every reviewer of `venue` with fewer bids than the minimum to bid.

    Someone reminded within the last 24 hours is left out, so a double click (or two chairs
    at once: the venue's matching settings row is locked) sends each person one e-mail.
    Refused while bidding is closed.
    """
    if not bidding_is_open(venue):
        raise DomainError(f"Bidding is closed at {venue.name}; there is nothing to remind of.")
    with transaction.atomic():
        created, _ = MatchingSettings.objects.get_or_create(venue=venue)
        settings = MatchingSettings.objects.select_for_update().get(pk=created.pk)
        now = timezone.now()
        due, recent = reviewers_to_remind(venue=venue, now=now)
        sent = 0
        url = site.SITE_URL + reverse("reviews:bids", args=[venue.slug])
        for reviewer in due:
            email = email_queue(
                to=reviewer.email,
                recipient=reviewer,
                template=BID_REMINDER_TEMPLATE,
                context={
                    "name": reviewer.display_name,
                    "bids_made": reviewer.n_bids,
                    "min_bids": settings.min_bids,
                    "bidding_url": url,
                },
                venue=venue,
                # The reminder that follows the last one: two at once make one e-mail.
                dedupe_key=(
                    f"bid-reminder:{venue.pk}:{reviewer.pk}:{reviewer.last_reminder_id or 0}"
                ),
            )
            if email is None:
                recent += 1
            else:
                sent += 1
        audit_log(
            venue=venue,
            actor=actor,
            action="bidding.reminded",
            data={"sent": sent, "skipped_recent": recent},
        )
    return ReminderResult(sent=sent, skipped_recent=recent)


def bidding_settings_update(
    *,
    venue: Venue,
    actor: User,
    min_bids: int | None = None,
    bid_weight: float | None = None,
    bidding_open: bool | None = None,
) -> MatchingSettings:
    """Change the venue's bidding settings; return them. Audited with what changed.

    At a conference with a timeline bidding opens and closes with its phase, so the switch
    is refused there.
    """
    if min_bids is not None and not 0 <= min_bids <= MIN_BIDS_MAX:
        raise DomainError(f"Ask for 0 to {MIN_BIDS_MAX} bids.", field="min_bids")
    if bid_weight is not None and not 0.0 <= bid_weight <= BID_WEIGHT_MAX:
        raise DomainError(f"A bid weight lies between 0 and {BID_WEIGHT_MAX}.", field="bid_weight")
    if bidding_open is not None and venue.is_conference and venue.phases.exists():
        raise DomainError(
            f"{venue.name} has a timeline: bidding opens and closes with its bidding phase.",
            field="bidding_open",
        )
    with transaction.atomic():
        created, _ = MatchingSettings.objects.get_or_create(venue=venue)
        settings = MatchingSettings.objects.select_for_update().get(pk=created.pk)
        changed = {}
        for name, value in (
            ("min_bids", min_bids),
            ("bid_weight", bid_weight),
            ("bidding_open", bidding_open),
        ):
            if value is not None and getattr(settings, name) != value:
                setattr(settings, name, value)
                changed[name] = value
        if changed:
            settings.updated_at = timezone.now()
            settings.save(update_fields=[*changed, "updated_at"])
            audit_log(venue=venue, actor=actor, action="bidding.settings", data=changed)
    return settings
