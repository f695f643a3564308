"""E-mail preferences in a real browser: choose on the profile, unsubscribe from a message."""

import re

import pytest
from django.core import mail
from django.db import transaction
from playwright.sync_api import expect

from journal.enums import EmailStatus
from journal.models import OutboundEmail
from journal.selectors.email_preferences import email_preferences_for
from journal.services.email import email_queue
from tests.browser.fixtures import login, screenshot
from tests.factories import UserFactory, VenueFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_reviewer_chooses_digests_and_unsubscribes_with_one_click(page, live_server, browser):
    reviewer = UserFactory(display_name="Rita Reviewer", email="rita@uni.example.edu")
    login(page, live_server, reviewer)
    page.goto("/profile/#email-preferences")
    section = page.locator("#email-preferences")
    expect(section.get_by_role("heading", name="E-mail")).to_be_visible()
    expect(section.get_by_label("Discussion: At once")).to_be_checked()
    expect(section.get_by_text("Receipts, reviews and decisions of your papers")).to_be_visible()
    expect(section.get_by_text("Always sent at once")).to_have_count(5)
    section.get_by_label("Discussion: In a daily digest").check()
    section.get_by_label("Reminders: Never").check()
    section.get_by_role("button", name="Save e-mail preferences").click()
    expect(page.get_by_text("E-mail preferences saved.")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/profile/#email-preferences$"))
    expect(page.get_by_label("Discussion: In a daily digest")).to_be_checked()
    expect(page.get_by_label("Reminders: Never")).to_be_checked()
    page.locator("#email-preferences").scroll_into_view_if_needed()
    screenshot(page, "email-preferences-profile")
    assert email_preferences_for(user=reviewer) == {
        "discussion": "digest",
        "reminders": "off",
        "status": "immediate",
    }

    # A status e-mail goes out at once, with its one-click link; a reader opens it signed out.
    mail.outbox.clear()
    with transaction.atomic():
        email = email_queue(
            to=reviewer.email,
            recipient=reviewer,
            template="journal/emails/published",
            context={"name": "Rita", "submission": {"title": "Sparse", "get_absolute_url": "/"}},
            venue=VenueFactory(name="Transactions on Careful Learning"),
        )
    email.refresh_from_db()
    assert email.status == EmailStatus.SENT
    (message,) = mail.outbox
    link = re.search(r"(http://\S+/email/unsubscribe/\S+/)", message.body).group(1)
    path = link.split("127.0.0.1:8000", 1)[1]
    signed_out = browser.new_context(base_url=live_server.url).new_page()
    signed_out.goto(path)
    expect(signed_out.get_by_role("heading", name="Stop these e-mails?")).to_be_visible()
    expect(
        signed_out.get_by_text("Stop sending status changes e-mails to r•••@uni.example.edu.")
    ).to_be_visible()
    screenshot(signed_out, "email-unsubscribe-confirm")
    signed_out.get_by_role("button", name="Unsubscribe").click()
    expect(signed_out.get_by_role("heading", name="Unsubscribed")).to_be_visible()
    expect(signed_out.get_by_text("no longer gets status changes e-mails")).to_be_visible()
    screenshot(signed_out, "email-unsubscribe-done")
    assert email_preferences_for(user=reviewer)["status"] == "off"

    # A link cut short says so, changes nothing, and offers to sign in.
    signed_out.goto(path[:-6] + "/")
    expect(signed_out.get_by_role("heading", name="This link does not work")).to_be_visible()
    expect(signed_out.get_by_role("link", name="Sign in to manage your e-mail")).to_be_visible()
    screenshot(signed_out, "email-unsubscribe-refused")
    signed_out.context.close()
    assert OutboundEmail.objects.count() == 1
