"""The review-form builder and the review page's list of problems, in a real browser.

A chair copies a shipped form and publishes it; once a round uses it, adding a weighted
criterion makes version 2, which the chair previews (with each aspect's share) and publishes.
A reviewer who submits with several required answers empty sees every one of them listed at
once, linked to its field. Screenshots go to artifacts/screenshots/.
"""

import pytest
from playwright.sync_api import expect

from reviews.models import ReviewForm
from reviews.services.rounds import round_open
from tests.browser.fixtures import login, screenshot
from tests.reviews.workflow.world import invite_all, make_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_chair_copies_a_form_adds_a_weighted_criterion_previews_and_publishes(page, live_server):
    world = make_world()
    login(page, live_server, world.chief)
    page.goto(f"/venues/{world.venue.slug}/dashboard/")
    page.get_by_role("link", name="Review forms").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Review forms")
    new = page.locator("#new-form")
    new.get_by_label("Name").fill("Conference 2027 review")
    new.get_by_label("Start from").select_option(label="Peerless balanced (shipped)")
    new.get_by_role("button", name="Create the form").click()
    expect(page.locator(".messages")).to_contain_text(
        "Conference 2027 review v1 is created, a copy of Peerless balanced v1"
    )
    page.get_by_role("button", name="Publish v1: new rounds use it").click()
    expect(page.locator(".messages")).to_contain_text("v1 is published: new rounds use it")

    form = ReviewForm.objects.get(venue=world.venue)
    round_open(submission=world.submission, actor=world.editor)
    page.reload()
    note = page.locator("#edit-note")
    expect(note).to_have_text(
        "v1 is in use by round 1 (1 paper); your edits make v2, a draft, and leave it as it is."
    )

    add = page.locator("#add-question")
    add.get_by_label("Label").fill("Originality of the hypothesis")
    add.get_by_label("Kind").select_option("score")
    add.get_by_label("Help text").fill("Is the central hypothesis new and worth testing?")
    add.get_by_label("Options").fill(
        "1 = Derivative\n2 = Incremental\n3 = Original\n4 = Very original"
    )
    add.get_by_label("Weight").fill("2")
    add.get_by_label("Judges").select_option("ideas")
    add.get_by_role("button", name="Add the question").click()
    expect(page.locator(".messages")).to_contain_text(
        "v1 is in use, so it was left as it is: your edit made v2, a draft."
    )
    question = page.locator("#q-originality_of_the_hypothesis")
    expect(question).to_contain_text("Originality of the hypothesis")
    expect(question).to_contain_text("weight 2 · judges ideas (originality, hypothesis)")
    expect(page.locator(".form-versions")).to_contain_text("in use by round 1 (1 paper)")
    expect(page.locator(".form-versions")).to_contain_text("v2")
    screenshot(page, "form-builder-new-version")

    page.get_by_role("link", name="Preview v2").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Preview: Conference 2027 review v2")
    preview = page.locator("#preview")
    criterion = preview.locator("#field-originality_of_the_hypothesis")
    expect(criterion).to_contain_text("Originality of the hypothesis")
    expect(criterion).to_contain_text("4 — Very original")
    expect(criterion).to_contain_text("Weight 2 in the overall score.")
    shares = page.locator(".form-shares")
    expect(shares.locator("tr", has_text="Originality of the hypothesis")).to_contain_text("17%")
    expect(shares).to_contain_text("Ideas 50%")
    screenshot(page, "form-builder-preview")

    page.get_by_role("link", name="Back to the form").click()
    page.get_by_role("button", name="Publish v2: new rounds use it").click()
    expect(page.locator(".messages")).to_contain_text(
        "Conference 2027 review v2 is published: new rounds use it; running rounds keep theirs."
    )
    expect(page.locator(".form-versions tr.current")).to_contain_text("v2")
    screenshot(page, "form-builder-published")
    world.venue.refresh_from_db()
    assert world.venue.review_form.version == 2
    assert world.submission.review_rounds.get().form == form


def test_reviewer_sees_every_missing_field_at_once(page, live_server):
    world = make_world()
    invite_all(world)
    review = world.reviewers[0].reviews.get()
    login(page, live_server, world.reviewers[0])
    page.goto(f"/reviewing/reviews/{review.pk}/")
    page.locator("#id_summary").fill("Sparsity helps on SCAN; the COGS result is thin.")
    page.locator("#field-originality").get_by_label("4 — Very good").check()
    page.get_by_role("button", name="Submit the review").click()
    problems = page.locator("#problems")
    expect(problems).to_contain_text("The review has")
    items = problems.locator("li")
    for text in [
        "Answer “Quality of the hypothesis”.",
        "Answer “Strengths”.",
        "Answer “Weaknesses”.",
        "Answer “Recommendation”.",
        "Assess the claim “SCAN · accuracy” before submitting",
    ]:
        expect(items.filter(has_text=text)).to_have_count(1)
    expect(items.filter(has_text="Answer “Originality”.")).to_have_count(0)
    count = items.count()
    assert count >= 10
    expect(problems.locator("strong")).to_have_text(
        f"The review has {count} problems; each is listed below and beside its field."
    )
    # beside each field too, and every answer typed is kept
    expect(page.locator("#field-weaknesses .errorlist")).to_have_text("Answer “Weaknesses”.")
    expect(page.locator("#id_summary")).to_have_value(
        "Sparsity helps on SCAN; the COGS result is thin."
    )
    expect(page.locator("#field-originality").get_by_label("4 — Very good")).to_be_checked()
    screenshot(page, "form-builder-review-all-missing")
    items.filter(has_text="Answer “Weaknesses”.").get_by_role("link").click()
    assert page.evaluate("location.hash") == "#field-weaknesses"
    review.refresh_from_db()
    assert review.state == "draft"
