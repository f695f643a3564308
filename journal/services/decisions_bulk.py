"""Decide many conference papers at once, from the chairs' decision table.

A bulk decision is planned, confirmed, then recorded. The plan says, per outcome, how many
papers get it, which are unchanged (already recorded, or released, with that outcome) and
which are refused and why: a paper of another venue, one the chair is an author of or
conflicted with, one not under review, one whose decision is already released with another
outcome, and one whose reviews of the current round are incomplete, unless the chair
explicitly overrides that (the override is written to the audit trail). The confirmation
carries a signed token of exactly what was shown; recording it twice changes nothing the
second time. Decisions are recorded as drafts: authors learn them when the venue enters
its decisions phase, all at once.
"""

import hashlib
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from django.core import signing
from django.db import transaction
from django.utils import timezone

from journal.enums import CONFERENCE_OUTCOMES, DecisionOutcome, DecisionStatus, SubmissionState
from journal.errors import DomainError, TransitionError
from journal.limits import BULK_DECISION_MAX_PAPERS, text_limits_check
from journal.models import Decision, Submission, User, Venue
from journal.rules import recused_ids
from journal.selectors.decision_table import review_completeness
from journal.services.audit import audit_log
from journal.services.decisions import decision_draft, is_chief

D = DecisionStatus
TOKEN_SALT = "peerless.decisions-bulk"
TOKEN_MAX_AGE = 60 * 60


@dataclass(frozen=True)
class BulkRefusal:
    submission_id: int
    number: int | None
    title: str
    reason: str


@dataclass
class BulkPlan:
    """What a bulk decision does: outcomes to record, papers unchanged, papers refused."""

    outcomes: dict[int, str] = field(default_factory=dict)
    unchanged: list[int] = field(default_factory=list)
    refused: list[BulkRefusal] = field(default_factory=list)
    overridden: dict[int, tuple[int, int]] = field(default_factory=dict)
    override_incomplete: bool = False
    comment: str = ""
    decided: list[Decision] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        """Return the number of papers that get each outcome, in the venue's order."""
        counted = Counter(self.outcomes.values())
        return {o.value: counted[o.value] for o in CONFERENCE_OUTCOMES if counted[o.value]}

    @property
    def count_labels(self) -> list[tuple[str, str, int]]:
        return [(o, DecisionOutcome(o).label, n) for o, n in self.counts.items()]


def _refusal(paper: Submission | None, pk: int, reason: str) -> BulkRefusal:
    if paper is None:
        return BulkRefusal(pk, None, "", reason)
    return BulkRefusal(pk, paper.number, paper.title, reason)


def _guard(*, venue: Venue, actor: User, outcomes: dict[int, str]) -> None:
    if not venue.is_conference:
        raise DomainError(
            "Bulk decisions are for conferences; at a journal each paper's action editor "
            "drafts its decision and an editor-in-chief approves it."
        )
    if not is_chief(user=actor, venue=venue):
        raise TransitionError("Only a program chair decides in bulk.")
    if not outcomes:
        raise DomainError("Choose at least one paper to decide.", field="submissions")
    if len(outcomes) > BULK_DECISION_MAX_PAPERS:
        raise DomainError(
            f"Decide at most {BULK_DECISION_MAX_PAPERS:,} papers at once; "
            f"{len(outcomes):,} were chosen.",
            field="submissions",
        )


def decisions_bulk_plan(
    *,
    venue: Venue,
    actor: User,
    outcomes: dict[int, str],
    override_incomplete: bool = False,
    comment: str = "",
) -> BulkPlan:
    """Return what deciding `outcomes` (outcome by submission id) would do; change nothing."""
    _guard(venue=venue, actor=actor, outcomes=outcomes)
    text_limits_check(labels={"comment": "The comment to the authors"}, comment=comment)
    ids = list(outcomes)
    papers = {
        s.pk: s for s in venue.submissions.filter(pk__in=ids).only("pk", "number", "title", "state")
    }
    recused = recused_ids(actor, venue)
    open_outcomes = dict(
        Decision.objects.filter(submission_id__in=ids)
        .exclude(status=D.PUBLISHED)
        .values_list("submission_id", "outcome")
    )
    released = dict(
        Decision.objects.filter(submission_id__in=ids, status=D.PUBLISHED)
        .order_by("submission_id", "published_at", "pk")
        .values_list("submission_id", "outcome")
    )
    completeness = review_completeness(venue=venue, submission_ids=list(papers))
    allowed = ", ".join(DecisionOutcome(o).label.lower() for o in CONFERENCE_OUTCOMES)
    plan = BulkPlan(override_incomplete=override_incomplete, comment=comment.strip())
    for pk in sorted(outcomes, key=lambda k: (papers[k].number if k in papers else 0, k)):
        outcome, paper = outcomes[pk], papers.get(pk)
        if paper is None:
            plan.refused.append(_refusal(None, pk, "No such paper at this venue."))
        elif pk in recused:
            plan.refused.append(
                _refusal(
                    paper,
                    pk,
                    "You are an author of this paper or have a conflict of interest with it; "
                    "another chair decides it.",
                )
            )
        elif outcome not in CONFERENCE_OUTCOMES:
            plan.refused.append(
                _refusal(paper, pk, f"At {venue.name} a decision is one of: {allowed}.")
            )
        elif open_outcomes.get(pk) == outcome or (
            pk not in open_outcomes and released.get(pk) == outcome
        ):
            plan.unchanged.append(pk)
        elif pk in released and pk not in open_outcomes:
            label = DecisionOutcome(released[pk]).label.lower()
            plan.refused.append(
                _refusal(paper, pk, f"Its decision ({label}) is already released to the authors.")
            )
        elif paper.state not in SubmissionState.IN_REVIEW:
            plan.refused.append(
                _refusal(
                    paper,
                    pk,
                    f"It is {paper.get_state_display().lower()}; only a paper under review "
                    "can be decided.",
                )
            )
        else:
            done, required = completeness.get(pk, (0, venue.reviewers_per_paper))
            if done < required and not override_incomplete:
                plan.refused.append(
                    _refusal(
                        paper,
                        pk,
                        f"Its reviews are incomplete: {done} of {required} submitted. Tick "
                        "“decide papers with incomplete reviews” to decide it anyway.",
                    )
                )
                continue
            if done < required:
                plan.overridden[pk] = (done, required)
            plan.outcomes[pk] = outcome
    return plan


