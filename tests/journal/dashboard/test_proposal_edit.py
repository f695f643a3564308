"""Editing a matching proposal by hand before it is deployed."""

import pytest
from django.urls import reverse

from journal.enums import RoleKind, SubmissionState
from journal.errors import DomainError, TransitionError
from journal.models import AuditEvent
from reviews.models import AssignmentRun, ProposedAssignment, RunStatus
from reviews.services.affinity import affinities_compute
from reviews.services.matching import assignment_run_create, assignment_run_deploy
from reviews.services.proposals import proposal_pair_add, proposal_pair_remove
from reviews.services.publications import publication_add
from tests.factories import VenueRoleFactory

S = SubmissionState
TOPICS = [
    ("Sparse attention for long documents", "attention transformers sparse long context"),
    ("Graph neural networks oversmooth", "graph neural networks message passing"),
]


@pytest.fixture
def proposal(world, django_capture_on_commit_callbacks):
    """Return a ready proposal for two papers among five reviewers (two per paper)."""
    for title, words in TOPICS:
        world.paper(S.SUBMITTED, title=title, abstract=f"We study {words}.")
        for j in range(2):
            reviewer = VenueRoleFactory(venue=world.venue, role=RoleKind.REVIEWER).user
            publication_add(user=reviewer, title=f"{title} {j}", abstract=f"On {words}.")
    affinities_compute(venue=world.venue)
    with django_capture_on_commit_callbacks(execute=True):
        run = assignment_run_create(venue=world.venue, actor=world.chief, per_paper=2, max_load=2)
    run.refresh_from_db()
    assert run.status == RunStatus.PROPOSED, run.message
    return run


def _extra_pair_for(run, world):
    """Return a paper of the run and a venue reviewer not proposed for it."""
    submission = world.venue.submissions.order_by("number").first()
    taken = set(run.pairs.filter(submission=submission).values_list("reviewer_id", flat=True))
    reviewer = (
        world.venue.roles.filter(role=RoleKind.REVIEWER)
        .exclude(user_id__in=taken)
        .exclude(user=world.reviewer)
        .first()
        .user
    )
    return submission, reviewer


def test_proposal_pair_add_updates_quality_and_audits(proposal, world):
    before = proposal.n_pairs
    submission, reviewer = _extra_pair_for(proposal, world)
    edit = proposal_pair_add(
        run=proposal, submission=submission, reviewer=reviewer, actor=world.chief
    )
    proposal.refresh_from_db()
    assert proposal.n_pairs == before + 1
    pairs = list(proposal.pairs.values_list("affinity", flat=True))
    assert proposal.objective == pytest.approx(sum(pairs))
    assert any("3 reviewers" in warning for warning in edit.warnings)
    assert AuditEvent.objects.filter(action="matching.pair_added", actor=world.chief).exists()


def test_proposal_pair_add_refuses_a_duplicate(proposal, world):
    pair = proposal.pairs.first()
    with pytest.raises(DomainError, match="already proposed"):
        proposal_pair_add(
            run=proposal, submission=pair.submission, reviewer=pair.reviewer, actor=world.chief
        )


def test_proposal_pair_add_refuses_a_conflict(proposal, world):
    submission = world.venue.submissions.order_by("number").first()
    VenueRoleFactory(venue=world.venue, user=world.author, role=RoleKind.REVIEWER)
    with pytest.raises(DomainError, match="conflict of interest"):
        proposal_pair_add(
            run=proposal, submission=submission, reviewer=world.author, actor=world.chief
        )
    assert not proposal.pairs.filter(reviewer=world.author).exists()


def test_proposal_pair_add_refuses_a_reviewer_at_their_quota(proposal, world):
    submission, reviewer = _extra_pair_for(proposal, world)
    role = world.venue.roles.get(user=reviewer, role=RoleKind.REVIEWER)
    role.load_quota = proposal.pairs.filter(reviewer=reviewer).count()
    role.save(update_fields=["load_quota"])
    with pytest.raises(DomainError, match="more than their limit"):
        proposal_pair_add(run=proposal, submission=submission, reviewer=reviewer, actor=world.chief)


def test_proposal_pair_add_refuses_someone_not_reviewing_here(proposal, world):
    submission = world.venue.submissions.order_by("number").first()
    with pytest.raises(DomainError, match="not a reviewer"):
        proposal_pair_add(
            run=proposal, submission=submission, reviewer=world.editor, actor=world.chief
        )


