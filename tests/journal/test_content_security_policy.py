"""Hardening: every page is served under a Content-Security-Policy, and still works under it.

The browser tests load the pages that run scripts (math typesetting, the discussion's reply
link, the review form's htmx, the API reference) and fail on any policy violation Chromium
reports.
"""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from journal.models import Submission
from reviews.enums import CommentAudience
from reviews.models import Review
from reviews.services.discussion import comment_post
from tests.api.support import make_world
from tests.browser.fixtures import login, screenshot


def test_hardening_csp_header_on_pages(client, db):
    response = client.get(reverse("journal:home"))
    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy
    assert "'unsafe-inline'" not in policy.split("script-src", 1)[1].split(";", 1)[0]
    assert "object-src 'none'" in policy
    assert "frame-ancestors 'none'" in policy


def test_hardening_no_inline_event_handlers_in_templates():
    """Inline handlers would need 'unsafe-inline' for scripts; behaviour lives in portal.js."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "templates"
    offenders = [
        str(path.relative_to(root))
        for path in root.rglob("*.html")
        for attribute in ("onclick=", "onchange=", "onsubmit=", "onload=", "oninput=")
        if attribute in path.read_text(encoding="utf-8")
    ]
    assert offenders == []


def _violations(page) -> list[str]:
    found: list[str] = []
    page.on(
        "console",
        lambda message: found.append(message.text)
        if "Content Security Policy" in message.text
        else None,
    )
    return found


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_hardening_csp_pages_work_without_violations(page, live_server):
    world = make_world()
    submission: Submission = world.submission
    review = Review.objects.get(submission=submission, reviewer=world.reviewer)
    violations = _violations(page)
    login(page, live_server, world.reviewer)

    page.goto(f"/submissions/{submission.pk}/")
    expect(page.locator(".math[data-typeset] .katex").first).to_be_visible()
    screenshot(page, "csp-paper-page-math")

    page.goto(reverse("reviews:review-edit", args=[review.pk]))
    expect(page.get_by_role("heading").first).to_be_visible()

    comment_post(
        submission=submission,
        author=world.reviewer,
        body="A question on the second ablation.",
        audience=CommentAudience.EDITORS,
    )
    page.goto(reverse("reviews:discussion", args=[submission.pk]))
    page.get_by_role("link", name="Reply").first.click()
    expect(page.locator("#replying")).to_contain_text("Replying to this comment by")

    page.goto("/api/v1/docs/")
    expect(page.locator(".swagger-ui .info .title").first).to_contain_text("Peerless")
    screenshot(page, "csp-api-docs")
    assert violations == []
