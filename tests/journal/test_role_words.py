"""Conference venues speak conference words, journals journal words; login lands on the work."""

import pytest
from allauth.account.models import EmailAddress
from django.test import Client
from django.urls import reverse

from journal.enums import RoleKind, VenueKind
from tests.factories import (
    PASSWORD,
    ConferenceFactory,
    UserFactory,
    VenueFactory,
    VenueRoleFactory,
)
from tests.reviews.workflow.world import make_world

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("role", "journal", "conference"),
    [
        (RoleKind.CHIEF, "editor-in-chief", "program chair"),
        (RoleKind.ACTION_EDITOR, "action editor", "area chair"),
        (RoleKind.SENIOR_AREA_CHAIR, "senior editor", "senior area chair"),
        (RoleKind.REVIEWER, "reviewer", "reviewer"),
    ],
)
def test_role_labels(role, journal, conference):
    assert VenueFactory.build().role_label(role) == journal
    assert ConferenceFactory.build().role_label(role) == conference
    assert ConferenceFactory.build().role_label(role, title=True) == conference.capitalize()


def test_plural_labels():
    assert VenueFactory.build().role_label(RoleKind.CHIEF, plural=True) == "editors-in-chief"
    assert ConferenceFactory.build().role_label(RoleKind.ACTION_EDITOR, plural=True) == (
        "area chairs"
    )


@pytest.mark.parametrize(
    ("kind", "chair", "chief"),
    [(VenueKind.CONFERENCE, "Area chair", "Program chair"),
     (VenueKind.JOURNAL, "Action editor", "Editor-in-chief")],
)
def test_the_paper_page_speaks_the_venue_words(client, kind, chair, chief):
    world = make_world(kind=kind)
    client.login(email=world.chief.email, password=PASSWORD)
    url = reverse("journal:dashboard-paper", args=[world.venue.slug, world.submission.number])
    html = client.get(url).content.decode()
    assert f"{chair}: " in html
    assert f'<span class="badge">{chief}</span>' in html
    other = "Action editor" if chair == "Area chair" else "Area chair"
    assert f"{other}:" not in html


def sign_in(user, **query):
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    url = reverse("account_login")
    if query:
        url += "?" + "&".join(f"{k}={v}" for k, v in query.items())
    return Client().post(url, {"login": user.email, "password": PASSWORD})


def test_chairs_land_on_the_dashboard():
    role = VenueRoleFactory(venue=ConferenceFactory(), role=RoleKind.CHIEF)
    assert sign_in(role.user)["Location"] == reverse("journal:dashboard")


def test_conference_area_chairs_land_on_their_console():
    conference = ConferenceFactory()
    role = VenueRoleFactory(venue=conference, role=RoleKind.ACTION_EDITOR)
    VenueRoleFactory(venue=VenueFactory(), user=role.user, role=RoleKind.REVIEWER)
    assert sign_in(role.user)["Location"] == reverse("reviews:console", args=[conference.slug])


def test_senior_area_chairs_land_on_their_console():
    conference = ConferenceFactory()
    role = VenueRoleFactory(venue=conference, role=RoleKind.SENIOR_AREA_CHAIR)
    assert sign_in(role.user)["Location"] == reverse("reviews:console", args=[conference.slug])


def test_area_chairs_of_several_conferences_and_journal_editors_land_on_the_dashboard():
    role = VenueRoleFactory(venue=ConferenceFactory(), role=RoleKind.ACTION_EDITOR)
    VenueRoleFactory(venue=ConferenceFactory(), user=role.user, role=RoleKind.ACTION_EDITOR)
    assert sign_in(role.user)["Location"] == reverse("journal:dashboard")
    editor = VenueRoleFactory(venue=VenueFactory(), role=RoleKind.ACTION_EDITOR)
    assert sign_in(editor.user)["Location"] == reverse("journal:dashboard")


def test_reviewers_land_on_their_reviewing_page():
    role = VenueRoleFactory(venue=ConferenceFactory(), role=RoleKind.REVIEWER)
    assert sign_in(role.user)["Location"] == reverse("reviews:reviewing")


def test_authors_land_where_they_did_and_next_wins():
    assert sign_in(UserFactory())["Location"] == "/submissions/"
    role = VenueRoleFactory(venue=ConferenceFactory(), role=RoleKind.CHIEF)
    assert sign_in(role.user, next="/profile/")["Location"] == "/profile/"
