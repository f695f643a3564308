"""The profile's self-service sections and the invitation page, as a person uses them."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from journal.enums import RoleKind
from journal.models import AvailabilityPeriod, InstitutionAffiliation, RoleInvitation, VenueRole
from journal.services.availability import availability_period_add
from journal.services.institution_history import institution_affiliation_add
from journal.services.role_invitations import role_invitation_accept, role_invitation_decline
from journal.services.roles import venue_role_invite
from reviews.models import ExpertiseKeyword, ReviewerConflict
from reviews.services.expertise import reviewer_conflict_declare
from tests.factories import VenueFactory, VenueRoleFactory
from tests.journal.dashboard.conftest import count_queries

TODAY = timezone.localdate()
PROFILE = reverse("journal:profile")


def test_a_reviewer_fills_every_section_and_reads_it_back(client, world):
    world.venue.subject_areas = ["Vision", "Theory"]
    world.venue.save()
    role = VenueRole.objects.get(venue=world.venue, user=world.reviewer)
    client.force_login(world.reviewer)
    start, end = TODAY + timedelta(days=3), TODAY + timedelta(days=10)
    posts = [
        (
            "journal:profile-away-add",
            {"away-starts_on": start, "away-ends_on": end, "away-reason": "Conference travel"},
        ),
        ("journal:profile-keywords", {"keywords": "causal inference, bandits"}),
        (
            "journal:profile-conflict-add",
            {"coi-kind": "person", "coi-value": "Ishita Rao", "coi-reason": "PhD advisor"},
        ),
        (
            "journal:profile-institution-add",
            {"inst-institution": "ETH Zurich", "inst-start_year": 2017, "inst-end_year": 2022},
        ),
    ]
    for name, data in posts:
        response = client.post(reverse(name), data)
        assert response.status_code == 302, (name, response.content.decode()[:2000])
    response = client.post(
        reverse("journal:profile-role", args=[role.pk]),
        {f"role-{role.pk}-load_quota": 3, f"role-{role.pk}-subject_areas": ["Theory"]},
    )
    assert response.status_code == 302
    page = client.get(PROFILE).content.decode()
    assert "Conference travel" in page and f"{start:%-d %b %Y}" in page
    assert "causal inference" in page and "bandits" in page
    assert "Ishita Rao" in page and "PhD advisor" in page
    assert "ETH Zurich" in page and "2017 \u2013 2022" in page
    role.refresh_from_db()
    assert role.load_quota == 3 and role.subject_areas == ["Theory"]


def test_a_bad_period_shows_the_message_and_stores_nothing(client, world):
    client.force_login(world.reviewer)
    response = client.post(
        reverse("journal:profile-away-add"),
        {"away-starts_on": TODAY + timedelta(days=5), "away-ends_on": TODAY},
    )
    assert response.status_code == 400
    assert "The last day away comes before the first one." in response.content.decode()
    assert not AvailabilityPeriod.objects.exists()


def test_a_load_above_the_venue_maximum_is_refused_on_the_page(client, world):
    world.venue.max_load_quota = 4
    world.venue.save()
    role = VenueRole.objects.get(venue=world.venue, user=world.reviewer)
    client.force_login(world.reviewer)
    response = client.post(
        reverse("journal:profile-role", args=[role.pk]), {f"role-{role.pk}-load_quota": 9}
    )
    assert response.status_code == 400
    assert "Give a number of papers from 1 to 4." in response.content.decode()
    role.refresh_from_db()
    assert role.load_quota is None


def test_nobody_changes_another_persons_role_or_entries(client, world):
    role = VenueRole.objects.get(venue=world.venue, user=world.reviewer)
    entry = institution_affiliation_add(user=world.reviewer, institution="MIT")
    client.force_login(world.editor)
    response = client.post(
        reverse("journal:profile-role", args=[role.pk]), {f"role-{role.pk}-load_quota": 2}
    )
    assert response.status_code == 404
    gone = client.post(reverse("journal:profile-institution-remove", args=[entry.pk]))
    assert gone.status_code == 400 and "No such institution" in gone.content.decode()
    role.refresh_from_db()
    assert role.load_quota is None and InstitutionAffiliation.objects.filter(pk=entry.pk).exists()


def test_the_profile_page_costs_the_same_queries_for_one_and_three_of_everything(client, world):
    client.force_login(world.reviewer)

    def add(n: int, offset: int) -> None:
        for i in range(offset, offset + n):
            venue = VenueFactory(subject_areas=["A", "B"])
            VenueRoleFactory(venue=venue, user=world.reviewer)
            availability_period_add(
                user=world.reviewer,
                starts_on=TODAY + timedelta(days=i),
                ends_on=TODAY + timedelta(days=i + 1),
                venue=venue,
            )
            institution_affiliation_add(user=world.reviewer, institution=f"Institute {i}")
            reviewer_conflict_declare(
                reviewer=world.reviewer, kind="domain", value=f"lab{i}.example.org"
            )
            ExpertiseKeyword.objects.create(user=world.reviewer, keyword=f"topic {i}")
            venue_role_invite(
                venue=venue, actor=world.chief, email=world.reviewer.email, role="action_editor"
            )

    add(1, 0)
    one = count_queries(client, PROFILE)
    add(2, 1)
    three = count_queries(client, PROFILE)
    assert three == one
    assert ReviewerConflict.objects.filter(reviewer=world.reviewer).count() == 3


def test_the_invited_person_accepts_and_reads_the_guide(client, world):
    world.venue.reviewer_guide = "Check **every** benchmark claim."
    world.venue.save()
    invitation = venue_role_invite(
        venue=world.venue, actor=world.chief, email=world.author.email, role=RoleKind.REVIEWER
    )
    client.force_login(world.author)
    assert "Invitations waiting for your answer" in client.get(PROFILE).content.decode()
    home = client.get(reverse("reviews:reviewing")).content.decode()
    assert f"Reviewer at {world.venue.name}" in home
    url = reverse("journal:role-invitation", args=[invitation.pk])
    page = client.get(url).content.decode()
    assert "Accept the invitation" in page and world.venue.name in page
    response = client.post(url, {"action": "accept"}, follow=True)
    html = response.content.decode()
    assert "You accepted" in html and "<strong>every</strong> benchmark claim" in html
    assert VenueRole.objects.filter(venue=world.venue, user=world.author, role="reviewer").exists()


def test_declining_on_the_page_keeps_the_reason(client, world):
    invitation = venue_role_invite(
        venue=world.venue, actor=world.chief, email=world.author.email, role=RoleKind.REVIEWER
    )
    client.force_login(world.author)
    url = reverse("journal:role-invitation", args=[invitation.pk])
    response = client.post(url, {"action": "decline", "reason": "Too busy"}, follow=True)
    assert "You declined" in response.content.decode() and "Too busy" in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.state == "declined" and invitation.decline_reason == "Too busy"


def test_another_account_sees_why_it_may_not_answer(client, world):
    invitation = venue_role_invite(
        venue=world.venue, actor=world.chief, email=world.author.email, role=RoleKind.REVIEWER
    )
    client.force_login(world.editor)
    url = reverse("journal:role-invitation", args=[invitation.pk])
    for response in (client.get(url), client.post(url, {"action": "accept"})):
        assert response.status_code == 403
        assert "sent to another account" in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.state == "pending"
    assert not VenueRole.objects.filter(venue=world.venue, user=world.author).exists()


def test_the_roles_page_counts_the_answers_with_the_same_queries(client, world):
    client.force_login(world.chief)
    url = reverse("journal:dashboard-roles", args=[world.venue.slug])

    def invite(n: int, offset: int) -> None:
        for i in range(offset, offset + n):
            inv = venue_role_invite(
                venue=world.venue, actor=world.chief, email=f"p{i}@lab.example.org", role="reviewer"
            )
            if i % 3 == 0:
                role_invitation_accept(invitation=inv, actor=inv.user)
            elif i % 3 == 1:
                role_invitation_decline(invitation=inv, actor=inv.user, reason="Busy")

    invite(1, 0)
    one = count_queries(client, url)
    invite(3, 1)
    assert count_queries(client, url) == one
    page = client.get(url).content.decode()
    assert "<strong>2</strong> accepted · <strong>1</strong> declined" in page
    assert "<strong>1</strong> waiting for an answer" in page and "“Busy”" in page
    pending = RoleInvitation.objects.get(state="pending")
    response = client.post(url, {"action": "withdraw_invitation", "invitation_id": pending.pk})
    assert response.status_code == 302
    pending.refresh_from_db()
    assert pending.state == "withdrawn"


def test_the_chief_writes_the_guide_in_the_settings(client, world):
    from tests.journal.dashboard.test_venue_admin_pages import settings_data

    client.force_login(world.chief)
    url = reverse("journal:dashboard-settings", args=[world.venue.slug])
    response = client.post(url, settings_data(world, reviewer_guide="Be kind.", max_load_quota=6))
    assert response.status_code == 302, response.content.decode()[:3000]
    world.venue.refresh_from_db()
    assert world.venue.reviewer_guide == "Be kind." and world.venue.max_load_quota == 6
