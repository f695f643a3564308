"""Action editors as TMLR handles them: suggestions by topic, conflict checks with a recorded
override, e-mails on assignment, and editors saying when they are away."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from journal.enums import Anonymity, RoleKind, SubmissionState
from journal.errors import DomainError
from journal.models import AuditEvent, EditorConflictWaiver, OutboundEmail, VenueRole
from journal.rules import is_submission_editor
from journal.services.action_editors import EditorConflictWarning, submission_assign_action_editor
from journal.services.roles import away_editor_reminders_send
from reviews.selectors.editor_suggestions import submission_editor_suggestions
from reviews.services.publications import publication_add
from tests.factories import UserFactory, VenueRoleFactory

S = SubmissionState


def _same_lab(world):
    """An action editor at the author's own e-mail domain (a conflict of interest)."""
    domain = world.author.email.rsplit("@", 1)[1]
    return VenueRoleFactory(
        venue=world.venue,
        role=RoleKind.ACTION_EDITOR,
        user=UserFactory(display_name="Lab Mate", email=f"mate@{domain}"),
    ).user


def test_conflicted_action_editor_refused_with_the_reasons_and_nothing_changes(world):
    submission = world.paper(S.SUBMITTED)
    mate = _same_lab(world)
    with pytest.raises(EditorConflictWarning) as caught:
        submission_assign_action_editor(submission=submission, editor=mate, actor=world.chief)
    assert any("domain" in reason for reason in caught.value.reasons)
    submission.refresh_from_db()
    assert submission.action_editor_id is None
    assert not AuditEvent.objects.filter(action="submission.action_editor_assigned").exists()
    assert not OutboundEmail.objects.filter(template__contains="action_editor").exists()
    with pytest.raises(DomainError, match="Say why"):
        submission_assign_action_editor(
            submission=submission, editor=mate, actor=world.chief, allow_conflict=True
        )
    submission.refresh_from_db()
    assert submission.action_editor_id is None


def test_conflict_override_is_recorded_and_lets_the_editor_handle_the_paper(world):
    submission = world.paper(S.SUBMITTED)
    mate = _same_lab(world)
    assert not is_submission_editor(mate, submission)
    submission_assign_action_editor(
        submission=submission,
        editor=mate,
        actor=world.chief,
        allow_conflict=True,
        override_note="Only expert on this topic; different group.",
    )
    submission.refresh_from_db()
    assert submission.action_editor_id == mate.pk
    event = AuditEvent.objects.get(action="submission.action_editor_assigned")
    assert event.actor == world.chief
    assert event.data["note"] == "Only expert on this topic; different group."
    assert event.data["conflict_override"]
    waiver = EditorConflictWaiver.objects.get(submission=submission, editor=mate)
    assert waiver.granted_by == world.chief
    fresh = type(mate).objects.get(pk=mate.pk)
    assert is_submission_editor(fresh, submission)


@pytest.mark.parametrize("anonymity", [Anonymity.DOUBLE_BLIND, Anonymity.SINGLE_BLIND])
def test_assignment_emails_the_editor_and_tells_the_authors(
    world, anonymity, django_capture_on_commit_callbacks
):
    world.venue.anonymity = anonymity
    world.venue.save(update_fields=["anonymity"])
    submission = world.paper(S.SUBMITTED, title="Sparse attention for graphs")
    with django_capture_on_commit_callbacks(execute=True):
        submission_assign_action_editor(
            submission=submission, editor=world.other_editor, actor=world.chief
        )
    to_editor = OutboundEmail.objects.get(template="journal/emails/action_editor_assigned")
    assert to_editor.recipient == world.other_editor
    assert "Sparse attention for graphs" in to_editor.subject
    assert f"/dashboard/papers/{submission.number}/" in to_editor.body
    assert "days after the reviewer" in to_editor.body
    to_authors = OutboundEmail.objects.get(template="journal/emails/action_editor_assigned_authors")
    assert to_authors.to == world.author.email
    named = world.other_editor.display_name in to_authors.body
    assert named is (anonymity != Anonymity.DOUBLE_BLIND)


