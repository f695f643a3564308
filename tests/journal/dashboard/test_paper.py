"""The editor's page of a paper: who gets in, what it shows, its actions, its query count."""

import html

import pytest
from django.urls import reverse

from journal.demo.workflow import drive_to_state
from journal.enums import RoleKind, SubmissionState
from journal.models import AuditEvent
from journal.services.portal import draft_submit
from journal.services.submissions import AuthorInput, submission_create
from journal.services.versions import version_upload
from tests.factories import UserFactory, VenueRoleFactory
from tests.journal.dashboard.conftest import add_review, count_queries
from tests.pdfs import pdf_upload

S = SubmissionState


def paper_url(submission, name="journal:dashboard-paper"):
    return reverse(name, kwargs={"slug": submission.venue.slug, "number": submission.number})


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("chief", 200),
        ("editor", 200),
        ("other_editor", 403),
        ("reviewer", 403),
        ("author", 403),
        ("stranger", 403),
        ("anonymous", 302),
    ],
)
def test_paper_page_permissions(client, world, who, status):
    submission = world.paper(S.UNDER_REVIEW)
    if who == "stranger":
        client.force_login(UserFactory())
    elif who != "anonymous":
        client.force_login(getattr(world, who))
    assert client.get(paper_url(submission)).status_code == status


def test_paper_page_hidden_from_a_chief_who_wrote_it(client, world):
    submission = world.paper(S.SUBMITTED, author=world.chief)
    client.force_login(world.chief)
    assert client.get(paper_url(submission)).status_code == 403


def test_paper_page_drafts_and_unknown_numbers_are_404(client, world):
    draft = world.paper(S.DRAFT)
    client.force_login(world.chief)
    assert client.get(paper_url(draft)).status_code == 404
    url = reverse("journal:dashboard-paper", kwargs={"slug": world.venue.slug, "number": 999})
    assert client.get(url).status_code == 404


def test_paper_page_shows_everything(client, world):
    submission = world.paper(S.UNDER_REVIEW, title="Everything in one place")
    add_review(world, submission, world.reviewer)
    client.force_login(world.chief)
    page = client.get(paper_url(submission)).content.decode()
    assert "Everything in one place" in page
    assert "Ada Author" in page  # editors see the authors
    assert "Reviewer 1" in page and world.reviewer.display_name in page
    assert "Weighted overall" in page
    assert "Calibrated overall (aid)" in page
    assert "submission.transition" in page  # the audit timeline
    assert "v1" in page


def test_chief_assigns_an_action_editor(client, world):
    submission = world.paper(S.SUBMITTED)
    client.force_login(world.chief)
    response = client.post(
        paper_url(submission, "journal:dashboard-paper-assign"),
        {"editor": str(world.other_editor.pk)},
    )
    assert response.status_code == 302
    submission.refresh_from_db()
    assert submission.action_editor == world.other_editor
    assert AuditEvent.objects.filter(
        submission=submission, action="submission.action_editor_assigned", actor=world.chief
    ).exists()


def test_action_editor_cannot_assign(client, world):
    submission = world.paper(S.UNDER_REVIEW)
    client.force_login(world.editor)
    response = client.post(
        paper_url(submission, "journal:dashboard-paper-assign"),
        {"editor": str(world.other_editor.pk)},
    )
    assert response.status_code == 403
    submission.refresh_from_db()
    assert submission.action_editor == world.editor


def test_assigning_someone_who_is_no_editor_is_refused(client, world):
    submission = world.paper(S.SUBMITTED)
    client.force_login(world.chief)
    client.post(
        paper_url(submission, "journal:dashboard-paper-assign"), {"editor": str(world.reviewer.pk)}
    )
    submission.refresh_from_db()
    assert submission.action_editor is None


def test_desk_reject_needs_a_reason(client, world):
    submission = world.paper(S.SUBMITTED)
    client.force_login(world.chief)
    url = paper_url(submission, "journal:dashboard-paper-step")
    refused = client.post(url, {"to_state": S.DESK_REJECTED, "note": " "})
    assert refused.status_code == 409
    assert "Give a reason" in refused.content.decode()
    submission.refresh_from_db()
    assert submission.state == S.SUBMITTED
    done = client.post(url, {"to_state": S.DESK_REJECTED, "note": "Out of scope."})
    assert done.status_code == 302
    submission.refresh_from_db()
    assert submission.state == S.DESK_REJECTED


