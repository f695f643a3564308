"""Does a venue reward ideas or numbers? Descriptive statistics on plain numbers (NumPy).

Standardised influence of each criterion
    Each criterion score and the target are z-scored (mean 0, standard deviation 1) and the
    target is regressed on all criteria at once by ordinary least squares (see
    `journal.analytics.stats.criterion_influence`). The coefficient of a criterion is by how
    many standard deviations the target moves when the criterion moves by one standard
    deviation, the others held fixed. Three targets:
    - the reviewer's recommendation, per review (reject = 1 ... accept = 4);
    - the meta-review's recommendation, per paper, on the mean of each criterion over the
      paper's submitted reviews;
    - the outcome, per decided paper (accepted = 1, rejected = 0; a linear probability model).

Claimed gain
    A paper's headline claim is the benchmark claim with the largest relative gain over the
    best prior value (gain / |best prior|, in percent). Its gain over its spread says how many
    spreads the gain is; a gain at most one spread is "within noise" (`journal.evidence`).

Ideas against numbers
    A paper's ideas score is the mean, over its reviews, of the criteria that judge the idea
    (`CriterionAspect.IDEAS`: originality, the hypothesis). Papers with an ideas score above
    the venue's median and a relative gain below the median are set against papers with the
    reverse, and their acceptance rates compared (medians over the decided papers that have
    both figures; a paper on a median belongs to neither group).

All of it describes how this venue reviewed and decided; none of it is a causal claim.
No Django here.
"""

import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field

from journal.analytics.stats import Influence, criterion_influence

#: Fewer decided papers (or reviews with a recommendation) than this: no figures, a message.
MIN_ROWS = 10
#: Relative gain of the headline claim, in percent: bin edges (the first bin is "no gain").
GAIN_EDGES = (0.0, 0.5, 1.0, 2.0, 5.0)
#: Gain over spread: bin edges; up to 1 is within noise.
RATIO_EDGES = (1.0, 2.0, 3.0)
NOISE_RULE = "within noise: a gain no larger than one spread across runs"


@dataclass(frozen=True)
class ClaimFacts:
    value: float
    best_prior_value: float | None
    higher_is_better: bool
    spread: float | None


@dataclass(frozen=True)
class PaperFacts:
    """What the statistics need of one paper; `accepted` is None while undecided."""

    criteria: dict[str, float]  # mean score per criterion over the paper's submitted reviews
    ideas_score: float | None
    meta_recommendation: float | None
    accepted: bool | None
    claims: Sequence[ClaimFacts] = ()


@dataclass(frozen=True)
class Headline:
    relative_gain: float  # percent of the best prior value
    gain_over_spread: float | None
    within_noise: bool | None


@dataclass(frozen=True)
class RateBin:
    label: str
    accepted: int
    decided: int

    @property
    def rate(self) -> float | None:
        return self.accepted / self.decided if self.decided else None


@dataclass(frozen=True)
class Fit:
    """The standardised coefficients for one target, None below the minimum of rows."""

    target: str
    rows: int
    influence: list[Influence] | None

    def ranked(self) -> list[Influence]:
        return sorted(self.influence or [], key=lambda i: -i.coefficient)


@dataclass(frozen=True)
class IdeasVsNumbers:
    ideas_median: float | None
    gain_median: float | None
    high_ideas_modest_gain: RateBin
    modest_ideas_high_gain: RateBin


@dataclass(frozen=True)
class VenueInfluence:
    keys: list[str]
    on_recommendation: Fit
    on_meta_review: Fit
    on_outcome: Fit
    decided: int
    accepted: int
    gain_bins: list[RateBin]
    ratio_bins: list[RateBin]
    noise: list[RateBin]
    ideas_vs_numbers: IdeasVsNumbers
    min_rows: int = MIN_ROWS
    notes: list[str] = field(default_factory=list)

    @property
    def enough_decisions(self) -> bool:
        return self.decided >= self.min_rows


def headline_claim(claims: Sequence[ClaimFacts]) -> Headline | None:
    """Return the paper's claim with the largest relative gain, or None without one."""
    best: Headline | None = None
    for c in claims:
        if c.best_prior_value is None or c.best_prior_value == 0:
            continue
        gain = c.value - c.best_prior_value if c.higher_is_better else c.best_prior_value - c.value
        relative = 100.0 * gain / abs(c.best_prior_value)
        ratio = gain / c.spread if c.spread else None
        within = abs(gain) <= c.spread if c.spread is not None else None
        if best is None or relative > best.relative_gain:
            best = Headline(relative, ratio, within)
    return best


