"""Settings, roles, outbox and analytics pages: permissions, forms, 4xx answers, queries."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from journal.enums import RoleKind, SubmissionState
from journal.models import OutboundEmail, RoleInvitation, VenueRole
from tests.factories import UserFactory
from tests.journal.dashboard.conftest import add_review, count_queries

S = SubmissionState
PAGES = ["dashboard-settings", "dashboard-roles", "dashboard-outbox", "dashboard-analytics"]
CHIEF_ONLY = {"dashboard-settings", "dashboard-roles", "dashboard-outbox"}


def url(world, name):
    return reverse(f"journal:{name}", kwargs={"slug": world.venue.slug})


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize(
    "who", ["chief", "editor", "other_editor", "reviewer", "author", "stranger", "anonymous"]
)
def test_page_permissions(client, world, page, who):
    world.paper(S.UNDER_REVIEW)
    if who == "stranger":
        client.force_login(UserFactory())
    elif who != "anonymous":
        client.force_login(getattr(world, who))
    status = client.get(url(world, page)).status_code
    if who == "anonymous":
        assert status == 302
    elif who == "chief" or (who in {"editor", "other_editor"} and page not in CHIEF_ONLY):
        assert status == 200
    else:
        assert status == 403


def settings_data(world, **changes):
    data = {
        "name": world.venue.name,
        "description": "",
        "accepting_submissions": "on",
        "anonymity": world.venue.anonymity,
        "timezone": "Asia/Tokyo",
        "submission_deadline": "2030-03-01T23:59",
        "camera_ready_deadline": "",
        "review_form": "",
        "reviewers_per_paper": "3",
        "review_period_days": "21",
        "long_paper_pages": "",
        "long_review_period_days": "",
        "page_limit": "",
        "max_pdf_mb": "20",
        "max_supplement_mb": "100",
        "authors_may_comment": "on",
        "discussion_after_own_review": "on",
        "review_publication": "accepted",
    }
    data.update(changes)
    return data


def test_settings_saves_deadline_in_the_venue_time_zone(client, world):
    client.force_login(world.chief)
    response = client.post(url(world, "dashboard-settings"), settings_data(world))
    assert response.status_code == 302
    world.venue.refresh_from_db()
    assert world.venue.timezone == "Asia/Tokyo"
    assert world.venue.submission_deadline.isoformat() == "2030-03-01T14:59:00+00:00"
    assert world.venue.review_period_days == 21
    page = client.get(url(world, "dashboard-settings")).content.decode()
    assert 'value="2030-03-01T23:59"' in page


def test_settings_discussion_after_own_review_is_editable(client, world):
    client.force_login(world.chief)
    page = client.get(url(world, "dashboard-settings")).content.decode()
    assert "Reviewers join the discussion after their own review" in page
    data = settings_data(world)
    del data["discussion_after_own_review"]
    assert client.post(url(world, "dashboard-settings"), data).status_code == 302
    world.venue.refresh_from_db()
    assert world.venue.discussion_after_own_review is False
    assert client.post(url(world, "dashboard-settings"), settings_data(world)).status_code == 302
    world.venue.refresh_from_db()
    assert world.venue.discussion_after_own_review is True


def test_settings_bad_input_is_400_and_saves_nothing(client, world):
    client.force_login(world.chief)
    response = client.post(
        url(world, "dashboard-settings"),
        settings_data(world, name="Renamed", long_paper_pages="12"),
    )
    assert response.status_code == 400
    assert "or neither" in response.content.decode()
    world.venue.refresh_from_db()
    assert world.venue.name != "Renamed"
    invalid = client.post(url(world, "dashboard-settings"), settings_data(world, max_pdf_mb="x"))
    assert invalid.status_code == 400


def test_settings_post_refused_to_action_editors(client, world):
    client.force_login(world.editor)
    response = client.post(url(world, "dashboard-settings"), settings_data(world, name="X"))
    assert response.status_code == 403


def test_roles_page_invites(client, world):
    client.force_login(world.chief)
    response = client.post(
        url(world, "dashboard-roles"),
        {"action": "invite", "email": "ae@example.org", "role": RoleKind.ACTION_EDITOR},
    )
    assert response.status_code == 302
    assert RoleInvitation.objects.filter(
        user__email="ae@example.org", role="action_editor", state="pending"
    ).exists()
    assert not VenueRole.objects.filter(user__email="ae@example.org").exists()
    again = client.post(
        url(world, "dashboard-roles"),
        {"action": "invite", "email": "ae@example.org", "role": RoleKind.ACTION_EDITOR},
    )
    assert again.status_code == 400 and "has not answered yet" in again.content.decode()


def test_roles_page_import_reports_rows(client, world):
    client.force_login(world.chief)
    bad = SimpleUploadedFile("people.csv", b"email,name\nok@example.org,Ok\nnope,Nope\n")
    response = client.post(
        url(world, "dashboard-roles"), {"action": "import", "role": "reviewer", "file": bad}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Nothing was imported" in page and "<td>3</td>" in page and "nope" in page
    assert not VenueRole.objects.filter(user__email="ok@example.org").exists()
    good = SimpleUploadedFile("people.csv", b"email,name\nok@example.org,Ok\n")
    response = client.post(
        url(world, "dashboard-roles"), {"action": "import", "role": "reviewer", "file": good}
    )
    assert response.status_code == 302
    assert RoleInvitation.objects.filter(user__email="ok@example.org", role="reviewer").exists()


def test_roles_page_remove_and_refusal(client, world):
    client.force_login(world.chief)
    chief_role = VenueRole.objects.get(venue=world.venue, user=world.chief)
    response = client.post(
        url(world, "dashboard-roles"), {"action": "remove", "role_id": chief_role.pk}
    )
    assert response.status_code == 400
    reviewer_role = VenueRole.objects.get(venue=world.venue, user=world.reviewer)
    response = client.post(
        url(world, "dashboard-roles"), {"action": "remove", "role_id": reviewer_role.pk}
    )
    assert response.status_code == 302
    assert not VenueRole.objects.filter(pk=reviewer_role.pk).exists()


def test_roles_page_unknown_action(client, world):
    client.force_login(world.chief)
    assert client.post(url(world, "dashboard-roles"), {"action": "x"}).status_code == 400


def test_outbox_lists_and_searches(client, world):
    world.paper(S.SUBMITTED, title="Mail me")
    OutboundEmail.objects.filter(venue=world.venue).update(status="failed", error="SMTP down")
    client.force_login(world.chief)
    page = client.get(url(world, "dashboard-outbox"))
    assert page.context["page"].paginator.count >= 1
    assert "SMTP down" in page.content.decode()
    hits = client.get(url(world, "dashboard-outbox") + f"?q={world.author.email}&status=failed")
    assert {m.to for m in hits.context["page"].object_list} == {world.author.email}
    none = client.get(url(world, "dashboard-outbox") + "?status=sent")
    assert none.context["page"].paginator.count == 0


def test_outbox_query_count_constant(client, world):
    client.force_login(world.chief)
    world.paper(S.SUBMITTED)
    one = count_queries(client, url(world, "dashboard-outbox"))
    for i in range(10):
        world.paper(S.SUBMITTED, title=f"Paper {i}")
    assert count_queries(client, url(world, "dashboard-outbox")) == one


def test_analytics_with_reviews(client, world):
    for i in range(3):
        paper = world.paper(S.UNDER_REVIEW, title=f"Paper {i}", keywords=("graphs",))
        add_review(world, paper, world.reviewer, score=None)
        add_review(world, paper)
    world.paper(S.DESK_REJECTED, keywords=("graphs",))
    client.force_login(world.chief)
    response = client.get(url(world, "dashboard-analytics"))
    page = response.content.decode()
    assert response.status_code == 200
    assert page.count("<svg") >= 5
    assert "Submissions per month" in page
    assert response.context["keywords"][0].keyword == "graphs"
    assert response.context["scores"].review_count == 6
    assert len(response.context["turnaround"].days) == 6


def test_analytics_empty_venue(client, world):
    client.force_login(world.editor)
    response = client.get(url(world, "dashboard-analytics"))
    assert response.status_code == 200
    assert "No submitted review yet" in response.content.decode()


def test_roles_page_sets_a_load(client, world):
    client.force_login(world.chief)
    role = VenueRole.objects.get(venue=world.venue, user=world.reviewer)
    response = client.post(
        url(world, "dashboard-roles"),
        {"action": "load", "role_id": role.pk, "load_quota": "4", "unavailable_until": ""},
    )
    assert response.status_code == 302
    role.refresh_from_db()
    assert role.load_quota == 4
    bad = client.post(
        url(world, "dashboard-roles"),
        {"action": "load", "role_id": role.pk, "load_quota": "-1"},
    )
    assert bad.status_code == 400
    role.refresh_from_db()
    assert role.load_quota == 4


def test_settings_review_publication_is_editable(client, world):
    client.force_login(world.chief)
    data = settings_data(
        world, review_publication="accepted_and_opted_in", publish_recommendations="on"
    )
    assert client.post(url(world, "dashboard-settings"), data).status_code == 302
    world.venue.refresh_from_db()
    assert world.venue.review_publication == "accepted_and_opted_in"
    assert world.venue.publish_recommendations is True


def test_settings_choose_whether_deadlines_are_also_in_aoe(client, world):
    client.force_login(world.chief)
    page = client.get(url(world, "dashboard-settings")).content.decode()
    assert "Deadlines also in AoE" in page and "yes at conferences, no at journals" in page
    response = client.post(
        url(world, "dashboard-settings"), settings_data(world, deadlines_in_aoe="true")
    )
    assert response.status_code == 302
    world.venue.refresh_from_db()
    assert world.venue.deadlines_in_aoe is True and world.venue.uses_aoe
    client.post(url(world, "dashboard-settings"), settings_data(world, deadlines_in_aoe="unknown"))
    world.venue.refresh_from_db()
    assert world.venue.deadlines_in_aoe is None
    assert world.venue.uses_aoe == world.venue.is_conference
