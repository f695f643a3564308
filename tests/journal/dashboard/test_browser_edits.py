"""In a real browser: edit a matching proposal by hand, remind a reviewer, reword an e-mail.
Screenshots go to artifacts/screenshots/."""

import pytest
from playwright.sync_api import expect

from journal.enums import RoleKind, SubmissionState
from journal.models import OutboundEmail, VenueEmailTemplate
from reviews.models import AssignmentRun, RunStatus
from reviews.services.affinity import affinities_compute
from reviews.services.matching import assignment_run_create
from reviews.services.publications import publication_add
from tests.browser.fixtures import PHONE, login, screenshot
from tests.factories import VenueRoleFactory
from tests.journal.dashboard.conftest import add_review

S = SubmissionState
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_chief_edits_a_proposal_by_hand(page, live_server, world):
    for title, words in [
        ("Sparse attention for long documents", "attention transformers sparse"),
        ("Graph neural networks oversmooth", "graph message passing"),
    ]:
        world.paper(S.SUBMITTED, title=title, abstract=f"We study {words}.")
        for j in range(2):
            reviewer = VenueRoleFactory(venue=world.venue, role=RoleKind.REVIEWER).user
            publication_add(user=reviewer, title=f"{title} ({j})", abstract=f"On {words}.")
    affinities_compute(venue=world.venue)
    run = assignment_run_create(venue=world.venue, actor=world.chief, per_paper=2, max_load=2)
    run.refresh_from_db()
    assert run.status == RunStatus.PROPOSED, run.message
    paper = world.venue.submissions.order_by("number").first()
    login(page, live_server, world.chief)
    page.goto(f"/venues/{world.venue.slug}/dashboard/matching/runs/{run.pk}/")
    page.get_by_label("Paper number").fill(str(paper.number))
    page.get_by_role("button", name="Show its reviewers").click()
    removed = run.pairs.filter(submission=paper).select_related("reviewer").first().reviewer
    page.get_by_role(
        "button", name=f"Remove {removed.display_name} from paper #{paper.number}"
    ).click()
    expect(page.locator(".message.success").first).to_contain_text("Removed")
    expect(page.locator(".message.warning").first).to_contain_text("1 of the 2")
    page.get_by_role("button", name=f"Add {removed.display_name} to paper #{paper.number}").click()
    expect(page.locator(".message.success").first).to_contain_text("Added")
    expect(page.get_by_role("heading", name="Edit the proposal by hand")).to_be_visible()
    screenshot(page, "dashboard-matching-proposal-edited")
    assert AssignmentRun.objects.get(pk=run.pk).pairs.filter(reviewer=removed).exists()


def test_editor_reminds_a_reviewer_on_a_phone(page, live_server, world):
    submission = world.paper(S.UNDER_REVIEW, title="Calibrated uncertainty for free")
    invitation = add_review(world, submission, submit=False)
    page.set_viewport_size(PHONE)
    login(page, live_server, world.editor)
    page.goto(f"/venues/{world.venue.slug}/dashboard/papers/{submission.number}/")
    remind = page.get_by_role(
        "button", name=f"Send a reminder to {invitation.reviewer.display_name}"
    )
    remind.click()
    expect(page.locator(".message.success").first).to_contain_text("Reminder queued")
    screenshot(page, "dashboard-paper-reminder")
    assert OutboundEmail.objects.filter(
        recipient=invitation.reviewer, template="reviews/emails/reminder_invitation"
    ).exists()
    remind.click()
    expect(page.get_by_text("less than an hour ago")).to_be_visible()


def test_chief_rewords_the_decision_email(page, live_server, world):
    login(page, live_server, world.chief)
    page.goto(f"/venues/{world.venue.slug}/dashboard/settings/")
    page.get_by_role("link", name="e-mails page").click()
    page.get_by_role("link", name="Decision to the authors").click()
    page.get_by_label("Subject").fill("[{{ venue_name }}] Our decision on #{{ paper_number }}")
    page.get_by_role("button", name="Preview").click()
    expect(page.locator(".email-preview")).to_contain_text("Our decision on #42")
    page.get_by_label("Body").fill("Dear {{ name }},\n{% if note %}{{ note }}")
    page.get_by_role("button", name="Save this wording").click()
    expect(page.locator(".errorlist").first).to_contain_text("cannot be used")
    screenshot(page, "dashboard-email-template-error")
    page.get_by_label("Body").fill("Dear {{ name }},\n\n{{ note }}\n")
    page.get_by_role("button", name="Save this wording").click()
    expect(page.locator(".message.success").first).to_contain_text("saved")
    assert VenueEmailTemplate.objects.filter(venue=world.venue).count() == 1
