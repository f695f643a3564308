"""Your e-mail preferences through the API: the same choices and refusals as the page."""

import pytest

from journal.models import EmailPreference
from tests.api.support import client_for
from tests.factories import UserFactory, VenueFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/me/email-preferences/"


def deliveries(response) -> dict[str, tuple[str, bool]]:
    return {c["category"]: (c["delivery"], c["optional"]) for c in response.json()["categories"]}


def test_every_category_is_listed_with_its_delivery():
    response = client_for(UserFactory()).get(URL)
    assert response.status_code == 200
    assert deliveries(response) == {
        "discussion": ("immediate", True),
        "reminders": ("immediate", True),
        "status": ("immediate", True),
        "decisions": ("immediate", False),
        "invitations": ("immediate", False),
        "role_invitations": ("immediate", False),
        "assignments": ("immediate", False),
        "account": ("immediate", False),
    }
    first = response.json()["categories"][0]
    assert first["label"] == "Discussion"
    assert first["description"].startswith("New comments in the discussions")


def test_patch_changes_only_the_named_categories_and_only_for_the_caller():
    person, other = UserFactory(), UserFactory()
    client = client_for(person)
    response = client.patch(URL, {"discussion": "digest", "reminders": "off"}, format="json")
    assert response.status_code == 200, response.content
    assert deliveries(response)["discussion"] == ("digest", True)
    assert deliveries(response)["reminders"] == ("off", True)
    assert deliveries(response)["status"] == ("immediate", True)
    again = client.patch(URL, {"discussion": "immediate"}, format="json")
    assert deliveries(again)["discussion"] == ("immediate", True)
    assert deliveries(again)["reminders"] == ("off", True)
    assert deliveries(client_for(other).get(URL))["reminders"] == ("immediate", True)


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"decisions": "off"}, "decisions", "always sent at once"),
        ({"newsletter": "off"}, "newsletter", "no such e-mail category"),
        ({"discussion": "weekly"}, "discussion", "is not a valid choice"),
        ({"discussion": "off", "invitations": "digest"}, "invitations", "always sent at once"),
    ],
)
def test_bad_choices_are_refused_with_the_reason_and_nothing_changes(body, field, message):
    person = UserFactory()
    response = client_for(person).patch(URL, body, format="json")
    assert response.status_code == 400
    assert message in " ".join(response.json()["errors"][field])
    assert not EmailPreference.objects.exists()


def test_an_empty_change_is_refused():
    response = client_for(UserFactory()).patch(URL, {}, format="json")
    assert response.status_code == 400
    assert "at least one category" in response.json()["detail"] + str(response.json())


def test_read_only_and_venue_tokens_cannot_change_preferences():
    person = UserFactory()
    read_only = client_for(person, scope="read").patch(URL, {"status": "off"}, format="json")
    assert read_only.status_code == 403 and "read-only" in read_only.json()["detail"]
    venue_token = client_for(person, venue=VenueFactory()).patch(
        URL, {"status": "off"}, format="json"
    )
    assert venue_token.status_code == 403 and "one venue" in venue_token.json()["detail"]
    assert not EmailPreference.objects.exists()


def test_anonymous_callers_are_refused():
    assert client_for().get(URL).status_code in (401, 403)
