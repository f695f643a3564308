"""An authors' flag ("judges only the numbers") is upheld or dismissed by the paper's editor:
the authors read the outcome and the note (page and e-mail), an upheld flag counts in the
reviewer's reliability and is shown where the editor recommends and decides; refusals and
double submits change nothing."""

import pytest
from django.urls import reverse

from journal.enums import RoleKind
from journal.models import AuditEvent, Authorship, OutboundEmail
from journal.selectors.analytics import analytics_reviewers
from journal.selectors.dashboard import dashboard_scope
from reviews.enums import FlagState
from reviews.models import ReviewFlag
from reviews.services.assessments import review_flag
from reviews.services.rounds import round_release
from tests.api.support import client_for
from tests.factories import UserFactory, VenueRoleFactory
from tests.reviews.workflow.world import (
    COAUTHOR_EMAIL,
    invite_all,
    make_world,
    submit_review,
)

pytestmark = pytest.mark.django_db
NOTE = "Reviewer 1 discussed only the leaderboard; I have discounted that review."


@pytest.fixture
def flagged():
    world = make_world(n_reviewers=2)
    invite_all(world)
    reviews = [submit_review(world, r) for r in world.reviewers]
    round_release(review_round=reviews[0].round, actor=world.editor)
    flag = review_flag(review=reviews[0], actor=world.author, reason="It only asks about SOTA.")
    world.flag = flag
    return world


def resolve_url(world):
    return reverse("reviews:resolve-flag", args=[world.submission.pk, world.flag.pk])


def flag_emails():
    return OutboundEmail.objects.filter(template="reviews/emails/flag_resolved")


def snapshot(flag):
    flag.refresh_from_db()
    return (flag.state, flag.outcome, flag.resolution, flag.resolved_by_id)


