"""The decision table: the numbers of each column, sort, filters, recusal, query counts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from journal.demo.workflow import drive_to_state
from journal.enums import RoleKind
from journal.selectors.analytics import paper_calibration
from journal.selectors.decision_table import (
    TableQuery,
    decision_table_page,
    decision_table_rows,
)
from journal.services.submissions import AuthorInput, submission_create
from reviews.models import Review
from reviews.services.assessments import meta_review_save, recommendation_submit, review_flag
from tests.factories import UserFactory, VenueRoleFactory
from tests.journal.decision_table.world import make_conf

pytestmark = pytest.mark.django_db


def _rows(conf, user=None, **query):
    page = decision_table_page(venue=conf.venue, user=user or conf.chief, query=TableQuery(**query))
    return page, {row.number: row for row in page.rows}


@pytest.fixture
def conf():
    """Paper 1: ratings 3 and 5. Paper 2: 8 and 9, a meta-review. Paper 3: one review of 2."""
    c = make_conf(reviewers_per_paper=2)
    r1, r2, r3 = c.world.reviewers
    first = c.world.submission
    c.review(first, r1, 3, confidence=2)
    c.review(first, r2, 5, confidence=4)
    second = c.paper("Dense attention is enough", keywords=("attention",), gain=(0.5, 0.8))
    c.review(second, r1, 8)
    c.review(second, r3, 9)
    review_round = c.current_round(second)
    meta_review_save(
        review_round=review_round, editor=c.world.editor, text="Clear.", recommendation="accept"
    )
    recommendation_submit(review_round=review_round, reviewer=r1, recommendation="accept")
    recommendation_submit(review_round=review_round, reviewer=r3, recommendation="leaning_accept")
    third = c.paper("A third paper", keywords=("vision",))
    c.review(third, r2, 2)
    review_flag(
        review=Review.objects.get(submission=third, reviewer=r2),
        actor=c.world.editor,
        reason="It judges only the numbers.",
    )
    c.papers = [first, second, third]
    return c


def test_columns_show_the_numbers_of_a_hand_made_venue(conf):
    first, second, third = conf.papers
    page, rows = _rows(conf)
    assert page.total == 3
    one = rows[first.number]
    assert one.mean == pytest.approx(0.4) and one.spread == pytest.approx(0.2)
    assert one.confidence == pytest.approx(3.0)
    assert (one.submitted, one.required, one.complete) == (2, 2, True)
    assert one.gain == pytest.approx(0.01)
    two = rows[second.number]
    assert two.mean == pytest.approx(0.85) and two.spread == pytest.approx(0.1)
    assert two.meta_recommendation == "accept" and two.meta_label == "Accept"
    assert two.recommendations["accept"] == 1 and two.recommendations["leaning_accept"] == 1
    assert two.recommendation_mean == pytest.approx(3.5)
    assert two.gain == pytest.approx(-0.3)
    three = rows[third.number]
    assert (three.submitted, three.required, three.complete) == (1, 2, False)
    assert three.open_flags == 1 and three.spread == 0
    assert sum(page.histogram) == 3
    assert page.histogram[4] == 1 and page.histogram[8] == 1 and page.histogram[2] == 1


def test_calibrated_score_is_the_analytics_number(conf):
    _, rows = _rows(conf)
    for paper in conf.papers:
        expected = paper_calibration(submission=paper).calibrated
        assert rows[paper.number].calibrated == pytest.approx(expected)
    # Reviewer 1 rated 3 and 8, both below the other reviews: lenient-corrected upward.
    assert rows[conf.papers[0].number].calibrated != pytest.approx(0.4)


def test_sort_by_each_column(conf):
    first, second, third = conf.papers
    page, _ = _rows(conf, sort="-score")
    assert [r.number for r in page.rows] == [second.number, first.number, third.number]
    page, _ = _rows(conf, sort="spread")
    assert page.rows[0].number == third.number
    page, _ = _rows(conf, sort="-flags")
    assert page.rows[0].number == third.number
    page, _ = _rows(conf, sort="-gain")
    assert [r.number for r in page.rows][:2] == [first.number, second.number]
    for key in ("calibrated", "confidence", "completeness", "recommendation", "meta", "title"):
        for sort in (key, f"-{key}"):
            page, _ = _rows(conf, sort=sort)
            assert page.total == 3


def test_filters(conf):
    first, second, third = conf.papers
    _, rows = _rows(conf, completeness="incomplete")
    assert list(rows) == [third.number]
    _, rows = _rows(conf, completeness="complete")
    assert set(rows) == {first.number, second.number}
    _, rows = _rows(conf, recommendation="accept")
    assert list(rows) == [second.number]
    _, rows = _rows(conf, recommendation="none")
    assert set(rows) == {first.number, third.number}
    _, rows = _rows(conf, score_min=0.3, score_max=0.5)
    assert list(rows) == [first.number]
    _, rows = _rows(conf, keyword="attention")
    assert list(rows) == [second.number]
    _, rows = _rows(conf, states=("submitted",))
    assert rows == {}
    _, rows = _rows(conf, decision="undecided")
    assert len(rows) == 3


@pytest.mark.parametrize(
    "sort", ["-score", "score", "number", "-title", "state", "-spread", "spread"]
)
def test_pages_chosen_by_stored_columns_hold_the_numbers_of_the_whole_venue(conf, sort):
    """A page by a stored column computes only its rows: the same rows, in the same order,
    with the same numbers (calibration included) as the computation over every paper."""
    whole = list(
        decision_table_rows(venue=conf.venue, user=conf.chief, query=TableQuery(sort=sort))
    )
    paged = []
    for number in (1, 2, 3):
        page, _ = _rows(conf, sort=sort, page_size=1, page=number)
        assert page.total == 3
        paged += page.rows
    assert paged == whole
    page, _ = _rows(conf, sort=sort)
    expected = [0] * 10
    for row in whole:
        expected[min(int(row.mean * 10), 9)] += 1
    assert page.histogram == expected


def test_pages(conf):
    page, _ = _rows(conf, page_size=2, sort="number")
    assert page.total == 3 and page.pages == 2 and len(page.rows) == 2 and page.has_next
    page, _ = _rows(conf, page_size=2, page=2, sort="number")
    assert [r.number for r in page.rows] == [conf.papers[2].number]
    page, _ = _rows(conf, page_size=2, page=9)
    assert page.rows == [] and page.total == 3


def test_a_chief_recused_from_a_paper_never_sees_it(conf, client):
    other = VenueRoleFactory(
        venue=conf.venue, role=RoleKind.CHIEF, user=UserFactory(display_name="Otto Other")
    ).user
    own = submission_create(
        venue=conf.venue,
        creator=conf.world.author,
        title="Written by the other chair",
        abstract="A.",
        hypothesis_claim="C.",
        authors=[
            AuthorInput(name="Ada", email=conf.world.author.email, is_corresponding=True),
            AuthorInput(name="Otto Other", email=other.email),
        ],
    )
    drive_to_state(
        own, "under_review", author=conf.world.author, editor=conf.world.editor, chief=conf.chief
    )
    _, rows = _rows(conf, user=other)
    assert own.number not in rows and len(rows) == 3
    _, rows = _rows(conf)
    assert own.number in rows
    client.force_login(other)
    url = reverse("journal:dashboard-decisions", kwargs={"slug": conf.venue.slug})
    html = client.get(url).content.decode()
    assert "Written by the other chair" not in html and "Dense attention is enough" in html
    csv = b"".join(
        client.get(reverse("journal:dashboard-decisions-csv", kwargs={"slug": conf.venue.slug}))
    ).decode()
    assert "Written by the other chair" not in csv and "Dense attention is enough" in csv


def test_page_shows_the_columns_and_the_chart(conf, client):
    client.force_login(conf.chief)
    url = reverse("journal:dashboard-decisions", kwargs={"slug": conf.venue.slug})
    response = client.get(url, {"sort": "-score"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Dense attention is enough" in html and "0.85" in html and "0.40" in html
    assert "1 / 2" in html and "1 flag" in html and "Accept" in html
    assert "<svg" in html and "Score distribution" in html
    assert "Decide in bulk" in html
    overview = client.get(reverse("journal:venue-dashboard", kwargs={"slug": conf.venue.slug}))
    assert url in overview.content.decode()


def test_page_refuses_bad_filters_and_non_chiefs(conf, client):
    client.force_login(conf.chief)
    url = reverse("journal:dashboard-decisions", kwargs={"slug": conf.venue.slug})
    response = client.get(url, {"score_min": "2", "sort": "nonsense"})
    assert response.status_code == 400
    assert "less than or equal to 1" in response.content.decode()
    client.force_login(conf.world.editor)
    response = client.get(url)
    assert response.status_code == 403
    assert "Only the program chairs" in response.content.decode()


def test_csv_export(conf, client):
    client.force_login(conf.chief)
    url = reverse("journal:dashboard-decisions-csv", kwargs={"slug": conf.venue.slug})
    body = b"".join(client.get(url, {"sort": "-score"}).streaming_content).decode()
    lines = body.strip().splitlines()
    assert lines[0].startswith("number,title,state")
    assert len(lines) == 4
    assert "Dense attention is enough" in lines[1] and ",0.850," in lines[1]
    assert "accept=1; leaning_accept=1" in lines[1]
    filtered = b"".join(client.get(url, {"completeness": "incomplete"}).streaming_content)
    assert filtered.decode().count("\n") == 2


def _count_page(client, url):
    client.get(url)  # warm the cached keyword list
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_query_count_constant_in_the_number_of_papers(client, django_assert_max_num_queries):
    c = make_conf(reviewers_per_paper=2)
    r1, r2, _ = c.world.reviewers
    for i in range(4):
        paper = c.paper(f"Paper {i}")
        c.review(paper, r1, 4 + i)
    client.force_login(c.chief)
    url = reverse("journal:dashboard-decisions", kwargs={"slug": c.venue.slug})
    api = reverse("api:venue-decision-table", kwargs={"slug": c.venue.slug})
    small_page, small_api = _count_page(client, url), _count_page(client, api)
    for i in range(35):
        paper = c.paper(f"More {i}")
        if i % 3 == 0:
            c.review(paper, r2, 5)
    large_page, large_api = _count_page(client, url), _count_page(client, api)
    assert c.venue.submissions.count() == 40
    assert large_page == small_page and large_api == small_api
    with django_assert_max_num_queries(small_page):
        client.get(url + "?sort=-calibrated&completeness=incomplete")
