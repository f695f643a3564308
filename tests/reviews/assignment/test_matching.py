"""Running the matching of a venue: proposals, constraints, failures, deployment."""

import datetime

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from journal.enums import RoleKind
from journal.errors import TransitionError
from journal.models import AuditEvent, VenueRole
from reviews.enums import InvitationSource, InvitationState
from reviews.models import (
    AssignmentRun,
    Bid,
    BidValue,
    MatchingSettings,
    ProposedAssignment,
    ReviewerConflict,
    ReviewInvitation,
    RunStatus,
)
from reviews.services.affinity import affinities_compute
from reviews.services.invitations import invitation_create, invitation_transition
from reviews.services.matching import (
    assignment_run_create,
    assignment_run_deploy,
    assignment_run_deploy_later,
    assignment_run_matching,
)
from tests.reviews.assignment.venue import small_venue

pytestmark = pytest.mark.django_db


def run_matching(small, capture, **parameters):
    with capture(execute=True):
        run = assignment_run_create(venue=small.venue, actor=small.chief, **parameters)
    run.refresh_from_db()
    return run


def proposal(run):
    return {
        (p.submission_id, p.reviewer_id)
        for p in ProposedAssignment.objects.filter(run=run)
    }


def topic_of(small, reviewer_id):
    return small.reviewer_topics[[r.pk for r in small.reviewers].index(reviewer_id)]


@pytest.fixture
def four_topics():
    small = small_venue(
        paper_topics=["graphs", "diffusion", "bandits", "privacy"],
        reviewer_topics=["privacy", "bandits", "diffusion", "graphs"],
    )
    affinities_compute(venue=small.venue)
    return small


def test_matching_gives_each_paper_its_on_topic_reviewer(
    four_topics, django_capture_on_commit_callbacks
):
    small = four_topics
    run = run_matching(small, django_capture_on_commit_callbacks, max_load=1)
    assert run.status == RunStatus.PROPOSED and run.progress == 100
    pairs = proposal(run)
    assert len(pairs) == run.n_pairs == 4
    for paper_id, reviewer_id in pairs:
        paper_topic = small.paper_topics[[p.pk for p in small.papers].index(paper_id)]
        assert topic_of(small, reviewer_id) == paper_topic
    total = sum(p.affinity for p in ProposedAssignment.objects.filter(run=run))
    assert run.objective == pytest.approx(total)
    assert run.upper_bound == pytest.approx(run.objective)
    assert run.ratio == pytest.approx(1.0)
    assert run.min_paper_score == min(p.affinity for p in run.pairs.all())
    assert (run.n_papers, run.n_reviewers) == (4, 4)
    assert AuditEvent.objects.filter(action="matching.proposed", data__run=run.pk).exists()


def test_matching_respects_per_paper_and_loads(django_capture_on_commit_callbacks):
    small = small_venue(
        paper_topics=["graphs"] * 4, reviewer_topics=["graphs", "graphs", "bandits"], per_paper=2
    )
    affinities_compute(venue=small.venue)
    run = run_matching(small, django_capture_on_commit_callbacks)
    assert run.status == RunStatus.PROPOSED
    pairs = proposal(run)
    per_paper = {p.pk: sum(1 for s, _ in pairs if s == p.pk) for p in small.papers}
    loads = {r.pk: sum(1 for _, x in pairs if x == r.pk) for r in small.reviewers}
    assert set(per_paper.values()) == {2}
    assert max(loads.values()) <= 4  # ceil(2 * 4 / 3) + 1
    assert run.parameters["per_paper"] == 2


def test_matching_never_proposes_a_conflict(four_topics, django_capture_on_commit_callbacks):
    small = four_topics
    ReviewerConflict.objects.create(reviewer=small.reviewers[3], submission=small.papers[0])
    run = run_matching(small, django_capture_on_commit_callbacks, max_load=2)
    assert run.status == RunStatus.PROPOSED
    assert (small.papers[0].pk, small.reviewers[3].pk) not in proposal(run)


