"""Statistics behind the analytics page, on plain numbers.

Criterion influence
    How much each review criterion drives the reviewer's recommendation: across all reviews
    of the venue that have both, every criterion score and the recommendation (reject = 1,
    leaning reject = 2, leaning accept = 3, accept = 4) are standardised (mean 0, standard
    deviation 1) and the recommendation is regressed on all criteria at once (ordinary least
    squares). A coefficient says by how many standard deviations the recommendation moves
    when that criterion moves by one, the others held fixed; the plain correlation of each
    criterion with the recommendation is shown too. It describes this venue's reviewing; it
    is not a causal claim.

Leniency calibration (an aid, never a replacement for the scores)
    An additive model: score(reviewer r, paper p) = quality(p) + leniency(r) + noise. Each
    reviewer's leniency is estimated as the mean of their deviations from the mean score of
    the papers they reviewed, shrunk toward 0: offset(r) = sum of deviations / (n(r) + k),
    with k = 2 pseudo-reviews, so a reviewer with one review moves little. A calibrated
    score is the score minus its reviewer's offset. Papers with a single review give no
    deviation and count for nothing.
"""

import math
import statistics
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

SHRINKAGE = 2.0


def histogram(values: Iterable[float], *, bins: Sequence[float]) -> list[int]:
    """Count `values` into the half-open bins [b0, b1), ..., with the last bin closed."""
    counts = [0] * (len(bins) - 1)
    for value in values:
        for i in range(len(bins) - 1):
            last = i == len(bins) - 2
            if bins[i] <= value < bins[i + 1] or (last and value == bins[i + 1]):
                counts[i] += 1
                break
    return counts


def quantile(values: Sequence[float], q: float) -> float | None:
    """Return the q-quantile (0..1) of `values` by linear interpolation, None if empty."""
    if not values:
        return None
    ordered = sorted(values)
    position = (len(ordered) - 1) * q
    low = math.floor(position)
    high = math.ceil(position)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


@dataclass(frozen=True)
class Influence:
    key: str
    coefficient: float
    correlation: float


def criterion_influence(
    *, keys: Sequence[str], rows: Sequence[tuple[dict[str, float], float]], min_rows: int = 10
) -> list[Influence] | None:
    """Return each criterion's standardised coefficient and correlation with the target.

    `rows` pairs a review's criterion scores with its recommendation. Rows missing a
    criterion are left out; None when fewer than `min_rows` remain or nothing varies.
    """
    complete = [(s, t) for s, t in rows if all(isinstance(s.get(k), int | float) for k in keys)]
    if len(complete) < max(min_rows, len(keys) + 2) or not keys:
        return None
    x = np.array([[float(s[k]) for k in keys] for s, _ in complete])
    y = np.array([float(t) for _, t in complete])
    x_std = x.std(axis=0)
    if y.std() == 0:
        return None
    usable = x_std > 0
    z_y = (y - y.mean()) / y.std()
    z_x = np.zeros_like(x)
    z_x[:, usable] = (x[:, usable] - x.mean(axis=0)[usable]) / x_std[usable]
    coefficients, *_ = np.linalg.lstsq(z_x[:, usable], z_y, rcond=None)
    result = []
    j = 0
    for i, key in enumerate(keys):
        if not usable[i]:
            result.append(Influence(key, 0.0, 0.0))
            continue
        correlation = float(np.mean(z_x[:, i] * z_y))
        result.append(Influence(key, float(coefficients[j]), correlation))
        j += 1
    return result


def leniency_offsets(
    scores: Iterable[tuple[int, int, float]], *, shrinkage: float = SHRINKAGE
) -> dict[int, float]:
    """Return each reviewer's leniency offset from (reviewer, paper, score) triples."""
    triples = list(scores)
    by_paper: dict[int, list[float]] = defaultdict(list)
    for _, paper, score in triples:
        by_paper[paper].append(score)
    means = {p: statistics.fmean(v) for p, v in by_paper.items()}
    deviations: dict[int, list[float]] = defaultdict(list)
    for reviewer, paper, score in triples:
        if len(by_paper[paper]) > 1:
            deviations[reviewer].append(score - means[paper])
        else:
            deviations.setdefault(reviewer, [])
    return {r: sum(d) / (len(d) + shrinkage) for r, d in deviations.items()}


def calibrated_mean(scores: Iterable[tuple[int, float]], offsets: dict[int, float]) -> float | None:
    """Return the mean of (reviewer, score) pairs after removing each reviewer's offset."""
    values = [score - offsets.get(reviewer, 0.0) for reviewer, score in scores]
    return statistics.fmean(values) if values else None
