"""Ideas or numbers in a real browser: the chair goes from analytics to the venue report and
reads its charts and caveat; the settings page shows each criterion's share. Screenshots go to
artifacts/screenshots/."""

import pytest
from playwright.sync_api import expect

from reviews.services.forms import review_form_latest
from tests.browser.fixtures import login, screenshot
from tests.journal.analytics.synthetic import idea_driven_venue
from tests.journal.dashboard.conftest import world  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_chair_reads_the_venue_report_with_its_charts(page, live_server, world):  # noqa: F811
    idea_driven_venue(world, papers=12)
    login(page, live_server, world.chief)
    page.goto(f"/venues/{world.venue.slug}/dashboard/analytics/")
    expect(page.locator("#ideas-or-numbers")).to_have_text(
        "Does this venue reward ideas or numbers?"
    )
    page.get_by_role("link", name="The venue report").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("reward ideas or numbers?")
    expect(page.locator(".caveat")).to_contain_text("Descriptive, not causal.")
    chart = page.locator("svg", has=page.locator("title", has_text="on the decision")).first
    expect(chart).to_be_visible()
    expect(chart).to_contain_text("Originality")
    first_bar_label = chart.locator("text").first
    expect(first_bar_label).to_have_text("Originality")  # ranked first: decisions follow it
    table = page.locator(".influence-table")
    expect(table).to_contain_text("Ideas (originality, hypothesis)")
    expect(page.locator(".ideas-table")).to_contain_text("Ideas above median, gain below")
    screenshot(page, "ideas-venue-report")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download CSV").click()
    assert download.value.suggested_filename == f"{world.venue.slug}-report.csv"


def test_chair_sees_the_criterion_shares_before_the_rounds_open(
    page, live_server, world  # noqa: F811
):
    world.venue.review_form = review_form_latest(slug="neurips-style")
    world.venue.save(update_fields=["review_form"])
    login(page, live_server, world.chief)
    page.goto(f"/venues/{world.venue.slug}/dashboard/settings/")
    shares = page.locator("#form-shares")
    expect(shares).to_contain_text("In use: NeurIPS-style: share of the overall score")
    expect(shares.locator(".message.warning").first).to_contain_text(
        "the numbers count for more than the ideas"
    )
    shares.scroll_into_view_if_needed()
    screenshot(page, "ideas-form-shares")
