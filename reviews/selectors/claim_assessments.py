"""Read claim and hypothesis assessments: the reviewer's own form, and what others may see."""

from dataclasses import dataclass, field

from journal.models import BenchmarkClaim, Submission
from reviews.enums import ClaimVerdict, YesPartlyNo
from reviews.models import ClaimAssessment, HypothesisAssessment, Review
from reviews.selectors.anonymity import namer_for

#: The three questions on the hypothesis, each answered yes, partly or no.
HYPOTHESIS_QUESTIONS = {
    "stated_clearly": "Is the hypothesis stated clearly?",
    "falsifiable": "Is it falsifiable?",
    "tested": "Do the experiments test it?",
}


@dataclass
class OwnClaimRow:
    """One claim on the reviewer's form, with what they answered (or typed) so far."""

    claim: BenchmarkClaim
    verdict: str = ""
    reason: str = ""

    @property
    def verdict_field(self) -> str:
        return f"claim-{self.claim.pk}-verdict"

    @property
    def reason_field(self) -> str:
        return f"claim-{self.claim.pk}-reason"


@dataclass
class OwnAssessments:
    claims: list[OwnClaimRow]
    hypothesis: dict[str, str]
    verdicts: list[tuple[str, str]] = field(default_factory=lambda: list(ClaimVerdict.choices))
    answers: list[tuple[str, str]] = field(default_factory=lambda: list(YesPartlyNo.choices))

    @property
    def questions(self) -> list[tuple[str, str, str]]:
        """Return (field, question, current answer) for the hypothesis."""
        return [(n, q, self.hypothesis.get(n, "")) for n, q in HYPOTHESIS_QUESTIONS.items()]


def review_own_assessments(*, review: Review, posted=None) -> OwnAssessments:
    """Return the reviewer's assessments for their form; `posted` (a refused POST) wins."""
    claims = list(BenchmarkClaim.objects.filter(submission_id=review.submission_id))
    stored = {a.claim_id: a for a in ClaimAssessment.objects.filter(review=review)}
    rows = []
    for claim in claims:
        row = OwnClaimRow(claim=claim)
        if posted is not None:
            row.verdict = posted.get(row.verdict_field, "")
            row.reason = posted.get(row.reason_field, "")
        elif claim.pk in stored:
            row.verdict, row.reason = stored[claim.pk].verdict, stored[claim.pk].reason
        rows.append(row)
    names = ("stated_clearly", "falsifiable", "tested", "note")
    if posted is not None:
        hypothesis = {n: posted.get(f"hypothesis-{n}", "") for n in names}
    else:
        found = HypothesisAssessment.objects.filter(review=review).first()
        hypothesis = {n: getattr(found, n, "") for n in names}
    return OwnAssessments(claims=rows, hypothesis=hypothesis)


@dataclass
class Verdict:
    label: str
    verdict: str
    verdict_display: str
    reason: str


@dataclass
class ClaimAssessed:
    claim: BenchmarkClaim
    verdicts: list[Verdict]


@dataclass
class HypothesisAssessed:
    label: str
    assessment: HypothesisAssessment


@dataclass
class AssessmentTable:
    claims: list[ClaimAssessed]
    hypothesis: list[HypothesisAssessed]
    reviewers: list[str]

    @property
    def any(self) -> bool:
        return bool(self.reviewers) and bool(self.claims or self.hypothesis)


def visible_reviews(*, submission: Submission, viewer) -> list[Review]:
    """Return the reviews of the paper whose assessments `viewer` may read (the rules)."""
    reviews = (
        Review.objects.filter(submission=submission)
        .select_related("round", "reviewer", "invitation", "submission__venue")
        .order_by("round__number", "invitation__reviewer_number", "pk")
    )
    return [r for r in reviews if viewer.has_perm("reviews.read_claim_assessments", r)]


def claim_assessment_table(*, submission: Submission, viewer) -> AssessmentTable:
    """Return each claim with the verdicts `viewer` may read, beside the reviewers' labels.

    Only the latest round that has any readable review is shown: a revision is assessed again.
    Reviewers are named as `viewer` may see them (never by name to authors at double-blind).
    """
    readable = visible_reviews(submission=submission, viewer=viewer)
    if readable:
        latest = max(r.round.number for r in readable)
        readable = [r for r in readable if r.round.number == latest]
    namer = namer_for(viewer=viewer, submission=submission)
    labels = {r.pk: namer.reviewer(r.reviewer) for r in readable}
    assessments = {
        (a.review_id, a.claim_id): a
        for a in ClaimAssessment.objects.filter(review__in=readable).exclude(verdict="")
    }
    hypotheses = {
        h.review_id: h for h in HypothesisAssessment.objects.filter(review__in=readable)
    }
    claims = []
    for claim in submission.benchmark_claims.all():
        verdicts = []
        for review in readable:
            found = assessments.get((review.pk, claim.pk))
            if found is not None:
                verdicts.append(
                    Verdict(
                        label=labels[review.pk],
                        verdict=found.verdict,
                        verdict_display=found.get_verdict_display(),
                        reason=found.reason,
                    )
                )
        claims.append(ClaimAssessed(claim=claim, verdicts=verdicts))
    return AssessmentTable(
        claims=claims,
        hypothesis=[
            HypothesisAssessed(label=labels[r.pk], assessment=hypotheses[r.pk])
            for r in readable
            if r.pk in hypotheses
        ],
        reviewers=[labels[r.pk] for r in readable],
    )