def test_matching_skips_unavailable_and_full_reviewers(
    four_topics, django_capture_on_commit_callbacks
):
    small = four_topics
    roles = VenueRole.objects.filter(venue=small.venue, role=RoleKind.REVIEWER)
    roles.filter(user=small.reviewers[3]).update(
        unavailable_until=timezone.localdate() + datetime.timedelta(days=5)
    )
    roles.filter(user=small.reviewers[2]).update(load_quota=0)
    run = run_matching(small, django_capture_on_commit_callbacks, max_load=2)
    assert run.status == RunStatus.PROPOSED
    assigned = {r for _, r in proposal(run)}
    assert small.reviewers[3].pk not in assigned and small.reviewers[2].pk not in assigned


def test_matching_keeps_existing_invitations(four_topics, django_capture_on_commit_callbacks):
    small = four_topics
    graphs_paper, off_topic = small.papers[0], small.reviewers[0]
    invitation_create(submission=graphs_paper, reviewer=off_topic, invited_by=small.chief)
    declined = invitation_create(
        submission=small.papers[1], reviewer=small.reviewers[2], invited_by=small.chief
    )
    invitation_transition(
        invitation=declined,
        to_state=InvitationState.DECLINED,
        actor=small.reviewers[2],
        reason="Travelling.",
    )
    run = run_matching(small, django_capture_on_commit_callbacks, max_load=1)
    assert run.status == RunStatus.PROPOSED
    kept = ProposedAssignment.objects.get(run=run, submission=graphs_paper)
    assert kept.reviewer == off_topic and kept.is_existing
    assert (small.papers[1].pk, small.reviewers[2].pk) not in proposal(run)
    assert ProposedAssignment.objects.filter(run=run, is_existing=False).count() == 3


def test_willing_bids_weigh_in_when_used(django_capture_on_commit_callbacks):
    small = small_venue(
        paper_topics=["graphs", "privacy", "diffusion"],
        reviewer_topics=["graphs", "bandits", "privacy", "diffusion"],
    )
    MatchingSettings.objects.create(venue=small.venue, bidding_open=True, bid_weight=1.0)
    Bid.objects.create(
        submission=small.papers[0], reviewer=small.reviewers[1], value=BidValue.HIGH
    )
    Bid.objects.create(
        submission=small.papers[0], reviewer=small.reviewers[0], value=BidValue.LOW
    )
    affinities_compute(venue=small.venue)
    with_bids = run_matching(small, django_capture_on_commit_callbacks)
    without = run_matching(small, django_capture_on_commit_callbacks, use_bids=False)
    assert (small.papers[0].pk, small.reviewers[1].pk) in proposal(with_bids)
    assert (small.papers[0].pk, small.reviewers[0].pk) in proposal(without)


def test_infeasible_run_fails_clearly_and_keeps_the_previous_proposal(
    four_topics, django_capture_on_commit_callbacks
):
    small = four_topics
    good = run_matching(small, django_capture_on_commit_callbacks, max_load=1)
    before = proposal(good)
    bad = run_matching(small, django_capture_on_commit_callbacks, per_paper=5)
    assert bad.status == RunStatus.FAILED
    assert bad.message.startswith("No assignment satisfies every constraint:")
    assert "per_paper" in bad.message or "reviewer" in bad.message
    assert not bad.pairs.exists() and bad.objective is None
    good.refresh_from_db()
    assert good.status == RunStatus.PROPOSED and proposal(good) == before
    assert not ReviewInvitation.objects.exists()


def test_run_without_affinities_fails_with_a_message(django_capture_on_commit_callbacks):
    small = small_venue(paper_topics=["graphs"], reviewer_topics=["graphs"])
    run = run_matching(small, django_capture_on_commit_callbacks)
    assert run.status == RunStatus.FAILED
    assert run.message == "Compute the affinities of this venue before running the matching."


def test_finished_run_is_not_repeated(four_topics, django_capture_on_commit_callbacks):
    run = run_matching(four_topics, django_capture_on_commit_callbacks, max_load=1)
    pairs = list(run.pairs.values_list("pk", flat=True))
    assert assignment_run_matching(run_id=run.pk).status == RunStatus.PROPOSED
    assert list(run.pairs.values_list("pk", flat=True)) == pairs


