"""Subject areas on the bidding page (a filter, the card) and on the chairs' bid coverage."""

import pytest
from django.urls import reverse

from journal.services.venues import venue_update
from reviews.models import BidValue
from reviews.selectors.bidding import AreaCoverage, coverage_by_area
from reviews.services.bidding import bid_set
from tests.reviews.bidding.world import bid_world

pytestmark = pytest.mark.django_db
AREAS = ["Computer vision", "Theory"]


@pytest.fixture
def world():
    world = bid_world(papers=0)
    venue_update(venue=world.venue, actor=world.chief, subject_areas=AREAS)
    world.venue.refresh_from_db()
    world.add_paper("Vision graphs", keywords=["graphs"], subject_area="Computer vision")
    world.add_paper("Vision diffusion", keywords=["diffusion"], subject_area="Computer vision")
    world.add_paper("Theory graphs", keywords=["graphs"], subject_area="Theory")
    return world


def titles(client, world, **params) -> tuple[str, list[str]]:
    html = client.get(reverse("reviews:bids", args=[world.venue.slug]), params).content.decode()
    found = [t for t in ("Vision graphs", "Vision diffusion", "Theory graphs") if t in html]
    return html, found


def test_the_area_select_lists_the_venues_areas_and_filters(client, world):
    client.force_login(world.reviewer)
    html, found = titles(client, world)
    assert '<option value="">Any area</option>' in html
    assert '<option value="Theory">Theory</option>' in html
    assert len(found) == 3
    html, found = titles(client, world, area="Theory")
    assert found == ["Theory graphs"]
    assert '<option value="Theory" selected>Theory</option>' in html
    assert "1 paper" in html


def test_area_keyword_search_and_sort_combine(client, world):
    client.force_login(world.reviewer)
    _, found = titles(client, world, area="Computer vision", keyword="graphs")
    assert found == ["Vision graphs"]
    _, found = titles(client, world, area="Computer vision", q="diffusion")
    assert found == ["Vision diffusion"]
    html, _ = titles(client, world, area="Computer vision", sort="title")
    assert html.index("Vision diffusion") < html.index("Vision graphs")
    html, found = titles(client, world, area="Theory", keyword="diffusion")
    assert found == [] and "No paper matches your search." in html


def test_each_card_names_its_area_with_a_link_that_filters(client, world):
    client.force_login(world.reviewer)
    html, _ = titles(client, world, keyword="graphs")
    assert 'href="?keyword=graphs&amp;area=Theory">Theory</a>' in html


def test_a_venue_without_areas_shows_no_area_filter(client):
    world = bid_world(papers=1)
    client.force_login(world.reviewer)
    html = client.get(reverse("reviews:bids", args=[world.venue.slug])).content.decode()
    assert "Subject area" not in html and "Any area" not in html


def test_coverage_counts_the_papers_short_of_positive_bids_per_area(client, world):
    vision = world.papers[0]
    for _ in range(2):
        bid_set(submission=vision, reviewer=world.add_reviewer(), value=BidValue.VERY_HIGH)
    assert coverage_by_area(venue=world.venue, viewer=world.chief) == [
        AreaCoverage("Computer vision", 2, 1),
        AreaCoverage("Theory", 1, 1),
    ]
    client.force_login(world.chief)
    html = client.get(reverse("journal:dashboard-bids", args=[world.venue.slug])).content.decode()
    assert '<th scope="row">Computer vision</th><td>2</td><td>1</td>' in html
    assert '<th scope="row">Theory</th><td>1</td><td>1</td>' in html
    assert '<span class="muted subject-area">Theory</span>' in html


def test_coverage_per_area_costs_one_query_whatever_the_papers(
    world, django_assert_num_queries
):
    coverage_by_area(venue=world.venue, viewer=world.chief)  # the viewer's recusals, cached
    with django_assert_num_queries(1):
        coverage_by_area(venue=world.venue, viewer=world.chief)
    for n in range(10):
        world.add_paper(f"More theory {n}", subject_area="Theory")
    coverage_by_area(venue=world.venue, viewer=world.chief)
    with django_assert_num_queries(1):
        rows = coverage_by_area(venue=world.venue, viewer=world.chief)
    assert rows[1] == AreaCoverage("Theory", 11, 11)