def test_send_to_review_from_the_page(client, world):
    submission = world.paper(S.SUBMITTED, editor=world.editor)
    client.force_login(world.chief)
    client.post(
        paper_url(submission, "journal:dashboard-paper-assign"), {"editor": str(world.editor.pk)}
    )
    client.force_login(world.editor)
    response = client.post(
        paper_url(submission, "journal:dashboard-paper-step"), {"to_state": S.UNDER_REVIEW}
    )
    assert response.status_code == 302
    submission.refresh_from_db()
    assert submission.state == S.UNDER_REVIEW


def test_steps_not_offered_here_are_refused(client, world):
    submission = world.paper(S.DECISION_PENDING)
    client.force_login(world.chief)
    response = client.post(
        paper_url(submission, "journal:dashboard-paper-step"), {"to_state": S.ACCEPTED}
    )
    assert response.status_code == 302
    submission.refresh_from_db()
    assert submission.state == S.DECISION_PENDING


def test_other_editor_cannot_take_steps(client, world):
    submission = world.paper(S.SUBMITTED)
    client.force_login(world.other_editor)
    response = client.post(
        paper_url(submission, "journal:dashboard-paper-step"),
        {"to_state": S.DESK_REJECTED, "note": "No."},
    )
    assert response.status_code == 403


def test_paper_page_query_count_constant(client, world):
    submission = world.paper(S.UNDER_REVIEW)
    client.force_login(world.chief)
    add_review(world, submission)
    one = count_queries(client, paper_url(submission))
    for _ in range(4):
        add_review(world, submission)
    for _ in range(45):
        VenueRoleFactory(venue=world.venue, role=RoleKind.ACTION_EDITOR)
    assert count_queries(client, paper_url(submission)) == one


def test_action_editor_invites_from_ranked_suggestions(client, world):
    from reviews.models import ReviewInvitation
    from reviews.services.publications import publication_add

    submission = world.paper(S.UNDER_REVIEW, abstract="Sparse attention for long documents.")
    expert = VenueRoleFactory(venue=world.venue, role=RoleKind.REVIEWER).user
    publication_add(user=expert, title="Sparse attention", abstract="Long documents, sparse.")
    publication_add(user=world.reviewer, title="Protein folding", abstract="Proteins fold.")
    client.force_login(world.editor)
    url = paper_url(submission, "journal:dashboard-paper-suggestions")
    page = client.get(url)
    suggestions = page.context["suggestions"]
    assert suggestions[0].reviewer == expert
    assert "Sparse attention" in page.content.decode()
    assert client.post(url, {"reviewer": expert.pk}).status_code == 302
    assert ReviewInvitation.objects.filter(submission=submission, reviewer=expert).exists()
    twice = client.post(url, {"reviewer": expert.pk})
    assert twice.status_code == 400
    stranger = client.post(url, {"reviewer": UserFactory().pk})
    assert stranger.status_code == 400


def test_suggestions_refused_to_other_editors_and_closed_papers(client, world):
    submission = world.paper(S.UNDER_REVIEW)
    client.force_login(world.other_editor)
    url = paper_url(submission, "journal:dashboard-paper-suggestions")
    assert client.get(url).status_code == 403
    rejected = world.paper(S.DESK_REJECTED)
    client.force_login(world.chief)
    assert client.get(paper_url(rejected, "journal:dashboard-paper-suggestions")).status_code == 403


def test_paper_page_shows_the_double_blind_findings(client, world):
    submission = submission_create(
        venue=world.venue,
        creator=world.author,
        title="Named on its first page",
        abstract="A",
        hypothesis_claim="H",
        authors=[AuthorInput(name="Ada Author", email=world.author.email)],
    )
    named = pdf_upload([["Named on its first page", "Ada Author"]], info={"/Author": "Ada A."})
    version_upload(submission=submission, actor=world.author, pdf=named)
    draft_submit(submission=submission, actor=world.author, acknowledge_anonymity=True)
    client.force_login(world.chief)
    page = html.unescape(client.get(paper_url(submission)).content.decode())
    assert "Double-blind check: 2 findings." in page
    assert "Author name 'Ada Author' on page 1" in page
    assert "Metadata /Author: Ada A." in page
    assert "The authors confirmed that these do not identify them." in page


def test_paper_page_lists_only_submitted_versions(client, world):
    submission = world.paper(S.UNDER_REVIEW)
    drive_to_state(
        submission,
        S.REVISION_REQUESTED,
        author=world.author,
        editor=world.editor,
        chief=world.chief,
    )
    version_upload(
        submission=submission, actor=world.author, pdf=pdf_upload(), change_summary="Pending"
    )
    client.force_login(world.chief)
    page = client.get(paper_url(submission)).content.decode()
    assert reverse("journal:version-file", args=[submission.pk, 1, "pdf"]) in page
    assert reverse("journal:version-file", args=[submission.pk, 2, "pdf"]) not in page
    assert "Double-blind check: nothing found." in page
