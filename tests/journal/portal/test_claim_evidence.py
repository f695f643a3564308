"""The submission form takes runs and spread and says when a gain is within noise."""

import pytest
from django.urls import reverse

from journal.models import Submission
from tests.journal.portal.conftest import form_data

pytestmark = pytest.mark.django_db


def submit_url(venue):
    return reverse("journal:submit", kwargs={"slug": venue.slug})


def test_form_keeps_runs_and_spread_and_shows_the_gain_within_noise(client, venue, author):
    client.force_login(author)
    data = form_data(authors=[("Grace Hopper", author.email)])
    data.update(
        {"claims-0-runs": "5", "claims-0-spread": "2.5", "claims-0-baseline_source": "rerun"}
    )
    response = client.post(submit_url(venue), data)
    assert response.status_code == 302
    claim = Submission.objects.get().benchmark_claims.get()
    assert (claim.runs, claim.spread, claim.baseline_source) == (5, 2.5, "rerun")
    page = client.get(response["Location"]).content.decode()
    assert "+2.1" in page and "within noise" in page
    paper = client.get(Submission.objects.get().get_absolute_url()).content.decode()
    assert "28.4 ± 2.5" in paper and "(5 runs)" in paper and "within noise" in paper


def test_form_says_beyond_the_spread_when_the_gain_is_larger(client, venue, author):
    client.force_login(author)
    data = form_data(authors=[("Grace Hopper", author.email)])
    data.update({"claims-0-runs": "3", "claims-0-spread": "0.4"})
    response = client.post(submit_url(venue), data)
    page = client.get(response["Location"]).content.decode()
    assert "beyond the spread" in page and "within noise" not in page.split("</thead>", 1)[-1]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [("runs", "0", "At least one run is behind a value."), ("spread", "-1", "A spread is zero")],
)
def test_impossible_runs_or_spread_keep_the_form_with_a_message(
    client, venue, author, field, value, message
):
    client.force_login(author)
    data = form_data(authors=[("Grace Hopper", author.email)])
    data[f"claims-0-{field}"] = value
    response = client.post(submit_url(venue), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Submission.objects.exists()
