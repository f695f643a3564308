"""Accounts: sign-up with e-mail confirmation, log in and out, rate limits, passwords."""

import re

import pytest
from django.urls import reverse

from journal.models import User
from tests.factories import PASSWORD
from tests.journal.portal.conftest import verified_user

pytestmark = pytest.mark.django_db


def link_in(message) -> str:
    return re.search(r"https?://[^/\s]+(/\S+)", message.body).group(1)


def test_signup_sends_confirmation_and_confirming_logs_in(client, outbox):
    response = client.post(
        reverse("account_signup"),
        {
            "email": "ada@example.edu",
            "password1": "a-long-and-unusual-pass",
            "password2": "a-long-and-unusual-pass",
            "display_name": "Ada Lovelace",
            "affiliation": "Analytical Engines Ltd",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(email="ada@example.edu")
    assert (user.display_name, user.affiliation) == ("Ada Lovelace", "Analytical Engines Ltd")
    assert len(outbox) == 1 and outbox[0].to == ["ada@example.edu"]
    assert "Peerless" in outbox[0].body
    confirm = link_in(outbox[0])
    assert "Confirm your e-mail address" in client.get(confirm).content.decode()
    response = client.post(confirm)
    assert response.status_code == 302
    page = client.get(reverse("journal:my-submissions"))
    assert page.status_code == 200 and "Ada Lovelace" in page.content.decode()


def test_unconfirmed_account_cannot_log_in(client, outbox):
    client.post(
        reverse("account_signup"),
        {
            "email": "bob@example.edu",
            "password1": "a-long-and-unusual-pass",
            "password2": "a-long-and-unusual-pass",
            "display_name": "Bob",
        },
    )
    client.logout()
    client.post(
        reverse("account_login"),
        {"login": "bob@example.edu", "password": "a-long-and-unusual-pass"},
    )
    assert client.get(reverse("journal:my-submissions")).status_code == 302


def test_login_page_is_labelled(client):
    page = client.get(reverse("account_login")).content.decode()
    assert 'for="id_login"' in page and 'for="id_password"' in page


def test_login_and_logout(client):
    user = verified_user()
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response["Location"] == reverse("journal:my-submissions")
    client.post(reverse("account_logout"))
    assert client.get(reverse("journal:my-submissions")).status_code == 302


def test_failed_logins_are_rate_limited(client):
    user = verified_user()
    for _ in range(5):
        client.post(reverse("account_login"), {"login": user.email, "password": "wrong"})
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert "Too many failed login attempts" in response.content.decode()
    assert client.get(reverse("journal:my-submissions")).status_code == 302


def test_password_reset_by_email(client, outbox):
    user = verified_user()
    client.post(reverse("account_reset_password"), {"email": user.email})
    assert len(outbox) == 1
    reset = client.get(link_in(outbox[0]), follow=True)
    action = reset.redirect_chain[-1][0] if reset.redirect_chain else link_in(outbox[0])
    response = client.post(
        action, {"password1": "brand-new-secret-42", "password2": "brand-new-secret-42"}
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("brand-new-secret-42")


def test_password_change(client):
    user = verified_user()
    client.force_login(user)
    response = client.post(
        reverse("account_change_password"),
        {
            "oldpassword": PASSWORD,
            "password1": "another-secret-77",
            "password2": "another-secret-77",
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("another-secret-77")


@pytest.mark.parametrize(
    "name",
    ["account_email", "account_change_password", "account_logout", "account_reauthenticate"],
)
def test_account_pages_use_the_site_layout(client, name):
    client.force_login(verified_user())
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert 'class="site-header"' in response.content.decode()


@pytest.mark.parametrize(
    "name",
    [
        "account_login",
        "account_signup",
        "account_reset_password",
        "account_email_verification_sent",
    ],
)
def test_entrance_pages_use_the_site_layout(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert 'class="site-header"' in response.content.decode()
