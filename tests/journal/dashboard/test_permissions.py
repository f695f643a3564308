"""Every dashboard page, for every role: chief, the paper's action editor, another action
editor, a reviewer, the author, a stranger and an anonymous visitor."""

import pytest
from django.urls import reverse

from journal.enums import SubmissionState
from reviews.services.matching import assignment_run_create
from tests.factories import UserFactory

ROLES = ["chief", "editor", "other_editor", "reviewer", "author", "stranger", "anonymous"]
EDITORS = {"chief", "editor", "other_editor"}
PAGES = {
    # name: (url kwargs kind, who gets a 200)
    "dashboard": ("none", ROLES[:6]),
    "venue-dashboard": ("venue", EDITORS),
    "dashboard-submissions": ("venue", EDITORS),
    "dashboard-submissions-csv": ("venue", EDITORS),
    "dashboard-analytics": ("venue", EDITORS),
    "dashboard-paper": ("paper", {"chief", "editor"}),
    "dashboard-paper-suggestions": ("paper", {"chief", "editor"}),
    "dashboard-settings": ("venue", {"chief"}),
    "dashboard-roles": ("venue", {"chief"}),
    "dashboard-outbox": ("venue", {"chief"}),
    "dashboard-matching": ("venue", {"chief"}),
    "dashboard-matching-run": ("run", {"chief"}),
    "dashboard-job-status": ("job", {"chief"}),
}


@pytest.fixture
def paper(world):
    return world.paper(SubmissionState.UNDER_REVIEW)


def page_url(name, kind, world, paper):
    slug = world.venue.slug
    if kind == "none":
        return reverse(f"journal:{name}")
    if kind == "venue":
        return reverse(f"journal:{name}", args=[slug])
    if kind == "paper":
        return reverse(f"journal:{name}", args=[slug, paper.number])
    run = assignment_run_create(venue=world.venue, actor=world.chief)
    if kind == "run":
        return reverse(f"journal:{name}", args=[slug, run.pk])
    return reverse(f"journal:{name}", args=[slug, "runs", run.pk])


@pytest.mark.parametrize("who", ROLES)
@pytest.mark.parametrize("name", PAGES)
def test_page_access(client, world, paper, name, who):
    kind, allowed = PAGES[name]
    url = page_url(name, kind, world, paper)
    if who == "stranger":
        client.force_login(UserFactory())
    elif who != "anonymous":
        client.force_login(getattr(world, who))
    status = client.get(url).status_code
    if who == "anonymous":
        assert status == 302
    else:
        assert status == (200 if who in allowed else 403)
