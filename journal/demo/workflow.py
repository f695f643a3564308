"""Walk a submission through the real workflow to a target state (demo data and tests)."""

from django.core.files.base import ContentFile

from journal.demo.history import HOUR, Clock
from journal.demo.pdf import make_pdf
from journal.enums import SubmissionState, VersionKind
from journal.models import Submission, User
from journal.services.action_editors import submission_assign_action_editor
from journal.services.versions import version_upload
from journal.services.workflow import submission_transition

S = SubmissionState

#: The shortest path from a fresh draft (with a PDF) to each state.
PATHS: dict[str, list[str]] = {
    S.DRAFT: [],
    S.SUBMITTED: [S.SUBMITTED],
    S.DESK_REJECTED: [S.SUBMITTED, S.DESK_REJECTED],
    S.UNDER_REVIEW: [S.SUBMITTED, S.UNDER_REVIEW],
    S.DECISION_PENDING: [S.SUBMITTED, S.UNDER_REVIEW, S.DECISION_PENDING],
    S.REVISION_REQUESTED: [S.SUBMITTED, S.UNDER_REVIEW, S.DECISION_PENDING, S.REVISION_REQUESTED],
    S.ACCEPTED: [S.SUBMITTED, S.UNDER_REVIEW, S.DECISION_PENDING, S.ACCEPTED],
    S.REJECTED: [S.SUBMITTED, S.UNDER_REVIEW, S.DECISION_PENDING, S.REJECTED],
    S.CAMERA_READY: [S.SUBMITTED, S.UNDER_REVIEW, S.DECISION_PENDING, S.ACCEPTED, S.CAMERA_READY],
    S.PUBLISHED: [
        S.SUBMITTED,
        S.UNDER_REVIEW,
        S.DECISION_PENDING,
        S.ACCEPTED,
        S.CAMERA_READY,
        S.PUBLISHED,
    ],
    S.RETRACTED: [
        S.SUBMITTED,
        S.UNDER_REVIEW,
        S.DECISION_PENDING,
        S.ACCEPTED,
        S.CAMERA_READY,
        S.PUBLISHED,
        S.RETRACTED,
    ],
    S.WITHDRAWN: [S.SUBMITTED, S.WITHDRAWN],
}

_NOTES = {
    S.DESK_REJECTED: "Out of scope for this venue.",
    S.RETRACTED: "The main result could not be reproduced.",
    S.REVISION_REQUESTED: "Please address the reviewers' requested changes.",
}


def pdf_file(*, title: str = "Anonymous submission", pages: int = 3, name: str = "paper.pdf"):
    """Return an uploadable PDF file object with `pages` pages."""
    body = [[title, "Anonymous authors", "Abstract"]] + [[f"Page {i}"] for i in range(2, pages + 1)]
    return ContentFile(make_pdf(body), name=name)


def drive_to_state(
    submission: Submission,
    state: str,
    *,
    author: User,
    editor: User,
    chief: User,
    clock: Clock | None = None,
) -> Submission:
    """Move a submission on to `state` through the real services, as its people would.

    A draft starts from the beginning; a submission further along continues from its state,
    which must lie on the path to `state`. With a `clock`, each move happens at the moment
    it gives (see `journal.demo.history`), else now.
    """
    if not submission.versions.exists():
        at = clock.history.uploaded if clock else None
        version_upload(
            submission=submission, actor=author, pdf=pdf_file(title=submission.title), now=at
        )
    path = PATHS[state]
    if submission.state != S.DRAFT:
        if submission.state not in path:
            raise ValueError(f"{state} cannot be reached from {submission.state}.")
        path = path[path.index(submission.state) + 1 :]
    for step in path:
        at = clock.move(step) if clock else None
        if step == S.UNDER_REVIEW and submission.action_editor_id is None:
            submission_assign_action_editor(
                submission=submission,
                editor=editor,
                actor=chief,
                now=clock.history.assigned if clock else None,
            )
            submission.refresh_from_db()
        if step == S.CAMERA_READY:
            version_upload(
                submission=submission,
                actor=author,
                pdf=pdf_file(title=submission.title, name="camera-ready.pdf"),
                kind=VersionKind.CAMERA_READY,
                now=at - 2 * HOUR if at else None,
            )
        actor = author if step in {S.SUBMITTED, S.CAMERA_READY, S.WITHDRAWN} else editor
        if step in {S.PUBLISHED, S.RETRACTED}:
            actor = chief
        submission_transition(
            submission=submission, to_state=step, actor=actor, note=_NOTES.get(step, ""), now=at
        )
    return submission
