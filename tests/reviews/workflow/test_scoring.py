"""The one scoring service: normalisation, weighted overall score, criterion means, spread."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reviews.models import ReviewFormField
from reviews.selectors.scoring import normalised, overall_score, score_summary, weight_shares
from reviews.services.forms import review_form_default, review_form_latest


def _score(key, weight, *, scale=(1, 2, 3, 4, 5), independent=False):
    return ReviewFormField(
        key=key,
        kind="score",
        label=key.title(),
        weight=weight,
        independent=independent,
        options=[{"value": v, "label": str(v)} for v in scale],
    )


def test_normalised_over_the_scale():
    field = _score("a", 1, scale=(1, 2, 3, 4))
    assert normalised(form_field=field, value=1) == 0
    assert normalised(form_field=field, value=4) == 1
    assert normalised(form_field=field, value=2) == pytest.approx(1 / 3)
    assert normalised(form_field=field, value=None) is None


def test_overall_is_weighted_mean_of_normalised_scores():
    fields = [_score("a", 3), _score("b", 1, scale=(1, 2, 3, 4, 5, 6, 7, 8, 9, 10))]
    # a: 5 -> 1.0 ; b: 1 -> 0.0 ; weighted: (3*1 + 1*0) / 4
    assert overall_score(fields=fields, answers={"a": 5, "b": 1}) == pytest.approx(0.75)


def test_independent_score_never_enters_overall():
    fields = [_score("a", 1), _score("confidence", 5, independent=True)]
    low = overall_score(fields=fields, answers={"a": 3, "confidence": 1})
    high = overall_score(fields=fields, answers={"a": 3, "confidence": 5})
    assert low == high == pytest.approx(0.5)


def test_overall_skips_unanswered_and_is_none_without_scores():
    fields = [_score("a", 1), _score("b", 1)]
    assert overall_score(fields=fields, answers={"a": 5}) == pytest.approx(1.0)
    assert overall_score(fields=fields, answers={}) is None


def test_summary_means_and_spread_across_reviewers():
    fields = [_score("a", 1), _score("b", 1), _score("confidence", 0, independent=True)]
    summary = score_summary(
        fields=fields,
        reviews=[(1, {"a": 5, "b": 1, "confidence": 3}), (2, {"a": 1, "b": 1, "confidence": 5})],
    )
    crit = {c.key: c for c in summary.criteria}
    assert crit["a"].spread.mean == 3 and crit["a"].spread.low == 1 and crit["a"].spread.high == 5
    assert crit["a"].spread.std == pytest.approx(2.0)
    assert crit["b"].spread.std == 0
    assert crit["confidence"].independent and crit["confidence"].share == 0
    assert [r.overall for r in summary.reviews] == [pytest.approx(0.5), pytest.approx(0.0)]
    assert summary.overall.mean == pytest.approx(0.25)
    assert summary.overall.high == pytest.approx(0.5)


@pytest.mark.django_db
def test_balanced_form_rewards_ideas_as_much_as_benchmarks():
    fields = list(review_form_default().fields.all())
    base = {k: 3 for k in ("evidence", "generalisation", "clarity", "reproducibility")}
    sota_only = overall_score(
        fields=fields, answers={**base, "originality": 1, "hypothesis": 1, "benchmarks": 5}
    )
    ideas_only = overall_score(
        fields=fields, answers={**base, "originality": 5, "hypothesis": 5, "benchmarks": 1}
    )
    assert ideas_only > sota_only


@pytest.mark.django_db
def test_tmlr_form_has_no_overall():
    fields = list(review_form_latest(slug="tmlr").fields.all())
    assert weight_shares(fields=fields) == {}
    assert overall_score(fields=fields, answers={"claims_supported": True}) is None


@given(
    st.lists(st.integers(min_value=1, max_value=5), min_size=3, max_size=3),
    st.lists(st.floats(min_value=0.1, max_value=10), min_size=3, max_size=3),
)
def test_overall_stays_within_unit_interval(values, weights):
    fields = [_score(f"f{i}", w) for i, w in enumerate(weights)]
    score = overall_score(fields=fields, answers={f"f{i}": v for i, v in enumerate(values)})
    assert 0 <= score <= 1
