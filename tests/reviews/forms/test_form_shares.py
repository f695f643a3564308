"""Each criterion's share of the overall score, and the warning when the numbers outweigh
the ideas: the figures, the settings and phase pages, and the API."""

import pytest
from django.urls import reverse

from journal.enums import RoleKind
from reviews.selectors.forms import form_shares_of
from reviews.services.forms import review_form_for_venue, review_form_latest
from tests.api.support import client_for
from tests.factories import ConferenceFactory, UserFactory, VenueFactory, VenueRoleFactory

pytestmark = pytest.mark.django_db


def chief_of(venue):
    return VenueRoleFactory(venue=venue, role=RoleKind.CHIEF).user


def test_balanced_form_weighs_ideas_as_much_as_the_numbers():
    shares = form_shares_of(form=review_form_for_venue(venue=VenueFactory()))
    by_key = {c.key: c for c in shares.criteria}
    assert shares.form.slug == "peerless-balanced"
    assert "confidence" not in by_key  # independent: not in the overall score
    assert by_key["originality"].share == pytest.approx(2 / 10)
    assert by_key["originality"].aspect == "ideas"
    assert by_key["benchmarks"].aspect == "benchmark"
    assert sum(c.share for c in shares.criteria) == pytest.approx(1)
    assert shares.ideas_share == pytest.approx(0.4)
    assert shares.benchmark_share == pytest.approx(0.4)
    assert not shares.numbers_outweigh_ideas and shares.warning == ""


def test_neurips_rating_makes_the_numbers_outweigh_the_ideas():
    venue = VenueFactory(review_form=review_form_latest(slug="neurips-style"))
    shares = form_shares_of(form=review_form_for_venue(venue=venue))
    by_key = {c.key: c for c in shares.criteria}
    assert by_key["rating"].share == pytest.approx(0.5)
    assert shares.benchmark_share == pytest.approx(4 / 6)
    assert shares.numbers_outweigh_ideas
    assert "67% of the overall score" in shares.warning


def test_tmlr_has_no_overall_score():
    shares = form_shares_of(form=review_form_latest(slug="tmlr"))
    assert shares.criteria == [] and not shares.numbers_outweigh_ideas


def test_settings_page_shows_shares_and_the_warning(client):
    venue = VenueFactory(review_form=review_form_latest(slug="neurips-style"))
    client.force_login(chief_of(venue))
    html = client.get(reverse("journal:dashboard-settings", args=[venue.slug])).content.decode()
    assert "In use: NeurIPS-style: share of the overall score" in html
    assert "<td>Rating</td><td>Benchmark and empirical results</td><td>3</td><td>50%</td>" in html
    assert "the numbers count for more than the ideas" in html
    # the other forms are there to compare, Peerless balanced among them
    assert "Peerless balanced: share of the overall score" in html
    originality = "<td>Originality</td><td>Ideas (originality, hypothesis)</td><td>2</td>"
    assert f"{originality}<td>20%</td>" in html


def test_settings_page_of_a_balanced_venue_has_no_warning(client):
    venue = VenueFactory(review_form=review_form_latest(slug="peerless-balanced"))
    client.force_login(chief_of(venue))
    html = client.get(reverse("journal:dashboard-settings", args=[venue.slug])).content.decode()
    assert "In use: Peerless balanced" in html
    assert "Ideas 40% · benchmark-type 40%" in html
    before_details = html.split("The other forms")[0]
    assert "count for more than the ideas" not in before_details


def test_phase_page_shows_the_form_of_the_rounds_it_opens(client):
    venue = ConferenceFactory(review_form=review_form_latest(slug="neurips-style"))
    client.force_login(chief_of(venue))
    response = client.get(
        reverse("journal:dashboard-phase-enter", args=[venue.slug]), {"phase": "reviewing"}
    )
    html = response.content.decode()
    assert response.status_code == 200, html
    assert "The review form of the new rounds" in html
    assert "the numbers count for more than the ideas" in html


def test_api_gives_the_same_figures():
    venue = VenueFactory(review_form=review_form_latest(slug="neurips-style"))
    client = client_for(chief_of(venue))
    body = client.get(f"/api/v1/venues/{venue.slug}/review-form/").json()
    assert body["slug"] == "neurips-style" and body["in_use"] is True
    rating = next(c for c in body["criteria"] if c["key"] == "rating")
    assert rating == {
        "key": "rating",
        "label": "Rating",
        "aspect": "benchmark",
        "weight": 3.0,
        "share": 0.5,
    }
    assert body["numbers_outweigh_ideas"] is True and "67%" in body["warning"]
    preview = client.get(
        f"/api/v1/venues/{venue.slug}/review-form/", {"form": "peerless-balanced"}
    ).json()
    assert preview["in_use"] is False and preview["ideas_share"] == pytest.approx(0.4)
    assert preview["warning"] == ""


def test_api_refuses_non_chiefs_and_unknown_forms():
    venue = VenueFactory()
    reviewer = VenueRoleFactory(venue=venue, role=RoleKind.REVIEWER).user
    response = client_for(reviewer).get(f"/api/v1/venues/{venue.slug}/review-form/")
    assert response.status_code == 403 and "chiefs" in response.json()["detail"]
    assert client_for(UserFactory()).get("/api/v1/venues/nope/review-form/").status_code == 404
    unknown = client_for(chief_of(venue)).get(
        f"/api/v1/venues/{venue.slug}/review-form/", {"form": "nope"}
    )
    assert unknown.status_code == 400 and "no review form called" in unknown.json()["detail"]


def test_an_editor_sees_the_shares_before_picking_a_rounds_form(client):
    from reviews.services.rounds import round_current_or_open
    from tests.factories import PASSWORD
    from tests.reviews.workflow.world import make_world

    world = make_world()
    review_round = round_current_or_open(submission=world.submission, actor=world.editor)
    client.login(email=world.editor.email, password=PASSWORD)
    page = client.get(reverse("reviews:schedule", args=[world.submission.pk])).content.decode()
    shares = page[page.index('id="form-shares"') :]
    assert f"This round: {review_round.form.name}: share of the overall score" in shares
    assert "Originality" in shares and "20%" in shares
    assert "The other forms' shares" in shares
    assert "NeurIPS-style: share of the overall score" in shares
