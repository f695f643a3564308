"""The "ideas or numbers" statistics on plain numbers: recovered influence, gain bins, the
ideas-against-numbers comparison and the minimum of data."""

import numpy as np
import pytest

from journal.analytics.influence import (
    ClaimFacts,
    PaperFacts,
    headline_claim,
    ideas_vs_numbers,
    venue_influence,
)

KEYS = ["originality", "benchmarks", "clarity"]


def synthetic(n: int = 40, seed: int = 7) -> list[PaperFacts]:
    """Papers whose outcome and meta-review follow originality; benchmarks are noise."""
    rng = np.random.default_rng(seed)
    papers = []
    for _ in range(n):
        originality = float(rng.integers(1, 6))
        benchmarks = float(rng.integers(1, 6))
        clarity = float(rng.integers(1, 6))
        accepted = originality + rng.normal(0, 0.5) > 3
        papers.append(
            PaperFacts(
                criteria={"originality": originality, "benchmarks": benchmarks, "clarity": clarity},
                ideas_score=originality,
                meta_recommendation=4.0 if accepted else 1.0,
                accepted=bool(accepted),
                claims=[ClaimFacts(80 + benchmarks, 80.0, True, 0.5)],
            )
        )
    return papers


def test_influence_follows_originality_on_decisions():
    papers = synthetic()
    reviews = [(p.criteria, 4.0 if p.accepted else 1.0) for p in papers]
    result = venue_influence(keys=KEYS, reviews=reviews, papers=papers)
    for fit in (result.on_outcome, result.on_meta_review, result.on_recommendation):
        by_key = {i.key: i.coefficient for i in fit.influence}
        assert by_key["originality"] > 0.5
        assert by_key["originality"] > abs(by_key["benchmarks"])
        assert fit.ranked()[0].key == "originality"
    assert result.on_outcome.rows == 40 and result.enough_decisions


def test_too_little_data_gives_no_coefficients():
    papers = synthetic(n=6)
    result = venue_influence(keys=KEYS, reviews=[], papers=papers)
    assert result.on_outcome.influence is None and not result.enough_decisions
    assert result.on_recommendation.influence is None and result.on_recommendation.rows == 0


def test_headline_claim_is_the_largest_relative_gain():
    claims = [
        ClaimFacts(0.91, 0.90, True, 0.02),  # +1.1%, within noise
        ClaimFacts(18.0, 20.0, False, 0.5),  # error rate down 10%, 4 spreads
        ClaimFacts(1.0, None, True, None),  # no prior: ignored
    ]
    head = headline_claim(claims)
    assert head.relative_gain == pytest.approx(10.0)
    assert head.gain_over_spread == pytest.approx(4.0) and head.within_noise is False
    assert headline_claim([ClaimFacts(1.0, None, True, None)]) is None


def test_gain_bins_and_noise_rates():
    def paper(gain_percent, spread, accepted):
        claim = ClaimFacts(100 + gain_percent, 100, True, spread)
        return PaperFacts({}, None, None, accepted, [claim])

    papers = [paper(-1, 1, False), paper(0.3, 1, False), paper(0.3, 0.1, True), paper(6, 1, True)]
    result = venue_influence(keys=[], reviews=[], papers=papers)
    bins = {b.label: (b.accepted, b.decided) for b in result.gain_bins}
    assert bins["No gain (≤ 0%)"] == (0, 1)
    assert bins["0-0.5%"] == (1, 2)
    assert bins["> 5%"] == (1, 1)
    noise = {b.label: (b.accepted, b.decided) for b in result.noise}
    assert noise["Within noise"] == (0, 2)  # -1 with spread 1, +0.3 with spread 1
    assert noise["Beyond noise"] == (2, 2)
    ratios = {b.label: b.decided for b in result.ratio_bins}
    assert ratios["≤ 1 spread (noise)"] == 2 and ratios["2-3 spreads"] == 1
    assert ratios["> 3 spreads"] == 1


def test_ideas_against_numbers_uses_the_medians():
    pairs = [(5, 0.1, True), (4, 0.2, True), (1, 5.0, False), (2, 4.0, True), (3, 1.0, False)]
    result = ideas_vs_numbers(pairs)
    assert result.ideas_median == 3 and result.gain_median == 1.0
    assert (result.high_ideas_modest_gain.accepted, result.high_ideas_modest_gain.decided) == (
        2,
        2,
    )
    assert result.modest_ideas_high_gain.rate == pytest.approx(0.5)
    assert ideas_vs_numbers([]).high_ideas_modest_gain.rate is None
