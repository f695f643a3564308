"""The dashboard's front pages: who gets in, what they see, and the queries it costs."""

import pytest
from django.urls import reverse

from journal.enums import RoleKind, SubmissionState
from tests.factories import UserFactory, VenueRoleFactory
from tests.journal.dashboard.conftest import add_review, count_queries

S = SubmissionState


def venue_url(world):
    return reverse("journal:venue-dashboard", kwargs={"slug": world.venue.slug})


def test_home_lists_edited_venues_with_counts(client, world):
    world.paper(S.UNDER_REVIEW)
    world.paper(S.SUBMITTED)
    client.force_login(world.editor)
    page = client.get(reverse("journal:dashboard")).content.decode()
    assert world.venue.name in page
    assert "<strong>1</strong> active" in page
    client.force_login(world.chief)
    assert "<strong>2</strong> active" in client.get(reverse("journal:dashboard")).content.decode()


def test_home_for_someone_without_venues(client, world):
    client.force_login(world.reviewer)
    page = client.get(reverse("journal:dashboard"))
    assert page.status_code == 200
    assert "not an editor of any venue" in page.content.decode()


def test_home_requires_login(client):
    response = client.get(reverse("journal:dashboard"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("chief", 200),
        ("editor", 200),
        ("other_editor", 200),
        ("reviewer", 403),
        ("author", 403),
        ("stranger", 403),
        ("anonymous", 302),
    ],
)
def test_venue_dashboard_permissions(client, world, who, status):
    if who == "stranger":
        client.force_login(UserFactory())
    elif who != "anonymous":
        client.force_login(getattr(world, who))
    assert client.get(venue_url(world)).status_code == status


def test_venue_dashboard_unknown_venue_is_404(client, world):
    client.force_login(world.chief)
    url = reverse("journal:venue-dashboard", kwargs={"slug": "no-such-venue"})
    assert client.get(url).status_code == 404


def test_pipeline_counts_scoped_to_role(client, world):
    world.paper(S.UNDER_REVIEW, title="Mine")
    world.paper(S.UNDER_REVIEW, title="Theirs", editor=world.other_editor)
    world.paper(S.SUBMITTED, title="Fresh")
    client.force_login(world.chief)
    chief_page = client.get(venue_url(world))
    assert dict(chief_page.context["pipeline"])[S.UNDER_REVIEW] == 2
    assert chief_page.context["total"] == 3
    client.force_login(world.editor)
    editor_page = client.get(venue_url(world))
    assert dict(editor_page.context["pipeline"])[S.UNDER_REVIEW] == 1
    assert editor_page.context["total"] == 1
    assert "Theirs" not in editor_page.content.decode()


def test_pipeline_links_into_the_table(client, world):
    world.paper(S.SUBMITTED)
    client.force_login(world.chief)
    page = client.get(venue_url(world)).content.decode()
    table = reverse("journal:dashboard-submissions", kwargs={"slug": world.venue.slug})
    assert f"{table}?state=under_review" in page


def test_drafts_and_own_papers_are_hidden(client, world):
    world.paper(S.DRAFT, title="Unfinished draft")
    world.paper(S.SUBMITTED, title="The chief's own paper", author=world.chief)
    client.force_login(world.chief)
    page = client.get(venue_url(world))
    assert page.context["total"] == 0
    assert "own paper" not in page.content.decode()


def queues(response):
    return {q.spec.key: q for q in response.context["queues"]}


def test_queues_for_the_chief(client, world):
    world.paper(S.SUBMITTED, title="Needs a first look")
    world.paper(S.DECISION_PENDING, title="Waiting for a decision")
    client.force_login(world.chief)
    found = queues(client.get(venue_url(world)))
    assert found["first_action"].count == 1
    assert found["first_action"].items[0].title == "Needs a first look"
    assert found["unassigned"].count == 1
    assert found["ready_for_decision"].count == 1
    assert found["short_of_reviewers"].count == 0


def test_queues_for_an_action_editor_hide_chief_work(client, world):
    world.paper(S.SUBMITTED)
    client.force_login(world.editor)
    found = queues(client.get(venue_url(world)))
    assert "unassigned" not in found and "camera_ready" not in found


def test_review_queues(client, world):
    short = world.paper(S.UNDER_REVIEW, title="Short of reviewers")
    add_review(world, short)
    complete = world.paper(S.UNDER_REVIEW, title="All reviews in")
    add_review(world, complete)
    add_review(world, complete)
    client.force_login(world.editor)
    found = queues(client.get(venue_url(world)))
    assert [s.title for s in found["short_of_reviewers"].items] == ["Short of reviewers"]
    assert [s.title for s in found["reviews_complete"].items] == ["All reviews in"]


def test_venue_dashboard_query_count_constant(client, world):
    def add(n):
        for i in range(n):
            paper = world.paper(S.UNDER_REVIEW if i % 2 else S.SUBMITTED, title=f"Paper {i}")
            if i % 2:
                add_review(world, paper, world.reviewer, submit=False)

    client.force_login(world.chief)
    add(1)
    one = count_queries(client, venue_url(world))
    add(49)
    assert count_queries(client, venue_url(world)) == one


def test_every_editor_role_sees_its_dashboard(client, world):
    chief_author = VenueRoleFactory(venue=world.venue, role=RoleKind.CHIEF).user
    client.force_login(chief_author)
    assert client.get(venue_url(world)).status_code == 200


def test_home_query_count_constant(client, world):
    from tests.factories import VenueFactory

    client.force_login(world.chief)
    world.paper(S.SUBMITTED)
    one = count_queries(client, reverse("journal:dashboard"))
    for _ in range(5):
        VenueRoleFactory(venue=VenueFactory(), user=world.chief, role=RoleKind.CHIEF)
    assert count_queries(client, reverse("journal:dashboard")) == one
