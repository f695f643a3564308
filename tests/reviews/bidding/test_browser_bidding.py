"""A reviewer bids from the bidding page in a real browser, with the keyboard only."""

import pytest
from playwright.sync_api import expect

from reviews.models import Bid, BidValue
from tests.browser.fixtures import login, screenshot
from tests.reviews.bidding.world import bid_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def tab_to(page, selector: str, *, limit: int = 80) -> None:
    """Press Tab until the focused element matches `selector`."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"document.activeElement.matches({selector!r})"):
            return
    raise AssertionError(f"Tab never reached {selector}")


def test_reviewer_bids_with_the_keyboard_only(page, live_server):
    world = bid_world(papers=3, min_bids=2)
    best, second, third = world.papers[2], world.papers[1], world.papers[0]
    login(page, live_server, world.reviewer)
    page.goto(f"/venues/{world.venue.slug}/bids/")
    expect(page.locator("#bid-counter")).to_contain_text("You have bid on 0 papers")

    # The best match comes first; Tab lands on its bid (neutral), the left arrow picks "high".
    tab_to(page, f"#paper-{best.number} input[type=radio]")
    page.keyboard.press("ArrowLeft")
    status = page.locator(f"#paper-{best.number} .bid-status")
    expect(status).to_have_text("Saved: high.")
    # A number key on the same paper: 1 is "very high".
    page.keyboard.press("1")
    expect(status).to_have_text("Saved: very high.")
    expect(page.locator(f"#bid-{best.number}-very_high")).to_be_focused()

    # On to the next paper: Tab leaves the group, the next group takes the focus; 5 is very low,
    # then the arrows and Enter choose "low" and submit it.
    tab_to(page, f"#paper-{second.number} input[type=radio]")
    page.keyboard.press("5")
    expect(page.locator(f"#paper-{second.number} .bid-status")).to_have_text("Saved: very low.")
    page.keyboard.press("ArrowUp")
    page.keyboard.press("Enter")
    expect(page.locator(f"#paper-{second.number} .bid-status")).to_have_text("Saved: low.")
    expect(page.locator("#bid-counter")).to_contain_text("You have bid on 2 papers")
    expect(page.locator("#bid-counter")).to_contain_text("Thank you")

    # The third paper: 6 declares a conflict.
    tab_to(page, f"#paper-{third.number} input[type=radio]")
    page.keyboard.press("6")
    expect(page.locator(f"#paper-{third.number} .bid-status")).to_have_text("Saved: conflict.")
    expect(page.locator(f"#bid-{third.number}-conflict")).to_be_focused()
    screenshot(page, "bidding-keyboard")

    bids = dict(Bid.objects.filter(reviewer=world.reviewer).values_list("submission_id", "value"))
    assert bids == {
        best.pk: BidValue.VERY_HIGH,
        second.pk: BidValue.LOW,
        third.pk: BidValue.CONFLICT,
    }
    page.reload()
    expect(page.locator(f"#bid-{best.number}-very_high")).to_be_checked()
    expect(page.locator(f"#bid-{third.number}-conflict")).to_be_checked()
