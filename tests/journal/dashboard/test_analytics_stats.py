"""The pure statistics and SVG charts behind the analytics page."""

import random

import pytest

from journal.analytics.charts import bar_chart, column_chart
from journal.analytics.stats import (
    calibrated_mean,
    criterion_influence,
    histogram,
    leniency_offsets,
    quantile,
)


def test_histogram_half_open_bins_last_closed():
    assert histogram([0, 1, 6.9, 7, 14, 14.0], bins=[0, 7, 14]) == [3, 3]


def test_quantile():
    assert quantile([], 0.5) is None
    assert quantile([4, 1, 3, 2], 0.5) == 2.5
    assert quantile([1, 2, 3], 1.0) == 3


def test_leniency_offsets_recover_a_lenient_reviewer():
    # Reviewer 1 always scores 0.2 above the others on the same papers.
    triples = []
    for paper in range(10):
        quality = paper / 10
        triples += [(1, paper, quality + 0.2), (2, paper, quality), (3, paper, quality)]
    offsets = leniency_offsets(triples, shrinkage=0)
    assert offsets[1] == pytest.approx(0.2 - 0.2 / 3)
    assert offsets[2] == pytest.approx(-0.2 / 3)
    # After calibration the lenient reviewer and the others agree on a paper.
    assert calibrated_mean([(1, 0.7)], offsets) == pytest.approx(
        calibrated_mean([(2, 0.5)], offsets)
    )


def test_leniency_offsets_shrink_toward_zero_and_ignore_single_reviews():
    offsets = leniency_offsets([(1, 1, 1.0), (2, 1, 0.0), (3, 2, 0.9)])
    assert offsets[1] == pytest.approx(0.5 / 3)  # one deviation of 0.5, k = 2
    assert offsets[3] == 0.0  # alone on its paper: no evidence


def test_criterion_influence_finds_the_driving_criterion():
    rng = random.Random(1)
    rows = []
    for _ in range(200):
        originality, numbers = rng.randint(1, 5), rng.randint(1, 5)
        recommendation = min(4, max(1, round(numbers * 0.8 + rng.random() * 0.5)))
        rows.append(({"originality": originality, "numbers": numbers}, recommendation))
    result = {i.key: i for i in criterion_influence(keys=["originality", "numbers"], rows=rows)}
    assert result["numbers"].coefficient > 0.8
    assert abs(result["originality"].coefficient) < 0.15
    assert result["numbers"].correlation > 0.8


def test_criterion_influence_needs_enough_rows():
    assert criterion_influence(keys=["a"], rows=[({"a": 1}, 2)] * 5) is None
    assert criterion_influence(keys=["a"], rows=[({"a": i % 3}, 2) for i in range(30)]) is None


def test_charts_escape_labels_and_describe_data():
    svg = bar_chart(bars=[("<script>", 3), ("b", 1)], title="T & U")
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert 'role="img"' in svg and "<title" in svg and "T &amp; U" in svg
    columns = column_chart(columns=[("2026-01", 4), ("2026-02", 0)], title="Per month")
    assert columns.count("<rect") == 2 and "2026-01: 4" in columns


def test_signed_bar_chart_draws_negative_bars_left_of_zero():
    svg = bar_chart(bars=[("up", 0.5), ("down", -0.5)], title="Signed", signed=True)
    assert "<line" in svg and "-0.50" in svg