def _bin_label(edges: Sequence[float], i: int, unit: str, first: str) -> str:
    if i == 0:
        return first
    if i == len(edges):
        return f"> {edges[-1]:g}{unit}"
    return f"{edges[i - 1]:g}-{edges[i]:g}{unit}"


def _binned(
    pairs: Sequence[tuple[float, bool]], edges: Sequence[float], *, unit: str, first: str
) -> list[RateBin]:
    counts = [[0, 0] for _ in range(len(edges) + 1)]
    for value, accepted in pairs:
        i = sum(value > edge for edge in edges)
        counts[i][0] += accepted
        counts[i][1] += 1
    return [
        RateBin(_bin_label(edges, i, unit, first), a, n) for i, (a, n) in enumerate(counts)
    ]


def _rate(label: str, outcomes: Sequence[bool]) -> RateBin:
    return RateBin(label, sum(outcomes), len(outcomes))


def ideas_vs_numbers(pairs: Sequence[tuple[float, float, bool]]) -> IdeasVsNumbers:
    """Compare (ideas score, relative gain, accepted) of papers on either side of the medians."""
    if not pairs:
        empty = _rate("", [])
        return IdeasVsNumbers(None, None, empty, empty)
    ideas_median = statistics.median(p[0] for p in pairs)
    gain_median = statistics.median(p[1] for p in pairs)
    ideas_first = [a for i, g, a in pairs if i > ideas_median and g < gain_median]
    numbers_first = [a for i, g, a in pairs if i < ideas_median and g > gain_median]
    return IdeasVsNumbers(
        ideas_median,
        gain_median,
        _rate("Ideas above median, gain below", ideas_first),
        _rate("Ideas below median, gain above", numbers_first),
    )


def venue_influence(
    *,
    keys: Sequence[str],
    reviews: Sequence[tuple[dict[str, float], float]],
    papers: Sequence[PaperFacts],
    min_rows: int = MIN_ROWS,
) -> VenueInfluence:
    """Return every figure of "ideas or numbers" for one venue.

    `keys` are the criteria in the overall score; `reviews` pair one review's scores with its
    reviewer's recommendation; `papers` are the venue's reviewed papers.
    """
    keys = list(keys)
    on_meta_rows = [
        (p.criteria, p.meta_recommendation) for p in papers if p.meta_recommendation is not None
    ]
    decided = [p for p in papers if p.accepted is not None]
    on_outcome_rows = [(p.criteria, 1.0 if p.accepted else 0.0) for p in decided]

    def fit(target: str, rows) -> Fit:
        usable = [r for r in rows if all(isinstance(r[0].get(k), int | float) for k in keys)]
        found = criterion_influence(keys=keys, rows=rows, min_rows=min_rows)
        return Fit(target, len(usable), found)

    headlines = [(headline_claim(p.claims), p) for p in decided]
    with_gain = [(h, p) for h, p in headlines if h is not None]
    gain_pairs = [(h.relative_gain, bool(p.accepted)) for h, p in with_gain]
    ratio_pairs = [
        (h.gain_over_spread, bool(p.accepted))
        for h, p in with_gain
        if h.gain_over_spread is not None
    ]

    def accepted_when(within: bool | None) -> list[bool]:
        return [bool(p.accepted) for h, p in with_gain if h.within_noise is within]

    noise = [
        _rate("Within noise", accepted_when(True)),
        _rate("Beyond noise", accepted_when(False)),
        _rate("No spread given", accepted_when(None)),
    ]
    comparison = ideas_vs_numbers(
        [
            (p.ideas_score, h.relative_gain, bool(p.accepted))
            for h, p in with_gain
            if p.ideas_score is not None
        ]
    )
    return VenueInfluence(
        keys=keys,
        on_recommendation=fit("reviewer recommendation", reviews),
        on_meta_review=fit("meta-review recommendation", on_meta_rows),
        on_outcome=fit("decision (accepted = 1)", on_outcome_rows),
        decided=len(decided),
        accepted=sum(bool(p.accepted) for p in decided),
        gain_bins=_binned(gain_pairs, GAIN_EDGES, unit="%", first="No gain (≤ 0%)"),
        ratio_bins=_binned(ratio_pairs, RATIO_EDGES, unit=" spreads", first="≤ 1 spread (noise)"),
        noise=noise,
        ideas_vs_numbers=comparison,
        min_rows=min_rows,
    )
