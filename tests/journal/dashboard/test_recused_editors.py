"""Editors who are authors of a paper, or conflicted with it, are strangers to its reviewing.

The audit found the HTML outbox and the matching-run editor showing a chair the reviewers of
the chair's own paper while the API hid them. Every surface here asks the same predicate
(`is_submission_editor`, and its list form `recused_ids`).
"""

import pytest
from django.urls import reverse

from journal.enums import RoleKind, SubmissionState
from journal.errors import DomainError
from journal.models import AuditEvent
from journal.rules import is_submission_editor, recused_ids
from reviews.models import ProposedAssignment, ReviewerConflict, RunStatus
from reviews.services.affinity import affinities_compute
from reviews.services.matching import assignment_run_create
from reviews.services.proposals import proposal_pair_add
from reviews.services.publications import publication_add
from tests.api.support import client_for
from tests.factories import VenueRoleFactory
from tests.journal.dashboard.conftest import add_review

S = SubmissionState
OWN = "A paper the chair wrote on sparse attention"
OTHER = "A paper by others on graph networks"


@pytest.fixture
def papers(world):
    """A paper the chief wrote and one they did not, both under review with an invitation."""
    own = world.paper(S.UNDER_REVIEW, title=OWN, author=world.chief)
    other = world.paper(S.UNDER_REVIEW, title=OTHER)
    own_invitation = add_review(world, own, submit=False)
    add_review(world, other, submit=False)
    return own, other, own_invitation


def test_editor_author_outbox_search_hides_own_papers_invitations(client, world, papers):
    own_invitation = papers[2]
    client.force_login(world.chief)
    url = reverse("journal:dashboard-outbox", args=[world.venue.slug])
    page = client.get(url, {"q": "networks"}).content.decode()
    own_search = client.get(url, {"q": "sparse attention"}).content.decode()
    assert "Invitation to review" not in own_search
    assert "Invitation to review" in page
    assert OTHER in page
    assert OWN not in page
    assert own_invitation.reviewer.email not in page
    everything = client.get(url).content.decode()
    assert OWN not in everything


def test_editor_author_outbox_api_hides_own_papers_mail(world, papers):
    assert papers
    listed = client_for(world.chief).get("/api/v1/emails/", {"page_size": 100}).json()
    subjects = " ".join(row["subject"] for row in listed["results"])
    assert OTHER in subjects
    assert OWN not in subjects


def test_conflicted_editor_is_a_stranger_on_every_surface(client, world):
    """An action editor from the authors' own institution handles nothing of the paper."""
    submission = world.paper(S.UNDER_REVIEW, title="A paper from the editor's own lab")
    world.editor.email = f"ae@{world.author.email.rsplit('@', 1)[1]}"
    world.editor.save(update_fields=["email"])
    add_review(world, submission)
    assert submission.action_editor_id == world.editor.pk
    assert not is_submission_editor(world.editor, submission)
    client.force_login(world.editor)
    slug, number = world.venue.slug, submission.number
    assert client.get(reverse("journal:dashboard-paper", args=[slug, number])).status_code == 403
    suggestions = reverse("journal:dashboard-paper-suggestions", args=[slug, number])
    assert client.get(suggestions).status_code == 403
    table = client.get(reverse("journal:dashboard-submissions", args=[slug])).content.decode()
    assert "A paper from the editor&#x27;s own lab" not in table
    assert "own lab" not in table
    csv = b"".join(
        client.get(reverse("journal:dashboard-submissions-csv", args=[slug])).streaming_content
    ).decode()
    assert "own lab" not in csv
    api = client_for(world.editor)
    assert api.get(f"/api/v1/submissions/{submission.pk}/").status_code == 404
    assert api.get(f"/api/v1/submissions/{submission.pk}/reviews/").status_code in {403, 404}
    events = api.get("/api/v1/audit-events/", {"page_size": 100}).json()["results"]
    assert all(e.get("submission") != submission.pk for e in events)


def test_declared_conflict_recuses_the_chief(world):
    submission = world.paper(S.UNDER_REVIEW, title="Declared")
    ReviewerConflict.objects.create(reviewer=world.chief, submission=submission, reason="Friend")
    assert submission.pk in recused_ids(world.chief, world.venue)
    assert not is_submission_editor(world.chief, submission)


@pytest.fixture
def own_proposal(world, django_capture_on_commit_callbacks):
    """A ready proposal over the chief's own paper and another one."""
    topics = [(OWN, "attention transformers sparse"), (OTHER, "graph neural networks")]
    for title, words in topics:
        author = world.chief if title == OWN else None
        world.paper(S.SUBMITTED, title=title, abstract=f"We study {words}.", author=author)
        for j in range(3):
            reviewer = VenueRoleFactory(venue=world.venue, role=RoleKind.REVIEWER).user
            publication_add(user=reviewer, title=f"{title} {j}", abstract=f"On {words}.")
    affinities_compute(venue=world.venue)
    with django_capture_on_commit_callbacks(execute=True):
        run = assignment_run_create(venue=world.venue, actor=world.chief, per_paper=2, max_load=2)
    run.refresh_from_db()
    assert run.status == RunStatus.PROPOSED, run.message
    return run


def test_editor_author_matching_run_editor_hides_and_refuses_own_paper(client, world, own_proposal):
    own = world.venue.submissions.get(title=OWN)
    own_reviewers = [p.reviewer for p in own_proposal.pairs.filter(submission=own)]
    assert own_reviewers
    client.force_login(world.chief)
    url = reverse("journal:dashboard-matching-run", args=[world.venue.slug, own_proposal.pk])
    page = client.get(url, {"paper": own.number}).content.decode()
    assert OWN not in page
    for reviewer in own_reviewers:
        assert reviewer.email not in page
    other = world.venue.submissions.get(title=OTHER)
    assert OTHER in client.get(url, {"paper": other.number}).content.decode()
    spare = VenueRoleFactory(venue=world.venue, role=RoleKind.REVIEWER).user
    before = ProposedAssignment.objects.count()
    response = client.post(url, {"action": "add", "paper": own.number, "reviewer": spare.pk})
    assert response.status_code == 404
    assert ProposedAssignment.objects.count() == before
    assert not AuditEvent.objects.filter(action="matching.pair_added").exists()


def test_editor_author_proposal_service_refuses_own_paper(world, own_proposal):
    own = world.venue.submissions.get(title=OWN)
    spare = VenueRoleFactory(venue=world.venue, role=RoleKind.REVIEWER).user
    before = ProposedAssignment.objects.count()
    with pytest.raises(DomainError, match="not yours to choose"):
        proposal_pair_add(run=own_proposal, submission=own, reviewer=spare, actor=world.chief)
    assert ProposedAssignment.objects.count() == before


def test_editor_author_matching_api_hides_own_pairs(world, own_proposal):
    own = world.venue.submissions.get(title=OWN)
    api = client_for(world.chief)
    listed = api.get(f"/api/v1/matching-runs/{own_proposal.pk}/pairs/").json()["results"]
    assert listed
    assert all(row["submission"] != own.pk for row in listed)
    spare = VenueRoleFactory(venue=world.venue, role=RoleKind.REVIEWER).user
    before = ProposedAssignment.objects.count()
    response = api.post(
        f"/api/v1/matching-runs/{own_proposal.pk}/pairs/",
        {"submission": own.pk, "reviewer": spare.pk},
        format="json",
    )
    assert response.status_code == 400
    assert ProposedAssignment.objects.count() == before
