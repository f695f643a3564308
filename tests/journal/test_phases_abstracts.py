"""The submission phase's two deadlines: abstracts (registering a new paper), then full papers.

On the timeline page, in the API and on the call for papers; a new paper after the abstract
deadline is refused with the reason, and nothing is created."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from journal.enums import Phase
from journal.errors import DeadlineError, DomainError
from journal.models import Submission, Venue, VenuePhase
from journal.services.phases import PlannedPhase, venue_timeline_set
from journal.services.submissions import submission_create
from journal.time_zones import format_deadline
from tests.api.support import client_for
from tests.factories import PASSWORD, UserFactory
from tests.journal.phases_world import phased_venue, week_plan

pytestmark = pytest.mark.django_db


def with_abstracts(plan, moment):
    return [
        PlannedPhase(
            phase=r.phase,
            starts_at=r.starts_at,
            ends_at=r.ends_at,
            abstracts_due=moment if r.phase == Phase.SUBMISSION else None,
        )
        for r in plan
    ]


def submission_window(plan):
    return next(r for r in plan if r.phase == Phase.SUBMISSION)


def create(venue, author):
    return submission_create(
        venue=venue,
        creator=author,
        title="Sparse attention, registered",
        abstract="We register the abstract first.",
        hypothesis_claim="Sparsity helps.",
    )


def test_the_abstract_deadline_is_kept_with_the_submission_phase():
    world = phased_venue(timeline=False)
    plan = week_plan(timezone.now() - timedelta(days=2))
    window = submission_window(plan)
    due = window.starts_at + timedelta(days=4)
    venue_timeline_set(venue=world.venue, actor=world.chief, phases=with_abstracts(plan, due))
    row = VenuePhase.objects.get(venue=world.venue, phase=Phase.SUBMISSION)
    assert row.abstracts_due == due and row.ends_at == window.ends_at
    answer = client_for(world.chief).get(f"/api/v1/venues/{world.venue.slug}/phases/").json()
    submission = next(p for p in answer["phases"] if p["phase"] == "submission")
    assert submission["abstracts_due"].startswith(due.strftime("%Y-%m-%dT%H:%M"))
    page = client_for(world.chief).get(world.venue.get_absolute_url()).content.decode()
    assert "Abstracts:" in page and "Full papers:" in page


@pytest.mark.parametrize("where", ["after the phase", "on bidding"])
def test_a_misplaced_abstract_deadline_is_refused_and_changes_nothing(where):
    world = phased_venue()
    before = list(VenuePhase.objects.filter(venue=world.venue).values_list("abstracts_due"))
    plan = week_plan()
    if where == "after the phase":
        rows = with_abstracts(plan, submission_window(plan).ends_at + timedelta(hours=1))
        message = "falls within the submission phase"
    else:
        rows = [
            PlannedPhase(
                phase=r.phase,
                starts_at=r.starts_at,
                ends_at=r.ends_at,
                abstracts_due=r.starts_at + timedelta(hours=1)
                if r.phase == Phase.BIDDING
                else None,
            )
            for r in plan
        ]
        message = "Only the submission phase has an abstract deadline"
    with pytest.raises(DomainError, match=message):
        venue_timeline_set(venue=world.venue, actor=world.chief, phases=rows)
    after = list(VenuePhase.objects.filter(venue=world.venue).values_list("abstracts_due"))
    assert after == before
    body = {
        "phases": [
            {
                "phase": r.phase,
                "starts_at": r.starts_at.isoformat(),
                "ends_at": r.ends_at.isoformat(),
                "abstracts_due": r.abstracts_due.isoformat() if r.abstracts_due else None,
            }
            for r in rows
        ]
    }
    answer = client_for(world.chief).put(
        f"/api/v1/venues/{world.venue.slug}/phases/", body, format="json"
    )
    assert answer.status_code == 400 and message in str(answer.json())


def test_new_papers_wait_for_no_one_after_the_abstract_deadline():
    world = phased_venue(timeline=False)
    now = timezone.now()
    plan = week_plan(now - timedelta(days=3))
    window = submission_window(plan)
    Venue.objects.filter(pk=world.venue.pk).update(
        accepting_submissions=True, submission_deadline=window.ends_at
    )
    world.venue.refresh_from_db()
    author = UserFactory()
    # Before the abstract deadline a paper is registered.
    later = with_abstracts(plan, now + timedelta(hours=2))
    venue_timeline_set(venue=world.venue, actor=world.chief, phases=later)
    registered = create(world.venue, author)
    assert registered.pk
    # After it, a new paper is refused with the reason; the registered one stays.
    passed = with_abstracts(plan, now - timedelta(hours=1))
    venue_timeline_set(venue=world.venue, actor=world.chief, phases=passed)
    count = Submission.objects.filter(venue=world.venue).count()
    with pytest.raises(DeadlineError, match="new papers can no longer be registered"):
        create(world.venue, author)
    assert Submission.objects.filter(venue=world.venue).count() == count


def test_the_chair_sets_it_on_the_timeline_page(client):
    world = phased_venue(timeline=False)
    plan = week_plan(timezone.now() - timedelta(days=2))
    data = {"zone": "UTC"}
    for r in plan:
        data[f"{r.phase}-starts_at"] = r.starts_at.strftime("%Y-%m-%dT%H:%M")
        data[f"{r.phase}-ends_at"] = r.ends_at.strftime("%Y-%m-%dT%H:%M")
    due = submission_window(plan).starts_at + timedelta(days=5)
    data["submission-abstracts_due"] = due.strftime("%Y-%m-%dT%H:%M")
    client.login(email=world.chief.email, password=PASSWORD)
    url = reverse("journal:dashboard-timeline", args=[world.venue.slug])
    answer = client.post(url, data)
    assert answer.status_code == 302
    row = VenuePhase.objects.get(venue=world.venue, phase=Phase.SUBMISSION)
    assert row.abstracts_due.strftime("%Y-%m-%dT%H:%M") == due.strftime("%Y-%m-%dT%H:%M")
    page = client.get(url).content.decode()
    assert "Abstract deadline" in page and "Abstracts:" in page


def test_authors_read_both_deadlines_on_the_submit_page(client):
    world = phased_venue(timeline=False)
    plan = week_plan(timezone.now() + timedelta(hours=1))
    window = submission_window(plan)
    due = window.starts_at + timedelta(days=3)
    venue_timeline_set(venue=world.venue, actor=world.chief, phases=with_abstracts(plan, due))
    Venue.objects.filter(pk=world.venue.pk).update(accepting_submissions=True)
    author = UserFactory()
    client.force_login(author)
    page = client.get(reverse("journal:submit", kwargs={"slug": world.venue.slug}))
    text = page.content.decode()
    assert "Abstract deadline (new papers are registered until then)" in text
    shown, _ = format_deadline(due, timezone.get_current_timezone(), aoe=world.venue.uses_aoe)
    assert shown in text and "Submission deadline" in text
