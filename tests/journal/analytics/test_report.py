"""The venue report: chiefs only, HTML and CSV with the figures, a bounded number of queries."""

import csv
import io
import random

import pytest
from django.urls import reverse

from journal.models import AuditEvent
from tests.api.support import client_for
from tests.factories import UserFactory
from tests.journal.analytics.synthetic import idea_driven_venue, reviewed_paper
from tests.journal.dashboard.conftest import count_queries

pytestmark = pytest.mark.django_db


def url(world, name="dashboard-report"):
    return reverse(f"journal:{name}", args=[world.venue.slug])


@pytest.fixture
def cycle(world):
    idea_driven_venue(world, papers=12)
    return world


def test_report_page_has_the_figures(client, cycle):
    client.force_login(cycle.chief)
    response = client.get(url(cycle))
    html = response.content.decode()
    assert response.status_code == 200
    assert f"Venue report: does {cycle.venue.name} reward ideas or numbers?" in html
    assert "<div><dt>Decided after review</dt><dd>12</dd></div>" in html
    assert "Descriptive, not causal." in html
    assert "Influence of each criterion on the decision" in html
    assert "Peerless balanced: share of the overall score" in html
    assert "<td>&gt; 5%</td><td>0</td><td>3</td><td>0%</td>" in html
    assert "<td>Ideas above median, gain below</td>" in html
    assert url(cycle, "dashboard-report-csv") in html


def test_analytics_links_the_report_for_chiefs_only(client, cycle):
    client.force_login(cycle.chief)
    assert url(cycle) in client.get(url(cycle, "dashboard-analytics")).content.decode()
    client.force_login(cycle.editor)
    assert url(cycle) not in client.get(url(cycle, "dashboard-analytics")).content.decode()


def test_report_csv_has_the_same_figures(client, cycle):
    client.force_login(cycle.chief)
    response = client.get(url(cycle, "dashboard-report-csv"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert f'filename="{cycle.venue.slug}-report.csv"' in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["section", "item", "measure", "value"]
    found = {(s, i, m): v for s, i, m, v in rows[1:]}
    assert found[("counts", "papers", "decided")] == "12"
    assert float(found[("influence", "Originality", "on the decision")]) > float(
        found[("influence", "Benchmark results", "on the decision")]
    )
    assert found[("claimed gain", "> 5%", "decided")] == "3"
    ideas_first = ("ideas against numbers", "Ideas above median, gain below", "acceptance rate")
    assert found[ideas_first] == "1.0"
    assert found[("influence", "Originality", "on the recommendation")] == ""  # no data


@pytest.mark.parametrize("who", ["editor", "reviewer", "stranger"])
def test_only_chiefs_read_the_report(client, world, who):
    person = UserFactory() if who == "stranger" else getattr(world, who)
    client.force_login(person)
    before = AuditEvent.objects.count()
    for name in ("dashboard-report", "dashboard-report-csv"):
        response = client.get(url(world, name))
        assert response.status_code == 403
        assert b"section,item" not in response.content
    assert AuditEvent.objects.count() == before


def test_report_queries_do_not_grow_with_papers(client, cycle):
    client.force_login(cycle.chief)
    twelve = count_queries(client, url(cycle))
    csv_twelve = count_queries(client, url(cycle, "dashboard-report-csv"))
    for n in range(3):
        reviewed_paper(cycle, number=200 + n, originality=2, rng=random.Random(n), gain=3.0)
    assert count_queries(client, url(cycle)) == twelve <= 40
    assert count_queries(client, url(cycle, "dashboard-report-csv")) == csv_twelve <= 25


def test_api_report_has_the_same_figures(cycle):
    body = client_for(cycle.chief).get(f"/api/v1/venues/{cycle.venue.slug}/report/").json()
    assert body["caveat"].startswith("Descriptive, not causal")
    assert body["counts"] == {"submitted": 12, "reviewed": 12, "decided": 12, "accepted": 4}
    assert body["enough_decisions"] is True and body["rows"]["on_decision"] == 12
    by_key = {c["key"]: c for c in body["criteria"]}
    assert by_key["originality"]["aspect"] == "Ideas (originality, hypothesis)"
    assert by_key["originality"]["on_decision"] > by_key["benchmarks"]["on_decision"]
    assert by_key["originality"]["on_recommendation"] is None
    big = next(b for b in body["gain_bins"] if b["label"] == "> 5%")
    assert big == {"label": "> 5%", "accepted": 0, "decided": 3, "rate": 0.0}
    assert body["ideas_vs_numbers"]["high_ideas_modest_gain"]["rate"] == 1.0


def test_api_report_refuses_non_chiefs(world):
    for person in (world.editor, world.reviewer, UserFactory()):
        response = client_for(person).get(f"/api/v1/venues/{world.venue.slug}/report/")
        assert response.status_code == 403 and "chiefs" in response.json()["detail"]
    assert client_for(world.chief).get("/api/v1/venues/nope/report/").status_code == 404
