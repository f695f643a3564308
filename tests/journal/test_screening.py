"""Screening before review: pass or desk-reject; only passed papers are matched or invited."""

import pytest
from django.urls import reverse

from journal.enums import Phase, SubmissionState
from journal.errors import DomainError, TransitionError
from journal.models import AuditEvent, Submission, Venue
from journal.selectors.phases import screened_submissions, submission_is_screened
from journal.services.phases import venue_phase_enter, venue_timeline_set
from journal.services.screening import (
    submission_screen_pass,
    submission_screen_reject,
    submissions_screen_pass_all,
)
from reviews.models import ReviewInvitation, RunStatus
from reviews.selectors.expertise import matchable_submissions
from reviews.services.affinity import affinities_compute
from reviews.services.invitations import invitation_create
from reviews.services.matching import (
    assignment_run_create,
    assignment_run_deploy,
    assignment_run_deploy_preview,
)
from tests.factories import PASSWORD
from tests.journal.phases_world import add_papers, phased_venue, week_plan
from tests.reviews.assignment.venue import small_venue

pytestmark = pytest.mark.django_db
S = SubmissionState


def screened(world):
    papers = world.venue.submissions.filter(screened_at__isnull=False)
    return set(papers.values_list("pk", flat=True))


def test_passing_a_paper_stamps_it_once():
    world = phased_venue(n_papers=1)
    paper = world.papers[0]
    assert not submission_is_screened(submission=paper)
    assert submission_screen_pass(submission=paper, actor=world.chief) is True
    first = Submission.objects.get(pk=paper.pk).screened_at
    assert submission_screen_pass(submission=paper, actor=world.chief) is False
    paper.refresh_from_db()
    assert paper.screened_at == first and paper.screened_by == world.chief
    assert submission_is_screened(submission=paper)
    assert AuditEvent.objects.filter(submission=paper, action="submission.screened").count() == 1


def test_area_chairs_screen_only_their_papers():
    world = phased_venue(n_papers=2)
    mine, other = world.papers
    Submission.objects.filter(pk=mine.pk).update(action_editor=world.area_chair)
    mine.refresh_from_db()
    assert submission_screen_pass(submission=mine, actor=world.area_chair)
    with pytest.raises(TransitionError, match="not yours to screen"):
        submission_screen_pass(submission=other, actor=world.area_chair)
    with pytest.raises(TransitionError, match="not yours to screen"):
        submission_screen_pass(submission=other, actor=world.reviewers[0])
    assert screened(world) == {mine.pk}


def test_desk_reject_from_screening_goes_through_the_workflow():
    world = phased_venue(n_papers=1)
    paper = world.papers[0]
    with pytest.raises(TransitionError, match="Give a reason"):
        submission_screen_reject(submission=paper, actor=world.chief, reason="")
    paper.refresh_from_db()
    assert paper.state == S.SUBMITTED
    submission_screen_reject(submission=paper, actor=world.chief, reason="Over the page limit.")
    paper.refresh_from_db()
    assert paper.state == S.DESK_REJECTED
    with pytest.raises(TransitionError):
        submission_screen_pass(submission=paper, actor=world.chief)
    assert screened(world) == set()


def test_pass_all_remaining_confirms_the_count_and_is_safe_twice():
    world = phased_venue(n_papers=4)
    submission_screen_pass(submission=world.papers[0], actor=world.chief)
    with pytest.raises(DomainError, match="3 papers are waiting now, more than the 2"):
        submissions_screen_pass_all(venue=world.venue, actor=world.chief, expected=2)
    assert len(screened(world)) == 1
    assert submissions_screen_pass_all(venue=world.venue, actor=world.chief, expected=3) == 3
    assert submissions_screen_pass_all(venue=world.venue, actor=world.chief, expected=3) == 0
    assert screened(world) == {p.pk for p in world.papers}
    assert AuditEvent.objects.filter(venue=world.venue, action="submission.screened").count() == 4
    with pytest.raises(TransitionError, match="Only a program chair"):
        submissions_screen_pass_all(venue=world.venue, actor=world.area_chair, expected=0)


def test_only_screened_papers_are_matched_invited_or_bid_on():
    world = phased_venue(n_papers=2)
    passed, waiting = world.papers
    submission_screen_pass(submission=passed, actor=world.chief)
    assert list(matchable_submissions(venue=world.venue)) == [passed]
    with pytest.raises(TransitionError, match="has not passed screening"):
        invitation_create(submission=waiting, reviewer=world.reviewers[0], invited_by=world.chief)
    assert not ReviewInvitation.objects.filter(submission=waiting).exists()
    passed.refresh_from_db()
    invitation_create(submission=passed, reviewer=world.reviewers[0], invited_by=world.chief)


def test_journals_and_conferences_without_timeline_need_no_screening():
    world = phased_venue(n_papers=1, timeline=False)
    assert list(screened_submissions(venue=world.venue)) == world.papers
    assert submission_is_screened(submission=world.papers[0])


