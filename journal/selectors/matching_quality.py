"""Read how good a matching proposal is, for the chairs who decide to deploy it."""

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from journal.analytics.stats import histogram
from journal.models import User
from journal.rules import recused_ids
from reviews.models import AssignmentRun, ProposedAssignment

AFFINITY_BINS = [i / 10 for i in range(11)]


@dataclass
class PaperRisk:
    number: int
    title: str
    pairs: int
    total: float
    lowest: float | None


@dataclass
class ProposalQuality:
    pairs: int = 0
    affinity_histogram: list[tuple[str, int]] = field(default_factory=list)
    load_distribution: list[tuple[str, int]] = field(default_factory=list)
    at_risk: list[PaperRisk] = field(default_factory=list)
    short: int = 0


def proposal_quality(*, run: AssignmentRun, user: User, at_risk: int = 15) -> ProposalQuality:
    """Return the affinity histogram, reviewer loads and the papers at risk of a proposal.

    A paper is at risk when it got fewer reviewers than asked, or when its assigned
    affinities are the lowest of the proposal (its reviewers know its topic least). Papers
    `user` is recused from are counted in the figures but never named.
    """
    recused = recused_ids(user, run.venue)
    rows = list(
        ProposedAssignment.objects.filter(run=run).values_list(
            "submission_id",
            "submission__number",
            "submission__title",
            "reviewer_id",
            "affinity",
        )
    )
    per_paper: dict[int, list[float]] = defaultdict(list)
    names: dict[int, tuple[int, str]] = {}
    loads: Counter[int] = Counter()
    for submission_id, number, title, reviewer_id, affinity in rows:
        per_paper[submission_id].append(affinity)
        names[submission_id] = (number, title)
        loads[reviewer_id] += 1
    wanted = int(run.parameters.get("per_paper") or 0)
    risks = [
        PaperRisk(
            number=names[pk][0],
            title=names[pk][1],
            pairs=len(values),
            total=sum(values),
            lowest=min(values) if values else None,
        )
        for pk, values in per_paper.items()
        if pk is not None and pk not in recused
    ]
    short = [r for r in risks if wanted and r.pairs < wanted]
    weakest = sorted(risks, key=lambda r: (r.pairs >= wanted, r.total, r.number))[:at_risk]
    counts = histogram([min(1.0, max(0.0, a)) for *_, a in rows], bins=AFFINITY_BINS)
    labels = [f"{low:.1f}" for low in AFFINITY_BINS[:-1]]
    top = max(loads.values(), default=0)
    per_load = Counter(loads.values())
    return ProposalQuality(
        pairs=len(rows),
        affinity_histogram=list(zip(labels, counts, strict=True)),
        load_distribution=[(str(n), per_load.get(n, 0)) for n in range(1, top + 1)],
        at_risk=weakest,
        short=len(short),
    )


def proposal_paper_pairs(*, run: AssignmentRun, submission) -> list[ProposedAssignment]:
    """Return the pairs a proposal gives one paper, best affinity first, with reviewers."""
    return list(
        ProposedAssignment.objects.filter(run=run, submission=submission)
        .select_related("reviewer")
        .order_by("-affinity", "pk")
    )
