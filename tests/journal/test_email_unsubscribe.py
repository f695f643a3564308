"""One-click unsubscribe: signed links, the page without login, RFC 8058 headers."""

import re
import time
from datetime import timedelta

import pytest
from django.core import signing
from django.test import Client
from django.urls import reverse

from journal.enums import EmailDelivery, EmailStatus
from journal.models import EmailPreference, OutboundEmail
from journal.selectors.email_preferences import email_preferences_for
from journal.services.email import email_queue
from journal.services.email_digest import email_digests_send
from journal.services.email_preferences import email_preferences_set
from journal.services.email_unsubscribe import (
    SALT,
    UnsubscribeLinkError,
    unsubscribe_link_read,
    unsubscribe_token_make,
)
from tests.factories import UserFactory, VenueFactory

pytestmark = pytest.mark.django_db

PAPER = {"title": "Secret sparse attention", "number": 41, "get_absolute_url": "/p/41/"}


def url_of(token: str) -> str:
    return reverse("journal:email-unsubscribe", args=[token])


def sent(outbox, person, template, django_capture_on_commit_callbacks, **context):
    outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        email = email_queue(
            to=person.email,
            recipient=person,
            template=template,
            context={"name": "Ada", "note": "n", "submission": PAPER, **context},
            venue=VenueFactory(name="Venue of the paper"),
        )
    email.refresh_from_db()
    assert email.status == EmailStatus.SENT
    (message,) = outbox
    return email, message


# The signature


def test_a_valid_token_names_its_person_and_categories():
    person = UserFactory()
    token = unsubscribe_token_make(user_id=person.pk, categories=["status"])
    link = unsubscribe_link_read(token=token)
    assert (link.user, link.categories) == (person, ("status",))


def test_mandatory_categories_are_never_put_in_a_link():
    with pytest.raises(ValueError):
        unsubscribe_token_make(user_id=1, categories=["decisions"])
    token = unsubscribe_token_make(user_id=1, categories=["decisions", "reminders"])
    assert signing.TimestampSigner(salt=SALT).unsign_object(token)["c"] == ["reminders"]


def test_a_tampered_token_is_refused():
    person, other = UserFactory(), UserFactory()
    token = unsubscribe_token_make(user_id=person.pk, categories=["status"])
    payload, _, signature = token.rpartition(":")
    forged = signing.TimestampSigner(salt="another-salt").sign_object(
        {"u": other.pk, "c": ["status"]}
    )
    for bad in (token[:-2], token + "x", forged, f"{payload}:{signature[::-1]}", "garbage"):
        with pytest.raises(UnsubscribeLinkError) as caught:
            unsubscribe_link_read(token=bad)
        assert caught.value.expired is False


def signed_days_ago(days: int, *, person) -> str:
    """Return a link token for `person` as the site would have signed it `days` ago."""
    signer = signing.TimestampSigner(salt=SALT)
    then = int(time.time() - timedelta(days=days).total_seconds())
    signer.timestamp = lambda: signing.b62_encode(then)
    return signer.sign_object({"u": person.pk, "c": ["status"]}, compress=True)


def test_a_token_older_than_sixty_days_is_refused_as_expired():
    person = UserFactory()
    with pytest.raises(UnsubscribeLinkError, match="more than 60 days old") as caught:
        unsubscribe_link_read(token=signed_days_ago(61, person=person))
    assert caught.value.expired is True
    assert unsubscribe_link_read(token=signed_days_ago(59, person=person)).user == person


# The page


def test_get_shows_what_the_link_stops_and_changes_nothing():
    person = UserFactory(email="ada.lovelace@uni.example.edu")
    token = unsubscribe_token_make(user_id=person.pk, categories=["reminders"])
    response = Client().get(url_of(token))
    assert response.status_code == 200
    text = response.content.decode()
    assert "Stop sending reminders e-mails to a•••@uni.example.edu." in text
    assert "ada.lovelace" not in text
    assert '<button type="submit">Unsubscribe</button>' in text
    assert not EmailPreference.objects.exists()


def test_post_without_login_or_csrf_turns_the_category_off_and_is_safe_to_repeat():
    person = UserFactory()
    email_preferences_set(user=person, preferences={"discussion": EmailDelivery.DIGEST})
    token = unsubscribe_token_make(user_id=person.pk, categories=["reminders"])
    client = Client(enforce_csrf_checks=True)
    for _twice in range(2):
        response = client.post(url_of(token), {"List-Unsubscribe": "One-Click"})
        assert response.status_code == 200
        assert "no longer gets reminders e-mails" in response.content.decode()
    assert email_preferences_for(user=person) == {
        "discussion": "digest",
        "reminders": "off",
        "status": "immediate",
    }


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_tampered_link_gets_a_page_offering_to_sign_in_and_changes_nothing(method):
    person = UserFactory()
    token = unsubscribe_token_make(user_id=person.pk, categories=["status"])
    outbox_before = OutboundEmail.objects.count()
    response = getattr(Client(), method)(url_of(token[:-3] + "abc"))
    assert response.status_code == 400
    text = response.content.decode()
    assert "This link does not work" in text
    assert "Nothing was changed." in text
    assert "Sign in to manage your e-mail" in text
    assert not EmailPreference.objects.exists()
    assert OutboundEmail.objects.count() == outbox_before