def test_deploy_never_touches_unscreened_papers(django_capture_on_commit_callbacks):
    small = small_venue(
        paper_topics=["graphs", "diffusion", "bandits", "privacy"],
        reviewer_topics=["privacy", "bandits", "diffusion", "graphs"],
    )
    affinities_compute(venue=small.venue)
    with django_capture_on_commit_callbacks(execute=True):
        run = assignment_run_create(venue=small.venue, actor=small.chief, max_load=1)
    run.refresh_from_db()
    assert run.status == RunStatus.PROPOSED and run.n_pairs == 4
    # the chair puts the venue on a timeline after the run: now papers need screening
    venue_timeline_set(venue=small.venue, actor=small.chief, phases=week_plan())
    for paper in small.papers[:2]:
        submission_screen_pass(submission=paper, actor=small.chief)
    preview = assignment_run_deploy_preview(run=run)
    assert (preview.invitations, preview.skipped_papers, preview.skipped_pairs) == (2, 2, 2)
    assert assignment_run_deploy(run=run, actor=small.chief) == 2
    invited = set(ReviewInvitation.objects.values_list("submission_id", flat=True))
    assert invited == {p.pk for p in small.papers[:2]}
    event = AuditEvent.objects.get(action="matching.deployed")
    assert event.data["skipped_papers"] == 2


def test_matching_candidates_leave_unscreened_papers_out(django_capture_on_commit_callbacks):
    topics = ["graphs", "diffusion"]
    small = small_venue(paper_topics=topics, reviewer_topics=topics)
    venue_timeline_set(venue=small.venue, actor=small.chief, phases=week_plan())
    submission_screen_pass(submission=small.papers[0], actor=small.chief)
    affinities_compute(venue=small.venue)
    with django_capture_on_commit_callbacks(execute=True):
        run = assignment_run_create(venue=small.venue, actor=small.chief, max_load=2)
    run.refresh_from_db()
    assert run.n_papers == 1
    assert set(run.pairs.values_list("submission_id", flat=True)) == {small.papers[0].pk}


# The queue page


def login(client, user):
    assert client.login(email=user.email, password=PASSWORD)


@pytest.mark.parametrize("n", [3, 30])
def test_queue_page_lists_waiting_papers_with_their_checks(
    n, client, django_assert_max_num_queries
):
    world = phased_venue(n_papers=n, page_limit=9)
    add_papers(world, 1, page_count=12)
    world.papers[0].versions.update(anonymity_findings=["Author name 'Ada Author' on page 1"])
    submission_screen_pass(submission=world.papers[1], actor=world.chief)
    login(client, world.chief)
    url = reverse("journal:dashboard-screening", args=[world.venue.slug])
    # the same bound for 3 papers and for 30 (the first visit also records the chair's
    # conflicts scan)
    with django_assert_max_num_queries(30):
        page = client.get(url)
    text = page.content.decode()
    assert page.status_code == 200
    assert f"Pass all {n} remaining" in text
    assert "12 pages, over the limit" in text
    assert "Author name &#x27;Ada Author&#x27; on page 1" in text
    assert f"Pass #{world.papers[1].number}<" not in text


def test_queue_page_actions(client):
    world = phased_venue(n_papers=3)
    login(client, world.chief)
    url = reverse("journal:dashboard-screening", args=[world.venue.slug])
    first, second, third = world.papers
    page = client.post(url, {"number": first.number, "action": "pass"}, follow=True)
    assert f"Paper #{first.number} passed screening." in page.content.decode()
    page = client.post(url, {"number": first.number, "action": "pass"}, follow=True)
    assert "had already passed screening" in page.content.decode()
    page = client.post(
        url, {"number": second.number, "action": "reject", "reason": "Out of scope."}, follow=True
    )
    assert f"Paper #{second.number} was desk-rejected." in page.content.decode()
    page = client.post(url, {"action": "pass_all", "expected": 0})
    assert page.status_code == 400
    assert "more than the 0 you confirmed" in page.content.decode()
    assert screened(world) == {first.pk}
    page = client.post(url, {"action": "pass_all", "expected": 1}, follow=True)
    assert "Passed 1 paper(s) through screening." in page.content.decode()
    page = client.post(url, {"action": "pass_all", "expected": 1}, follow=True)
    assert "Nothing was left to pass" in page.content.decode()
    assert screened(world) == {first.pk, third.pk}


def test_queue_page_refuses_strangers(client):
    world = phased_venue(n_papers=1)
    login(client, world.reviewers[0])
    page = client.get(reverse("journal:dashboard-screening", args=[world.venue.slug]))
    assert page.status_code == 403


def test_entering_reviewing_after_screening_uses_only_passed(django_capture_on_commit_callbacks):
    world = phased_venue(n_papers=3)
    submission_screen_pass(submission=world.papers[0], actor=world.chief)
    Venue.objects.filter(pk=world.venue.pk).update(phase=Phase.BIDDING)
    world.venue.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        venue_phase_enter(venue=world.venue, phase=Phase.REVIEWING, actor=world.chief)
    states = dict(world.venue.submissions.values_list("pk", "state"))
    assert states == {
        world.papers[0].pk: S.UNDER_REVIEW,
        world.papers[1].pk: S.SUBMITTED,
        world.papers[2].pk: S.SUBMITTED,
    }
