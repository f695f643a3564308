"""The "ideas or numbers" figures read from a synthetic venue whose decisions follow
originality: recovered sign and order, on the analytics page, in a fixed number of queries."""

import random

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from journal.selectors.dashboard import dashboard_scope
from journal.selectors.influence import venue_influence_report
from reviews.services.forms import review_form_latest
from tests.journal.analytics.synthetic import idea_driven_venue, reviewed_paper

pytestmark = pytest.mark.django_db


def test_influence_of_originality_is_recovered_from_the_database(world):
    idea_driven_venue(world, papers=12)
    scope = dashboard_scope(user=world.chief, venue=world.venue)
    report = venue_influence_report(scope=scope)
    result = report.result
    assert report.papers == 12 and result.decided == 12 and result.enough_decisions
    for fit in (result.on_outcome, result.on_meta_review):
        by_key = {i.key: i.coefficient for i in fit.influence}
        assert by_key["originality"] > 0
        assert by_key["originality"] > by_key["benchmarks"]
        assert fit.ranked()[0].key == "originality"
    assert report.aspects["originality"] == "ideas"
    # strong ideas with modest gains were accepted, the reverse rejected
    c = result.ideas_vs_numbers
    assert c.high_ideas_modest_gain.rate == 1.0 and c.modest_ideas_high_gain.rate == 0.0
    big = next(b for b in result.gain_bins if b.label == "> 5%")
    assert (big.accepted, big.decided) == (0, 3)

    with CaptureQueriesContext(connection) as twelve:
        venue_influence_report(scope=scope)
    for n in range(3):
        reviewed_paper(world, number=100 + n, originality=5, rng=random.Random(n), gain=1.0)
    with CaptureQueriesContext(connection) as fifteen:
        assert venue_influence_report(scope=scope).papers == 15
    assert len(fifteen.captured_queries) == len(twelve.captured_queries) <= 12


def test_analytics_page_shows_the_figures_with_the_caveat(client, world):
    idea_driven_venue(world, papers=12)
    client.force_login(world.chief)
    html = client.get(reverse("journal:dashboard-analytics", args=[world.venue.slug])).content
    html = html.decode()
    assert "Does this venue reward ideas or numbers?" in html
    assert "Descriptive, not causal." in html
    assert "Influence of each criterion on the decision" in html  # the SVG chart's title
    assert "<svg" in html.split("ideas-or-numbers")[1]
    assert "Ideas above median, gain below" in html
    assert "Too little data" not in html


def test_analytics_page_says_when_there_is_too_little_data(client, world):
    reviewed_paper(world, number=1, originality=5, rng=random.Random(1), gain=1.0)
    client.force_login(world.chief)
    html = client.get(reverse("journal:dashboard-analytics", args=[world.venue.slug])).content
    html = html.decode()
    assert "Too little data for the influence on decisions: 1 decided paper with reviews" in html
    assert "Descriptive, not causal." in html


def test_a_form_without_scores_still_counts_its_papers_and_gains(client, world):
    world.venue.review_form = review_form_latest(slug="tmlr")
    world.venue.save(update_fields=["review_form"])
    reviewed_paper(world, number=1, originality=5, rng=random.Random(1), gain=1.0)
    report = venue_influence_report(scope=dashboard_scope(user=world.chief, venue=world.venue))
    assert report.papers == 1 and report.result.keys == [] and report.result.decided == 1
    client.force_login(world.chief)
    html = client.get(reverse("journal:dashboard-analytics", args=[world.venue.slug])).content
    html = html.decode()
    assert "No scored criterion in the review forms" in html
    assert "1 reviewed paper · 1 decided (1 accepted)" in html
    assert "<td>0.5-1%</td><td>1</td><td>1</td><td>100%</td>" in html