def test_upheld_flag_reaches_the_authors_on_their_page_and_by_mail(
    client, flagged, django_capture_on_commit_callbacks
):
    client.force_login(flagged.editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(resolve_url(flagged), {"outcome": "upheld", "note": NOTE})
    assert response.status_code == 302
    flag = ReviewFlag.objects.get(pk=flagged.flag.pk)
    assert (flag.state, flag.outcome, flag.resolved_by) == ("resolved", "upheld", flagged.editor)
    event = AuditEvent.objects.get(action="review.flag_resolve")
    assert event.actor == flagged.editor and event.data["outcome"] == "upheld"

    mails = {m.to: m for m in flag_emails()}
    author_email = flagged.author.email
    assert set(mails) == {author_email, COAUTHOR_EMAIL}
    body = mails[author_email].body
    assert "Upheld: the review judged the paper only by its numbers" in body
    assert NOTE in body and "Reviewer 1" in body
    assert flagged.reviewers[0].display_name not in body  # double blind
    assert "Upheld" in mails[author_email].subject

    client.force_login(flagged.author)
    page = client.get(reverse("journal:submission-detail", args=[flagged.submission.pk]))
    html = page.content.decode()
    assert "Your flags: reviews that judge only the numbers" in html
    assert "Upheld: the review judged the paper only by its numbers" in html
    assert "The editor's note: " + NOTE in html


def test_upheld_flags_count_in_reliability_and_show_where_the_editor_decides(client, flagged):
    client.force_login(flagged.editor)
    client.post(resolve_url(flagged), {"outcome": "upheld", "note": NOTE})
    _, records = analytics_reviewers(scope=dashboard_scope(venue=flagged.venue, user=flagged.chief))
    by_reviewer = {r.reviewer: r.upheld_flags for r in records}
    assert by_reviewer == {flagged.reviewers[0]: 1, flagged.reviewers[1]: 0}
    # the flagged reviewer comes first among the least reliable
    assert records[0].reviewer == flagged.reviewers[0]

    client.force_login(flagged.chief)
    analytics = client.get(reverse("journal:dashboard-analytics", args=[flagged.venue.slug]))
    assert "<th scope=\"col\">Upheld flags</th>" in analytics.content.decode()

    client.force_login(flagged.editor)
    decide = client.get(reverse("reviews:decision", args=[flagged.submission.pk]))
    html = decide.content.decode()
    assert "Upheld flags: 1 review judged the paper only by its numbers." in html
    assert NOTE in html
    reviews_page = client.get(reverse("reviews:submission-reviews", args=[flagged.submission.pk]))
    meta_part = reviews_page.content.decode().split('id="meta-review"')[1]
    assert "Upheld flags: 1 review" in meta_part


def test_dismissed_flag_does_not_count(client, flagged):
    client.force_login(flagged.editor)
    client.post(resolve_url(flagged), {"outcome": "dismissed", "note": "It weighs the idea."})
    _, records = analytics_reviewers(scope=dashboard_scope(venue=flagged.venue, user=flagged.chief))
    assert all(r.upheld_flags == 0 for r in records)
    decide = client.get(reverse("reviews:decision", args=[flagged.submission.pk]))
    assert "Upheld flags" not in decide.content.decode()


def test_double_submit_changes_nothing_more(client, flagged, django_capture_on_commit_callbacks):
    client.force_login(flagged.editor)
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(resolve_url(flagged), {"outcome": "upheld", "note": NOTE})
        second = client.post(resolve_url(flagged), {"outcome": "upheld", "note": NOTE})
    assert first.status_code == second.status_code == 302
    assert AuditEvent.objects.filter(action="review.flag_resolve").count() == 1
    assert flag_emails().count() == 2  # one per author, once


@pytest.mark.parametrize("who", ["author", "reviewer", "authoring_editor", "stranger"])
def test_refusals_change_nothing(client, flagged, who, django_capture_on_commit_callbacks):
    if who == "authoring_editor":
        person = VenueRoleFactory(venue=flagged.venue, role=RoleKind.CHIEF).user
        Authorship.objects.create(
            submission=flagged.submission, user=person, name="Chief Author", email=person.email,
            order=5,
        )
    else:
        person = {"author": flagged.author, "reviewer": flagged.reviewers[1]}.get(who) or (
            UserFactory()
        )
    before = snapshot(flagged.flag)
    client.force_login(person)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(resolve_url(flagged), {"outcome": "upheld", "note": NOTE})
    assert response.status_code in {403, 404}
    assert snapshot(flagged.flag) == before == (FlagState.OPEN, "", "", None)
    assert not flag_emails().exists()
    assert not AuditEvent.objects.filter(action="review.flag_resolve").exists()


def test_bad_input_is_a_page_that_says_why_and_changes_nothing(client, flagged):
    client.force_login(flagged.editor)
    before = snapshot(flagged.flag)
    no_note = client.post(resolve_url(flagged), {"outcome": "upheld", "note": "  "})
    assert no_note.status_code == 400
    assert "Write a note for the authors" in no_note.content.decode()
    no_outcome = client.post(resolve_url(flagged), {"note": NOTE})
    assert no_outcome.status_code == 400 and "upheld or dismissed" in no_outcome.content.decode()
    assert snapshot(flagged.flag) == before


def test_api_resolves_and_reaches_the_authors(flagged, django_capture_on_commit_callbacks):
    url = f"/api/v1/submissions/{flagged.submission.pk}/flags/{flagged.flag.pk}/resolve/"
    before = snapshot(flagged.flag)
    refused = client_for(flagged.author).post(url, {"outcome": "upheld", "note": NOTE}, "json")
    assert refused.status_code == 403 and "editors" in refused.json()["detail"]
    bad = client_for(flagged.editor).post(url, {"outcome": "maybe", "note": NOTE}, "json")
    assert bad.status_code == 400 and "outcome" in bad.json()["errors"]
    assert snapshot(flagged.flag) == before
    with django_capture_on_commit_callbacks(execute=True):
        done = client_for(flagged.editor).post(url, {"outcome": "dismissed", "note": NOTE}, "json")
        again = client_for(flagged.editor).post(url, {"outcome": "dismissed", "note": NOTE}, "json")
    assert done.status_code == again.status_code == 200
    assert done.json()["outcome"] == "dismissed" and done.json()["resolution"] == NOTE
    assert flag_emails().count() == 2
    author_view = client_for(flagged.author).get(
        f"/api/v1/submissions/{flagged.submission.pk}/flags/"
    ).json()
    assert author_view[0]["outcome"] == "dismissed" and author_view[0]["resolution"] == NOTE
