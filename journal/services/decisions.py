"""Editorial decisions: drafted by the action editor, approved by the editor-in-chief,
published through the editorial workflow.

Journals follow TMLR's rules: the decision records the editor's own answers to the two
criteria (claims supported by evidence? audience interested?); with both yes a reject is
refused, with either no an accept as is is refused; a reject carries no certification;
who may give each certification is a rule (`journal.rules`: Outstanding by an
editor-in-chief only, Expert only to papers an expert reviewer of the venue wrote); and a
decision is published only once an editor-in-chief approves it. Conference chairs decide
directly, also in bulk (`journal.services.decisions_bulk`); at a conference run on phases a
decision is recorded and reaches the authors with all the others when the venue enters its
decisions phase.
"""

from collections.abc import Iterable
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from journal.enums import (
    CONFERENCE_OUTCOMES,
    JOURNAL_OUTCOMES,
    OUTCOME_STATES,
    Certification,
    DecisionOutcome,
    DecisionStatus,
    Phase,
    RoleKind,
    SubmissionState,
)
from journal.errors import DomainError, TransitionError
from journal.limits import text_limits_check
from journal.models import Decision, Submission, User, Venue, VenueRole
from journal.selectors.phases import decisions_held
from journal.services.audit import audit_log
from journal.services.email import email_queue
from journal.services.workflow import submission_transition

D = DecisionStatus


def is_chief(*, user: User, venue: Venue) -> bool:
    """Return whether `user` is an editor-in-chief (program chair) of `venue`."""
    return VenueRole.objects.filter(venue=venue, user=user, role=RoleKind.CHIEF).exists()


def decision_check(
    *,
    venue: Venue,
    outcome: str,
    claims_supported: bool | None,
    audience_interested: bool | None,
    certifications: Iterable[str],
) -> None:
    """Raise DomainError when the decision breaks the venue's rules."""
    allowed = CONFERENCE_OUTCOMES if venue.is_conference else JOURNAL_OUTCOMES
    if outcome not in allowed:
        labels = ", ".join(DecisionOutcome(o).label.lower() for o in allowed)
        raise DomainError(f"At {venue.name} a decision is one of: {labels}.", field="outcome")
    certifications = list(certifications)
    unknown = set(certifications) - set(Certification.values)
    if unknown:
        raise DomainError(f"Unknown certification: {', '.join(sorted(unknown))}.")
    if outcome == DecisionOutcome.REJECT and certifications:
        raise DomainError("A rejected paper carries no certification.", field="certifications")
    if venue.is_conference:
        return
    if claims_supported is None or audience_interested is None:
        raise DomainError(
            "Answer both criteria: are the claims supported by accurate, convincing and clear "
            "evidence, and would some of the audience be interested?",
            field="claims_supported",
        )
    if claims_supported and audience_interested and outcome == DecisionOutcome.REJECT:
        raise DomainError(
            "Both criteria are met, so the paper cannot be rejected.", field="outcome"
        )
    if not (claims_supported and audience_interested) and outcome == DecisionOutcome.ACCEPT:
        raise DomainError(
            "A criterion is not met, so the paper cannot be accepted as is.", field="outcome"
        )


#: Who may grant each certification, as the refusal names them (the rules decide).
GRANTED_BY = {
    Certification.FEATURED: "the paper's action editor or an editor-in-chief",
    Certification.REPRODUCIBILITY: "the paper's action editor or an editor-in-chief",
    Certification.SURVEY: "the paper's action editor or an editor-in-chief",
    Certification.OUTSTANDING: "an editor-in-chief",
    Certification.EXPERT: "the paper's editors, to a paper an expert reviewer of the venue wrote",
}


def certifications_check(
    *, user: User, submission: Submission, certifications: Iterable[str]
) -> None:
    """Raise DomainError for the first certification `user` may not give `submission`."""
    from journal.rules import CERTIFICATION_PERMISSIONS

    for slug in sorted(set(certifications)):
        if slug not in CERTIFICATION_PERMISSIONS:
            raise DomainError(f"Unknown certification: {slug}.", field="certifications")
        if not user.has_perm(CERTIFICATION_PERMISSIONS[slug], submission):
            label = Certification(slug).label
            raise DomainError(
                f"The {label} certification is given only by {GRANTED_BY[slug]}.",
                field="certifications",
            )


def decision_draft(
    *,
    submission: Submission,
    editor: User,
    outcome: str,
    claims_supported: bool | None = None,
    audience_interested: bool | None = None,
    certifications: Iterable[str] = (),
    comment: str = "",
    now: datetime | None = None,
) -> Decision:
    """Write (or rewrite) the open decision on `submission` as a draft."""
    text_limits_check(labels={"comment": "The comment to the authors"}, comment=comment)
    now = now or timezone.now()
    venue = submission.venue
    if submission.state not in SubmissionState.IN_REVIEW:
        raise TransitionError("Only a paper under review can be decided.")
    certifications = sorted(set(certifications))
    decision_check(
        venue=venue,
        outcome=outcome,
        claims_supported=claims_supported,
        audience_interested=audience_interested,
        certifications=certifications,
    )
    certifications_check(user=editor, submission=submission, certifications=certifications)
    from reviews.services.rounds import round_current

    with transaction.atomic():
        values = {
            "outcome": outcome,
            "claims_supported": claims_supported,
            "audience_interested": audience_interested,
            "certifications": certifications,
            "comment": comment.strip(),
            "decided_by": editor,
            "status": D.DRAFT,
            "round": round_current(submission=submission),
            "updated_at": now,
        }
        decision = submission.decisions.exclude(status=D.PUBLISHED).select_for_update().first()
        if decision is None:
            decision = Decision.objects.create(submission=submission, created_at=now, **values)
        else:
            for name, value in values.items():
                setattr(decision, name, value)
            decision.save(update_fields=list(values))
        audit_log(
            venue=venue,
            submission=submission,
            actor=editor,
            action="decision.draft",
            to_state=D.DRAFT,
            data={"decision": decision.pk, "outcome": outcome},
            at=now,
        )
    return decision


