"""Turn the objects an e-mail is about into the plain values a venue's wording may use.

This is the only bridge between model instances and the venue-editable e-mail wordings of
`journal.email_wording`: each value is read here, by our code, and handed over as a string
or a boolean.
"""

from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.urls import reverse
from django.utils import dateformat, timezone

from journal.email_wording import EMAIL_NAMES

Values = dict[str, str | bool]


def _when(value: datetime | None) -> str:
    if value is None:
        return ""
    return dateformat.format(timezone.localtime(value), "j M Y, H:i e")


def _common(context: dict[str, Any]) -> Values:
    submission, venue = context.get("submission"), context.get("venue")
    return {
        "name": str(context.get("name") or ""),
        "venue_name": venue.name if venue is not None else "",
        "paper_number": str(submission.number) if submission is not None else "",
        "paper_title": submission.title if submission is not None else "",
        "site_url": str(context.get("site_url") or ""),
    }


def _paper_url(context: dict[str, Any]) -> str:
    submission = context.get("submission")
    if submission is None or submission.pk is None:
        return ""
    return f"{context.get('site_url', '')}{submission.get_absolute_url()}"


def _link(context: dict[str, Any], name: str, obj: Any) -> str:
    if obj is None or getattr(obj, "pk", None) is None:
        return ""
    return f"{context.get('site_url', '')}{reverse(name, args=[obj.pk])}"


def _submission_received(context: dict[str, Any]) -> Values:
    return {"paper_url": _paper_url(context), "is_revision": bool(context.get("is_revision"))}


def _decision(context: dict[str, Any]) -> Values:
    to_state = context.get("to_state")
    return {
        "paper_url": _paper_url(context),
        "decision": str(getattr(to_state, "label", to_state or "")),
        "note": str(context.get("note") or ""),
    }


def _invitation(context: dict[str, Any]) -> Values:
    invitation, submission = context.get("invitation"), context.get("submission")
    return {
        "paper_abstract": submission.abstract if submission is not None else "",
        "editor_note": str(getattr(invitation, "note", "") or ""),
        "answer_due": _when(getattr(invitation, "answer_due", None)),
        "review_due": _when(getattr(invitation, "review_due", None)),
        "invitation_url": _link(context, "reviews:invitation", invitation),
    }


def _reminder_invitation(context: dict[str, Any]) -> Values:
    return {
        "answer_due": _when(context.get("deadline")),
        "overdue": bool(context.get("overdue")),
        "invitation_url": _link(context, "reviews:invitation", context.get("invitation")),
    }


def _reminder_review(context: dict[str, Any]) -> Values:
    return {
        "review_due": _when(context.get("deadline")),
        "overdue": bool(context.get("overdue")),
        "review_url": _link(context, "reviews:review-edit", context.get("review")),
    }


def _reminder_bids(context: dict[str, Any]) -> Values:
    return {
        "bids_made": str(context.get("bids_made") or 0),
        "min_bids": str(context.get("min_bids") or 0),
        "bidding_url": str(context.get("bidding_url") or ""),
    }


_BUILDERS: dict[str, Callable[[dict[str, Any]], Values]] = {
    "journal/emails/submission_received": _submission_received,
    "journal/emails/decision": _decision,
    "reviews/emails/invitation": _invitation,
    "reviews/emails/reminder_invitation": _reminder_invitation,
    "reviews/emails/reminder_review": _reminder_review,
    "reviews/emails/reminder_bids": _reminder_bids,
}


def email_values(*, template: str, context: dict[str, Any]) -> Values:
    """Return the plain values of e-mail `template` (a rewordable kind) for `context`."""
    values = {**_common(context), **_BUILDERS[template](context)}
    allowed = {n.name for n in EMAIL_NAMES[template]}
    return {k: v for k, v in values.items() if k in allowed}
