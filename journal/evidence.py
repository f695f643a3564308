"""What a benchmark claim's numbers say: its gain over the best prior value, and whether the
gain is inside the noise of the runs behind it.

The rule, used on every page, in the API and in the analytics: a gain is **within noise** when
its size is at most the spread (one standard deviation across the runs) the authors report,
``|gain| <= spread``. Without a best prior value or a spread, there is nothing to tell.
Pure arithmetic, no Django.
"""

from dataclasses import dataclass

NOISE_RULE = "A gain is within noise when it is no larger than the spread across runs."


def claim_gain(
    *, value: float, best_prior_value: float | None, higher_is_better: bool
) -> float | None:
    """Return the signed gain over the best prior value (positive means better), or None."""
    if best_prior_value is None:
        return None
    delta = value - best_prior_value
    return delta if higher_is_better else -delta


def gain_within_noise(*, gain: float | None, spread: float | None) -> bool | None:
    """Return whether `gain` is inside the spread; None when either is unknown."""
    if gain is None or spread is None:
        return None
    return abs(gain) <= spread


@dataclass(frozen=True)
class ClaimEvidence:
    gain: float | None
    within_noise: bool | None

    @property
    def gain_shown(self) -> str:
        """Return the gain as people read it: signed, without float noise ("+1.4")."""
        return "" if self.gain is None else f"{round(self.gain, 6):+g}"


def claim_evidence(
    *,
    value: float,
    best_prior_value: float | None,
    higher_is_better: bool,
    spread: float | None,
) -> ClaimEvidence:
    """Return the gain of a claim and whether it is within noise."""
    gain = claim_gain(
        value=value, best_prior_value=best_prior_value, higher_is_better=higher_is_better
    )
    return ClaimEvidence(gain=gain, within_noise=gain_within_noise(gain=gain, spread=spread))
