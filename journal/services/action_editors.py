"""Give a submission its action editor (or take them off), checked for conflicts of interest."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from journal.enums import RoleKind
from journal.errors import DomainError
from journal.limits import text_limits_check
from journal.models import EditorConflictWaiver, Submission, User
from journal.rules import authors_paper_now
from journal.selectors.availability import person_away
from journal.services.audit import audit_log
from journal.services.notifications import notify_action_editor_assigned


class EditorConflictWarning(DomainError):
    """An action editor who has a conflict of interest with the paper: assign only with an
    explicit, recorded override."""

    status_code = 409

    def __init__(self, message: str, *, reasons: list[str]) -> None:
        super().__init__(message, field="editor")
        self.reasons = reasons


def submission_assign_action_editor(
    *,
    submission: Submission,
    editor: User | None,
    actor: User,
    allow_conflict: bool = False,
    override_note: str = "",
    now: datetime | None = None,
) -> Submission:
    """Make `editor` (None to unassign) the submission's action editor, and tell them.

    The editor is checked for conflicts of interest exactly as reviewers are: with any,
    refused (EditorConflictWarning, listing them) unless `allow_conflict` with a note, which
    is recorded (audit log and a waiver that lets them handle this one paper). An author of
    the paper is always refused. On commit the editor gets the paper and its deadlines by
    e-mail, and the authors learn that the paper has an action editor (by name only where
    the venue is not double-blind).
    """
    from reviews.selectors.conflicts import conflicts_for_pair

    if (
        editor is not None
        and not submission.venue.roles.filter(
            user=editor, role__in=[RoleKind.ACTION_EDITOR, RoleKind.CHIEF]
        ).exists()
    ):
        raise DomainError(f"{editor} is not an action editor of {submission.venue.name}.")
    if editor is not None and authors_paper_now(editor, submission):
        raise DomainError(f"{editor} is an author of this paper and cannot handle it.")
    away = person_away(user=editor, venue=submission.venue) if editor is not None else None
    if away is not None:
        raise DomainError(
            f"{editor} is {away}; assign another editor or wait until they are back.",
            field="editor",
        )
    reasons = (
        [r.message for r in conflicts_for_pair(submission=submission, reviewer=editor)]
        if editor is not None
        else []
    )
    if reasons and not allow_conflict:
        raise EditorConflictWarning(
            f"{editor} may have a conflict of interest with this paper: " + " ".join(reasons),
            reasons=reasons,
        )
    if reasons and not override_note.strip():
        raise DomainError(
            "Say why this editor handles the paper despite the conflict; it is recorded.",
            field="override_note",
        )
    text_limits_check(limit=300, labels={"override_note": "The note"}, override_note=override_note)
    with transaction.atomic():
        locked = Submission.objects.select_for_update().get(pk=submission.pk)
        if locked.action_editor_id == (editor.pk if editor else None):
            return locked
        previous = locked.action_editor_id
        locked.action_editor = editor
        locked.updated_at = now or timezone.now()
        locked.save(update_fields=["action_editor", "updated_at"])
        if reasons:
            EditorConflictWaiver.objects.update_or_create(
                submission=locked,
                editor=editor,
                defaults={"granted_by": actor, "reasons": reasons, "note": override_note.strip()},
            )
        audit_log(
            venue=locked.venue,
            submission=locked,
            actor=actor,
            action="submission.action_editor_assigned",
            data={
                "from": previous,
                "to": editor.pk if editor else None,
                **(
                    {"conflict_override": reasons, "note": override_note.strip()} if reasons else {}
                ),
            },
            at=locked.updated_at,
        )
        if editor is not None:
            notify_action_editor_assigned(submission=locked, editor=editor, now=locked.updated_at)
    return locked
