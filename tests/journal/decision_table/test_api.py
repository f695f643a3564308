"""The decision table and bulk decisions in the API: same numbers, filters and refusals."""

import pytest

from journal.enums import DecisionStatus
from journal.models import Decision
from tests.api.support import client_for
from tests.journal.decision_table.world import make_conf

pytestmark = pytest.mark.django_db


@pytest.fixture
def conf():
    c = make_conf(reviewers_per_paper=2)
    r1, r2, _ = c.world.reviewers
    complete = c.world.submission
    c.review(complete, r1, 3)
    c.review(complete, r2, 5)
    incomplete = c.paper("Half reviewed", keywords=("graphs",))
    c.review(incomplete, r1, 9)
    c.papers = [complete, incomplete]
    return c


def _table(conf, user=None, **params):
    url = f"/api/v1/venues/{conf.venue.slug}/decision-table/"
    return client_for(user or conf.chief).get(url, params)


def _decide(conf, body, user=None):
    url = f"/api/v1/venues/{conf.venue.slug}/decision-table/decide/"
    return client_for(user or conf.chief).post(url, body, format="json")


def test_table_columns_sort_filter_and_pages(conf):
    _, incomplete = conf.papers
    response = _table(conf, sort="-score")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["count"] == 2 and body["pages"] == 1
    first, second = body["results"]
    assert first["number"] == incomplete.number and first["reviews_complete"] is False
    assert second["score"] == pytest.approx(0.4) and second["spread"] == pytest.approx(0.2)
    assert (second["reviews_submitted"], second["reviews_required"]) == (2, 2)
    assert second["claimed_gain"] == pytest.approx(0.01)
    assert sum(b["count"] for b in body["histogram"]) == 2
    only = _table(conf, completeness="incomplete").json()["results"]
    assert [r["number"] for r in only] == [incomplete.number]
    assert [r["number"] for r in _table(conf, keyword="graphs").json()["results"]] == [
        incomplete.number
    ]
    paged = _table(conf, page_size=1, page=2, sort="number").json()
    assert paged["pages"] == 2 and paged["results"][0]["number"] == incomplete.number


def test_table_refuses_bad_input_and_non_chiefs(conf):
    response = _table(conf, score_min="x", sort="bogus")
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"score_min", "sort"}
    assert _table(conf, page_size=500).status_code == 400
    response = _table(conf, user=conf.world.editor)
    assert response.status_code == 403 and "program chairs" in response.json()["detail"]
    assert _table(conf, user=conf.world.reviewers[0]).status_code == 403


def test_dry_run_then_confirm_with_the_same_refusals(conf):
    complete, incomplete = conf.papers
    dry = _decide(conf, {"outcome": "poster", "submissions": [complete.pk, incomplete.pk]})
    assert dry.status_code == 200, dry.content
    plan = dry.json()
    assert plan["recorded"] is False and plan["counts"] == {"poster": 1}
    assert plan["refused"][0]["submission"] == incomplete.pk
    assert "1 of 2 submitted" in plan["refused"][0]["reason"]
    assert not Decision.objects.exists()
    done = _decide(conf, {"token": plan["token"]}).json()
    assert done["recorded"] is True and done["submissions"] == [complete.pk]
    again = _decide(conf, {"token": plan["token"]}).json()
    assert again["submissions"] == [] and again["unchanged"] == [complete.pk]
    decision = Decision.objects.get()
    assert decision.status == DecisionStatus.DRAFT and decision.outcome == "poster"


def test_all_filtered_with_override(conf):
    _, incomplete = conf.papers
    plan = _decide(
        conf,
        {
            "outcome": "reject",
            "all_filtered": True,
            "filters": {"state": ["under_review"], "sort": "number"},
            "override_incomplete": True,
            "comment": "Thanks.",
        },
    ).json()
    assert plan["counts"] == {"reject": 2} and plan["overridden"] == [incomplete.pk]
    mismatch = _decide(conf, {"token": plan["token"], "comment": "Other"})
    assert mismatch.status_code == 400 and "comment changed" in mismatch.json()["detail"]
    assert not Decision.objects.exists()
    _decide(conf, {"token": plan["token"], "comment": "Thanks."})
    assert Decision.objects.filter(comment="Thanks.").count() == 2


def test_decide_refusals(conf):
    assert _decide(conf, {"outcome": "poster"}).status_code == 400
    response = _decide(
        conf, {"outcome": "poster", "submissions": [conf.papers[0].pk]}, user=conf.world.editor
    )
    assert response.status_code == 403
    assert _decide(conf, {"token": "forged"}).status_code == 400
    assert not Decision.objects.exists()
