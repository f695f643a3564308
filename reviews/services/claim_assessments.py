"""A reviewer's assessments of the paper's claims and hypothesis, written with the review.

`review_transition` calls `assessments_write` under the review's lock, so a draft save or a
submission stores the answers and the assessments together; the API's PUT goes through
`claim_assessments_set`, which takes the same lock and the same checks.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from journal.errors import DomainError, FieldErrors
from journal.limits import CLAIM_ASSESSMENT_REASON_MAX_CHARS, text_limits_check
from journal.models import BenchmarkClaim, User
from reviews.enums import ClaimVerdict, YesPartlyNo
from reviews.models import ClaimAssessment, HypothesisAssessment, Review
from reviews.selectors.claim_assessments import HYPOTHESIS_QUESTIONS


@dataclass(frozen=True)
class ClaimAssessmentInput:
    claim_id: int
    verdict: str = ""
    reason: str = ""


@dataclass(frozen=True)
class HypothesisInput:
    stated_clearly: str = ""
    falsifiable: str = ""
    tested: str = ""
    note: str = ""


def assessments_write(
    *,
    review: Review,
    claims: Sequence[ClaimAssessmentInput] | None,
    hypothesis: HypothesisInput | None,
    strict: bool,
    now: datetime | None = None,
) -> None:
    """Store the assessments given (the caller holds the review's lock and checked the actor).

    With `strict` (submitting), every claim of the paper must have a verdict, counting those
    stored before; FieldErrors names every claim without one.
    """
    paper_claims = list(BenchmarkClaim.objects.filter(submission_id=review.submission_id))
    by_id = {c.pk: c for c in paper_claims}
    now = now or timezone.now()
    for item in claims or ():
        claim = by_id.get(item.claim_id)
        if claim is None:
            raise DomainError(
                f"Claim {item.claim_id} is not a claim of this paper.", field="claim_assessments"
            )
        if item.verdict and item.verdict not in ClaimVerdict.values:
            raise DomainError(
                f"For the claim “{claim.label}”, choose supported, partly supported, "
                "not supported or cannot tell.",
                field="claim_assessments",
            )
        text_limits_check(
            limit=CLAIM_ASSESSMENT_REASON_MAX_CHARS,
            labels={"reason": f"The reason for the claim “{claim.label}”"},
            reason=item.reason,
        )
    if hypothesis is not None:
        for name, question in HYPOTHESIS_QUESTIONS.items():
            value = getattr(hypothesis, name)
            if value and value not in YesPartlyNo.values:
                raise DomainError(f"{question} Answer yes, partly or no.", field=name)
        text_limits_check(labels={"note": "The note on the hypothesis"}, note=hypothesis.note)
    for item in claims or ():
        ClaimAssessment.objects.update_or_create(
            review=review,
            claim_id=item.claim_id,
            defaults={"verdict": item.verdict, "reason": item.reason.strip(), "updated_at": now},
        )
    if hypothesis is not None:
        HypothesisAssessment.objects.update_or_create(
            review=review,
            defaults={
                "stated_clearly": hypothesis.stated_clearly,
                "falsifiable": hypothesis.falsifiable,
                "tested": hypothesis.tested,
                "note": hypothesis.note.strip(),
                "updated_at": now,
            },
        )
    if strict:
        assessed = set(
            ClaimAssessment.objects.filter(review=review)
            .exclude(verdict="")
            .values_list("claim_id", flat=True)
        )
        missing = [
            f"Assess the claim “{claim.label}” before submitting: supported, partly "
            "supported, not supported or cannot tell."
            for claim in sorted(paper_claims, key=lambda c: (c.order, c.pk))
            if claim.pk not in assessed
        ]
        if missing:
            raise FieldErrors(missing[0], errors={"claim_assessments": missing})


def claim_assessments_set(
    *,
    review: Review,
    actor: User,
    claims: Sequence[ClaimAssessmentInput],
    hypothesis: HypothesisInput | None = None,
) -> Review:
    """Change the assessments of a review its reviewer may still change.

    A submitted review keeps every claim assessed: a verdict cannot be taken back to none.
    """
    from reviews.services.reviews import check_may_write

    with transaction.atomic():
        locked = (
            Review.objects.select_for_update(of=("self",))
            .select_related("invitation", "round", "submission__venue")
            .get(pk=review.pk)
        )
        check_may_write(locked, actor, timezone.now(), submitting=False)
        assessments_write(
            review=locked, claims=claims, hypothesis=hypothesis, strict=locked.is_submitted
        )
    return review

