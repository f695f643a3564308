"""A reviewer narrows the bidding page to one subject area in a real browser, then bids."""

import pytest
from playwright.sync_api import expect

from journal.services.venues import venue_update
from reviews.models import Bid, BidValue
from tests.browser.fixtures import login
from tests.reviews.bidding.world import bid_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_reviewer_filters_by_area_and_keyword_then_bids(page, live_server):
    world = bid_world(papers=0)
    venue_update(venue=world.venue, actor=world.chief, subject_areas=["Vision", "Theory"])
    world.venue.refresh_from_db()
    world.add_paper("Seeing graphs", keywords=["graphs"], subject_area="Vision")
    world.add_paper("Seeing clouds", keywords=["clouds"], subject_area="Vision")
    theory = world.add_paper("Bounding graphs", keywords=["graphs"], subject_area="Theory")
    login(page, live_server, world.reviewer)
    page.goto(f"/venues/{world.venue.slug}/bids/")
    expect(page.locator(".bid-paper")).to_have_count(3)

    page.get_by_label("Subject area").select_option("Theory")
    page.get_by_role("button", name="Search").click()
    expect(page.locator(".bid-paper")).to_have_count(1)
    expect(page.locator(".bid-title")).to_contain_text("Bounding graphs")
    expect(page.get_by_label("Subject area")).to_have_value("Theory")

    # Back to any area, by keyword; the card's area link keeps the keyword and sets the area.
    page.get_by_label("Subject area").select_option("")
    page.get_by_label("Keyword").fill("graphs")
    page.get_by_role("button", name="Search").click()
    expect(page.locator(".bid-paper")).to_have_count(2)
    page.locator(f"#paper-{theory.number} a.bid-area").click()
    expect(page.locator(".bid-paper")).to_have_count(1)
    expect(page.get_by_label("Keyword")).to_have_value("graphs")

    # A number key on the card (here on its area link) still bids.
    page.locator(f"#paper-{theory.number} a.bid-area").focus()
    page.keyboard.press("1")
    expect(page.locator(f"#paper-{theory.number} .bid-status")).to_have_text("Saved: very high.")
    assert Bid.objects.get(reviewer=world.reviewer).value == BidValue.VERY_HIGH
