"""The review pages: each renders for who may see it, refuses others, and answers 4xx with
the domain's message. List pages keep a constant number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from journal.enums import DecisionStatus, RoleKind, SubmissionState, VenueKind
from reviews.enums import InvitationState, ReviewState
from reviews.models import Review, ReviewInvitation
from reviews.services.invitations import invitation_accept, invitation_create
from tests.factories import UserFactory, VenueRoleFactory, claims_posted
from tests.reviews.workflow.world import balanced_answers, invite_all, make_world, submit_review

pytestmark = pytest.mark.django_db


def _client(client, user):
    client.force_login(user)
    return client


def test_reviewing_home_lists_invitations_and_reviews(client):
    world = make_world(n_reviewers=2)
    invitation_create(
        submission=world.submission, reviewer=world.reviewers[0], invited_by=world.editor
    )
    page = _client(client, world.reviewers[0]).get(reverse("reviews:reviewing"))
    assert page.status_code == 200
    body = page.content.decode()
    assert world.submission.title in body and "Accept or decline" in body
    assert "Quillfeather" not in body


def test_reviewing_home_anonymous_redirects_to_login(client):
    assert client.get(reverse("reviews:reviewing")).status_code == 302


def test_reviewing_home_constant_queries(client, django_assert_num_queries):
    reviewer = UserFactory(affiliation="Independent")

    def add_work(n):
        for _ in range(n):
            for accept in (False, True):
                world = make_world(n_reviewers=0)
                VenueRoleFactory(venue=world.venue, user=reviewer, role=RoleKind.REVIEWER)
                invitation = invitation_create(
                    submission=world.submission, reviewer=reviewer, invited_by=None
                )
                if accept:
                    invitation_accept(invitation=invitation, actor=reviewer)

    add_work(1)
    _client(client, reviewer)
    url = reverse("reviews:reviewing")
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        assert len(client.get(url).context["reviews"]) == 1
    add_work(3)
    with django_assert_num_queries(len(one.captured_queries)):
        page = client.get(url)
    assert len(page.context["reviews"]) == 4 and len(page.context["invitations"]) == 4


def test_invitation_page_accept_and_decline(client):
    world = make_world()
    inv = invitation_create(
        submission=world.submission, reviewer=world.reviewers[0], invited_by=world.editor
    )
    c = _client(client, world.reviewers[0])
    page = c.get(reverse("reviews:invitation", args=[inv.pk]))
    assert page.status_code == 200
    assert "learns" in page.content.decode() and "Quillfeather" not in page.content.decode()
    refused = c.post(reverse("reviews:invitation", args=[inv.pk]), {"answer": "decline"})
    assert refused.status_code == 409 and "why you decline" in refused.content.decode()
    done = c.post(reverse("reviews:invitation", args=[inv.pk]), {"answer": "accept"})
    inv.refresh_from_db()
    assert inv.state == InvitationState.ACCEPTED
    assert done.url == reverse("reviews:review-edit", args=[inv.review.pk])


def test_invitation_page_hidden_from_others(client):
    world = make_world()
    inv = invitation_create(
        submission=world.submission, reviewer=world.reviewers[0], invited_by=world.editor
    )
    page = _client(client, world.reviewers[1]).get(reverse("reviews:invitation", args=[inv.pk]))
    assert page.status_code == 404


def test_review_page_draft_without_js_submit_and_autosave(client):
    world = make_world()
    invite_all(world)
    review = Review.objects.get(reviewer=world.reviewers[0])
    c = _client(client, world.reviewers[0])
    url = reverse("reviews:review-edit", args=[review.pk])
    page = c.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'hx-post="' in html and "Originality" in html and "Quillfeather" not in html
    assert c.post(url, {"summary": "So far", "save": "1"}).status_code == 302
    review.refresh_from_db()
    assert review.answers == {"summary": "So far"}
    auto = c.post(
        reverse("reviews:review-autosave", args=[review.pk]),
        {"summary": "Typed more"},
        HTTP_HX_REQUEST="true",
    )
    assert auto.status_code == 200 and "Draft saved" in auto.content.decode()
    review.refresh_from_db()
    assert review.answers["summary"] == "Typed more"
    bad = c.post(url, {**balanced_answers(originality=""), "submit": "1"})
    assert bad.status_code == 400 and "Originality" in bad.content.decode()
    ok = c.post(url, {**balanced_answers(), **claims_posted(review.submission), "submit": "1"})
    assert ok.status_code == 302
    review.refresh_from_db()
    assert review.state == ReviewState.SUBMITTED


def test_review_page_only_for_its_reviewer(client):
    world = make_world()
    invite_all(world)
    review = Review.objects.get(reviewer=world.reviewers[0])
    for person in (world.reviewers[1], world.author, world.editor):
        client.force_login(person)
        assert client.get(reverse("reviews:review-edit", args=[review.pk])).status_code == 404


def test_submission_reviews_page_by_role(client):
    world = make_world()
    invite_all(world)
    for reviewer in world.reviewers:
        submit_review(world, reviewer)
    url = reverse("reviews:submission-reviews", args=[world.submission.pk])
    editor_page = _client(client, world.editor).get(url).content.decode()
    assert "Weighted overall" in editor_page and world.reviewers[0].display_name in editor_page
    author_page = _client(client, world.author).get(url).content.decode()
    assert "Reviewer 1" in author_page and "Weighted overall" not in author_page
    for reviewer in world.reviewers:
        assert reviewer.display_name not in author_page
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404


def test_author_cannot_read_reviews_before_release(client):
    world = make_world()
    invite_all(world)
    submit_review(world, world.reviewers[0])
    url = reverse("reviews:submission-reviews", args=[world.submission.pk])
    assert _client(client, world.author).get(url).status_code == 403


def test_editor_invites_from_page(client):
    world = make_world()
    c = _client(client, world.editor)
    url = reverse("reviews:invite", args=[world.submission.pk])
    assert c.get(url).status_code == 200
    c.post(url, {"reviewer": world.reviewers[1].pk, "note": "Thanks"})
    assert ReviewInvitation.objects.filter(reviewer=world.reviewers[1]).exists()
    again = c.post(url, {"reviewer": world.reviewers[1].pk})
    assert again.status_code == 400 and "already been asked" in again.content.decode()
    client.force_login(world.reviewers[0])
    assert client.get(url).status_code == 404


def test_rate_flag_meta_review_and_recommend(client):
    world = make_world()
    invite_all(world)
    for reviewer in world.reviewers:
        submit_review(world, reviewer)
    review = Review.objects.get(reviewer=world.reviewers[0])
    pk = world.submission.pk
    c = _client(client, world.editor)
    c.post(reverse("reviews:rate", args=[pk, review.pk]), {"rating": "exceeds"})
    review.refresh_from_db()
    assert review.rating == "exceeds"
    c.post(reverse("reviews:meta-review", args=[pk]), {"recommendation": "accept", "text": "Ok"})
    assert review.round.meta_review.text == "Ok"
    c = _client(client, world.author)
    assert c.get(reverse("reviews:flag", args=[pk, review.pk])).status_code == 200
    c.post(reverse("reviews:flag", args=[pk, review.pk]), {"reason": "Only SOTA."})
    flag = review.flags.get()
    c = _client(client, world.editor)
    assert "Only SOTA." in c.get(reverse("reviews:submission-reviews", args=[pk])).content.decode()
    c.post(
        reverse("reviews:resolve-flag", args=[pk, flag.pk]),
        {"outcome": "upheld", "note": "Discounted."},
    )
    flag.refresh_from_db()
    assert flag.state == "resolved" and flag.outcome == "upheld"
    assert flag.resolution == "Discounted."
    c = _client(client, world.reviewers[1])
    c.post(reverse("reviews:recommend", args=[pk]), {"recommendation": "accept"})
    assert review.round.recommendations.get().reviewer == world.reviewers[1]
    client.force_login(world.author)
    assert client.get(reverse("reviews:recommend", args=[pk])).status_code == 403


def test_discussion_page_post_and_edit(client):
    world = make_world()
    invite_all(world)
    for reviewer in world.reviewers:
        submit_review(world, reviewer)
    pk = world.submission.pk
    c = _client(client, world.reviewers[0])
    c.post(reverse("reviews:discussion", args=[pk]), {"body": "Q?", "audience": "everyone"})
    comment = world.submission.review_comments.get()
    edit = reverse("reviews:comment-edit", args=[pk, comment.pk])
    assert c.post(edit, {"body": "Q2?"}).status_code == 302
    page = _client(client, world.author).get(reverse("reviews:discussion", args=[pk]))
    assert "Q2?" in page.content.decode() and "Reviewer 1" in page.content.decode()
    assert client.get(edit).status_code == 403


def test_decision_pages_journal(client):
    world = make_world()
    pk = world.submission.pk
    url = reverse("reviews:decision", args=[pk])
    c = _client(client, world.editor)
    assert c.get(url).status_code == 200
    refused = c.post(
        url,
        {
            "step": "submit",
            "outcome": "reject",
            "claims_supported": "yes",
            "audience_interested": "yes",
        },
    )
    assert refused.status_code == 400 and "cannot be rejected" in refused.content.decode()
    c.post(
        url,
        {
            "step": "submit",
            "outcome": "accept",
            "claims_supported": "yes",
            "audience_interested": "yes",
            "certifications": ["featured"],
        },
    )
    decision = world.submission.decisions.get()
    assert decision.status == DecisionStatus.AWAITING_APPROVAL
    c = _client(client, world.chief)
    c.post(url, {"step": "approve", "action": "approve", "certifications": ["featured"]})
    world.submission.refresh_from_db()
    assert world.submission.state == SubmissionState.ACCEPTED


def test_old_bulk_decisions_address_leads_to_the_decision_table(client):
    conf = make_world(kind=VenueKind.CONFERENCE)
    url = reverse("reviews:bulk-decisions", args=[conf.venue.slug])
    c = _client(client, conf.chief)
    response = c.get(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("journal:dashboard-decisions", args=[conf.venue.slug])
    assert conf.submission.title in c.get(response["Location"]).content.decode()


def test_submission_page_shows_the_panel(client):
    world = make_world()
    invite_all(world)
    page = _client(client, world.reviewers[0]).get(world.submission.get_absolute_url())
    html = page.content.decode()
    assert page.status_code == 200
    assert "You are <strong>Reviewer 1</strong>" in html
    assert "Quillfeather" not in html
    editor_page = _client(client, world.editor).get(world.submission.get_absolute_url())
    assert "Invite a reviewer" in editor_page.content.decode()


def test_invite_page_shows_conflict_and_invites_when_confirmed(client):
    world = make_world()
    colleague = UserFactory(display_name="Cole League", email="cole@authors-lab.example.org")
    VenueRoleFactory(venue=world.venue, user=colleague, role=RoleKind.REVIEWER)
    c = _client(client, world.editor)
    url = reverse("reviews:invite", args=[world.submission.pk])
    warned = c.post(url, {"reviewer": colleague.pk})
    assert warned.status_code == 400
    assert "Invite despite the possible conflict" in warned.content.decode()
    assert c.post(url, {"reviewer": colleague.pk, "allow_conflict": "on"}).status_code == 302
    assert ReviewInvitation.objects.get(reviewer=colleague).conflict_rules == ["email_domain"]


@pytest.mark.parametrize("viewer", ["editor", "author"])
def test_reviews_page_constant_queries(client, django_assert_num_queries, viewer):
    def released_with(n):
        world = make_world(n_reviewers=n, reviewers_per_paper=n)
        invite_all(world)
        for reviewer in world.reviewers:
            submit_review(world, reviewer)
        return world

    small, large = released_with(1), released_with(4)
    sizes = []
    for world in (small, large):
        person = getattr(world, viewer)
        client.force_login(person)
        url = reverse("reviews:submission-reviews", args=[world.submission.pk])
        client.get(url)
        with CaptureQueriesContext(connection) as ctx:
            page = client.get(url)
        assert page.status_code == 200
        sizes.append(len(ctx.captured_queries))
    assert sizes[0] == sizes[1]


def test_discussion_page_constant_queries(client):
    from reviews.services.discussion import comment_post

    def thread_with(n):
        world = make_world(n_reviewers=2, reviewers_per_paper=2)
        invite_all(world)
        for reviewer in world.reviewers:
            submit_review(world, reviewer)
        parent = None
        for i in range(n):
            parent = comment_post(
                submission=world.submission,
                author=world.reviewers[i % 2],
                body=f"Point {i}",
                audience="everyone",
                parent=parent,
            )
        return world

    sizes = []
    for world in (thread_with(1), thread_with(5)):
        client.force_login(world.author)
        url = reverse("reviews:discussion", args=[world.submission.pk])
        client.get(url)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        sizes.append(len(ctx.captured_queries))
    assert sizes[0] == sizes[1]
