"""Queue the e-mails of the review workflow through the journal's outbox."""

import hashlib
from datetime import datetime
from typing import Any

from journal.enums import RoleKind
from journal.models import Submission, User
from journal.selectors.people import venue_people
from journal.services.email import email_queue


def handling_editors(*, submission: Submission) -> list[User]:
    """Return who handles `submission`: its action editor, else the venue's chiefs."""
    if submission.action_editor_id is not None:
        return [submission.action_editor]
    return list(venue_people(venue=submission.venue, role=RoleKind.CHIEF))


def chiefs(*, submission: Submission) -> list[User]:
    """Return the venue's editors-in-chief (program chairs)."""
    return list(venue_people(venue=submission.venue, role=RoleKind.CHIEF))


def notify(
    *,
    people: list[User],
    template: str,
    submission: Submission,
    context: dict[str, Any] | None = None,
    dedupe_key: str | None = None,
    now: datetime | None = None,
) -> int:
    """Queue `template` to each of `people`; return how many messages were queued.

    With a `dedupe_key`, each person's message gets the key plus their id, so a person never
    gets the same reminder twice.
    """
    queued = 0
    for person in people:
        email = email_queue(
            to=person.email,
            recipient=person,
            template=template,
            context={"submission": submission, "name": person.display_name, **(context or {})},
            venue=submission.venue,
            submission=submission,
            dedupe_key=f"{dedupe_key}:{person.pk}" if dedupe_key else None,
            now=now,
        )
        queued += email is not None
    return queued


def notify_authors(
    *,
    submission: Submission,
    template: str,
    context: dict[str, Any] | None = None,
    now: datetime | None = None,
) -> None:
    """Queue `template` to every author of `submission`, registered or not."""
    for author in submission.authors.select_related("user"):
        email_queue(
            to=author.user.email if author.user else author.email,
            recipient=author.user,
            template=template,
            context={"submission": submission, "name": author.name, **(context or {})},
            venue=submission.venue,
            submission=submission,
            now=now,
        )


def notify_authors_plain(
    *,
    submission: Submission,
    template: str,
    values: dict[str, str],
    now: datetime | None = None,
) -> None:
    """Queue `template` to every author of `submission`, rendered from plain `values` only.

    Each message is queued once per author: the key is the template and the values.
    """
    digest = hashlib.sha256(repr(sorted(values.items())).encode()).hexdigest()[:16]
    for author in submission.authors.select_related("user"):
        email_queue(
            to=author.user.email if author.user else author.email,
            recipient=author.user,
            template=template,
            context={"name": author.name, **values},
            venue=submission.venue,
            submission=submission,
            dedupe_key=f"{template}:{submission.pk}:{digest}:{author.pk}",
            now=now,
        )
