"""In a real browser: a reviewer types Markdown with math into a review's text area and sees
the live preview typeset; timestamps are written in the reader's zone with the zone named."""

import re

import pytest
from playwright.sync_api import expect

from journal.enums import SubmissionState
from reviews.models import Review
from tests.browser.fixtures import login, screenshot
from tests.reviews.workflow.world import invite_all, make_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_review_text_has_a_live_preview_with_typeset_math(page, live_server):
    world = make_world(state=SubmissionState.UNDER_REVIEW)
    invite_all(world)
    reviewer = world.reviewers[0]
    review = Review.objects.get(submission=world.submission, reviewer=reviewer)
    login(page, live_server, reviewer)
    page.goto(f"/reviewing/reviews/{review.pk}/")

    strengths = page.get_by_label("Strengths", exact=False).first
    strengths.fill("")
    strengths.press_sequentially(
        "The bound **holds** for $\\mathcal{O}(n \\log n)$ tokens:\n\n"
        "$$\\sum_{i=1}^{n} x_i^2$$\n\n- clear\n- *falsifiable*",
        delay=5,
    )
    preview = page.locator(f"#{strengths.get_attribute('id')}-preview")
    expect(preview.locator("strong")).to_have_text("holds")
    expect(preview.locator("em")).to_have_text("falsifiable")
    expect(preview.locator("li")).to_have_count(2)
    expect(preview.locator(".math .katex").first).to_be_visible()
    expect(preview.locator(".math.display .katex-display")).to_be_visible()
    assert "\\mathcal" not in preview.locator(".math").first.inner_text()
    preview.scroll_into_view_if_needed()
    screenshot(page, "rich-text-review-live-preview", full_page=False)

    # Raw HTML typed into the text area is shown as text, never run.
    strengths.fill("")
    strengths.press_sequentially("<img src=x onerror=alert(1)> fine", delay=2)
    expect(preview).to_contain_text("<img src=x onerror=alert(1)> fine")
    expect(preview.locator("img")).to_have_count(0)


def test_timestamps_are_shown_in_the_profile_zone_with_its_name(page, live_server):
    world = make_world(state=SubmissionState.UNDER_REVIEW)
    invite_all(world)
    reviewer = world.reviewers[0]
    reviewer.time_zone = "Asia/Tokyo"
    reviewer.save(update_fields=["time_zone"])
    review = Review.objects.get(submission=world.submission, reviewer=reviewer)
    login(page, live_server, reviewer)
    page.goto(f"/reviewing/reviews/{review.pk}/")
    due = page.locator("time").first
    expect(due).to_contain_text("JST")
    expect(due).to_have_attribute("datetime", re.compile(r"\+00:00$"))
    screenshot(page, "rich-text-due-in-tokyo-time", full_page=False)

    page.goto("/profile/")
    section = page.locator("section", has=page.locator("#time-zone-heading"))
    expect(section).to_contain_text("Asia/Tokyo")
    section.get_by_label("Show times in").select_option("America/New_York")
    section.get_by_role("button", name="Save time zone").click()
    expect(page.locator(".message.success").first).to_contain_text("America/New_York")
    page.goto(f"/reviewing/reviews/{review.pk}/")
    expect(page.locator("time").first).to_contain_text(re.compile(r"E[SD]T"))


def test_without_a_profile_zone_the_browser_zone_is_used(page, live_server):
    world = make_world(state=SubmissionState.UNDER_REVIEW)
    invite_all(world)
    reviewer = world.reviewers[1]
    review = Review.objects.get(submission=world.submission, reviewer=reviewer)
    login(page, live_server, reviewer)
    page.goto(f"/reviewing/reviews/{review.pk}/")
    # The first page arrives in UTC; the browser (Berlin) writes it in its own zone at once
    # and tells the server, which writes every later page in that zone.
    expect(page.locator("time").first).to_contain_text(re.compile(r"CES?T|GMT\+[12]"))
    assert any(
        c["name"] == "peerless_tz" and c["value"] == "Europe/Berlin" for c in page.context.cookies()
    )
    page.reload()
    expect(page.locator("html")).to_have_attribute("data-zone-source", "browser")
    expect(page.locator("time").first).to_contain_text(re.compile(r"CES?T"))
    screenshot(page, "rich-text-due-in-browser-zone", full_page=False)
