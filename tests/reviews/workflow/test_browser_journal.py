"""In a real browser, a TMLR paper from the chief's choice of action editor to its public page:
the chief assigns an AE from the suggestions (seeing load and why), the AE sends the paper to
review and invites reviewers, writes the meta-review and recommends, the chief approves, and
the published paper's public page shows the anonymous reviews. Screenshots go to
artifacts/screenshots/."""

import pytest
from playwright.sync_api import expect

from journal.demo.workflow import drive_to_state
from journal.enums import ReviewPublication, SubmissionState
from reviews.models import ReviewInvitation
from reviews.services.invitations import invitation_accept
from reviews.services.publications import publication_add
from tests.browser.fixtures import login, screenshot
from tests.reviews.workflow.world import make_world, submit_review

S = SubmissionState
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_chief_to_public_page_through_the_action_editor(page, live_server, browser):
    world = make_world(state=S.SUBMITTED, review_publication=ReviewPublication.ACCEPTED)
    publication_add(
        user=world.editor,
        title="Sparse attention and compositional generalisation",
        abstract="We study whether sparse attention learns compositional rules.",
    )
    venue, number = world.venue, world.submission.number
    paper_url = f"/venues/{venue.slug}/dashboard/papers/{number}/"

    # The chief assigns the action editor from the ranked suggestions.
    login(page, live_server, world.chief)
    page.goto(paper_url)
    row = page.locator("#editor-suggestions tr", has_text="Edgar Actioneditor")
    expect(row).to_contain_text("shares:")
    expect(row).to_contain_text("available")
    screenshot(page, "journal-ae-suggestions")
    row.get_by_role("button", name="Assign").click()
    expect(page.locator(".message.success").first).to_be_visible()
    world.submission.refresh_from_db()
    assert world.submission.action_editor_id == world.editor.pk

    # The action editor sends it to review and invites the reviewers.
    editor_tab = browser.new_context(base_url=live_server.url).new_page()
    login(editor_tab, live_server, world.editor)
    editor_tab.goto(paper_url)
    editor_tab.get_by_role("button", name="Send to review").click()
    for reviewer in world.reviewers:
        editor_tab.goto(f"/submissions/{world.submission.pk}/reviews/invite/")
        editor_tab.get_by_label("Reviewer", exact=True).select_option(str(reviewer.pk))
        editor_tab.get_by_role("button", name="Send the invitation").click()
    assert ReviewInvitation.objects.filter(submission=world.submission).count() == 3
    for i, reviewer in enumerate(world.reviewers):
        invitation = ReviewInvitation.objects.get(submission=world.submission, reviewer=reviewer)
        invitation_accept(invitation=invitation, actor=reviewer)
        submit_review(world, reviewer, strengths=f"A falsifiable hypothesis, tested well ({i}).")

    # With every review in, the round is released; the AE writes the meta-review and
    # recommends acceptance to the chief.
    editor_tab.goto(f"/submissions/{world.submission.pk}/reviews/")
    expect(editor_tab.locator("h2#round-1")).to_contain_text("released")
    editor_tab.get_by_label("Accept", exact=True).check()
    editor_tab.get_by_label("Meta-review").fill("The reviewers agree: a clear, well-tested idea.")
    editor_tab.get_by_role("button", name="Save the meta-review").click()
    screenshot(editor_tab, "journal-ae-reviews")
    editor_tab.goto(f"/submissions/{world.submission.pk}/decision/")
    editor_tab.get_by_label("Accept as is").check()
    editor_tab.locator("input[name=claims_supported][value=yes]").check()
    editor_tab.locator("input[name=audience_interested][value=yes]").check()
    editor_tab.get_by_label("Comment to the authors").fill("Clear hypothesis, convincing tests.")
    editor_tab.get_by_role("button", name="Submit for the editor-in-chief's approval").click()
    expect(editor_tab.get_by_text("Awaiting")).to_be_visible()

    # The chief approves; the paper is published.
    page.goto(f"/submissions/{world.submission.pk}/decision/")
    page.get_by_label("Approve and publish").check()
    page.locator("form", has_text="Approve and publish").get_by_label("Featured").check()
    screenshot(page, "journal-chief-approval")
    page.get_by_role("button", name="Confirm").click()
    expect(page.locator("div.message.success", has_text="Published")).to_contain_text(
        "Accept as is"
    )
    world.submission.refresh_from_db()
    assert world.submission.state == S.ACCEPTED
    drive_to_state(
        world.submission, S.PUBLISHED, author=world.author, editor=world.editor, chief=world.chief
    )

    # Anyone reads the reviews on the public page, without the reviewers' names.
    reader = browser.new_context(base_url=live_server.url).new_page()
    reader.goto(f"/venues/{venue.slug}/papers/{number}/")
    expect(reader.locator("#reviews")).to_contain_text("A falsifiable hypothesis, tested well")
    expect(reader.locator("#reviews")).to_contain_text("Reviewer 1")
    expect(reader.locator("#reviews")).to_contain_text("Decision: Accept as is")
    expect(reader.locator("#reviews .decision")).to_contain_text("Featured")
    expect(reader.locator("#reviews")).to_contain_text("a clear, well-tested idea")
    body = reader.content()
    for reviewer in world.reviewers:
        assert reviewer.display_name not in body
    assert "Edgar Actioneditor" not in body
    screenshot(reader, "journal-public-reviews")
