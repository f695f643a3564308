"""A claim's gain over the best prior value, and whether it is within noise."""

import pytest
from pytest import approx

from journal.evidence import claim_evidence, claim_gain, gain_within_noise


def test_gain_is_signed_so_that_positive_is_better():
    assert claim_gain(value=28.4, best_prior_value=26.3, higher_is_better=True) == approx(2.1)
    assert claim_gain(value=3.1, best_prior_value=3.4, higher_is_better=False) == approx(0.3)
    assert claim_gain(value=3.6, best_prior_value=3.4, higher_is_better=False) == approx(-0.2)
    assert claim_gain(value=1.0, best_prior_value=None, higher_is_better=True) is None


@pytest.mark.parametrize(
    ("value", "prior", "higher", "spread", "within"),
    [
        (80.5, 80.0, True, 0.7, True),  # +0.5 with a spread of 0.7: noise
        (80.5, 80.0, True, 0.5, True),  # the boundary counts as noise
        (80.5, 80.0, True, 0.2, False),
        (79.6, 80.0, True, 0.3, False),  # worse by more than the spread
        (79.9, 80.0, True, 0.3, True),
        (12.0, 12.4, False, 0.5, True),  # lower is better: -0.4 error is a +0.4 gain
        (12.0, 12.4, False, 0.1, False),
        (80.5, 80.0, True, 0.0, False),  # a spread of zero: any gain is beyond it
        (80.5, 80.0, True, None, None),  # no spread given: nothing to tell
        (80.5, None, True, 0.7, None),  # no prior: no gain
    ],
)
def test_within_noise_on_hand_made_claims(value, prior, higher, spread, within):
    evidence = claim_evidence(
        value=value, best_prior_value=prior, higher_is_better=higher, spread=spread
    )
    assert evidence.within_noise is within


def test_within_noise_is_unknown_without_a_gain():
    assert gain_within_noise(gain=None, spread=1.0) is None
    assert gain_within_noise(gain=0.0, spread=0.0) is True
