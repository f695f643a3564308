"""A reviewer's self-service profile in a real browser: away dates, keywords, a declared
conflict, a BibTeX import, then a role invitation accepted with the venue's guide."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from journal.enums import RoleKind
from journal.models import AvailabilityPeriod, VenueRole
from journal.services.roles import venue_role_invite
from reviews.models import ExpertiseKeyword, Publication, ReviewerConflict
from tests.browser.fixtures import login, screenshot
from tests.factories import UserFactory, VenueFactory, VenueRoleFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BIBTEX = r"""
@inproceedings{rao2023bandits,
  title     = {Contextual Bandits with {K}napsacks Revisited},
  author    = {Rao, Ishita and Nguy{\~e}n, Minh},
  booktitle = {Proceedings of ICML},
  year      = {2023},
}
@article{rao2021causal,
  title   = {Causal Discovery under Latent Confounding},
  author  = {Ishita Rao and Jonas M{\"u}ller},
  journal = {Journal of Machine Learning Research},
  year    = {2021},
}
"""


@pytest.fixture
def venue():
    venue = VenueFactory(
        name="Transactions on Careful Learning",
        subject_areas=["Bandits", "Causality"],
        reviewer_guide="## How we review\n\nCheck **every** benchmark claim against its spread.",
    )
    VenueRoleFactory(venue=venue, role=RoleKind.CHIEF)
    return venue


@pytest.fixture
def reviewer(venue):
    user = UserFactory(display_name="Ishita Rao", email="ishita@lab.example.org")
    VenueRoleFactory(venue=venue, user=user, role=RoleKind.REVIEWER)
    return user


def test_a_reviewer_fills_their_profile(page, live_server, venue, reviewer, tmp_path):
    bib = tmp_path / "scholar.bib"
    bib.write_text(BIBTEX)
    login(page, live_server, reviewer)
    page.goto("/profile/")
    start = timezone.localdate() + timedelta(days=10)
    end = start + timedelta(days=14)

    page.get_by_label("Away from").fill(start.isoformat())
    page.get_by_label("Away until (last day)").fill(end.isoformat())
    page.locator("#id_away-venue").select_option(label=venue.name)
    page.locator("#id_away-reason").fill("Parental leave")
    page.get_by_role("button", name="Add period").click()
    expect(page.locator("#current-periods")).to_contain_text("Parental leave")
    expect(page.locator("#current-periods")).to_contain_text(venue.name)

    page.get_by_label("Expertise keywords").fill("contextual bandits, causal discovery")
    page.get_by_role("button", name="Save keywords").click()
    expect(page.locator("#keyword-list")).to_contain_text("contextual bandits")

    page.locator("#id_coi-kind").select_option("person")
    page.get_by_label("Who or what").fill("Jonas Müller")
    page.locator("#id_coi-reason").fill("Former PhD advisor")
    page.get_by_role("button", name="Declare conflict").click()
    expect(page.locator("#conflict-list")).to_contain_text("Jonas Müller")

    role = VenueRole.objects.get(venue=venue, user=reviewer)
    form = page.locator(f"form[action='/profile/roles/{role.pk}/']")
    form.get_by_label("Most papers at once").fill("4")
    form.get_by_label("Causality").check()
    form.get_by_role("button", name=f"Save your role at {venue.name}").click()
    expect(page.locator(".message.success").first).to_contain_text("Saved your role")

    page.get_by_label("Format").select_option("bibtex")
    page.get_by_label("File to import").set_input_files(str(bib))
    page.get_by_role("button", name="Import", exact=True).click()
    expect(page.locator(".publication-list")).to_contain_text(
        "Contextual Bandits with Knapsacks Revisited"
    )
    expect(page.locator(".publication-list")).to_contain_text("Causal Discovery")
    page.goto("/profile/")
    screenshot(page, "reviewer-profile")

    period = AvailabilityPeriod.objects.get(user=reviewer)
    assert (period.starts_on, period.ends_on, period.venue_id) == (start, end, venue.pk)
    assert list(ExpertiseKeyword.objects.filter(user=reviewer).values_list("keyword", flat=True))
    assert ReviewerConflict.objects.get(reviewer=reviewer).reason == "Former PhD advisor"
    assert Publication.objects.filter(user=reviewer).count() == 2
    role.refresh_from_db()
    assert role.load_quota == 4 and role.subject_areas == ["Causality"]


def test_a_person_accepts_a_role_invitation_and_reads_the_guide(page, live_server, venue):
    person = UserFactory(display_name="Minh Nguyen", email="minh@lab.example.org")
    chief = venue.roles.get(role=RoleKind.CHIEF).user
    invitation = venue_role_invite(
        venue=venue, actor=chief, email=person.email, role=RoleKind.REVIEWER, load_quota=3
    )
    login(page, live_server, person)
    page.goto("/profile/")
    page.get_by_role("link", name=f"Reviewer at {venue.name}").click()
    expect(page.get_by_role("heading", name=f"Reviewer at {venue.name}")).to_be_visible()
    screenshot(page, "role-invitation")
    page.get_by_role("button", name="Accept the invitation").click()
    expect(page.locator("#invitation-state")).to_contain_text("You accepted")
    guide = page.locator("#reviewer-guide")
    expect(guide).to_contain_text("How we review")
    expect(guide.locator("strong")).to_have_text("every")
    screenshot(page, "role-invitation-accepted")
    invitation.refresh_from_db()
    assert invitation.state == "accepted"
    assert VenueRole.objects.get(venue=venue, user=person).load_quota == 3
