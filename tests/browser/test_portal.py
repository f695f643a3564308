"""The authors' portal in a real browser: sign up, submit, fix a wrong file, revise, withdraw."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from journal.demo.pdf import make_pdf
from journal.demo.workflow import drive_to_state
from journal.enums import RoleKind, SubmissionState
from journal.models import Submission
from journal.services.submissions import AuthorInput, submission_create
from tests.browser.fixtures import PHONE, login, screenshot
from tests.factories import ConferenceFactory, UserFactory, VenueFactory, VenueRoleFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def venue():
    venue = VenueFactory(name="Transactions on Careful Learning", max_pdf_mb=1, page_limit=20)
    VenueRoleFactory(venue=venue, role=RoleKind.CHIEF)
    return venue


@pytest.fixture
def author():
    user = UserFactory(display_name="Grace Hopper", email="grace@navy.example.mil")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


@pytest.fixture
def files(tmp_path):
    paper = tmp_path / "paper.pdf"
    paper.write_bytes(make_pdf([["Anonymous submission", "Abstract"], ["Page 2"]]))
    notes = tmp_path / "notes.docx"
    notes.write_bytes(b"PK\x03\x04 this is a word document")
    big = tmp_path / "big.pdf"
    big.write_bytes(make_pdf([["Big"]]) + b"%" + b"x" * (1536 * 1024) + b"\n")
    return {"paper": str(paper), "notes": str(notes), "big": str(big)}


def fill_paper(page, title="Sparse attention is enough"):
    page.get_by_label("Title", exact=True).fill(title)
    page.get_by_label("Abstract", exact=True).fill(
        "We show **sparse** attention keeps $O(n)$ cost."
    )
    page.get_by_label("Keywords").fill("attention, efficiency")
    page.get_by_label("Central hypothesis: what is claimed").fill(
        "Sparse attention matches dense attention at a tenth of the compute."
    )
    page.get_by_label("What would refute it").fill("A long-range task where sparse loses.")
    page.locator("#id_claims-0-dataset").fill("Long Range Arena")
    page.locator("#id_claims-0-metric").fill("accuracy")
    page.locator("#id_claims-0-value").fill("61.2")
    page.locator("#id_claims-0-best_prior_value").fill("59.8")


def test_sign_up_and_confirm(page, live_server):
    mail.outbox.clear()
    page.goto("/accounts/signup/")
    screenshot(page, "signup")
    page.get_by_label("Email").fill("ada@example.edu")
    page.get_by_label("Password", exact=True).fill("a-long-and-unusual-pass")
    page.get_by_label("Password (again)").fill("a-long-and-unusual-pass")
    page.get_by_label("Full name").fill("Ada Lovelace")
    page.get_by_role("button", name="Sign up").click()
    expect(page.get_by_role("heading", name="Check your e-mail")).to_be_visible()
    link = re.search(r"https?://\S+", mail.outbox[-1].body).group(0)
    page.goto(link)
    screenshot(page, "confirm-email")
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("heading", name="My submissions")).to_be_visible()
    expect(page.locator(".nav-user")).to_contain_text("Ada Lovelace")


def test_login_by_keyboard(page, live_server, author):
    from tests.factories import PASSWORD

    page.goto("/accounts/login/")
    page.get_by_label("Email").focus()
    page.keyboard.type(author.email)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="My submissions")).to_be_visible()


def test_submit_with_pdf_and_see_it_listed(page, live_server, venue, author, files):
    login(page, live_server, author)
    page.goto(f"/venues/{venue.slug}/submit/")
    fill_paper(page)
    expect(page.locator("#abstract-preview strong")).to_have_text("sparse")
    expect(page.locator("#abstract-preview .math .katex")).to_be_visible()  # typeset math
    page.get_by_role("button", name="Add an author").click()
    page.locator("#id_authors-1-name").fill("Alan Turing")
    page.locator("#id_authors-1-email").fill("alan@example.org")
    page.get_by_label("Paper (PDF)").set_input_files(files["paper"])
    screenshot(page, "submit-form")
    page.get_by_role("button", name="Submit paper").dblclick()
    expect(page.locator(".messages")).to_contain_text("Submitted to")
    expect(page.get_by_role("heading", name="Sparse attention is enough")).to_be_visible()
    screenshot(page, "submission-page")
    assert Submission.objects.count() == 1
    assert Submission.objects.get().state == SubmissionState.SUBMITTED
    page.get_by_role("link", name="My submissions").click()
    expect(page.locator(".submission-item")).to_contain_text("Sparse attention is enough")
    expect(page.locator(".submission-item")).to_contain_text("Submitted")
    screenshot(page, "my-submissions")


def test_wrong_files_are_refused_with_the_message_shown(page, live_server, venue, author, files):
    login(page, live_server, author)
    page.goto(f"/venues/{venue.slug}/submit/")
    fill_paper(page, title="Kept after a wrong file")
    page.get_by_label("Paper (PDF)").set_input_files(files["notes"])
    page.get_by_role("button", name="Save draft").click()
    error = page.locator("#id_pdf_error")
    expect(error).to_contain_text("This file is not a PDF")
    expect(page.get_by_label("Title", exact=True)).to_have_value("Kept after a wrong file")
    expect(page.locator("#id_claims-0-dataset")).to_have_value("Long Range Arena")
    screenshot(page, "submit-wrong-file")
    page.get_by_label("Paper (PDF)").set_input_files(files["big"])
    page.get_by_role("button", name="Save draft").click()
    expect(page.locator("#id_pdf_error")).to_contain_text("accepts at most 1 MB")
    assert not Submission.objects.exists()


def at_state(venue, author, state, title="Learning to wait"):
    chief = venue.roles.get(role=RoleKind.CHIEF).user
    submission = submission_create(
        venue=venue,
        creator=author,
        title=title,
        abstract="An abstract with $x$.",
        hypothesis_claim="Waiting helps.",
        authors=[AuthorInput(name=author.display_name, email=author.email)],
    )
    return drive_to_state(submission, state, author=author, editor=chief, chief=chief)


def test_revise_then_withdraw(page, live_server, venue, author, files):
    submission = at_state(venue, author, SubmissionState.REVISION_REQUESTED)
    login(page, live_server, author)
    page.goto(submission.get_absolute_url())
    page.get_by_role("link", name="Revise and resubmit").click()
    page.get_by_label("Title", exact=True).fill("Learning to wait patiently")
    page.get_by_label("Revised paper (PDF)").set_input_files(files["paper"])
    page.get_by_label("What changed").fill("Added the ablation the reviewers asked for.")
    screenshot(page, "revise-form")
    page.get_by_role("button", name="Upload and resubmit").click()
    expect(page.locator(".messages")).to_contain_text("Revision uploaded and resubmitted")
    expect(page.get_by_role("heading", name="Version 2")).to_be_visible()
    page.get_by_text("Details changed since version 1").click()
    expect(page.locator("details.diff ins")).to_contain_text("patiently")
    screenshot(page, "submission-revised")
    page.get_by_role("link", name="Withdraw").click()
    page.get_by_role("button", name="Withdraw the paper").click()
    expect(page.locator("#id_confirm_error")).to_be_visible()
    page.get_by_label("Yes, withdraw this paper.").check()
    page.get_by_role("button", name="Withdraw the paper").click()
    expect(page.locator(".badge")).to_have_text("Withdrawn")
    submission.refresh_from_db()
    assert submission.state == SubmissionState.WITHDRAWN


def test_deadline_in_the_readers_zone(page, live_server, author):
    deadline = timezone.now().replace(microsecond=0) + timezone.timedelta(days=3)
    conference = ConferenceFactory(submission_deadline=deadline, timezone="America/Los_Angeles")
    login(page, live_server, author)
    page.goto(f"/venues/{conference.slug}/submit/")
    expect(page.locator(".deadline")).to_contain_text("AoE")
    expect(page.locator(".local-time")).to_contain_text(re.compile(r"CES?T|GMT\+[12]"))


def test_forms_are_labelled_and_fit_a_phone(page, live_server, venue, author):
    submission = at_state(venue, author, SubmissionState.UNDER_REVIEW)
    login(page, live_server, author)
    page.set_viewport_size(PHONE)
    page.goto(f"/venues/{venue.slug}/submit/")
    unlabelled = page.evaluate(
        """() => [...document.querySelectorAll('form input, form select, form textarea')]
            .filter(el => el.type !== 'hidden' && !el.closest('template'))
            .filter(el => !(el.labels && el.labels.length) && !el.getAttribute('aria-label'))
            .map(el => el.name)"""
    )
    assert unlabelled == []
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(page, "phone-submit-form")
    screenshot(page, "phone-submit-form-top", full_page=False)
    page.goto(submission.get_absolute_url())
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(page, "phone-submission-page")
    page.goto("/submissions/")
    screenshot(page, "phone-my-submissions")
    for path in (f"/submissions/{submission.pk}/revise/", "/profile/", "/accounts/login/"):
        page.goto(path)
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], path


def test_profile_import_and_public_paper(page, live_server, venue, author, tmp_path):
    bib = tmp_path / "mine.bib"
    bib.write_text("@article{a, title={Compiling Routines}, year=1952, journal={ACM}}\n")
    login(page, live_server, author)
    page.goto("/profile/")
    page.get_by_label("ORCID iD").fill("0000-0002-1825-0097")
    page.get_by_role("button", name="Save profile").click()
    expect(page.locator(".messages")).to_contain_text("Profile saved")
    page.get_by_label("Format").select_option("bibtex")
    page.get_by_label("File to import").set_input_files(str(bib))
    page.get_by_role("button", name="Import", exact=True).click()
    expect(page.locator(".publication-list")).to_contain_text("Compiling Routines")
    screenshot(page, "profile")
    paper = at_state(venue, author, SubmissionState.PUBLISHED, title="Published and public")
    page.context.clear_cookies()
    page.goto(f"/venues/{venue.slug}/papers/{paper.number}/")
    expect(page.get_by_role("heading", name="Published and public")).to_be_visible()
    expect(page.get_by_role("link", name="Read the PDF")).to_be_visible()
    screenshot(page, "public-paper")


def test_author_rows_are_added_by_keyboard(page, live_server, venue, author):
    login(page, live_server, author)
    page.goto(f"/venues/{venue.slug}/submit/")
    rows = page.locator("#authors-rows tr")
    before = rows.count()
    page.get_by_role("button", name="Add an author").focus()
    page.keyboard.press("Enter")
    expect(rows).to_have_count(before + 1)
    focused = page.evaluate("document.activeElement.id")
    assert focused == f"id_authors-{before}-ORDER"
    assert page.locator("#id_authors-TOTAL_FORMS").input_value() == str(before + 1)
