"""Area chairs matched to papers (and senior area chairs to area chairs) by the engine."""

import pytest

from journal.enums import RoleKind
from journal.errors import DomainError
from journal.models import AuditEvent, Submission, VenueRole
from journal.services.action_editors import submission_assign_action_editor
from reviews.models import AssignmentRun, MatchingTarget, ProposedAssignment, RunStatus
from reviews.services.matching import assignment_run_create, assignment_run_deploy
from reviews.services.publications import publication_add
from tests.factories import UserFactory, VenueRoleFactory
from tests.reviews.assignment.venue import TOPICS, person, small_venue

pytestmark = pytest.mark.django_db


def add_chair(small, topic, *, role=RoleKind.ACTION_EDITOR, **fields):
    n = VenueRole.objects.filter(venue=small.venue).count()
    user = person("ac" if role == RoleKind.ACTION_EDITOR else "sac", n + 1000 * small.venue.pk)
    VenueRoleFactory(venue=small.venue, user=user, role=role, **fields)
    name, text = TOPICS[topic]
    publication_add(user=user, title=f"Lectures on {name}", abstract=f"We survey {text}.")
    return user


def run(small, capture, target=MatchingTarget.AREA_CHAIRS, **parameters):
    with capture(execute=True):
        created = assignment_run_create(
            venue=small.venue, actor=small.chief, target=target, **parameters
        )
    created.refresh_from_db()
    return created


def pairs(run_):
    return {(p.submission_id, p.reviewer_id) for p in ProposedAssignment.objects.filter(run=run_)}


@pytest.fixture
def conference():
    return small_venue(
        paper_topics=["graphs", "diffusion", "bandits", "privacy"], reviewer_topics=["graphs"]
    )


def test_area_chairs_go_to_papers_of_their_topic_one_each(
    conference, django_capture_on_commit_callbacks
):
    graphs = add_chair(conference, "graphs", load_quota=2)
    privacy = add_chair(conference, "privacy", load_quota=2)
    diffusion = add_chair(conference, "diffusion", load_quota=2)

    done = run(conference, django_capture_on_commit_callbacks)

    assert done.status == RunStatus.PROPOSED, done.message
    assert done.target == MatchingTarget.AREA_CHAIRS
    by_paper = {p.submission_id: p.reviewer_id for p in ProposedAssignment.objects.filter(run=done)}
    assert len(by_paper) == 4 and done.n_pairs == 4
    papers = conference.papers
    assert by_paper[papers[0].pk] == graphs.pk
    assert by_paper[papers[1].pk] == diffusion.pk
    assert by_paper[papers[3].pk] == privacy.pk
    # Nobody over their load of two.
    loads = list(by_paper.values())
    assert max(loads.count(u.pk) for u in (graphs, privacy, diffusion)) <= 2


def test_loads_are_respected_and_a_full_venue_fails_with_a_reason(
    conference, django_capture_on_commit_callbacks
):
    add_chair(conference, "graphs", load_quota=1)
    add_chair(conference, "privacy", load_quota=1)

    done = run(conference, django_capture_on_commit_callbacks)

    assert done.status == RunStatus.FAILED
    assert "No assignment satisfies every constraint" in done.message
    assert not ProposedAssignment.objects.filter(run=done).exists()


def test_conflicted_and_authoring_area_chairs_are_never_proposed(
    conference, django_capture_on_commit_callbacks
):
    graphs = add_chair(conference, "graphs")
    other = add_chair(conference, "privacy")
    # `graphs` is an author of the graphs paper; `other` shares an institution with the
    # authors of the bandits paper.
    paper = conference.papers[0]
    paper.authors.create(name=graphs.display_name, email=graphs.email, order=9)
    bandits = conference.papers[2]
    author = bandits.authors.first()
    other.affiliation = author.affiliation or "Shared Institute"
    other.save(update_fields=["affiliation"])
    if not author.affiliation:
        author.affiliation = "Shared Institute"
        author.save(update_fields=["affiliation"])

    done = run(conference, django_capture_on_commit_callbacks)

    assert done.status == RunStatus.PROPOSED, done.message
    proposed = pairs(done)
    assert (paper.pk, graphs.pk) not in proposed
    assert (paper.pk, other.pk) in proposed
    assert (bandits.pk, other.pk) not in proposed
    assert (bandits.pk, graphs.pk) in proposed


