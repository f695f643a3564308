"""Who hears about a workflow step, and with which e-mail."""

from datetime import datetime

from journal.enums import Anonymity, SubmissionState
from journal.models import Submission, User
from journal.selectors.people import submission_editors
from journal.services.email import email_queue

S = SubmissionState

#: target state -> (template for authors, template for editors); None means nobody.
_TEMPLATES: dict[str, tuple[str | None, str | None]] = {
    S.SUBMITTED: ("journal/emails/submission_received", "journal/emails/editor_new_submission"),
    S.DESK_REJECTED: ("journal/emails/decision", None),
    S.ACCEPTED: ("journal/emails/decision", None),
    S.REVISION_REQUESTED: ("journal/emails/decision", None),
    S.REJECTED: ("journal/emails/decision", None),
    S.CAMERA_READY: (None, "journal/emails/editor_camera_ready"),
    S.PUBLISHED: ("journal/emails/published", None),
    S.WITHDRAWN: ("journal/emails/withdrawn", "journal/emails/withdrawn"),
    S.RETRACTED: ("journal/emails/retracted", "journal/emails/retracted"),
}


def notify_transition(
    *,
    submission: Submission,
    from_state: str,
    to_state: str,
    note: str,
    now: datetime | None = None,
) -> None:
    """Queue the e-mails for one transition made at `now` (sent once the transaction
    commits)."""
    author_template, editor_template = _TEMPLATES.get(to_state, (None, None))
    context = {
        "submission": submission,
        "from_state": SubmissionState(from_state),
        "to_state": SubmissionState(to_state),
        "note": note,
        "is_revision": from_state == S.REVISION_REQUESTED,
    }
    if author_template:
        for author in submission.authors.select_related("user"):
            email_queue(
                to=author.user.email if author.user else author.email,
                recipient=author.user,
                template=author_template,
                context={**context, "name": author.name},
                venue=submission.venue,
                submission=submission,
                now=now,
            )
    if editor_template:
        for editor in submission_editors(submission=submission):
            email_queue(
                to=editor.email,
                recipient=editor,
                template=editor_template,
                context={**context, "name": editor.display_name},
                venue=submission.venue,
                submission=submission,
                now=now,
            )


def notify_action_editor_assigned(
    *, submission: Submission, editor: User, now: datetime | None = None
) -> None:
    """Queue the e-mails of a new action editor: the paper and its clock to the editor, the
    news to the authors (who learn the editor's name only where the venue is not
    double-blind). Sent once the transaction commits."""
    venue = submission.venue
    latest = submission.versions.order_by("-number").first()
    context = {
        "submission": submission,
        "review_days": venue.review_period_for(latest.page_count if latest else None),
    }
    email_queue(
        to=editor.email,
        recipient=editor,
        template="journal/emails/action_editor_assigned",
        context={**context, "name": editor.display_name},
        venue=venue,
        submission=submission,
        now=now,
    )
    editor_name = "" if venue.anonymity == Anonymity.DOUBLE_BLIND else editor.display_name
    for author in submission.authors.select_related("user"):
        email_queue(
            to=author.user.email if author.user else author.email,
            recipient=author.user,
            template="journal/emails/action_editor_assigned_authors",
            context={**context, "name": author.name, "editor_name": editor_name},
            venue=venue,
            submission=submission,
            now=now,
        )
