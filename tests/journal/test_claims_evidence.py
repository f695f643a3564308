"""Benchmark claims carry runs, spread, compute budget and the baseline's source."""

import pytest

from journal.errors import DomainError
from journal.limits import CLAIM_RUNS_MAX
from journal.services.submissions import ClaimInput, submission_update
from tests.api.support import paper
from tests.factories import UserFactory, VenueFactory

pytestmark = pytest.mark.django_db


def claim(**extra) -> ClaimInput:
    return ClaimInput(
        **{"dataset": "ImageNet", "metric": "top-1", "value": 80.5, "best_prior_value": 80.0}
        | extra
    )


@pytest.fixture
def author():
    return UserFactory()


@pytest.fixture
def draft(author):
    return paper(VenueFactory(), author, claims=[claim(runs=5, spread=0.7)])


def test_claim_keeps_its_evidence_and_is_within_noise(draft):
    row = draft.benchmark_claims.get()
    assert (row.runs, row.spread) == (5, 0.7)
    assert row.improvement == pytest.approx(0.5)
    assert row.within_noise is True


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ({"runs": 0}, "the number of runs must be between 1"),
        ({"runs": CLAIM_RUNS_MAX + 1}, "the number of runs must be between 1"),
        ({"spread": -0.1}, "the spread must be zero or more"),
        ({"spread": float("nan")}, "the spread must be zero or more"),
        ({"baseline_source": "guessed"}, "either reported or re-run"),
        ({"compute_budget": "x" * 201}, "at most 200 are allowed"),
    ],
)
def test_impossible_evidence_is_refused_and_changes_nothing(draft, author, bad, message):
    with pytest.raises(DomainError, match=message) as refused:
        submission_update(submission=draft, actor=author, claims=[claim(), claim(**bad)])
    assert "Claim 2 (ImageNet top-1)" in str(refused.value)
    row = draft.benchmark_claims.get()
    assert (row.runs, row.spread, row.value) == (5, 0.7, 80.5)


def test_editing_claims_keeps_each_row_by_position(draft, author):
    first = draft.benchmark_claims.get()
    submission_update(
        submission=draft,
        actor=author,
        claims=[claim(value=81.0, runs=3, spread=0.1, baseline_source="rerun"), claim(value=1)],
    )
    rows = list(draft.benchmark_claims.order_by("order"))
    assert rows[0].pk == first.pk
    assert (rows[0].value, rows[0].runs, rows[0].baseline_source) == (81.0, 3, "rerun")
    assert rows[0].within_noise is False
    assert [r.order for r in rows] == [0, 1]
    submission_update(submission=draft, actor=author, claims=[claim(value=2)])
    assert list(draft.benchmark_claims.values_list("pk", "value")) == [(first.pk, 2.0)]
