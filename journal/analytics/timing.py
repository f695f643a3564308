"""How long papers take, on plain numbers: quantiles per group and papers by age.

Time to decision is the days from a paper's first submission to its latest decision (desk
rejections included), grouped by the month of the decision. Quantiles interpolate linearly
(see `journal.analytics.stats.quantile`): the median of 4, 42, 56 and 70 days is 49, the
90th percentile 65.8.
"""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from journal.analytics.stats import histogram, quantile

#: Age bins in days for "papers by age in stage", with their labels.
AGE_BINS = (0, 7, 14, 28, 56, 100_000)
AGE_LABELS = ("under 1 week", "1-2 weeks", "2-4 weeks", "4-8 weeks", "over 8 weeks")


@dataclass(frozen=True)
class Spread:
    """The count, median and 90th percentile of a list of durations in days."""

    label: str
    n: int
    median: float | None
    p90: float | None


def spread(label: str, days: Sequence[float]) -> Spread:
    """Return the spread of `days` under `label`."""
    return Spread(label, len(days), quantile(days, 0.5), quantile(days, 0.9))


def spreads_by(pairs: Iterable[tuple[str, float]], *, order: Sequence[str] = ()) -> list[Spread]:
    """Group (label, days) pairs by label; return one spread per label.

    Labels come in `order` where given (those without values left out), else sorted.
    """
    groups: dict[str, list[float]] = defaultdict(list)
    for label, days in pairs:
        groups[label].append(days)
    labels = [k for k in order if k in groups] if order else sorted(groups)
    return [spread(k, groups[k]) for k in labels]


def age_counts(days: Iterable[float]) -> list[int]:
    """Count ages (days) into `AGE_BINS`."""
    return histogram(list(days), bins=AGE_BINS)