def test_deploy_sets_the_area_chairs_and_keeps_hand_made_choices(
    conference, django_capture_on_commit_callbacks
):
    graphs = add_chair(conference, "graphs")
    diffusion = add_chair(conference, "diffusion")
    done = run(conference, django_capture_on_commit_callbacks)
    assert done.status == RunStatus.PROPOSED, done.message
    proposed = {p.submission_id: p.reviewer_id for p in done.pairs.all()}
    # Since the run, a chair picked an area chair for the privacy paper by hand.
    privacy = conference.papers[3]
    submission_assign_action_editor(submission=privacy, editor=graphs, actor=conference.chief)

    with django_capture_on_commit_callbacks(execute=True):
        assigned = assignment_run_deploy(run=done, actor=conference.chief)

    assert assigned == 3
    for paper in conference.papers:
        paper.refresh_from_db()
        expected = graphs.pk if paper.pk == privacy.pk else proposed[paper.pk]
        assert paper.action_editor_id == expected
    done.refresh_from_db()
    assert done.status == RunStatus.DEPLOYED
    event = AuditEvent.objects.filter(action="matching.deployed").latest("pk")
    assert event.data["assigned"] == 3 and event.data["skipped"]["assigned_since"] == 1
    # Twice is harmless.
    assert assignment_run_deploy(run=done, actor=conference.chief) == 0
    assert diffusion.pk in proposed.values()


def test_a_refused_assignment_leaves_every_paper_unassigned(
    conference, django_capture_on_commit_callbacks
):
    graphs = add_chair(conference, "graphs")
    add_chair(conference, "diffusion")
    done = run(conference, django_capture_on_commit_callbacks)
    graphs_papers = list(done.pairs.filter(reviewer=graphs).values_list("submission", flat=True))
    # Since the run, `graphs` stopped being an area chair.
    VenueRole.objects.filter(venue=conference.venue, user=graphs).delete()

    with pytest.raises(DomainError, match="is not an action editor"):
        assignment_run_deploy(run=done, actor=conference.chief)

    assert graphs_papers
    assert not Submission.objects.filter(
        pk__in=[p.pk for p in conference.papers], action_editor__isnull=False
    ).exists()
    done.refresh_from_db()
    assert done.status == RunStatus.PROPOSED


def test_existing_area_chairs_are_kept_and_count_toward_their_load(
    conference, django_capture_on_commit_callbacks
):
    graphs = add_chair(conference, "graphs", load_quota=2)
    add_chair(conference, "diffusion", load_quota=3)
    submission_assign_action_editor(
        submission=conference.papers[3], editor=graphs, actor=conference.chief
    )
    submission_assign_action_editor(
        submission=conference.papers[2], editor=graphs, actor=conference.chief
    )

    done = run(conference, django_capture_on_commit_callbacks)

    assert done.status == RunStatus.PROPOSED, done.message
    kept = done.pairs.filter(is_existing=True)
    assert {p.submission_id for p in kept} == {conference.papers[3].pk, conference.papers[2].pk}
    # graphs is full (2 of 2): the graphs paper goes to someone else.
    assert done.pairs.filter(reviewer=graphs).count() == 2


def test_senior_area_chairs_over_area_chairs(conference, django_capture_on_commit_callbacks):
    ac_graphs = add_chair(conference, "graphs")
    ac_privacy = add_chair(conference, "privacy")
    sac_graphs = add_chair(conference, "graphs", role=RoleKind.SENIOR_AREA_CHAIR, load_quota=1)
    sac_privacy = add_chair(conference, "privacy", role=RoleKind.SENIOR_AREA_CHAIR, load_quota=1)

    done = run(conference, django_capture_on_commit_callbacks, MatchingTarget.SENIOR_AREA_CHAIRS)

    assert done.status == RunStatus.PROPOSED, done.message
    proposal = {(p.area_chair_id, p.reviewer_id) for p in done.pairs.all()}
    assert proposal == {(ac_graphs.pk, sac_graphs.pk), (ac_privacy.pk, sac_privacy.pk)}
    assert assignment_run_deploy(run=done, actor=conference.chief) == 2
    seniors = dict(
        VenueRole.objects.filter(venue=conference.venue, role=RoleKind.ACTION_EDITOR).values_list(
            "user_id", "senior_id"
        )
    )
    assert seniors == {ac_graphs.pk: sac_graphs.pk, ac_privacy.pk: sac_privacy.pk}


def test_a_venue_without_area_chairs_is_told_so(conference, django_capture_on_commit_callbacks):
    done = run(conference, django_capture_on_commit_callbacks)
    assert done.status == RunStatus.FAILED
    assert done.message == f"{conference.venue.name} has no area chairs yet."
    assert AssignmentRun.objects.get(pk=done.pk).pairs.count() == 0


def test_reviewer_runs_are_unchanged_by_area_chair_runs(
    conference, django_capture_on_commit_callbacks
):
    add_chair(conference, "graphs")
    UserFactory()
    done = run(conference, django_capture_on_commit_callbacks)
    assert done.parameters["per_paper"] == 1 and done.parameters["use_bids"] is False