def test_interrupted_run_starts_again(four_topics):
    run = AssignmentRun.objects.create(
        venue=four_topics.venue,
        status=RunStatus.RUNNING,
        progress=40,
        parameters={"per_paper": 1, "max_load": 1},
    )
    assert assignment_run_matching(run_id=run.pk).status == RunStatus.PROPOSED
    assert run.pairs.count() == 4


def test_invalid_parameters_are_refused(four_topics):
    from journal.errors import DomainError

    with pytest.raises(DomainError, match="at least one reviewer"):
        assignment_run_create(venue=four_topics.venue, actor=None, per_paper=0)
    with pytest.raises(DomainError, match="between 0 and the most"):
        assignment_run_create(venue=four_topics.venue, actor=None, max_load=1, min_load=2)


def test_deploy_invites_the_proposed_reviewers(four_topics, django_capture_on_commit_callbacks):
    small = four_topics
    run = run_matching(small, django_capture_on_commit_callbacks, max_load=1)
    assert assignment_run_deploy(run=run, actor=small.chief) == 4
    run.refresh_from_db()
    assert run.status == RunStatus.DEPLOYED and run.deployed_by == small.chief
    invitations = ReviewInvitation.objects.filter(source=InvitationSource.MATCHING)
    assert {(i.submission_id, i.reviewer_id) for i in invitations} == proposal(run)
    assert all(p.is_deployed for p in run.pairs.all())
    assert assignment_run_deploy(run=run, actor=small.chief) == 0
    assert ReviewInvitation.objects.count() == 4


def test_deploy_refuses_a_failed_run_and_is_all_or_nothing(
    four_topics, django_capture_on_commit_callbacks
):
    small = four_topics
    failed = run_matching(small, django_capture_on_commit_callbacks, per_paper=5)
    with pytest.raises(TransitionError):
        assignment_run_deploy(run=failed, actor=small.chief)
    run = run_matching(small, django_capture_on_commit_callbacks, max_load=1)
    VenueRole.objects.filter(venue=small.venue, user=small.reviewers[0]).delete()
    with pytest.raises(Exception, match="Paper #"):
        assignment_run_deploy(run=run, actor=small.chief)
    run.refresh_from_db()
    assert run.status == RunStatus.PROPOSED
    assert not ReviewInvitation.objects.exists()


def test_command_runs_the_matching(four_topics, capsys):
    call_command("run_matching", venue=four_topics.venue.slug, max_load=1)
    out = capsys.readouterr().out
    assert "4 pairs for 4 papers and 4 reviewers" in out and "(100.0000%)" in out
    with pytest.raises(CommandError, match="No assignment satisfies"):
        call_command("run_matching", venue=four_topics.venue.slug, per_paper=5)
    with pytest.raises(CommandError, match="at least one reviewer"):
        call_command("run_matching", venue=four_topics.venue.slug, per_paper=0)


def test_fairness_raises_the_worst_paper_first(django_capture_on_commit_callbacks):
    small = small_venue(
        paper_topics=["graphs", "graphs", "diffusion", "bandits"],
        reviewer_topics=["graphs", "diffusion", "bandits", "privacy", "graphs"],
    )
    affinities_compute(venue=small.venue)
    total = run_matching(small, django_capture_on_commit_callbacks, max_load=1)
    fair = run_matching(small, django_capture_on_commit_callbacks, max_load=1, fairness=True)
    assert fair.status == RunStatus.PROPOSED and fair.parameters["fairness"] is True
    assert fair.min_paper_score >= total.min_paper_score - 1e-9
    assert fair.objective <= total.objective + 1e-9


def test_deploy_later_runs_in_the_background(four_topics, django_capture_on_commit_callbacks):
    small = four_topics
    run = run_matching(small, django_capture_on_commit_callbacks, max_load=1)
    with django_capture_on_commit_callbacks(execute=True):
        assignment_run_deploy_later(run=run, actor=small.chief)
    run.refresh_from_db()
    assert run.status == RunStatus.DEPLOYED
    assert ReviewInvitation.objects.filter(source=InvitationSource.MATCHING).count() == 4
    with pytest.raises(TransitionError, match="finished proposal"):
        assignment_run_deploy_later(run=run, actor=small.chief)