def test_proposal_pair_remove_updates_quality_and_warns(proposal, world):
    pair = proposal.pairs.first()
    edit = proposal_pair_remove(run=proposal, pair_id=pair.pk, actor=world.chief)
    proposal.refresh_from_db()
    assert not ProposedAssignment.objects.filter(pk=pair.pk).exists()
    assert proposal.n_pairs == proposal.pairs.count()
    assert proposal.min_paper_score <= pair.affinity + 1e-9
    assert edit.warnings and "1 of the 2" in edit.warnings[0]
    assert AuditEvent.objects.filter(action="matching.pair_removed").exists()


def test_proposal_pair_remove_refuses_a_pair_of_another_run(proposal, world):
    with pytest.raises(DomainError, match="not part of this proposal"):
        proposal_pair_remove(run=proposal, pair_id=0, actor=world.chief)


def test_deployed_proposal_cannot_be_edited(proposal, world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assignment_run_deploy(run=proposal, actor=world.chief)
    pair = proposal.pairs.first()
    with pytest.raises(TransitionError):
        proposal_pair_remove(run=proposal, pair_id=pair.pk, actor=world.chief)


def test_removed_pair_is_not_invited(proposal, world, django_capture_on_commit_callbacks):
    pair = proposal.pairs.first()
    proposal_pair_remove(run=proposal, pair_id=pair.pk, actor=world.chief)
    with django_capture_on_commit_callbacks(execute=True):
        invited = assignment_run_deploy(
            run=AssignmentRun.objects.get(pk=proposal.pk), actor=world.chief
        )
    assert invited == proposal.pairs.count()
    assert not pair.submission.review_invitations.filter(reviewer=pair.reviewer).exists()


def test_matching_run_page_still_renders_after_an_edit(client, proposal, world):
    pair = proposal.pairs.first()
    proposal_pair_remove(run=proposal, pair_id=pair.pk, actor=world.chief)
    client.force_login(world.chief)
    page = client.get(
        reverse("journal:dashboard-matching-run", args=[world.venue.slug, proposal.pk])
    )
    assert page.status_code == 200


def run_url(world, run):
    return reverse("journal:dashboard-matching-run", args=[world.venue.slug, run.pk])


def test_chief_removes_and_adds_pairs_from_the_page(client, proposal, world):
    submission, reviewer = _extra_pair_for(proposal, world)
    client.force_login(world.chief)
    page = client.get(run_url(world, proposal), {"paper": submission.number})
    assert page.status_code == 200
    assert page.context["edit_paper"] == submission
    suggested = [s.reviewer for s in page.context["edit_suggestions"]]
    assert reviewer in suggested
    pair = page.context["edit_pairs"][0]
    response = client.post(
        run_url(world, proposal), {"action": "remove", "paper": submission.number, "pair": pair.pk}
    )
    assert response.status_code == 302
    assert response["Location"].endswith(f"?paper={submission.number}#edit")
    assert not ProposedAssignment.objects.filter(pk=pair.pk).exists()
    response = client.post(
        run_url(world, proposal),
        {"action": "add", "paper": submission.number, "reviewer": reviewer.pk},
    )
    assert response.status_code == 302
    assert proposal.pairs.filter(submission=submission, reviewer=reviewer).exists()
    proposal.refresh_from_db()
    assert proposal.status == RunStatus.PROPOSED


def test_refused_edit_shows_the_reason(client, proposal, world):
    pair = proposal.pairs.first()
    client.force_login(world.chief)
    response = client.post(
        run_url(world, proposal),
        {"action": "add", "paper": pair.submission.number, "reviewer": pair.reviewer_id},
    )
    assert response.status_code == 400
    assert "already proposed" in response.content.decode()


def test_edit_of_unknown_paper_is_404_and_editors_are_refused(client, proposal, world):
    client.force_login(world.chief)
    assert (
        client.post(
            run_url(world, proposal), {"action": "remove", "paper": "999", "pair": "1"}
        ).status_code
        == 404
    )
    page = client.get(run_url(world, proposal), {"paper": "999"})
    assert page.context["edit_missing"]
    client.force_login(world.editor)
    pair = proposal.pairs.first()
    response = client.post(
        run_url(world, proposal),
        {"action": "remove", "paper": pair.submission.number, "pair": pair.pk},
    )
    assert response.status_code == 403
    assert ProposedAssignment.objects.filter(pk=pair.pk).exists()