def test_editor_suggestions_follow_affinity_among_eligible_editors(world):
    submission = world.paper(
        S.SUBMITTED,
        title="Message passing on graphs",
        abstract="Graph neural networks oversmooth; we study message passing depth.",
    )
    graphs = VenueRoleFactory(venue=world.venue, role=RoleKind.ACTION_EDITOR).user
    vision = VenueRoleFactory(venue=world.venue, role=RoleKind.ACTION_EDITOR).user
    away = VenueRoleFactory(
        venue=world.venue,
        role=RoleKind.ACTION_EDITOR,
        unavailable_until=timezone.localdate() + timedelta(days=30),
    ).user
    full = VenueRoleFactory(venue=world.venue, role=RoleKind.ACTION_EDITOR, load_quota=1).user
    world.paper(S.UNDER_REVIEW, editor=full)
    for editor in (graphs, away, full):
        publication_add(
            user=editor, title="Oversmoothing in graph neural networks", abstract="Message passing."
        )
    publication_add(user=vision, title="Image segmentation", abstract="Pixels and convolutions.")
    submission.suggested_action_editors.add(vision)
    ranked = submission_editor_suggestions(submission=submission)
    eligible = [s.editor for s in ranked if s.eligible]
    assert eligible[0] == graphs
    assert eligible.index(graphs) < eligible.index(vision)
    by_editor = {s.editor: s for s in ranked}
    assert not by_editor[away].available and not by_editor[away].eligible
    assert by_editor[full].is_full and by_editor[full].load == 1
    assert by_editor[vision].suggested_by_authors
    assert "graph" in " ".join(by_editor[graphs].shared_terms)
    positions = [s.editor for s in ranked]
    assert positions.index(away) > positions.index(vision)


def test_chief_sees_suggestions_with_load_why_and_conflicts(client, world):
    submission = world.paper(S.SUBMITTED, title="Message passing on graphs")
    _same_lab(world)
    client.force_login(world.chief)
    page = client.get(
        reverse("journal:dashboard-paper", args=[world.venue.slug, submission.number])
    ).content.decode()
    assert "Action editor suggestions" in page
    assert world.other_editor.display_name in page
    assert "Lab Mate" in page and "Assign despite the conflict" in page
    assert "available" in page


def test_paper_page_shows_the_best_twenty_editors_and_links_to_all(client, world):
    submission = world.paper(S.SUBMITTED, title="Message passing on graphs")
    extra = [VenueRoleFactory(venue=world.venue, role=RoleKind.ACTION_EDITOR) for _ in range(22)]
    best = extra[0].user
    publication_add(user=best, title="Message passing on graphs, deeper", abstract="Graphs.")
    total = VenueRole.objects.filter(venue=world.venue, role=RoleKind.ACTION_EDITOR).count()
    url = reverse("journal:dashboard-paper", args=[world.venue.slug, submission.number])
    client.force_login(world.chief)

    page = client.get(url).content.decode()
    every = client.get(url + "?editors=all").content.decode()

    section = page[page.index('id="editor-suggestions"') :]
    assert section.count('name="editor" value=') == 20
    assert best.display_name in section and "shares: " in section
    assert f"Show all {total} action editors" in section
    assert f"({total - 20} more, ranked lower)" in section
    all_section = every[every.index('id="editor-suggestions"') :]
    assert all_section.count('name="editor" value=') == total
    assert "Show all" not in all_section


def test_a_paper_with_an_editor_ranks_the_others_only_when_asked(
    client, world, django_assert_max_num_queries
):
    """Ranking every action editor is the page's dearest part: once a paper has its editor,
    the page names them and offers the ranking, which one click shows."""
    submission = world.paper(S.UNDER_REVIEW, title="Message passing on graphs")
    url = reverse("journal:dashboard-paper", args=[world.venue.slug, submission.number])
    client.force_login(world.chief)

    page = client.get(url).content.decode()
    ranked = client.get(url + "?editors=suggest").content.decode()

    section = page[page.index('id="editor-suggestions"') : page.index('id="timeline-title"')]
    assert f"{world.editor.display_name} handles this paper." in section
    assert 'href="?editors=suggest#editor-suggestions"' in section
    assert 'name="editor" value=' not in section and "Topic match" not in section
    assert 'name="editor"' in page  # the assign form still reassigns from the list
    ranked_section = ranked[ranked.index('id="editor-suggestions"') :]
    assert "Topic match" in ranked_section
    assert f'name="editor" value="{world.other_editor.pk}"' in ranked_section
    assert "assigned</span>" in ranked_section
    with django_assert_max_num_queries(60) as plain:
        client.get(url)
    with django_assert_max_num_queries(200) as asked:
        client.get(url + "?editors=suggest")
    assert len(plain.captured_queries) < len(asked.captured_queries)


def test_assign_page_refuses_a_conflict_without_override_and_records_one_with(client, world):
    submission = world.paper(S.SUBMITTED)
    mate = _same_lab(world)
    client.force_login(world.chief)
    url = reverse("journal:dashboard-paper-assign", args=[world.venue.slug, submission.number])
    refused = client.post(url, {"editor": mate.pk})
    assert refused.status_code == 409
    assert "conflict of interest" in refused.content.decode()
    submission.refresh_from_db()
    assert submission.action_editor_id is None
    done = client.post(
        url, {"editor": mate.pk, "allow_conflict": "on", "override_note": "Agreed with EIC."}
    )
    assert done.status_code == 302
    submission.refresh_from_db()
    assert submission.action_editor_id == mate.pk


