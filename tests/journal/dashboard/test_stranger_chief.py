"""A chief who wrote a paper, or is conflicted with it, sees nothing of its review process.

One world per kind of stranger; each test asks one surface (the paper's dashboard page, the
API, the matching proposal page, the reviewer suggestions, the CSV exports) and checks that
refusals change nothing.
"""

import pytest
from django.urls import reverse

from journal.enums import RoleKind, SubmissionState
from journal.models import AuditEvent
from journal.rules import is_submission_editor
from reviews.models import ProposedAssignment, ReviewerConflict, ReviewInvitation, RunStatus
from reviews.services.affinity import affinities_compute
from reviews.services.matching import assignment_run_create
from reviews.services.publications import publication_add
from tests.api.support import client_for
from tests.factories import VenueRoleFactory
from tests.journal.dashboard.conftest import add_review

S = SubmissionState
TITLE = "Sparse attention for long documents"
OTHER = "Graph networks for molecules"
STRANGERS = ["author", "conflicted"]


def _make_stranger(world, kind: str, submission) -> None:
    if kind == "conflicted":
        ReviewerConflict.objects.create(
            reviewer=world.chief, submission=submission, reason="Former student"
        )
    assert not is_submission_editor(world.chief, submission)


@pytest.fixture(params=STRANGERS)
def stranger(request, world):
    """The chief and a paper under review whose reviewing they may not see, with a review."""
    author = world.chief if request.param == "author" else None
    submission = world.paper(S.UNDER_REVIEW, title=TITLE, author=author)
    invitation = add_review(world, submission)
    _make_stranger(world, request.param, submission)
    return submission, invitation.reviewer


def test_stranger_chief_paper_page_refuses_and_says_why(client, world, stranger):
    submission, reviewer = stranger
    client.force_login(world.chief)
    url = reverse("journal:dashboard-paper", args=[world.venue.slug, submission.number])
    response = client.get(url)
    assert response.status_code == 403
    page = response.content.decode()
    assert "You do not handle this paper." in page
    assert reviewer.email not in page


def test_stranger_chief_suggestions_page_refuses_and_invites_nobody(client, world, stranger):
    submission, _ = stranger
    spare = VenueRoleFactory(venue=world.venue, role=RoleKind.REVIEWER).user
    client.force_login(world.chief)
    url = reverse("journal:dashboard-paper-suggestions", args=[world.venue.slug, submission.number])
    assert client.get(url).status_code == 403
    before = ReviewInvitation.objects.count()
    response = client.post(url, {"reviewer": spare.pk})
    assert response.status_code == 403
    assert ReviewInvitation.objects.count() == before


def test_stranger_chief_api_hides_reviews_invitations_and_suggestions(world, stranger):
    submission, reviewer = stranger
    api = client_for(world.chief)
    base = f"/api/v1/submissions/{submission.pk}"
    for path in ("reviews/", "invitations/", "editor-suggestions/"):
        response = api.get(f"{base}/{path}")
        assert response.status_code in {403, 404}, path
        assert reviewer.email not in response.content.decode()
    spare = VenueRoleFactory(venue=world.venue, role=RoleKind.REVIEWER).user
    before = ReviewInvitation.objects.count()
    response = api.post(f"{base}/invitations/", {"reviewer": spare.pk}, format="json")
    assert response.status_code in {403, 404}
    assert ReviewInvitation.objects.count() == before


def test_stranger_chief_csv_exports_leave_the_paper_out(client, world, stranger):
    _, reviewer = stranger
    client.force_login(world.chief)
    slug = world.venue.slug
    for name in ("journal:dashboard-submissions-csv", "journal:dashboard-decisions-csv"):
        response = client.get(reverse(name, args=[slug]))
        assert response.status_code == 200, name
        body = b"".join(response.streaming_content).decode()
        assert TITLE not in body, name
        assert reviewer.email not in body, name


@pytest.fixture(params=STRANGERS)
def proposal(request, world, django_capture_on_commit_callbacks):
    """A ready proposal over a paper the chief may not see the reviewing of, and another."""
    topics = [(TITLE, "attention transformers sparse"), (OTHER, "graph neural networks")]
    for title, words in topics:
        author = world.chief if title == TITLE and request.param == "author" else None
        world.paper(S.SUBMITTED, title=title, abstract=f"We study {words}.", author=author)
        for j in range(3):
            reviewer = VenueRoleFactory(venue=world.venue, role=RoleKind.REVIEWER).user
            publication_add(user=reviewer, title=f"{title} {j}", abstract=f"On {words}.")
    affinities_compute(venue=world.venue)
    with django_capture_on_commit_callbacks(execute=True):
        run = assignment_run_create(venue=world.venue, actor=world.chief, per_paper=2, max_load=2)
    run.refresh_from_db()
    assert run.status == RunStatus.PROPOSED, run.message
    hidden = world.venue.submissions.get(title=TITLE)
    _make_stranger(world, request.param, hidden)
    return run, hidden


def test_stranger_chief_proposal_page_hides_and_refuses_the_paper(client, world, proposal):
    run, hidden = proposal
    hidden_pairs = list(run.pairs.filter(submission=hidden).select_related("reviewer"))
    assert hidden_pairs
    client.force_login(world.chief)
    url = reverse("journal:dashboard-matching-run", args=[world.venue.slug, run.pk])
    page = client.get(url, {"paper": hidden.number}).content.decode()
    assert TITLE not in page
    for pair in hidden_pairs:
        assert pair.reviewer.email not in page
    other = world.venue.submissions.get(title=OTHER)
    assert OTHER in client.get(url, {"paper": other.number}).content.decode()
    before = ProposedAssignment.objects.count()
    # A pair of the hidden paper, taken out through another paper's form.
    response = client.post(
        url, {"action": "remove", "paper": other.number, "pair": hidden_pairs[0].pk}
    )
    assert response.status_code in {400, 403, 404}
    assert ProposedAssignment.objects.count() == before
    assert not AuditEvent.objects.filter(action="matching.pair_removed").exists()


def test_stranger_chief_proposal_api_hides_and_refuses_the_paper(world, proposal):
    run, hidden = proposal
    api = client_for(world.chief)
    listed = api.get(f"/api/v1/matching-runs/{run.pk}/pairs/").json()["results"]
    assert listed and all(row["submission"] != hidden.pk for row in listed)
    pair = run.pairs.filter(submission=hidden).first()
    before = ProposedAssignment.objects.count()
    response = api.delete(f"/api/v1/matching-runs/{run.pk}/pairs/{pair.pk}/")
    assert response.status_code == 404
    assert ProposedAssignment.objects.count() == before
