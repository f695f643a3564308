"""The e-mail section of the profile, and its own page."""

import pytest
from django.test import Client
from django.urls import reverse

from journal.models import EmailPreference
from journal.selectors.email_preferences import email_preferences_for
from journal.services.email_preferences import email_preferences_set
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PAGE = reverse("journal:email-preferences")


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_profile_shows_each_choice_and_the_mandatory_kinds():
    person = UserFactory()
    email_preferences_set(user=person, preferences={"reminders": "digest"})
    text = signed_in(person).get(reverse("journal:profile")).content.decode()
    assert 'id="email-preferences"' in text
    for label in ("Discussion", "Reminders", "Status changes", "At once", "In a daily digest"):
        assert label in text
    assert 'name="reminders" value="digest" aria-describedby="id_reminders_label" checked' in text
    assert 'name="discussion" value="immediate" aria-describedby="id_discussion_label" checked' in (
        text
    )
    assert "Receipts, reviews and decisions of your papers" in text
    assert text.count("Always sent at once") == 5


def test_saving_from_the_profile_returns_to_it(django_assert_max_num_queries):
    person = UserFactory()
    client = signed_in(person)
    with django_assert_max_num_queries(12):
        response = client.post(
            PAGE,
            {"discussion": "off", "reminders": "digest", "status": "immediate", "next": "profile"},
        )
    assert response.status_code == 302
    assert response["Location"] == reverse("journal:profile") + "#email-preferences"
    assert email_preferences_for(user=person) == {
        "discussion": "off",
        "reminders": "digest",
        "status": "immediate",
    }
    page = client.get(response["Location"]).content.decode()
    assert "E-mail preferences saved." in page


def test_the_own_page_saves_and_shows_the_choice():
    person = UserFactory()
    client = signed_in(person)
    response = client.post(
        PAGE, {"discussion": "digest", "reminders": "immediate", "status": "off"}, follow=True
    )
    text = response.content.decode()
    assert response.redirect_chain[-1][0] == PAGE
    assert "<h1>E-mail preferences</h1>" in text
    assert 'name="status" value="off" aria-describedby="id_status_label" checked' in text


def test_a_bad_choice_is_refused_on_the_page_and_nothing_changes():
    person = UserFactory()
    email_preferences_set(user=person, preferences={"status": "digest"})
    response = signed_in(person).post(
        PAGE, {"discussion": "weekly", "reminders": "off", "status": "off"}
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "Choose at once, in a daily digest, or never." in text
    assert list(EmailPreference.objects.values_list("category", "delivery")) == [
        ("status", "digest")
    ]


def test_the_page_needs_a_sign_in():
    response = Client().get(PAGE)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    response = Client().post(PAGE, {"discussion": "off", "reminders": "off", "status": "off"})
    assert response.status_code == 302
    assert not EmailPreference.objects.exists()