def test_authors_suggest_action_editors_on_the_form(client, world):
    client.force_login(world.author)
    page = client.get(reverse("journal:submit", kwargs={"slug": world.venue.slug}))
    html = page.content.decode()
    assert "Action editors you suggest" in html
    assert world.other_editor.display_name in html


def test_editor_says_when_away_on_the_profile(client, world):
    role = VenueRole.objects.get(venue=world.venue, user=world.editor)
    back = timezone.localdate() + timedelta(days=14)
    client.force_login(world.editor)
    page = client.get(reverse("journal:profile")).content.decode()
    assert "Your roles" in page and "When you are away" in page and world.venue.name in page
    response = client.post(
        reverse("journal:profile-availability", args=[role.pk]),
        {"unavailable_until": back.isoformat()},
    )
    assert response.status_code == 302
    role.refresh_from_db()
    assert role.unavailable_until == back
    assert AuditEvent.objects.filter(action="role.availability", actor=world.editor).exists()
    other = VenueRole.objects.get(venue=world.venue, user=world.other_editor)
    stranger = client.post(
        reverse("journal:profile-availability", args=[other.pk]),
        {"unavailable_until": back.isoformat()},
    )
    assert stranger.status_code == 404
    other.refresh_from_db()
    assert other.unavailable_until is None
    past = client.post(
        reverse("journal:profile-availability", args=[role.pk]),
        {"unavailable_until": (timezone.localdate() - timedelta(days=1)).isoformat()},
    )
    assert past.status_code == 302
    role.refresh_from_db()
    assert role.unavailable_until == back


def test_away_editors_are_reminded_once_a_week(world):
    role = VenueRole.objects.get(venue=world.venue, user=world.editor)
    role.unavailable_until = timezone.localdate() + timedelta(days=20)
    role.save(update_fields=["unavailable_until"])
    today = timezone.localdate()
    assert away_editor_reminders_send(today=today) == 1
    assert away_editor_reminders_send(today=today) == 0
    mail = OutboundEmail.objects.get(template="journal/emails/away_reminder")
    assert mail.recipient == world.editor and "marked away until" in mail.subject
    assert away_editor_reminders_send(today=today + timedelta(days=7)) == 1


def test_api_editor_suggestions_and_assignment_with_override(world):
    from tests.api.support import client_for

    submission = world.paper(S.SUBMITTED)
    mate = _same_lab(world)
    api = client_for(world.chief)
    rows = api.get(f"/api/v1/submissions/{submission.pk}/editor-suggestions/").json()
    by_name = {row["name"]: row for row in rows}
    assert by_name["Lab Mate"]["conflicts"] and not by_name["Lab Mate"]["eligible"]
    assert by_name[world.other_editor.display_name]["eligible"]
    url = f"/api/v1/submissions/{submission.pk}/action-editor/"
    refused = api.post(url, {"editor": mate.pk}, format="json")
    assert refused.status_code == 409
    assert "conflict of interest" in refused.json()["detail"]
    submission.refresh_from_db()
    assert submission.action_editor_id is None
    done = api.post(
        url,
        {"editor": mate.pk, "allow_conflict": True, "override_note": "Agreed."},
        format="json",
    )
    assert done.status_code == 200
    assert EditorConflictWaiver.objects.filter(submission=submission, editor=mate).exists()
    assert client_for(world.editor).get(
        f"/api/v1/submissions/{submission.pk}/editor-suggestions/"
    ).status_code in {403, 404}


def test_api_editor_says_when_away(world):
    from tests.api.support import client_for

    role = VenueRole.objects.get(venue=world.venue, user=world.editor)
    back = timezone.localdate() + timedelta(days=10)
    api = client_for(world.editor)
    mine = [r for r in api.get("/api/v1/me/").json()["roles"] if r["id"] == role.pk]
    assert mine and mine[0]["unavailable_until"] is None
    response = api.patch(
        f"/api/v1/me/roles/{role.pk}/", {"unavailable_until": back.isoformat()}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["unavailable_until"] == back.isoformat()
    other = VenueRole.objects.get(venue=world.venue, user=world.other_editor)
    assert (
        api.patch(
            f"/api/v1/me/roles/{other.pk}/", {"unavailable_until": None}, format="json"
        ).status_code
        == 404
    )