_SOURCES = {
    D.AWAITING_APPROVAL: {D.DRAFT},
    D.DRAFT: {D.AWAITING_APPROVAL},
    D.PUBLISHED: {D.AWAITING_APPROVAL, D.DRAFT},
}


def decision_transition(
    *,
    decision: Decision,
    to_status: str,
    actor: User,
    note: str = "",
    certifications: Iterable[str] | None = None,
    now: datetime | None = None,
) -> Decision:
    """Move a decision on: submit for approval, return to the editor, or publish.

    Publishing takes an editor-in-chief, who may adjust the certifications (and add
    Outstanding); it moves the paper to accepted, revision requested or rejected, which
    e-mails the authors. A journal decision is published only from `awaiting_approval`.
    """
    text_limits_check(labels={"note": "The note"}, note=note)
    now = now or timezone.now()
    target = DecisionStatus(to_status)
    with transaction.atomic():
        locked = (
            Decision.objects.select_for_update(of=("self",))
            .select_related("submission__venue", "decided_by")
            .get(pk=decision.pk)
        )
        submission, venue = locked.submission, locked.submission.venue
        source = DecisionStatus(locked.status)
        if source not in _SOURCES[target]:
            raise TransitionError(
                f"A decision that is {source.label.lower()} cannot become {target.label.lower()}."
            )
        chief = is_chief(user=actor, venue=venue)
        fields = ["status", "updated_at"]
        if target == D.AWAITING_APPROVAL:
            locked.submitted_at = now
            fields.append("submitted_at")
        if target == D.DRAFT and not chief:
            raise TransitionError("Only an editor-in-chief can return a decision.")
        if target == D.PUBLISHED:
            if not chief:
                raise TransitionError("An editor-in-chief must approve the decision first.")
            if decisions_held(venue=venue):
                raise TransitionError(_held_message(venue))
            if source == D.DRAFT and not venue.is_conference and actor.pk != locked.decided_by_id:
                raise TransitionError("The action editor must submit the decision first.")
            if certifications is not None:
                locked.certifications = sorted(set(certifications))
                fields.append("certifications")
            decision_check(
                venue=venue,
                outcome=locked.outcome,
                claims_supported=locked.claims_supported,
                audience_interested=locked.audience_interested,
                certifications=locked.certifications,
            )
            certifications_check(
                user=actor, submission=submission, certifications=locked.certifications
            )
            locked.approved_by, locked.published_at = actor, now
            fields += ["approved_by", "published_at"]
        locked.status = target
        locked.updated_at = now
        locked.save(update_fields=fields)
        audit_log(
            venue=venue,
            submission=submission,
            actor=actor,
            action="decision.transition",
            from_state=source,
            to_state=target,
            note=note,
            data={"decision": locked.pk, "outcome": locked.outcome},
            at=now,
        )
        if submission.state == SubmissionState.UNDER_REVIEW and target != D.DRAFT:
            submission_transition(
                submission=submission,
                to_state=SubmissionState.DECISION_PENDING,
                actor=actor,
                now=now,
            )
        if target == D.PUBLISHED:
            submission_transition(
                submission=submission,
                to_state=OUTCOME_STATES[DecisionOutcome(locked.outcome)],
                actor=actor,
                note=_note_for_authors(locked),
                now=now,
            )
        _notify(locked, target, note, now=now)
    for name in ("status", "certifications", "approved_by", "published_at", "submitted_at"):
        setattr(decision, name, getattr(locked, name))
    return decision


def _held_message(venue: Venue) -> str:
    planned = venue.phases.filter(phase=Phase.DECISIONS).first()
    when = f" on {planned.starts_at:%d %b %Y, %H:%M %Z}" if planned else ""
    return (
        f"{venue.name} releases all decisions to the authors at once when it enters its "
        f"decisions phase{when}. The decision is recorded and will be published then."
    )


def _note_for_authors(decision: Decision) -> str:
    lines = [f"Decision: {decision.get_outcome_display()}."]
    if decision.certifications:
        lines.append("Certifications: " + ", ".join(decision.certification_labels()) + ".")
    if decision.comment:
        lines += ["", decision.comment]
    return "\n".join(lines)


def _notify(decision: Decision, target: str, note: str, *, now: datetime | None = None) -> None:
    submission = decision.submission
    venue = submission.venue
    if target == D.AWAITING_APPROVAL:
        people = VenueRole.objects.filter(venue=venue, role=RoleKind.CHIEF).select_related("user")
        for role in people:
            email_queue(
                to=role.user.email,
                recipient=role.user,
                template="reviews/emails/decision_awaiting_approval",
                context={"decision": decision, "submission": submission, "name": role.user},
                venue=venue,
                submission=submission,
                now=now,
            )
    elif target == D.DRAFT:
        email_queue(
            to=decision.decided_by.email,
            recipient=decision.decided_by,
            template="reviews/emails/decision_returned",
            context={
                "decision": decision,
                "submission": submission,
                "note": note,
                "name": decision.decided_by,
            },
            venue=venue,
            submission=submission,
            now=now,
        )