def test_an_expired_link_gets_410_and_changes_nothing():
    person = UserFactory()
    response = Client().post(url_of(signed_days_ago(61, person=person)))
    assert response.status_code == 410
    assert "more than 60 days old" in response.content.decode()
    assert not EmailPreference.objects.exists()


def test_another_persons_link_changes_only_that_person():
    owner, reader = UserFactory(), UserFactory()
    token = unsubscribe_token_make(user_id=owner.pk, categories=["status"])
    client = Client()
    client.force_login(reader)
    page = client.get(url_of(token)).content.decode()
    assert "for another account than the one you are signed in with" in page
    response = client.post(url_of(token))
    assert "your own preferences did not change" in response.content.decode()
    assert email_preferences_for(user=owner)["status"] == "off"
    assert email_preferences_for(user=reader)["status"] == "immediate"


# The message: footer and headers


def test_an_optional_email_carries_the_link_and_the_one_click_headers(
    outbox, django_capture_on_commit_callbacks
):
    person = UserFactory()
    email, message = sent(
        outbox, person, "journal/emails/published", django_capture_on_commit_callbacks
    )
    header = message.extra_headers["List-Unsubscribe"]
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    url = re.fullmatch(r"<(http://[^>]+)>", header).group(1)
    assert url in message.body
    assert "You get status changes e-mails from Peerless. Stop them with one click:" in message.body
    assert "Choose what you get, and how often: http://" in message.body
    # The link says nothing about the paper; the stored body holds no working link.
    token = url.rstrip("/").rsplit("/", 1)[-1]
    assert "41" not in signing.TimestampSigner(salt=SALT).unsign_object(token).values()
    for secret in ("Secret", "sparse", "41", "Venue"):
        assert secret.lower() not in url.lower()
    assert "unsubscribe" not in email.body
    # The link works: one POST and the category is off.
    path = url.removeprefix("http://127.0.0.1:8000")
    assert Client().post(path).status_code == 200
    assert email_preferences_for(user=person)["status"] == "off"


@pytest.mark.parametrize(
    "template",
    ["journal/emails/retracted", "journal/emails/action_editor_assigned"],
)
def test_a_mandatory_email_has_no_link_and_no_headers(
    outbox, django_capture_on_commit_callbacks, template
):
    person = UserFactory()
    _email, message = sent(
        outbox, person, template, django_capture_on_commit_callbacks, review_days=42
    )
    assert "List-Unsubscribe" not in message.extra_headers
    assert "List-Unsubscribe-Post" not in message.extra_headers
    assert "unsubscribe" not in message.body.lower()


def test_an_optional_email_to_an_address_without_account_has_no_link(
    outbox, django_capture_on_commit_callbacks
):
    outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        email_queue(
            to="nobody@elsewhere.example.org",
            template="journal/emails/published",
            context={"name": "Ada", "submission": PAPER},
        )
    (message,) = outbox
    assert "List-Unsubscribe" not in message.extra_headers


def test_a_venue_reworded_optional_email_gets_the_system_footer(
    outbox, django_capture_on_commit_callbacks
):
    from journal.models import VenueEmailTemplate

    person = UserFactory()
    venue = VenueFactory()
    VenueEmailTemplate.objects.create(
        venue=venue,
        template="reviews/emails/reminder_bids",
        subject="Bid now",
        body="Hello {{ name }}, please bid.",
    )
    with django_capture_on_commit_callbacks(execute=True):
        email_queue(
            to=person.email,
            recipient=person,
            template="reviews/emails/reminder_bids",
            context={"name": "Ada", "n_bids": 0, "min_bids": 5, "bids_url": "/b/"},
            venue=venue,
        )
    (message,) = outbox
    assert message.body.startswith("Hello Ada, please bid.")
    assert "You get reminders e-mails from Peerless. Stop them with one click:" in message.body
    assert "List-Unsubscribe" in message.extra_headers


def test_a_digest_offers_a_link_per_category_it_carries(
    outbox, django_capture_on_commit_callbacks
):
    person = UserFactory()
    email_preferences_set(
        user=person,
        preferences={"status": EmailDelivery.DIGEST, "reminders": EmailDelivery.DIGEST},
    )
    venue = VenueFactory()
    for template, context in [
        ("journal/emails/published", {"submission": PAPER}),
        ("reviews/emails/reminder_bids", {"n_bids": 0, "min_bids": 5, "bids_url": "/b/"}),
    ]:
        email_queue(
            to=person.email,
            recipient=person,
            template=template,
            context={"name": "Ada", **context},
            venue=venue,
        )
    outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert email_digests_send() == 1
    (message,) = outbox
    assert "  reminders: http://" in message.body
    assert "  status changes: http://" in message.body
    assert "  all of them: http://" in message.body
    every = message.extra_headers["List-Unsubscribe"].strip("<>")
    assert Client().post(every.removeprefix("http://127.0.0.1:8000")).status_code == 200
    assert email_preferences_for(user=person) == {
        "discussion": "immediate",
        "reminders": "off",
        "status": "off",
    }
