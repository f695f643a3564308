"""The reviewer's bidding page: what it lists, how bids are saved, and when it refuses."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from journal.enums import Anonymity, Phase
from journal.models import EditorConflict, EditorConflictScan, Venue, VenuePhase
from journal.services.screening import submission_screen_pass
from journal.services.venues import venue_update
from reviews.models import Bid, BidValue, MatchingSettings, ReviewerConflict
from reviews.services.bidding import bid_set
from tests.factories import UserFactory, VenueRoleFactory
from tests.reviews.bidding.world import bid_world

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def page_of(client, world, **params):
    return client.get(reverse("reviews:bids", args=[world.venue.slug]), params)


def checked_level(html: str, number: int) -> str | None:
    found = re.search(rf'id="bid-{number}-(\w+)" value="\w+" data-key="\d" checked', html)
    return found.group(1) if found else None


def test_reviewer_sees_every_paper_best_match_first_with_their_bids(client):
    world = bid_world(papers=3)
    best = world.papers[2]
    bid_set(submission=best, reviewer=world.reviewer, value=BidValue.VERY_HIGH)
    client.force_login(world.reviewer)
    response = page_of(client, world)
    assert response.status_code == 200
    html = response.content.decode()
    titles = re.findall(r'class="bid-title"[^>]*><span class="muted">#\d+</span> ([^<]+)<', html)
    assert titles == ["Paper number 2", "Paper number 1", "Paper number 0"]
    assert "Match 0.12" in html and "We study paper number 0 with care." in html
    assert checked_level(html, best.number) == "very_high"
    assert checked_level(html, world.papers[0].number) == "neutral"
    assert "You have bid on <strong>1</strong> paper;" in html
    assert "asks for at least <strong>2</strong>" in html


def test_authors_are_hidden_at_double_blind_venues_and_shown_elsewhere(client):
    blind = bid_world(papers=1)
    client.force_login(blind.reviewer)
    html = page_of(client, blind).content.decode()
    assert "Paper number 0" in html and "Author of Paper number 0" not in html
    single = bid_world(papers=1, anonymity=Anonymity.SINGLE_BLIND)
    client.force_login(single.reviewer)
    assert "Author of Paper number 0" in page_of(client, single).content.decode()


def test_own_and_conflicted_papers_are_not_listed(client):
    world = bid_world(papers=1)
    colleague = UserFactory(affiliation=world.reviewer.affiliation)
    world.add_paper("A colleague's paper", author=colleague)
    world.add_paper("My own paper", author=world.reviewer)
    declared = world.add_paper("Declared on the page")
    bid_set(submission=declared, reviewer=world.reviewer, value=BidValue.CONFLICT)
    client.force_login(world.reviewer)
    html = page_of(client, world).content.decode()
    assert "Paper number 0" in html
    assert "A colleague&#x27;s paper" not in html and "A colleague's paper" not in html
    assert "My own paper" not in html
    assert checked_level(html, declared.number) == "conflict"
    hidden = world.papers[1]
    url = reverse("reviews:bid", args=[world.venue.slug, hidden.number])
    assert client.post(url, {"value": "high"}).status_code == 404
    assert not Bid.objects.filter(submission=hidden).exists()


def test_a_bid_is_saved_by_one_htmx_post(client):
    world = bid_world(papers=2)
    paper = world.papers[0]
    client.force_login(world.reviewer)
    url = reverse("reviews:bid", args=[world.venue.slug, paper.number])
    response = client.post(url, {"value": "high"}, **HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Saved: high." in html
    assert 'id="bid-counter"' in html and 'hx-swap-oob="true"' in html
    assert "You have bid on <strong>1</strong> paper;" in html
    assert Bid.objects.get(submission=paper, reviewer=world.reviewer).value == BidValue.HIGH
    client.post(url, {"value": "neutral"}, **HTMX)
    assert not Bid.objects.exists()


def test_a_bid_is_saved_without_javascript_and_the_page_comes_back(client):
    world = bid_world(papers=1)
    paper = world.papers[0]
    client.force_login(world.reviewer)
    back = reverse("reviews:bids", args=[world.venue.slug]) + "?sort=title"
    url = reverse("reviews:bid", args=[world.venue.slug, paper.number])
    response = client.post(url, {"value": "very_low", "next": back}, follow=True)
    assert response.redirect_chain[-1][0] == back
    assert f"Your bid on #{paper.number} is saved: very low." in response.content.decode()
    assert checked_level(response.content.decode(), paper.number) == "very_low"
    outside = client.post(url, {"value": "low", "next": "https://evil.example.com/"})
    assert outside.url == reverse("reviews:bids", args=[world.venue.slug])


def test_closed_bidding_shows_bids_read_only_and_refuses_changes(client):
    world = bid_world(papers=1, open_bidding=False)
    paper = world.papers[0]
    Bid.objects.create(submission=paper, reviewer=world.reviewer, value=BidValue.LOW)
    client.force_login(world.reviewer)
    html = page_of(client, world).content.decode()
    assert "Bidding is closed at" in html
    assert '<fieldset class="bid-levels" disabled>' in html
    assert checked_level(html, paper.number) == "low"
    url = reverse("reviews:bid", args=[world.venue.slug, paper.number])
    refused = client.post(url, {"value": "very_high"})
    assert refused.status_code == 400
    assert "Bidding is closed at" in refused.content.decode()
    by_htmx = client.post(url, {"value": "conflict"}, **HTMX)
    assert by_htmx.status_code == 400 and "Bidding is closed" in by_htmx.content.decode()
    assert Bid.objects.get().value == BidValue.LOW
    assert not ReviewerConflict.objects.exists()


def test_bidding_follows_the_phase_at_a_conference_with_a_timeline(client):
    world = bid_world(papers=1, open_bidding=True)
    now = timezone.now()
    week = timezone.timedelta(days=7)
    VenuePhase.objects.create(
        venue=world.venue, phase=Phase.BIDDING, starts_at=now, ends_at=now + week
    )
    client.force_login(world.reviewer)
    url = reverse("reviews:bid", args=[world.venue.slug, world.papers[0].number])
    assert client.post(url, {"value": "high"}).status_code == 400
    Venue.objects.filter(pk=world.venue.pk).update(phase=Phase.BIDDING)
    MatchingSettings.objects.filter(venue=world.venue).update(bidding_open=False)
    # a conference on a timeline screens its papers first: an unscreened one takes no bids
    client.post(url, {"value": "high"})
    assert not Bid.objects.exists()
    submission_screen_pass(submission=world.papers[0], actor=world.chief)
    assert client.post(url, {"value": "high"}).status_code == 302
    assert Bid.objects.get().value == BidValue.HIGH


def test_people_who_do_not_review_there_get_a_page_that_says_why(client):
    world = bid_world(papers=1)
    client.force_login(UserFactory())
    response = page_of(client, world)
    assert response.status_code == 403
    assert f"Only reviewers of {world.venue.name} bid on its papers." in response.content.decode()
    url = reverse("reviews:bid", args=[world.venue.slug, world.papers[0].number])
    assert client.post(url, {"value": "high"}).status_code == 403
    assert not Bid.objects.exists()


def test_search_and_keyword_filter(client):
    world = bid_world(papers=0)
    world.add_paper("Message passing on graphs", keywords=["graphs"])
    world.add_paper("Denoising diffusion", keywords=["diffusion models"])
    client.force_login(world.reviewer)
    found = page_of(client, world, q="diffusion").content.decode()
    assert "Denoising diffusion" in found and "Message passing" not in found
    by_keyword = page_of(client, world, keyword="graphs").content.decode()
    assert "Message passing" in by_keyword and "Denoising diffusion" not in by_keyword
    by_keyword_word = page_of(client, world, q="diffusion models").content.decode()
    assert "Denoising diffusion" in by_keyword_word
    nothing = page_of(client, world, q="bandits").content.decode()
    assert "No paper matches your search." in nothing


@pytest.mark.parametrize("filtered", [False, True])
def test_the_page_costs_the_same_queries_for_5_and_40_papers(
    client, django_assert_max_num_queries, filtered
):
    world = bid_world(papers=0, anonymity=Anonymity.SINGLE_BLIND)
    venue_update(venue=world.venue, actor=world.chief, subject_areas=["Graphs", "Vision"])
    world.venue.refresh_from_db()
    for n in range(5):
        world.add_paper(f"Paper number {n}", affinity=0.1 + n / 100, subject_area="Graphs")
    world.add_paper("A vision paper", subject_area="Vision")
    bid_set(submission=world.papers[0], reviewer=world.reviewer, value=BidValue.HIGH)
    client.force_login(world.reviewer)
    params = {"area": "Graphs", "keyword": "graphs", "sort": "title"} if filtered else {}
    page_of(client, world, **params)  # warm the keyword cache
    with django_assert_max_num_queries(30) as few:
        assert page_of(client, world, **params).status_code == 200
        baseline = len(few)
    for n in range(35):
        world.add_paper(f"More paper {n}", affinity=0.5, subject_area="Graphs")
    bid_set(submission=world.papers[-1], reviewer=world.reviewer, value=BidValue.LOW)
    page_of(client, world, **params)
    with django_assert_max_num_queries(baseline):
        response = page_of(client, world, **params)
    body = response.content.decode()
    assert f"{40 if filtered else 41} papers · page 1 of 2" in body
    assert "Area: <a" in body and ">Graphs</a>" in body


def test_a_conflict_bid_keeps_the_stored_conflicts_true(client):
    world = bid_world(papers=2)
    paper = world.papers[0]
    client.force_login(world.reviewer)
    page_of(client, world)  # the reviewer's conflicts at the venue are now stored
    assert EditorConflictScan.objects.filter(user=world.reviewer, venue=world.venue).exists()
    url = reverse("reviews:bid", args=[world.venue.slug, paper.number])
    client.post(url, {"value": "conflict"}, **HTMX)
    stored = EditorConflict.objects.filter(user=world.reviewer, submission=paper)
    assert stored.exists()
    assert checked_level(page_of(client, world).content.decode(), paper.number) == "conflict"
    client.post(url, {"value": "high"}, **HTMX)
    assert not stored.exists() and not ReviewerConflict.objects.exists()
    assert Bid.objects.get().value == BidValue.HIGH


def test_the_reviewing_page_links_to_open_bidding(client):
    world = bid_world(papers=1)
    closed = bid_world(papers=0, open_bidding=False)
    VenueRoleFactory(venue=closed.venue, user=world.reviewer)
    client.force_login(world.reviewer)
    html = client.get(reverse("reviews:reviewing")).content.decode()
    assert f"Bid on the papers of {world.venue.name}" in html
    assert reverse("reviews:bids", args=[world.venue.slug]) in html
    assert f"Bid on the papers of {closed.venue.name}" not in html
