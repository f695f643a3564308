"""The area chair console: progress, late reviewers and reminders; the senior area chair's view."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from journal.demo.workflow import drive_to_state
from journal.enums import Anonymity, RoleKind, SubmissionState, VenueKind
from journal.models import OutboundEmail, VenueRole
from journal.services.submissions import AuthorInput, submission_create
from reviews.models import ReviewInvitation
from reviews.services.assessments import meta_review_save
from reviews.services.discussion import comment_post
from reviews.services.invitations import invitation_accept, invitation_create
from reviews.services.reviews import review_submit
from reviews.services.rounds import round_current
from tests.factories import PASSWORD, UserFactory, VenueRoleFactory, claims_assessed
from tests.reviews.workflow.world import AUTHOR_NAME, balanced_answers, invite_all, make_world

pytestmark = pytest.mark.django_db


def console_url(world):
    return reverse("reviews:console", args=[world.venue.slug])


def signed_in(client, user):
    client.login(email=user.email, password=PASSWORD)
    return client


@pytest.fixture
def world():
    world = make_world(kind=VenueKind.CONFERENCE, anonymity=Anonymity.DOUBLE_BLIND)
    invite_all(world)
    first = world.invitations[0]
    review_submit(
        review=first.review,
        actor=first.reviewer,
        raw=balanced_answers(),
        claims=claims_assessed(first.review),
    )
    # The two others are late with their reviews.
    ReviewInvitation.objects.filter(pk__in=[i.pk for i in world.invitations[1:]]).update(
        review_due=timezone.now() - datetime.timedelta(days=2)
    )
    comment_post(
        submission=world.submission,
        author=world.editor,
        body="Could the reviewers discuss the baselines?",
        audience="reviewers",
    )
    return world


def add_paper(world, title: str, *, editor=None):
    author = UserFactory(affiliation="Far Away Institute")
    submission = submission_create(
        venue=world.venue,
        creator=author,
        title=title,
        abstract="Another study.",
        hypothesis_claim="It holds.",
        authors=[AuthorInput(name="Quinn Outsider", email=author.email, is_corresponding=True)],
    )
    drive_to_state(
        submission,
        SubmissionState.UNDER_REVIEW,
        author=author,
        editor=editor or world.editor,
        chief=world.chief,
    )
    for reviewer in world.reviewers:
        invitation = invitation_create(
            submission=submission, reviewer=reviewer, invited_by=world.editor
        )
        invitation_accept(invitation=invitation, actor=reviewer)
        review_submit(
            review=invitation.review,
            actor=reviewer,
            raw=balanced_answers(),
            claims=claims_assessed(invitation.review),
        )
    meta_review_save(
        review_round=round_current(submission=submission),
        editor=editor or world.editor,
        text="Agreed.",
        recommendation="accept",
    )
    return submission


def test_console_shows_progress_late_reviewers_discussion_and_meta_review(client, world):
    page = signed_in(client, world.editor).get(console_url(world))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Area chair console" in html
    assert world.submission.title in html
    assert "1 of 3 submitted" in html
    assert "3 accepted" in html
    for reviewer in world.reviewers[1:]:
        assert f"Remind {reviewer.display_name} about paper #{world.submission.number}" in html
    assert f"Remind {world.reviewers[0].display_name}" not in html
    assert "1 comment" in html
    assert "Not written" in html and "Write the meta-review" in html


def test_one_click_reminder_and_no_second_within_the_hour(client, world):
    late = world.invitations[1]
    url = reverse("reviews:console-remind", args=[world.venue.slug, late.pk])
    signed_in(client, world.editor)
    before = OutboundEmail.objects.count()

    sent = client.post(url, follow=True)
    assert sent.status_code == 200
    assert f"Reminder queued to {late.reviewer.display_name}" in sent.content.decode()
    assert OutboundEmail.objects.count() == before + 1
    assert OutboundEmail.objects.latest("pk").to == late.reviewer.email

    again = client.post(url)
    assert again.status_code == 400
    assert "reminded less than an hour ago" in again.content.decode()
    assert OutboundEmail.objects.count() == before + 1


def test_query_count_does_not_grow_with_the_papers(client, world):
    signed_in(client, world.editor)
    client.get(console_url(world))
    with CaptureQueriesContext(connection) as one:
        client.get(console_url(world))
    add_paper(world, "A second paper on rules")
    add_paper(world, "A third paper on rules")
    with CaptureQueriesContext(connection) as three:
        page = client.get(console_url(world))
    assert "A third paper on rules" in page.content.decode()
    assert "3 of 3 submitted" in page.content.decode()
    assert len(three) == len(one)


def test_the_senior_area_chair_sees_only_their_area_chairs_papers(client, world):
    senior = VenueRoleFactory(
        venue=world.venue,
        role=RoleKind.SENIOR_AREA_CHAIR,
        user=UserFactory(display_name="Sina Seniorchair"),
    ).user
    VenueRole.objects.filter(
        venue=world.venue, user=world.editor, role=RoleKind.ACTION_EDITOR
    ).update(senior=senior)
    other_chair = VenueRoleFactory(
        venue=world.venue, role=RoleKind.ACTION_EDITOR, user=UserFactory()
    ).user
    add_paper(world, "Another chair's paper", editor=other_chair)

    page = signed_in(client, senior).get(console_url(world))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Your area chairs (1)" in html
    assert world.editor.display_name in html
    assert world.submission.title in html
    assert "1 of 3 submitted" in html
    assert "Another chair&#x27;s paper" not in html and "Another chair's paper" not in html
    # Progress, not identities: no authors at a double-blind venue, no reviewers' names.
    assert AUTHOR_NAME not in html
    for reviewer in world.reviewers:
        assert reviewer.display_name not in html
    assert "Remind" not in html


def test_the_senior_area_chair_cannot_send_reminders(client, world):
    senior = VenueRoleFactory(venue=world.venue, role=RoleKind.SENIOR_AREA_CHAIR).user
    VenueRole.objects.filter(venue=world.venue, user=world.editor).update(senior=senior)
    before = OutboundEmail.objects.count()
    url = reverse("reviews:console-remind", args=[world.venue.slug, world.invitations[1].pk])
    refused = signed_in(client, senior).post(url)
    assert refused.status_code == 403
    assert "Only the paper&#x27;s area chair reminds its reviewers." in refused.content.decode()
    assert OutboundEmail.objects.count() == before


def test_a_reviewer_is_told_the_console_is_not_theirs(client, world):
    page = signed_in(client, world.reviewers[0]).get(console_url(world))
    assert page.status_code == 403
    assert "This console is for the area chairs of" in page.content.decode()


def test_a_conflicted_area_chair_does_not_see_the_paper(client, world):
    world.editor.affiliation = "Northfield University"  # the authors' institution
    world.editor.save(update_fields=["affiliation"])
    html = signed_in(client, world.editor).get(console_url(world)).content.decode()
    assert world.submission.title not in html
    assert "No paper has been assigned to you yet." in html


def test_the_dashboard_links_the_console(client, world):
    html = signed_in(client, world.editor).get(reverse("journal:dashboard")).content.decode()
    assert console_url(world) in html
    assert f"Area chair console · {world.venue.name}" in html


def test_the_console_in_the_api(world):
    from tests.api.support import client_for

    url = f"/api/v1/venues/{world.venue.slug}/area-chair-console/"
    body = client_for(world.editor).get(url).json()
    (paper,) = body["papers"]
    assert paper["title"] == world.submission.title
    assert (paper["submitted"], paper["accepted"], paper["required"]) == (1, 3, 3)
    assert {late["reviewer"] for late in paper["late"]} == {
        r.display_name for r in world.reviewers[1:]
    }
    assert paper["comments"] == 1 and paper["meta_review"] == "not written"
    assert body["area_chairs"] == []

    senior = VenueRoleFactory(venue=world.venue, role=RoleKind.SENIOR_AREA_CHAIR).user
    VenueRole.objects.filter(venue=world.venue, user=world.editor).update(senior=senior)
    body = client_for(senior).get(url).json()
    assert body["papers"] == []
    (chair,) = body["area_chairs"]
    assert chair["area_chair"] == world.editor.display_name and chair["late"] == 2
    assert all(late["reviewer"] == "" for late in chair["papers"][0]["late"])
    assert world.reviewers[1].display_name not in str(body)

    refused = client_for(world.reviewers[0]).get(url)
    assert refused.status_code == 403
    assert "The console is for the area chairs of" in refused.json()["detail"]


def test_reminders_in_the_api(world):
    from tests.api.support import client_for

    late = world.invitations[1]
    url = f"/api/v1/submissions/{world.submission.pk}/invitations/{late.pk}/remind/"
    before = OutboundEmail.objects.count()
    sent = client_for(world.editor).post(url)
    assert sent.status_code == 201 and sent.json()["to"] == late.reviewer.email
    again = client_for(world.editor).post(url)
    assert again.status_code == 400 and "less than an hour ago" in again.json()["detail"]
    senior = VenueRoleFactory(venue=world.venue, role=RoleKind.SENIOR_AREA_CHAIR).user
    VenueRole.objects.filter(venue=world.venue, user=world.editor).update(senior=senior)
    assert client_for(senior).post(url).status_code == 403
    assert OutboundEmail.objects.count() == before + 1


def test_the_senior_area_chair_reads_the_paper_page_without_its_authors(client, world):
    senior = VenueRoleFactory(venue=world.venue, role=RoleKind.SENIOR_AREA_CHAIR).user
    VenueRole.objects.filter(venue=world.venue, user=world.editor).update(senior=senior)
    page = signed_in(client, senior).get(
        reverse("journal:submission-detail", args=[world.submission.pk])
    )
    assert page.status_code == 200
    html = page.content.decode()
    assert world.submission.title in html
    assert AUTHOR_NAME not in html
