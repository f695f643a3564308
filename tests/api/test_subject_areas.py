"""Subject areas through the API: the venue's list (chiefs change it), each paper's area,
renames, and the area filters of bidding, bid coverage and the decision table."""

import pytest

from journal.models import AuditEvent, Submission, Venue
from journal.services.venues import venue_update
from reviews.models import BidValue
from reviews.services.bidding import bid_set
from tests.api.support import client_for, paper
from tests.factories import UserFactory
from tests.journal.decision_table.world import make_conf
from tests.reviews.bidding.world import bid_world

pytestmark = pytest.mark.django_db
AREAS = ["Computer vision", "Theory"]


def settings_url(venue):
    return f"/api/v1/venues/{venue.slug}/settings/"


def test_chief_sets_the_areas_and_the_venue_resource_lists_them(world):
    chief = client_for(world.chief)
    response = chief.patch(settings_url(world.venue), {"subject_areas": AREAS}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["subject_areas"] == AREAS
    assert AuditEvent.objects.filter(venue=world.venue, action="venue.updated").exists()
    public = client_for().get(f"/api/v1/venues/{world.venue.slug}/").json()
    assert public["subject_areas"] == AREAS


def test_settings_refuse_bad_lists_and_non_chiefs_and_change_nothing(world):
    venue_update(venue=world.venue, actor=world.chief, subject_areas=AREAS)
    world.venue.refresh_from_db()
    paper(world.venue, world.author, title="Vision paper", subject_area="Computer vision")
    chief = client_for(world.chief)
    twice = chief.patch(
        settings_url(world.venue), {"subject_areas": ["Theory", "theory"]}, format="json"
    )
    assert twice.status_code == 400
    assert "“theory” is listed twice" in twice.content.decode()
    used = chief.patch(settings_url(world.venue), {"subject_areas": ["Theory"]}, format="json")
    assert used.status_code == 400
    assert "“Computer vision” is the subject area of 1 paper" in used.content.decode()
    editor = client_for(world.editor).patch(
        settings_url(world.venue), {"subject_areas": []}, format="json"
    )
    assert editor.status_code == 403
    assert Venue.objects.get(pk=world.venue.pk).subject_areas == AREAS


def test_rename_moves_the_papers_chiefs_only(world):
    venue_update(venue=world.venue, actor=world.chief, subject_areas=AREAS)
    world.venue.refresh_from_db()
    moving = paper(world.venue, world.author, title="Vision paper", subject_area="Computer vision")
    url = f"/api/v1/venues/{world.venue.slug}/subject-areas/rename/"
    refused = client_for(world.editor).post(url, {"old": "Theory", "new": "X"}, format="json")
    assert refused.status_code == 403
    unknown = client_for(world.chief).post(url, {"old": "Nope", "new": "X"}, format="json")
    assert unknown.status_code == 400
    assert "“Nope” is not a subject area" in unknown.content.decode()
    assert Venue.objects.get(pk=world.venue.pk).subject_areas == AREAS
    body = client_for(world.chief).post(
        url, {"old": "Computer vision", "new": "Vision"}, format="json"
    ).json()
    assert body == {"subject_areas": ["Vision", "Theory"], "moved": 1}
    moving.refresh_from_db()
    assert moving.subject_area == "Vision"


def test_submissions_are_created_updated_and_read_with_their_area(world):
    venue_update(venue=world.venue, actor=world.chief, subject_areas=AREAS)
    world.venue.refresh_from_db()
    author = client_for(world.author)
    data = {
        "venue": world.venue.slug,
        "title": "Equivariant networks",
        "abstract": "We study symmetry.",
        "hypothesis_claim": "Symmetry helps.",
    }
    missing = author.post("/api/v1/submissions/", data, format="json")
    assert missing.status_code == 400
    assert missing.json()["errors"]["subject_area"] == [
        "Choose the paper's subject area: one of Computer vision, Theory."
    ]
    wrong = author.post("/api/v1/submissions/", {**data, "subject_area": "Robotics"}, format="json")
    assert wrong.status_code == 400 and "not a subject area" in wrong.content.decode()
    count = Submission.objects.count()
    created = author.post("/api/v1/submissions/", {**data, "subject_area": "theory"}, format="json")
    assert created.status_code == 201, created.content
    assert created.json()["subject_area"] == "Theory"
    assert Submission.objects.count() == count + 1
    url = created.json()["url"]
    etag = author.get(url)["ETag"]
    changed = author.patch(
        url, {"subject_area": "Computer vision"}, format="json", HTTP_IF_MATCH=etag
    )
    assert changed.status_code == 200, changed.content
    assert changed.json()["subject_area"] == "Computer vision"


def test_submission_list_filters_by_area(world):
    venue_update(venue=world.venue, actor=world.chief, subject_areas=AREAS)
    world.venue.refresh_from_db()
    vision = paper(world.venue, world.author, title="Vision paper", subject_area="Computer vision")
    paper(world.venue, world.author, title="Theory paper", subject_area="Theory")
    rows = client_for(world.author).get(
        "/api/v1/submissions/", {"subject_area": "Computer vision"}
    ).json()["results"]
    assert [(r["id"], r["subject_area"]) for r in rows] == [(vision.pk, "Computer vision")]


# Bidding -----------------------------------------------------------------------------------


def test_bids_api_filters_by_area_and_keyword_and_refuses_an_unknown_area():
    world = bid_world(papers=0)
    venue_update(venue=world.venue, actor=world.chief, subject_areas=AREAS)
    world.venue.refresh_from_db()
    world.add_paper("Vision graphs", keywords=["graphs"], subject_area="Computer vision")
    world.add_paper("Vision diffusion", keywords=["diffusion"], subject_area="Computer vision")
    world.add_paper("Theory graphs", keywords=["graphs"], subject_area="Theory")
    client = client_for(world.reviewer)
    url = f"/api/v1/venues/{world.venue.slug}/bids/"
    body = client.get(url, {"area": "Computer vision", "sort": "title"}).json()
    assert [p["title"] for p in body["results"]] == ["Vision diffusion", "Vision graphs"]
    assert {p["subject_area"] for p in body["results"]} == {"Computer vision"}
    both = client.get(url, {"area": "Computer vision", "keyword": "graphs"}).json()
    assert [p["title"] for p in both["results"]] == ["Vision graphs"]
    searched = client.get(url, {"area": "Theory", "q": "graphs"}).json()
    assert [p["title"] for p in searched["results"]] == ["Theory graphs"]
    unknown = client.get(url, {"area": "Robotics"})
    assert unknown.status_code == 400
    assert "“Robotics” is not a subject area" in unknown.content.decode()


def test_coverage_api_counts_short_papers_per_area():
    world = bid_world(papers=0)
    venue_update(venue=world.venue, actor=world.chief, subject_areas=AREAS)
    world.venue.refresh_from_db()
    covered = world.add_paper("Vision one", subject_area="Computer vision")
    world.add_paper("Vision two", subject_area="Computer vision")
    world.add_paper("Theory one", subject_area="Theory")
    for _ in range(2):
        bid_set(submission=covered, reviewer=world.add_reviewer(), value=BidValue.HIGH)
    body = client_for(world.chief).get(f"/api/v1/venues/{world.venue.slug}/bid-coverage/").json()
    assert body["areas"] == [
        {"area": "Computer vision", "papers": 2, "papers_short": 1},
        {"area": "Theory", "papers": 1, "papers_short": 1},
    ]
    assert {(p["title"], p["subject_area"]) for p in body["short_papers"]} == {
        ("Vision two", "Computer vision"),
        ("Theory one", "Theory"),
    }
    refused = client_for(world.reviewer).get(f"/api/v1/venues/{world.venue.slug}/bid-coverage/")
    assert refused.status_code == 403


# The decision table ------------------------------------------------------------------------


def test_decision_table_api_filters_by_area():
    conf = make_conf(reviewers_per_paper=2)
    venue_update(venue=conf.venue, actor=conf.chief, subject_areas=AREAS)
    conf.venue.refresh_from_db()
    conf.paper("Vision paper", subject_area="Computer vision")
    conf.paper("Theory paper", subject_area="Theory")
    client = client_for(conf.chief)
    url = f"/api/v1/venues/{conf.venue.slug}/decision-table/"
    body = client.get(url, {"area": "Theory"}).json()
    assert [row["title"] for row in body["results"]] == ["Theory paper"]
    assert body["count"] == 1
    assert client.get(url).json()["count"] == 3
    outsider = client_for(UserFactory()).get(url, {"area": "Theory"})
    assert outsider.status_code == 403
