"""Change a venue's settings: deadlines, anonymity, review periods, loads, the review form."""

import zoneinfo
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from journal.errors import DomainError
from journal.models import User, Venue
from journal.services.audit import audit_log

#: What a chief may change from the settings page, in the order the page shows it.
EDITABLE_FIELDS = (
    "name",
    "description",
    "accepting_submissions",
    "anonymity",
    "timezone",
    "submission_deadline",
    "camera_ready_deadline",
    "review_form",
    "reviewers_per_paper",
    "review_period_days",
    "long_paper_pages",
    "long_review_period_days",
    "page_limit",
    "max_pdf_mb",
    "max_supplement_mb",
    "publish_reviews",
    "authors_may_comment",
)


def venue_update(*, venue: Venue, actor: User, **changes: Any) -> Venue:
    """Apply `changes` to `venue` after checking them all; record what changed.

    Either every change is saved or none is: a DomainError names the first problem.
    """
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise DomainError(f"These settings cannot be changed here: {', '.join(sorted(unknown))}.")
    with transaction.atomic():
        locked = Venue.objects.select_for_update().get(pk=venue.pk)
        changed: dict[str, list[str]] = {}
        for name, value in changes.items():
            if isinstance(value, str) and name not in {"description"}:
                value = value.strip()
            if getattr(locked, name) != value:
                changed[name] = [_plain(getattr(locked, name)), _plain(value)]
                setattr(locked, name, value)
        if not changed:
            return locked
        _check(locked)
        locked.save(update_fields=list(changed))
        audit_log(venue=locked, actor=actor, action="venue.updated", data={"changes": changed})
    return locked


def _check(venue: Venue) -> None:
    try:
        zoneinfo.ZoneInfo(venue.timezone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise DomainError(f"“{venue.timezone}” is not a time zone.", field="timezone") from None
    if (venue.long_paper_pages is None) != (venue.long_review_period_days is None):
        raise DomainError(
            "Give both the page count above which a paper is long and its review period, "
            "or neither.",
            field="long_review_period_days",
        )
    if (
        venue.submission_deadline
        and venue.camera_ready_deadline
        and venue.camera_ready_deadline <= venue.submission_deadline
    ):
        raise DomainError(
            "The camera-ready deadline must come after the submission deadline.",
            field="camera_ready_deadline",
        )
    if venue.is_conference and venue.accepting_submissions and not venue.submission_deadline:
        raise DomainError(
            "A conference that accepts submissions needs a submission deadline.",
            field="submission_deadline",
        )
    try:
        venue.full_clean(exclude=["slug", "review_form"], validate_unique=False)
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        label = field.replace("_", " ").capitalize()
        raise DomainError(f"{label}: {messages[0]}", field=field) from None


def _plain(value: Any) -> str:
    if value is None:
        return ""
    if hasattr(value, "isoformat") and timezone.is_aware(value):
        return value.isoformat()
    return str(value)
