"""The dashboard in a real browser: invite from suggestions, run the matching and follow its
progress bar, decide and approve. Screenshots go to artifacts/screenshots/."""

import pytest
from playwright.sync_api import expect

from journal.enums import RoleKind, SubmissionState
from journal.models import Submission
from reviews.models import AssignmentRun, ReviewInvitation, RunStatus
from reviews.services.publications import publication_add
from tests.browser.fixtures import PHONE, login, screenshot
from tests.factories import ConferenceFactory, VenueRoleFactory
from tests.journal.dashboard.conftest import World

S = SubmissionState
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_action_editor_invites_reviewers_from_suggestions(page, live_server, world):
    submission = world.paper(
        S.UNDER_REVIEW, title="Sparse attention for long documents", abstract="Sparse attention."
    )
    expert = VenueRoleFactory(venue=world.venue, role=RoleKind.REVIEWER).user
    publication_add(user=expert, title="Sparse attention at scale", abstract="Long, sparse.")
    publication_add(user=world.reviewer, title="Protein folding", abstract="Proteins fold.")
    login(page, live_server, world.editor)
    page.goto("/dashboard/")
    page.get_by_role("link", name=world.venue.name, exact=True).click()
    expect(page.get_by_role("heading", name="Needs you now")).to_be_visible()
    queue = page.locator("section.queue", has_text="Short of reviewers")
    queue.get_by_role("link", name=submission.title).click()
    page.get_by_role("link", name="Invite reviewers from suggestions").click()
    expect(page.get_by_role("heading", name="Suggested reviewers")).to_be_visible()
    expect(page.locator("table.suggestions tbody tr").first).to_contain_text(expert.display_name)
    screenshot(page, "dashboard-suggestions")
    page.get_by_role("button", name=f"Invite {expert.display_name}").click()
    expect(page.locator(".message.success")).to_contain_text("has been invited")
    assert ReviewInvitation.objects.filter(submission=submission, reviewer=expert).exists()
    expect(page.locator("table.suggestions")).not_to_contain_text(expert.display_name)


def test_decision_is_made_and_approved(page, live_server, world):
    submission = world.paper(S.DECISION_PENDING, title="Calibrated uncertainty for free")
    login(page, live_server, world.editor)
    page.goto(f"/venues/{world.venue.slug}/dashboard/")
    queue = page.locator("section.queue", has_text="Ready for a decision")
    queue.get_by_role("link", name=submission.title).click()
    page.get_by_role("link", name="Decision", exact=True).click()
    page.get_by_label("Accept as is").check()
    page.locator("input[name=claims_supported][value=yes]").check()
    page.locator("input[name=audience_interested][value=yes]").check()
    page.get_by_label("Comment to the authors").fill("Clear evidence; a useful result.")
    page.get_by_role("button", name="Submit for the editor-in-chief's approval").click()
    expect(page.locator(".message.success")).to_contain_text("awaits")

    page.context.clear_cookies()
    login(page, live_server, world.chief)
    page.goto(f"/venues/{world.venue.slug}/dashboard/")
    queue = page.locator("section.queue", has_text="Decisions awaiting approval")
    expect(queue).to_contain_text(submission.title)
    screenshot(page, "dashboard-overview")
    queue.get_by_role("link", name=submission.title).click()
    screenshot(page, "dashboard-paper")
    page.get_by_role("link", name="Decision", exact=True).click()
    page.get_by_label("Approve and publish").check()
    page.get_by_role("button", name="Confirm").click()
    expect(page.locator(".message.success").first).to_contain_text("published")
    screenshot(page, "dashboard-decision-approved")
    submission.refresh_from_db()
    assert submission.state == S.ACCEPTED


@pytest.mark.worker
def test_chair_runs_matching_and_watches_the_progress_bar(
    page,
    live_server,
    celery_worker,
):
    venue = ConferenceFactory(name="Conference on Careful Learning", reviewers_per_paper=2)
    people = {
        name: VenueRoleFactory(venue=venue, role=role).user
        for name, role in [
            ("chief", RoleKind.CHIEF),
            ("editor", RoleKind.ACTION_EDITOR),
            ("other_editor", RoleKind.ACTION_EDITOR),
            ("reviewer", RoleKind.REVIEWER),
        ]
    }
    world = World(venue=venue, author=VenueRoleFactory(venue=venue).user, **people)
    for title, words in [
        ("Sparse attention for long documents", "attention transformers sparse"),
        ("Graph neural networks oversmooth", "graph message passing"),
        ("Diffusion models sample faster", "diffusion sampling steps"),
    ]:
        world.paper(S.SUBMITTED, title=title, abstract=f"We study {words}.")
        for j in range(2):
            reviewer = VenueRoleFactory(venue=venue, role=RoleKind.REVIEWER).user
            publication_add(user=reviewer, title=f"{title} ({j})", abstract=f"On {words}.")
    login(page, live_server, world.chief)
    page.goto(f"/venues/{venue.slug}/dashboard/")
    page.get_by_role("link", name="Matching").click()
    page.get_by_role("button", name="Compute affinities").click()
    expect(page.get_by_text("scores for 3 papers")).to_be_visible(timeout=60_000)
    page.get_by_label("Reviewers per paper").fill("2")
    page.get_by_label("Most papers per reviewer").fill("2")
    page.get_by_role("button", name="Run the matching").click()
    expect(page.get_by_role("heading", name="Matching run")).to_be_visible()
    if page.locator("progress").count():  # still running: the bar follows it to the end
        screenshot(page, "dashboard-matching-progress")
    expect(page.get_by_role("heading", name="Quality of the proposal")).to_be_visible(
        timeout=60_000
    )
    run = AssignmentRun.objects.get(venue=venue)
    assert run.status == RunStatus.PROPOSED and run.progress == 100
    expect(page.locator("svg.chart")).to_have_count(2)
    screenshot(page, "dashboard-matching-proposal")
    page.get_by_role("button", name="Deploy: send the invitations").click()
    expect(page.locator("li.message.success")).to_contain_text("6 invitation(s) sent")
    assert ReviewInvitation.objects.filter(submission__in=Submission.objects.all()).count() == 6


def test_submissions_table_on_a_phone(page, live_server, world):
    world.paper(S.UNDER_REVIEW, title="Message passing on graphs", keywords=("graphs",))
    world.paper(S.SUBMITTED, title="Faster diffusion sampling", keywords=("diffusion",))
    page.set_viewport_size(PHONE)
    login(page, live_server, world.chief)
    page.goto(f"/venues/{world.venue.slug}/dashboard/")
    page.get_by_role("link", name="Submissions", exact=True).click()
    page.get_by_label("Search").fill("diffusion")
    page.get_by_label("Search").press("Enter")
    rows = page.locator("table.submissions-table tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Faster diffusion sampling")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"]
    screenshot(page, "dashboard-table-phone")
