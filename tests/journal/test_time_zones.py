"""Times in the viewer's zone with the zone named; deadlines also in AoE where the venue says so."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from journal.middleware import ViewerTimeZoneMiddleware
from journal.time_zones import BROWSER_ZONE_COOKIE, format_deadline, format_moment, zone_label
from tests.factories import ConferenceFactory, UserFactory, VenueFactory

pytestmark = pytest.mark.django_db

BERLIN = ZoneInfo("Europe/Berlin")
DEADLINE = datetime(2027, 5, 16, 11, 59, tzinfo=UTC)  # 23:59 on 15 May, Anywhere on Earth


def render(source: str, **context) -> str:
    return Template("{% load peerless %}" + source).render(Context(context))


def zone_seen(*, user=None, cookie: str | None = None) -> tuple[str, str]:
    request = RequestFactory().get("/")
    if user is not None:
        request.user = user
    if cookie is not None:
        request.COOKIES[BROWSER_ZONE_COOKIE] = cookie
    seen = {}

    def view(request):
        seen["zone"] = str(timezone.get_current_timezone())
        return None

    ViewerTimeZoneMiddleware(view)(request)
    return seen["zone"], request.viewer_zone_source


def test_the_profile_zone_wins_over_the_browser():
    user = UserFactory(time_zone="Asia/Tokyo")
    assert zone_seen(user=user, cookie="Europe/Berlin") == ("Asia/Tokyo", "profile")


def test_without_a_profile_zone_the_browser_zone_is_used():
    assert zone_seen(user=UserFactory(), cookie="Europe/Berlin") == ("Europe/Berlin", "browser")


@pytest.mark.parametrize("cookie", [None, "", "Mars/Olympus_Mons", "../etc/passwd", "x" * 300])
def test_an_unknown_zone_falls_back_to_utc(cookie):
    assert zone_seen(cookie=cookie) == ("UTC", "default")


def test_the_zone_is_deactivated_after_the_request():
    zone_seen(user=UserFactory(time_zone="Asia/Tokyo"))
    assert str(timezone.get_current_timezone()) == "UTC"


def test_when_names_the_zone_and_keeps_the_moment_in_iso():
    moment = datetime(2026, 12, 3, 13, 0, tzinfo=UTC)
    with timezone.override(BERLIN):
        html = render("{{ moment|when }}", moment=moment)
    assert html == (
        '<time datetime="2026-12-03T13:00:00+00:00" title="3 Dec 2026, 13:00 UTC" '
        'data-when="datetime">3 Dec 2026, 14:00 CET</time>'
    )


def test_when_in_summer_time_and_for_days_only():
    moment = datetime(2027, 7, 1, 22, 30, tzinfo=UTC)
    with timezone.override(BERLIN):
        assert ">2 Jul 2027, 00:30 CEST<" in render("{{ m|when }}", m=moment)
        assert ">2 Jul 2027<" in render('{{ m|when:"date" }}', m=moment)
    assert (
        render("{{ d|when }}", d=date(2027, 7, 1))
        == '<time datetime="2027-07-01">1 Jul 2027</time>'
    )
    assert render('{{ m|when|default:"never" }}', m=None) == "never"


@pytest.mark.parametrize(
    "zone, label",
    [("UTC", "UTC"), ("America/New_York", "EST"), ("Asia/Kolkata", "IST"),
     ("America/Sao_Paulo", "UTC-03"), ("Asia/Kathmandu", "UTC+05:45"), ("Etc/GMT+12", "AoE")],
)  # fmt: skip
def test_zone_labels(zone, label):
    assert zone_label(datetime(2027, 1, 10, 12, 0, tzinfo=UTC).astimezone(ZoneInfo(zone))) == label


def test_deadline_in_aoe_and_in_the_viewers_zone():
    assert format_deadline(DEADLINE, BERLIN, aoe=True) == (
        "15 May 2027, 23:59 AoE",
        "16 May, 13:59 CEST",
    )
    conference = ConferenceFactory(submission_deadline=DEADLINE)
    assert conference.uses_aoe
    with timezone.override(BERLIN):
        html = render("{% deadline venue.submission_deadline venue %}", venue=conference)
    assert "15 May 2027, 23:59 AoE</time>" in html and ">16 May, 13:59 CEST</time>)" in html
    assert 'datetime="2027-05-16T11:59:00+00:00"' in html


def test_journals_state_deadlines_in_the_viewers_zone_unless_they_choose_aoe():
    journal = VenueFactory(timezone="America/New_York")
    assert not journal.uses_aoe
    with timezone.override(BERLIN):
        html = render("{% deadline when venue %}", when=DEADLINE, venue=journal)
    assert html == (
        '<time datetime="2027-05-16T11:59:00+00:00" data-when="datetime">'
        "16 May 2027, 13:59 CEST</time>"
    )
    journal.deadlines_in_aoe = True
    assert journal.uses_aoe
    assert not ConferenceFactory(deadlines_in_aoe=False).uses_aoe


def test_a_deadline_across_the_new_year_names_the_year_twice():
    moment = datetime(2027, 1, 1, 5, 0, tzinfo=UTC)
    assert format_deadline(moment, BERLIN, aoe=True) == (
        "31 Dec 2026, 17:00 AoE",
        "1 Jan 2027, 06:00 CET",
    )
    assert format_moment(moment, UTC) == "1 Jan 2027, 05:00 UTC"


def test_submit_page_states_the_deadline_in_aoe_and_the_viewers_zone(client):
    author = UserFactory(time_zone="Europe/Berlin")
    conference = ConferenceFactory(submission_deadline=DEADLINE)
    client.force_login(author)
    page = client.get(reverse("journal:submit", kwargs={"slug": conference.slug})).content.decode()
    assert "Submission deadline:" in page
    assert "15 May 2027, 23:59 AoE</time>" in page and ">16 May, 13:59 CEST</time>)" in page


def test_pages_write_timestamps_in_the_browser_zone_from_its_cookie(client):
    conference = ConferenceFactory(submission_deadline=DEADLINE, deadlines_in_aoe=False)
    client.cookies[BROWSER_ZONE_COOKIE] = "America/New_York"
    page = client.get(conference.get_absolute_url()).content.decode()
    assert "16 May 2027, 07:59 EDT</time>" in page
    assert 'data-zone-source="browser"' in page


def test_profile_sets_the_time_zone(client):
    user = UserFactory()
    client.force_login(user)
    page = client.get(reverse("journal:profile")).content.decode()
    assert "Time zone" in page and '<option value="Europe/Berlin">' in page
    response = client.post(reverse("journal:profile-time-zone"), {"time_zone": "Europe/Berlin"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.time_zone == "Europe/Berlin"
    page = client.get(reverse("journal:profile")).content.decode()
    assert "Times are now shown in Europe/Berlin." in page
    assert '<option value="Europe/Berlin" selected>' in page
    client.post(reverse("journal:profile-time-zone"), {"time_zone": ""})
    user.refresh_from_db()
    assert user.time_zone == ""


def test_profile_refuses_an_unknown_zone_and_keeps_the_old_one(client):
    user = UserFactory(time_zone="Asia/Tokyo")
    client.force_login(user)
    response = client.post(
        reverse("journal:profile-time-zone"), {"time_zone": "Mars/Olympus_Mons"}, follow=True
    )
    page = response.content.decode()
    assert "“Mars/Olympus_Mons” is not a time zone" in page and "Europe/Berlin" in page
    user.refresh_from_db()
    assert user.time_zone == "Asia/Tokyo"


def test_api_me_reads_and_sets_the_time_zone(client):
    user = UserFactory()
    client.force_login(user)
    me = client.get("/api/v1/me/")
    assert me.json()["time_zone"] == ""
    response = client.patch(
        "/api/v1/me/", {"time_zone": "Europe/Berlin"}, "application/json", HTTP_IF_MATCH=me["ETag"]
    )
    assert response.status_code == 200 and response.json()["time_zone"] == "Europe/Berlin"
    user.refresh_from_db()
    assert user.time_zone == "Europe/Berlin"


def test_api_me_refuses_an_unknown_zone_naming_the_field(client):
    user = UserFactory(time_zone="Asia/Tokyo", display_name="Ada")
    client.force_login(user)
    etag = client.get("/api/v1/me/")["ETag"]
    response = client.patch(
        "/api/v1/me/",
        {"time_zone": "Nowhere/Land", "display_name": "Changed"},
        "application/json",
        HTTP_IF_MATCH=etag,
    )
    assert response.status_code == 400
    assert "is not a time zone" in response.json()["errors"]["time_zone"][0]
    user.refresh_from_db()
    assert user.time_zone == "Asia/Tokyo" and user.display_name == "Ada"


def test_api_keeps_iso_timestamps_with_offsets_whatever_the_zone(client):
    user = UserFactory(time_zone="Asia/Tokyo")
    client.force_login(user)
    conference = ConferenceFactory(submission_deadline=DEADLINE)
    body = client.get(f"/api/v1/venues/{conference.slug}/").json()
    assert body["submission_deadline"] in ("2027-05-16T11:59:00Z", "2027-05-16T11:59:00+00:00")


def test_e_mails_state_their_times_in_utc_whoever_sends_them():
    from journal.services.email import email_render

    with timezone.override(BERLIN):
        _, body = email_render(
            template="reviews/emails/review_extended",
            context={"invitation": type("I", (), {"review_due": DEADLINE})()},
        )
    assert "2027-05-16 11:59 UTC" in body
