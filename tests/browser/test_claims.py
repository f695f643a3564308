"""Claims in a real browser: the author enters a claim with runs and spread and reads "within
noise"; the reviewer gives each claim a verdict; the action editor reads the verdicts beside
the claims. Screenshots go to artifacts/screenshots/."""

import pytest
from playwright.sync_api import expect

from journal.demo.workflow import drive_to_state
from journal.enums import SubmissionState
from journal.models import Submission
from reviews.models import Review
from reviews.services.invitations import invitation_accept, invitation_create
from reviews.services.reviews import review_save_draft
from tests.browser.fixtures import login, screenshot
from tests.reviews.workflow.world import balanced_answers, make_world

S = SubmissionState
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_claim_with_runs_and_spread_from_author_to_reviewer_to_editor(page, live_server, browser):
    world = make_world(n_reviewers=1, state=S.SUBMITTED)
    venue, reviewer = world.venue, world.reviewers[0]

    # The author enters a paper whose claim gains 1.4 points with a spread of 2.0 over 5 runs.
    login(page, live_server, world.author)
    page.goto(f"/venues/{venue.slug}/submit/")
    page.get_by_label("Title", exact=True).fill("Noise-aware sparse attention")
    page.get_by_label("Abstract", exact=True).fill("We test sparse attention with five seeds.")
    page.get_by_label("Keywords").fill("attention, seeds")
    page.get_by_label("Central hypothesis: what is claimed").fill("Sparsity costs nothing.")
    page.locator("#id_claims-0-dataset").fill("Long Range Arena")
    page.locator("#id_claims-0-metric").fill("accuracy")
    page.locator("#id_claims-0-value").fill("61.2")
    page.locator("#id_claims-0-runs").fill("5")
    page.locator("#id_claims-0-spread").fill("2.0")
    page.locator("#id_claims-0-best_prior_value").fill("59.8")
    page.locator("#id_claims-0-baseline_source").select_option("rerun")
    page.locator("#id_claims-0-code_url").fill("https://code.example.org/lra")
    page.get_by_role("button", name="Save draft").click()
    gain = page.locator("#claims-rows td.claim-gain").first
    expect(gain).to_contain_text("+1.4")
    expect(gain).to_contain_text("within noise")
    screenshot(page, "claims-author-within-noise")
    paper = Submission.objects.get(title="Noise-aware sparse attention")
    claim = paper.benchmark_claims.get()
    assert (claim.runs, claim.spread, claim.within_noise) == (5, 2.0, True)

    # The paper goes to review; the reviewer has a draft of the answers and adds the verdicts.
    drive_to_state(
        paper, S.UNDER_REVIEW, author=world.author, editor=world.editor, chief=world.chief
    )
    invitation = invitation_create(submission=paper, reviewer=reviewer, invited_by=world.editor)
    invitation_accept(invitation=invitation, actor=reviewer)
    review = Review.objects.get(invitation=invitation)
    review_save_draft(review=review, actor=reviewer, raw=balanced_answers())
    reviewer_tab = browser.new_context(base_url=live_server.url).new_page()
    login(reviewer_tab, live_server, reviewer)
    reviewer_tab.goto(f"/reviewing/reviews/{review.pk}/")
    claims_box = reviewer_tab.locator("section", has_text="Benchmark claims").first
    expect(claims_box).to_contain_text("61.2 ± 2.0")
    expect(claims_box).to_contain_text("within noise")
    reviewer_tab.get_by_role("button", name="Submit the review").click()
    expect(reviewer_tab.locator(".message.error").first).to_contain_text(
        "Assess the claim “Long Range Arena · accuracy” before submitting"
    )
    verdict = reviewer_tab.locator(f"#assess-claim-{claim.pk}")
    verdict.get_by_label("Partly supported").check()
    verdict.get_by_label("Why (for “Long Range Arena · accuracy”)").fill(
        "The gain is inside one standard deviation."
    )
    hypothesis = reviewer_tab.locator("#hypothesis-assessment")
    hypothesis.locator("fieldset", has_text="stated clearly").get_by_label("Yes").check()
    hypothesis.locator("fieldset", has_text="falsifiable").get_by_label("Yes").check()
    hypothesis.locator("fieldset", has_text="experiments test").get_by_label("Partly").check()
    screenshot(reviewer_tab, "claims-reviewer-verdicts")
    reviewer_tab.get_by_role("button", name="Submit the review").click()
    expect(reviewer_tab.locator(".message.success").first).to_contain_text("submitted")
    review.refresh_from_db()
    assert review.state == "submitted"
    assert review.claim_assessments.get().verdict == "partly"

    # The action editor reads the verdict beside the claim.
    editor_tab = browser.new_context(base_url=live_server.url).new_page()
    login(editor_tab, live_server, world.editor)
    editor_tab.goto(f"/venues/{venue.slug}/dashboard/papers/{paper.number}/")
    shown = editor_tab.locator(".claim-assessments-shown")
    expect(shown).to_contain_text("Long Range Arena · accuracy")
    expect(shown).to_contain_text("Partly supported")
    expect(shown).to_contain_text("The gain is inside one standard deviation.")
    expect(shown).to_contain_text("within noise")
    shown.scroll_into_view_if_needed()
    screenshot(editor_tab, "claims-editor-verdicts-beside-claims")
