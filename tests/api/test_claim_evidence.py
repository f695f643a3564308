"""Benchmark claims' runs and spread through the API: read, write, refuse with a message."""

import pytest

from journal.services.submissions import ClaimInput
from tests.api.support import client_for, paper

pytestmark = pytest.mark.django_db


def detail(submission) -> str:
    return f"/api/v1/submissions/{submission.pk}/"


ROW = {"dataset": "ImageNet", "metric": "top-1", "value": 80.5, "best_prior_value": 80.0}


def test_claim_reads_runs_spread_gain_and_noise(world):
    draft = paper(
        world.venue, world.author, claims=[ClaimInput(**ROW, runs=5, spread=0.7, code_url="")]
    )
    body = client_for(world.author).get(detail(draft)).json()
    row = body["benchmark_claims"][0]
    assert row["runs"] == 5 and row["spread"] == 0.7
    assert row["gain"] == pytest.approx(0.5)
    assert row["within_noise"] is True


def test_claim_writes_runs_and_spread(world):
    draft = paper(world.venue, world.author)
    response = client_for(world.author).patch(
        detail(draft),
        {"benchmark_claims": [{**ROW, "runs": 3, "spread": 0.1, "baseline_source": "rerun"}]},
        format="json",
        HTTP_IF_MATCH="*",
    )
    assert response.status_code == 200, response.content
    row = response.json()["benchmark_claims"][0]
    assert (row["runs"], row["spread"], row["baseline_source"]) == (3, 0.1, "rerun")
    assert row["within_noise"] is False


@pytest.mark.parametrize(
    ("bad", "field", "message"),
    [
        ({"runs": 0}, "runs", "At least one run is behind a value."),
        ({"runs": "many"}, "runs", "A valid integer is required."),
        ({"spread": -1}, "spread", "A spread is zero or more."),
        ({"baseline_source": "guessed"}, "baseline_source", '"guessed" is not a valid choice.'),
    ],
)
def test_bad_evidence_is_a_400_naming_the_field_and_changes_nothing(world, bad, field, message):
    draft = paper(world.venue, world.author, claims=[ClaimInput(**ROW, runs=5, spread=0.7)])
    response = client_for(world.author).patch(
        detail(draft),
        {"benchmark_claims": [{**ROW, **bad}]},
        format="json",
        HTTP_IF_MATCH="*",
    )
    assert response.status_code == 400, response.content
    errors = response.json()["errors"]
    assert errors[f"benchmark_claims.0.{field}"] == [message]
    row = draft.benchmark_claims.get()
    assert (row.runs, row.spread) == (5, 0.7)
