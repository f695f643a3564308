"""Subject areas on the editors' tables: the submissions table and the decision table filter
by area, and both CSV exports carry it."""

import csv
import io

import pytest
from django.urls import reverse

from journal.enums import SubmissionState
from journal.selectors.decision_table import TableQuery, decision_table_page
from journal.services.venues import venue_update
from tests.journal.decision_table.world import make_conf

pytestmark = pytest.mark.django_db
S = SubmissionState
AREAS = ["Computer vision", "Theory"]


def read_csv(response) -> list[dict]:
    body = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(body)))


@pytest.fixture
def areas_world(world):
    venue_update(venue=world.venue, actor=world.chief, subject_areas=AREAS)
    world.venue.refresh_from_db()
    world.paper(title="Seeing in the dark", subject_area="Computer vision")
    world.paper(title="Bounds on attention", subject_area="Theory")
    world.paper(title="Bounds on vision", subject_area="Theory")
    return world


def table_url(world, name="dashboard-submissions"):
    return reverse(f"journal:{name}", kwargs={"slug": world.venue.slug})


def test_submissions_table_filters_by_area_with_the_search(client, areas_world):
    client.force_login(areas_world.chief)
    html = client.get(table_url(areas_world), {"area": "Theory"}).content.decode()
    assert "Bounds on attention" in html and "Bounds on vision" in html
    assert "Seeing in the dark" not in html
    assert '<span class="subject-area">Theory</span>' in html
    assert '<option value="Theory" selected>Theory</option>' in html
    html = client.get(table_url(areas_world), {"area": "Theory", "q": "vision"}).content.decode()
    assert "Bounds on vision" in html and "Bounds on attention" not in html


def test_submissions_table_refuses_an_unknown_area_without_a_500(client, areas_world):
    client.force_login(areas_world.chief)
    response = client.get(table_url(areas_world), {"area": "Robotics"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()


def test_submissions_table_query_count_does_not_grow_with_an_area_filter(
    client, areas_world, django_assert_max_num_queries
):
    client.force_login(areas_world.chief)
    client.get(table_url(areas_world), {"area": "Theory"})
    with django_assert_max_num_queries(40) as few:
        client.get(table_url(areas_world), {"area": "Theory"})
    for n in range(6):
        areas_world.paper(title=f"More theory {n}", subject_area="Theory")
    with django_assert_max_num_queries(len(few)):
        html = client.get(table_url(areas_world), {"area": "Theory"}).content.decode()
    assert "8 papers" in html


def test_submissions_csv_has_the_area_column(client, areas_world):
    client.force_login(areas_world.chief)
    rows = read_csv(client.get(table_url(areas_world, "dashboard-submissions-csv")))
    assert {r["title"]: r["subject_area"] for r in rows} == {
        "Seeing in the dark": "Computer vision",
        "Bounds on attention": "Theory",
        "Bounds on vision": "Theory",
    }
    rows = read_csv(
        client.get(table_url(areas_world, "dashboard-submissions-csv"), {"area": "Computer vision"})
    )
    assert [r["title"] for r in rows] == ["Seeing in the dark"]


def test_a_venue_without_areas_has_no_area_filter(client, world):
    world.paper(title="Plain paper")
    client.force_login(world.chief)
    html = client.get(table_url(world)).content.decode()
    assert "Plain paper" in html and "Any area" not in html


# The decision table ------------------------------------------------------------------------


@pytest.fixture
def conf():
    c = make_conf(reviewers_per_paper=2)
    venue_update(venue=c.venue, actor=c.chief, subject_areas=AREAS)
    c.venue.refresh_from_db()
    c.paper("Vision paper", subject_area="Computer vision")
    c.paper("Theory paper", keywords=("bounds",), subject_area="Theory")
    c.paper("Theory twin", subject_area="Theory")
    return c


def test_decision_table_filters_by_area_with_keyword_and_search(conf):
    page = decision_table_page(venue=conf.venue, user=conf.chief, query=TableQuery(area="Theory"))
    assert sorted(row.title for row in page.rows) == ["Theory paper", "Theory twin"]
    page = decision_table_page(
        venue=conf.venue, user=conf.chief, query=TableQuery(area="Theory", keyword="bounds")
    )
    assert [row.title for row in page.rows] == ["Theory paper"]
    page = decision_table_page(
        venue=conf.venue, user=conf.chief, query=TableQuery(area="Theory", q="twin")
    )
    assert [row.title for row in page.rows] == ["Theory twin"]


def test_decision_table_page_offers_the_areas_and_the_csv_has_them(client, conf):
    client.force_login(conf.chief)
    url = reverse("journal:dashboard-decisions", kwargs={"slug": conf.venue.slug})
    html = client.get(url, {"area": "Computer vision"}).content.decode()
    assert '<option value="Computer vision" selected>Computer vision</option>' in html
    assert "Vision paper" in html and "Theory twin" not in html
    assert "1 paper" in html
    csv_url = reverse("journal:dashboard-decisions-csv", kwargs={"slug": conf.venue.slug})
    rows = read_csv(client.get(csv_url, {"area": "Theory", "sort": "number"}))
    assert [(r["title"], r["subject_area"]) for r in rows] == [
        ("Theory paper", "Theory"),
        ("Theory twin", "Theory"),
    ]
    everything = read_csv(client.get(csv_url))
    assert len(everything) == 4
    assert {r["subject_area"] for r in everything} == {"", "Computer vision", "Theory"}


def test_decision_table_query_count_does_not_grow_with_an_area_filter(
    client, conf, django_assert_max_num_queries
):
    client.force_login(conf.chief)
    url = reverse("journal:dashboard-decisions", kwargs={"slug": conf.venue.slug})
    client.get(url, {"area": "Theory"})
    with django_assert_max_num_queries(40) as few:
        client.get(url, {"area": "Theory"})
    for n in range(4):
        conf.paper(f"More theory {n}", subject_area="Theory")
    with django_assert_max_num_queries(len(few)):
        html = client.get(url, {"area": "Theory"}).content.decode()
    assert "6 papers" in html
