"""The editorial workflow: the one place where a submission changes state.

`submission_transition` checks that the move is legal from the current state and that its
guards hold, saves the new state, writes the audit event with the actor, and queues the
notifications, which are delivered after the transaction commits. Callers (views, the API,
tasks, other services) check permissions first with the rules in `journal.rules`.

Submitting (and resubmitting) hands the latest version to the editors: it must pass the
double-blind check, and it is stamped as submitted; handing in the camera-ready PDF stamps
that version. Until then a version is the authors' alone.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from journal.enums import AuditVisibility, SubmissionState, VersionKind
from journal.errors import DeadlineError, TransitionError
from journal.models import Submission, SubmissionVersion, User
from journal.services.anonymity import version_anonymity_check
from journal.services.audit import audit_log
from journal.services.notifications import notify_transition
from journal.services.webhooks import webhook_emit_transition

S = SubmissionState
Guard = Callable[[Submission, datetime, str], None]


def _guard_submit(submission: Submission, now: datetime, note: str) -> None:
    venue = submission.venue
    if submission.state == S.DRAFT:
        if venue.is_conference and venue.deadline_passed(now):
            raise DeadlineError(
                f"The submission deadline of {venue.name} has passed; "
                "no new submissions are accepted."
            )
        if not venue.accepting_submissions:
            raise TransitionError(f"{venue.name} is not accepting submissions at the moment.")
    areas = venue.subject_areas or ()
    if areas and submission.subject_area not in areas:
        raise TransitionError("Choose the paper's subject area before submitting.")
    if not submission.authors.exists():
        raise TransitionError("Add at least one author before submitting.")
    latest = _latest_version(submission)
    if latest is None:
        raise TransitionError("Upload the paper's PDF before submitting.")
    if submission.state == S.REVISION_REQUESTED:
        requested_at = _entered_state_at(submission, S.REVISION_REQUESTED)
        if requested_at and latest.created_at < requested_at:
            raise TransitionError(
                "Upload the revised PDF before resubmitting; the latest version predates "
                "the revision request."
            )


def _guard_review(submission: Submission, now: datetime, note: str) -> None:
    if not submission.venue.is_conference and submission.action_editor_id is None:
        raise TransitionError("Assign an action editor before the paper goes under review.")


def _guard_reason(submission: Submission, now: datetime, note: str) -> None:
    if not note.strip():
        raise TransitionError("Give a reason; the authors will read it.")


def _guard_camera_ready(submission: Submission, now: datetime, note: str) -> None:
    venue = submission.venue
    if venue.camera_ready_deadline and now > venue.camera_ready_deadline:
        raise DeadlineError("The camera-ready deadline has passed.")
    accepted_at = _entered_state_at(submission, S.ACCEPTED)
    version = submission.versions.filter(kind=VersionKind.CAMERA_READY).order_by("-number")
    latest = version.first()
    if latest is None or (accepted_at and latest.created_at < accepted_at):
        raise TransitionError("Upload the camera-ready (de-anonymised) PDF first.")


@dataclass(frozen=True)
class Rule:
    sources: frozenset[str]
    guards: tuple[Guard, ...] = ()
    author_visible: bool = True
    #: The permission (`journal/rules.py`) a person needs to take this step on pages and in
    #: the API; None for the decisions, which are drafted and published as decisions.
    permission: str | None = None


RULES: dict[str, Rule] = {
    S.SUBMITTED: Rule(
        frozenset({S.DRAFT, S.REVISION_REQUESTED}),
        (_guard_submit,),
        permission="journal.submit_submission",
    ),
    S.UNDER_REVIEW: Rule(
        frozenset({S.SUBMITTED}), (_guard_review,), permission="journal.start_review"
    ),
    S.DESK_REJECTED: Rule(
        frozenset({S.SUBMITTED}), (_guard_reason,), permission="journal.desk_reject_submission"
    ),
    S.DECISION_PENDING: Rule(
        frozenset({S.UNDER_REVIEW}), author_visible=False, permission="journal.decide_submission"
    ),
    S.ACCEPTED: Rule(frozenset({S.DECISION_PENDING})),
    S.REVISION_REQUESTED: Rule(frozenset({S.DECISION_PENDING})),
    S.REJECTED: Rule(frozenset({S.DECISION_PENDING})),
    S.CAMERA_READY: Rule(
        frozenset({S.ACCEPTED}), (_guard_camera_ready,), permission="journal.upload_version"
    ),
    S.PUBLISHED: Rule(frozenset({S.CAMERA_READY}), permission="journal.publish_submission"),
    S.WITHDRAWN: Rule(frozenset(S.OPEN), permission="journal.withdraw_submission"),
    S.RETRACTED: Rule(
        frozenset({S.PUBLISHED}), (_guard_reason,), permission="journal.retract_submission"
    ),
}

_TIMESTAMPS = {
    S.SUBMITTED: "submitted_at",
    S.DESK_REJECTED: "decided_at",
    S.ACCEPTED: "decided_at",
    S.REVISION_REQUESTED: "decided_at",
    S.REJECTED: "decided_at",
    S.PUBLISHED: "published_at",
}


def transition_permission(*, to_state: str) -> str | None:
    """Return the permission needed to move a paper to `to_state` by a workflow step.

    None for states reached only through a decision (or not at all by a step).
    """
    rule = RULES.get(to_state)
    return rule.permission if rule is not None else None


def allowed_targets(state: str) -> list[str]:
    """Return the states reachable in one step from `state`, in workflow order."""
    return [target for target, rule in RULES.items() if state in rule.sources]


def submission_transition(
    *,
    submission: Submission,
    to_state: str,
    actor: User | None,
    note: str = "",
    now: datetime | None = None,
    acknowledge_anonymity: bool = False,
) -> Submission:
    """Move `submission` to `to_state`, or raise TransitionError saying why not.

    The row is locked for the change, so two concurrent requests (a double click) cannot
    both move it: the second sees the new state and is refused. Submitting a paper whose
    files identify its authors at a double-blind venue raises AnonymityError, unless the
    authors confirmed the findings do not identify them (`acknowledge_anonymity`).
    """
    now = now or timezone.now()
    try:
        target = SubmissionState(to_state)
    except ValueError:
        raise TransitionError(f"'{to_state}' is not a workflow state.") from None
    with transaction.atomic():
        locked = (
            Submission.objects.select_for_update().select_related("venue").get(pk=submission.pk)
        )
        source = SubmissionState(locked.state)
        rule = RULES.get(target)
        if rule is None or source not in rule.sources:
            raise TransitionError(
                f"A submission that is {source.label.lower()} cannot become "
                f"{target.label.lower()}." + _suggestion(source)
            )
        for guard in rule.guards:
            guard(locked, now, note)
        version = _submit_version(locked, target, now, acknowledged=acknowledge_anonymity)
        locked.state = target
        locked.updated_at = locked.state_changed_at = now
        fields = ["state", "updated_at", "state_changed_at"]
        stamp = _TIMESTAMPS.get(target)
        if stamp and not (stamp == "submitted_at" and locked.submitted_at):
            setattr(locked, stamp, now)
            fields.append(stamp)
        locked.save(update_fields=fields)
        audit_log(
            venue=locked.venue,
            submission=locked,
            actor=actor,
            action="submission.transition",
            from_state=source,
            to_state=target,
            note=note,
            at=now,
            data=_version_data(version),
            visibility=(
                AuditVisibility.AUTHORS if rule.author_visible else AuditVisibility.EDITORS
            ),
        )
        notify_transition(
            submission=locked, from_state=source, to_state=target, note=note, now=now
        )
        webhook_emit_transition(submission=locked, from_state=source, to_state=target)
        if target == S.SUBMITTED:
            from reviews.services.affinity_papers import affinities_queue_papers

            # Scored against the reviewers with the venue's last fit, without a recompute.
            affinities_queue_papers(venue=locked.venue, submission_ids=[locked.pk])
    # Keep the caller's object in step with the database.
    submission.state = locked.state
    submission.updated_at = locked.updated_at
    submission.state_changed_at = locked.state_changed_at
    for field in set(_TIMESTAMPS.values()):
        setattr(submission, field, getattr(locked, field))
    return submission


def _suggestion(source: SubmissionState) -> str:
    targets = allowed_targets(source)
    if not targets:
        return " It is closed; no further step is possible."
    labels = ", ".join(SubmissionState(t).label.lower() for t in targets)
    return f" From here it can become: {labels}."


#: The kind of version each transition hands to the editors.
_SUBMITS_VERSION = {S.SUBMITTED: VersionKind.SUBMISSION, S.CAMERA_READY: VersionKind.CAMERA_READY}


def _submit_version(
    submission: Submission, target: str, now: datetime, *, acknowledged: bool
) -> SubmissionVersion | None:
    """Stamp the version that `target` hands to the editors, after the double-blind check."""
    kind = _SUBMITS_VERSION.get(target)
    if kind is None:
        return None
    version = submission.versions.filter(kind=kind).order_by("-number").first()
    if version is None or version.submitted_at is not None:
        return version
    if kind == VersionKind.SUBMISSION:
        version.anonymity_findings = version_anonymity_check(
            version=version, acknowledged=acknowledged
        )
        version.anonymity_acknowledged = bool(version.anonymity_findings) and acknowledged
    version.submitted_at = now
    version.save(update_fields=["submitted_at", "anonymity_findings", "anonymity_acknowledged"])
    return version


def _version_data(version: SubmissionVersion | None) -> dict:
    if version is None:
        return {}
    data = {"version": version.number}
    if version.anonymity_findings:
        data["anonymity_findings"] = version.anonymity_findings
        data["anonymity_acknowledged"] = version.anonymity_acknowledged
    return data


def _latest_version(submission: Submission):
    return submission.versions.filter(kind=VersionKind.SUBMISSION).order_by("-number").first()


def _entered_state_at(submission: Submission, state: str) -> datetime | None:
    event = (
        submission.audit_events.filter(action="submission.transition", to_state=state)
        .order_by("-created_at", "-pk")
        .first()
    )
    return event.created_at if event else None