def decisions_bulk(
    *,
    venue: Venue,
    actor: User,
    outcomes: dict[int, str],
    comment: str = "",
    override_incomplete: bool = False,
    now: datetime | None = None,
) -> BulkPlan:
    """Record the decisions `outcomes` allows (drafts, not released) and return the plan.

    The papers are locked and the plan is made again under the lock, so two submissions
    of the same confirmation record each decision once; the second finds them unchanged.
    Everything is recorded in one transaction: a failure records nothing.
    """
    _guard(venue=venue, actor=actor, outcomes=outcomes)
    now = now or timezone.now()
    with transaction.atomic():
        list(
            Submission.objects.select_for_update()
            .filter(venue=venue, pk__in=list(outcomes))
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        plan = decisions_bulk_plan(
            venue=venue,
            actor=actor,
            outcomes=outcomes,
            override_incomplete=override_incomplete,
            comment=comment,
        )
        papers = venue.submissions.filter(pk__in=list(plan.outcomes)).select_related("venue")
        for submission in papers.order_by("number"):
            plan.decided.append(
                decision_draft(
                    submission=submission,
                    editor=actor,
                    outcome=plan.outcomes[submission.pk],
                    comment=plan.comment,
                    now=now,
                )
            )
            if submission.pk in plan.overridden:
                done, required = plan.overridden[submission.pk]
                audit_log(
                    venue=venue,
                    submission=submission,
                    actor=actor,
                    action="decision.override_incomplete",
                    note="Decided in bulk with incomplete reviews.",
                    data={"submitted": done, "required": required},
                    at=now,
                )
        audit_log(
            venue=venue,
            actor=actor,
            action="decision.bulk",
            data={
                "outcomes": plan.counts,
                "recorded": len(plan.decided),
                "unchanged": len(plan.unchanged),
                "refused": len(plan.refused),
                "override_incomplete": override_incomplete,
                "overridden": sorted(plan.overridden),
            },
            at=now,
        )
    return plan


def _digest(comment: str) -> str:
    return hashlib.sha256(comment.strip().encode()).hexdigest()[:32]


def bulk_token(
    *,
    venue: Venue,
    actor: User,
    outcomes: dict[int, str],
    override_incomplete: bool,
    comment: str,
) -> str:
    """Return a signed token of exactly what a confirmation page shows."""
    payload = {
        "v": venue.pk,
        "u": actor.pk,
        "o": sorted([pk, outcome] for pk, outcome in outcomes.items()),
        "x": bool(override_incomplete),
        "c": _digest(comment),
    }
    return signing.dumps(payload, salt=TOKEN_SALT, compress=True)


def bulk_token_read(
    *, token: str, venue: Venue, actor: User, comment: str
) -> tuple[dict[int, str], bool]:
    """Return the outcomes and the override a token confirms, or raise DomainError."""
    try:
        payload = signing.loads(token, salt=TOKEN_SALT, max_age=TOKEN_MAX_AGE)
    except signing.SignatureExpired:
        raise DomainError(
            "This confirmation has expired; choose the papers again.", field="token"
        ) from None
    except signing.BadSignature:
        raise DomainError(
            "This confirmation is not valid; choose the papers again.", field="token"
        ) from None
    if payload.get("v") != venue.pk or payload.get("u") != actor.pk:
        raise DomainError("This confirmation was made for another venue or person.", field="token")
    if payload.get("c") != _digest(comment):
        raise DomainError(
            "The comment changed after the confirmation; confirm the decisions again.",
            field="comment",
        )
    return {int(pk): outcome for pk, outcome in payload["o"]}, bool(payload["x"])
