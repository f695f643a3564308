"""The review workflow through the API: invitations, reviews, discussion, recommendations,
decisions; who may list, read and write each, and how reviewers are named."""

import json

import pytest

from journal.enums import RoleKind, SubmissionState
from reviews.models import Comment, Review, ReviewInvitation
from reviews.services.invitations import invitation_accept, invitation_create
from reviews.services.reviews import review_submit
from reviews.services.rounds import round_release
from tests.api.support import client_for, paper
from tests.factories import VenueRoleFactory, review_answers

S = SubmissionState
pytestmark = pytest.mark.django_db


def second_reviewer(world):
    reviewer = VenueRoleFactory(venue=world.venue, role=RoleKind.REVIEWER).user
    invitation = invitation_create(
        submission=world.submission, reviewer=reviewer, invited_by=world.editor
    )
    invitation_accept(invitation=invitation, actor=reviewer)
    return reviewer


def review_of(user) -> Review:
    return Review.objects.get(reviewer=user)


def submit_review(user) -> Review:
    review = review_of(user)
    return review_submit(review=review, actor=user, raw=review_answers(review))


# Invitations


def test_editor_invites_and_the_invitee_declines(world):
    other = VenueRoleFactory(venue=world.venue, role=RoleKind.REVIEWER).user
    url = f"/api/v1/submissions/{world.submission.pk}/invitations/"
    response = client_for(world.editor).post(url, {"reviewer": other.pk}, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["reviewer"]["id"] == other.pk
    invitee = client_for(other)
    mine = invitee.get("/api/v1/invitations/").json()["results"]
    assert [i["state"] for i in mine] == ["pending"]
    assert mine[0]["title"] == world.submission.title
    assert "reviewer" not in mine[0] and "authors" not in json.dumps(mine)
    pk = mine[0]["id"]
    refused = invitee.post(f"/api/v1/invitations/{pk}/decline/", {}, format="json")
    assert refused.status_code == 400 and "reason" in refused.json()["errors"]
    declined = invitee.post(
        f"/api/v1/invitations/{pk}/decline/", {"reason": "Too busy."}, format="json"
    )
    assert declined.status_code == 200 and declined.json()["state"] == "declined"
    assert invitee.post(f"/api/v1/invitations/{pk}/accept/").status_code == 403


def test_invitee_accepts_and_gets_a_review(world):
    other = VenueRoleFactory(venue=world.venue, role=RoleKind.REVIEWER).user
    invitation = invitation_create(
        submission=world.submission, reviewer=other, invited_by=world.editor
    )
    response = client_for(other).post(f"/api/v1/invitations/{invitation.pk}/accept/")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["state"] == "accepted" and body["reviewer_number"] == 2
    assert body["review"] == review_of(other).pk


def test_invitations_are_private_to_the_invitee_and_editors(world):
    invitation = ReviewInvitation.objects.get(reviewer=world.reviewer)
    for person in (world.author, world.chief, world.outsider):
        client = client_for(person)
        assert client.get(f"/api/v1/invitations/{invitation.pk}/").status_code == 404
        assert client.post(f"/api/v1/invitations/{invitation.pk}/accept/").status_code == 404
    url = f"/api/v1/submissions/{world.submission.pk}/invitations/"
    assert client_for(world.author).get(url).status_code == 403
    assert client_for(world.reviewer).get(url).status_code == 403
    assert client_for(world.outsider).get(url).status_code == 404
    assert client_for(world.chief).get(url).status_code == 200
    refused = client_for(world.author).post(url, {"reviewer": world.outsider.pk}, format="json")
    assert refused.status_code == 403


def test_invite_refuses_someone_who_is_no_reviewer(world):
    response = client_for(world.editor).post(
        f"/api/v1/submissions/{world.submission.pk}/invitations/",
        {"reviewer": world.outsider.pk},
        format="json",
    )
    assert response.status_code == 400
    assert "not a reviewer" in response.json()["detail"]


def test_invitation_list_query_count_does_not_grow(world, django_assert_max_num_queries):
    client = client_for(world.reviewer)
    client.get("/api/v1/invitations/")
    with django_assert_max_num_queries(8) as one:
        client.get("/api/v1/invitations/")
    baseline = len(one.captured_queries)
    for n in range(3):
        other = world.drive(paper(world.venue, world.author, title=f"P{n}"), S.UNDER_REVIEW)
        invitation_create(submission=other, reviewer=world.reviewer, invited_by=world.editor)
    with django_assert_max_num_queries(baseline):
        assert client.get("/api/v1/invitations/").json()["count"] == 4


# Reviews


def test_reviewer_drafts_then_submits(world):
    client = client_for(world.reviewer)
    listed = client.get("/api/v1/reviews/").json()["results"]
    assert [r["state"] for r in listed] == ["draft"]
    review = listed[0]
    assert review["label"] == "Reviewer 1" and review["form_fields"]
    url = f"/api/v1/reviews/{review['id']}/"
    first_key = review["form_fields"][0]["key"]
    saved = client.post(url + "draft/", {"answers": {first_key: "x"}}, format="json")
    assert saved.status_code == 200
    incomplete = client.post(url + "submit/", {"answers": {}}, format="json")
    assert incomplete.status_code == 400
    assert list(incomplete.json()["errors"]) == [first_key] or incomplete.json()["errors"]
    answers = review_answers(review_of(world.reviewer))
    done = client.post(url + "submit/", {"answers": answers}, format="json")
    assert done.status_code == 200, done.content
    assert done.json()["state"] == "submitted"


def test_reviews_are_only_their_reviewers(world):
    review = review_of(world.reviewer)
    for person in (world.author, world.editor, world.chief, world.outsider):
        client = client_for(person)
        assert client.get(f"/api/v1/reviews/{review.pk}/").status_code == 404
        response = client.post(
            f"/api/v1/reviews/{review.pk}/submit/", {"answers": {}}, format="json"
        )
        assert response.status_code == 404


def test_submission_reviews_follow_release_and_name_reviewers_by_number(world):
    co_reviewer = second_reviewer(world)
    submit_review(world.reviewer)
    url = f"/api/v1/submissions/{world.submission.pk}/reviews/"
    assert client_for(world.author).get(url).status_code == 403
    assert client_for(world.outsider).get(url).status_code == 404
    co_view = client_for(co_reviewer).get(url).json()
    assert [r["label"] for r in co_view[0]["reviews"]] == ["You (Reviewer 2)"]
    submit_review(co_reviewer)
    co_view = client_for(co_reviewer).get(url).json()
    assert sorted(r["label"] for r in co_view[0]["reviews"]) == [
        "Reviewer 1",
        "You (Reviewer 2)",
    ]
    editor_view = client_for(world.editor).get(url).json()
    labels = [r["label"] for r in editor_view[0]["reviews"]]
    assert f"{world.reviewer.display_name} (Reviewer 1)" in labels
    assert editor_view[0]["reviews"][0]["overall"] is not None
    round_release(review_round=review_of(world.reviewer).round, actor=world.editor)
    author_view = client_for(world.author).get(url)
    assert author_view.status_code == 200
    text = author_view.content.decode()
    assert "Reviewer 1" in text and "Reviewer 2" in text
    assert world.reviewer.display_name not in text and co_reviewer.display_name not in text
    assert all(r["overall"] is None for r in author_view.json()[0]["reviews"])
    assert author_view.json()[0]["recommendations"] == []


def test_review_list_query_count_does_not_grow(world, django_assert_max_num_queries):
    client = client_for(world.reviewer)
    client.get("/api/v1/reviews/")
    with django_assert_max_num_queries(10) as one:
        client.get("/api/v1/reviews/")
    baseline = len(one.captured_queries)
    for n in range(3):
        other = world.drive(paper(world.venue, world.author, title=f"P{n}"), S.UNDER_REVIEW)
        invitation = invitation_create(
            submission=other, reviewer=world.reviewer, invited_by=world.editor
        )
        invitation_accept(invitation=invitation, actor=world.reviewer)
    with django_assert_max_num_queries(baseline):
        assert client.get("/api/v1/reviews/").json()["count"] == 4


# Discussion


def test_discussion_audiences_and_names(world):
    url = f"/api/v1/submissions/{world.submission.pk}/comments/"
    reviewer = client_for(world.reviewer)
    posted = reviewer.post(
        url, {"body": "Is Table 2 fair?", "audience": "reviewers"}, format="json"
    )
    assert posted.status_code == 201, posted.content
    assert posted.json()["author"] == "You (Reviewer 1)"
    editor_view = client_for(world.editor).get(url).json()
    assert editor_view[0]["author"] == f"{world.reviewer.display_name} (Reviewer 1)"
    reply = client_for(world.editor).post(
        url, {"body": "Good point.", "parent": posted.json()["id"]}, format="json"
    )
    assert reply.status_code == 201 and reply.json()["audience"] == "reviewers"
    assert client_for(world.author).get(url).status_code == 403
    round_release(review_round=review_of(world.reviewer).round, actor=world.editor)
    assert client_for(world.author).get(url).json() == []
    response = client_for(world.author).post(url, {"body": "Thanks!"}, format="json")
    assert response.status_code == 201 and response.json()["author"] == "You (author)"
    seen_by_reviewer = client_for(world.reviewer).get(url).json()
    assert "Authors" in [c["author"] for c in seen_by_reviewer]
    assert world.author.display_name not in json.dumps(seen_by_reviewer)


def test_comment_edit_only_by_its_author(world):
    url = f"/api/v1/submissions/{world.submission.pk}/comments/"
    posted = client_for(world.reviewer).post(url, {"body": "First."}, format="json").json()
    edit = f"/api/v1/comments/{posted['id']}/"
    assert (
        client_for(world.editor).patch(edit, {"body": "Hijack"}, format="json").status_code == 404
    )
    changed = client_for(world.reviewer).patch(edit, {"body": "Second."}, format="json")
    assert changed.status_code == 200 and changed.json()["body"] == "Second."
    assert changed.json()["edited_at"]


def test_outsiders_cannot_discuss(world):
    url = f"/api/v1/submissions/{world.submission.pk}/comments/"
    assert client_for(world.outsider).post(url, {"body": "Hi"}, format="json").status_code == 404


SECRET = "Table 2 omits the dense baseline; I lean towards rejecting."


def _comments_with_a_secret(world):
    url = f"/api/v1/submissions/{world.submission.pk}/comments/"
    other = second_reviewer(world)
    submit_review(other)
    posted = client_for(other).post(url, {"body": SECRET, "audience": "reviewers"}, format="json")
    assert posted.status_code == 201, posted.content
    return url, posted.json()["id"]


def test_discussion_hidden_from_reviewer_before_own_review(world):
    url, _ = _comments_with_a_secret(world)
    mine = client_for(world.reviewer).post(url, {"body": "My own note."}, format="json")
    assert mine.status_code == 201 and mine.json()["body"] == "My own note."
    before = client_for(world.reviewer).get(url)
    assert before.status_code == 200
    assert SECRET not in before.content.decode()
    assert [c["body"] for c in before.json()] == ["My own note."]
    assert SECRET in client_for(world.editor).get(url).content.decode()
    submit_review(world.reviewer)
    after = client_for(world.reviewer).get(url).json()
    assert [c["body"] for c in after] == [SECRET, "My own note."]


def test_discussion_gate_off_shows_comments(world):
    world.venue.discussion_after_own_review = False
    world.venue.save(update_fields=["discussion_after_own_review"])
    url, _ = _comments_with_a_secret(world)
    assert SECRET in [c["body"] for c in client_for(world.reviewer).get(url).json()]


def test_reply_to_invisible_comment_refused_api(world):
    url, hidden = _comments_with_a_secret(world)
    before = Comment.objects.count()
    refused = client_for(world.reviewer).post(
        url, {"body": "Replying blind", "parent": hidden}, format="json"
    )
    assert refused.status_code == 400
    assert refused.json()["errors"]["parent"] == [
        "There is no such comment on this paper to reply to."
    ]
    assert SECRET not in refused.content.decode()
    assert Comment.objects.count() == before


# Recommendations


def test_recommendation_after_the_review(world):
    url = f"/api/v1/submissions/{world.submission.pk}/recommendation/"
    body = {"recommendation": "accept", "justification": "Solid."}
    early = client_for(world.reviewer).post(url, body, format="json")
    assert early.status_code == 409
    submit_review(world.reviewer)
    done = client_for(world.reviewer).post(url, body, format="json")
    assert done.status_code == 200 and done.json()["recommendation"] == "accept"
    assert client_for(world.author).post(url, body, format="json").status_code == 403
    assert client_for(world.editor).post(url, body, format="json").status_code == 403
    rounds = client_for(world.editor).get(f"/api/v1/submissions/{world.submission.pk}/reviews/")
    assert rounds.json()[0]["recommendations"][0]["recommendation"] == "accept"


# Decisions


def draft(world, client=None, **extra):
    body = {
        "submission": world.submission.pk,
        "outcome": "accept",
        "claims_supported": True,
        "audience_interested": True,
        "comment": "Well done.",
        **extra,
    }
    return (client or client_for(world.editor)).post("/api/v1/decisions/", body, format="json")


def test_decision_from_draft_to_published(world):
    created = draft(world)
    assert created.status_code == 201, created.content
    decision = created.json()
    assert decision["status"] == "draft" and decision["decided_by"]["id"] == world.editor.pk
    author = client_for(world.author)
    assert author.get("/api/v1/decisions/").json()["count"] == 0
    url = f"/api/v1/decisions/{decision['id']}/transition/"
    assert author.post(url, {"to_status": "published"}, format="json").status_code == 404
    early = client_for(world.editor).post(url, {"to_status": "published"}, format="json")
    assert early.status_code == 403
    sent = client_for(world.editor).post(url, {"to_status": "awaiting_approval"}, format="json")
    assert sent.status_code == 200 and sent.json()["status"] == "awaiting_approval"
    published = client_for(world.chief).post(url, {"to_status": "published"}, format="json")
    assert published.status_code == 200, published.content
    world.submission.refresh_from_db()
    assert world.submission.state == S.ACCEPTED
    seen = author.get("/api/v1/decisions/", {"venue": world.venue.slug}).json()["results"]
    assert [d["outcome"] for d in seen] == ["accept"]
    assert seen[0]["decided_by"] is None and seen[0]["approved_by"] is None
    assert seen[0]["comment"] == "Well done."


def test_decision_rules_come_back_as_field_errors(world):
    response = draft(world, outcome="reject")
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "outcome": ["Both criteria are met, so the paper cannot be rejected."]
    }


@pytest.mark.parametrize("who", ["author", "reviewer", "outsider"])
def test_only_editors_draft_decisions(world, who):
    response = draft(world, client=client_for(getattr(world, who)))
    assert response.status_code in {403, 404}
    assert client_for(getattr(world, who)).get("/api/v1/decisions/").json()["count"] == 0


def test_decision_list_query_count_does_not_grow(world, django_assert_max_num_queries):
    client = client_for(world.chief)
    draft(world)
    client.get("/api/v1/decisions/")
    # includes the caller's conflicts of interest, computed once per request
    with django_assert_max_num_queries(12) as one:
        client.get("/api/v1/decisions/")
    baseline = len(one.captured_queries)
    for n in range(3):
        other = world.drive(paper(world.venue, world.author, title=f"P{n}"), S.UNDER_REVIEW)
        body = {
            "submission": other.pk,
            "outcome": "reject",
            "claims_supported": False,
            "audience_interested": False,
        }
        assert client.post("/api/v1/decisions/", body, format="json").status_code == 201
    with django_assert_max_num_queries(baseline):
        assert client.get("/api/v1/decisions/").json()["count"] == 4


def test_author_token_never_names_reviewers_anywhere(world):
    submit_review(world.reviewer)
    round_release(review_round=review_of(world.reviewer).round, actor=world.editor)
    client = client_for(world.author, scope="read")
    base = f"/api/v1/submissions/{world.submission.pk}/"
    text = "\n".join(
        client.get(url).content.decode()
        for url in (
            base,
            base + "reviews/",
            base + "comments/",
            "/api/v1/audit-events/",
            "/api/v1/decisions/",
            "/api/v1/invitations/",
        )
    )
    assert world.reviewer.display_name not in text and world.reviewer.email not in text
    assert "Reviewer 1" in text


def test_reviewer_token_never_names_authors_in_review_resources(world):
    client = client_for(world.reviewer, scope="read")
    base = f"/api/v1/submissions/{world.submission.pk}/"
    text = "\n".join(
        client.get(url).content.decode()
        for url in (
            "/api/v1/invitations/",
            "/api/v1/reviews/",
            base + "reviews/",
            base + "comments/",
            "/api/v1/decisions/",
        )
    )
    for author in world.submission.authors.all():
        assert author.name not in text and author.email not in text


def test_chief_assigns_the_action_editor(world):
    submitted = world.drive(paper(world.venue, world.author, title="New"), S.SUBMITTED)
    url = f"/api/v1/submissions/{submitted.pk}/action-editor/"
    body = {"editor": world.editor.pk}
    assert client_for(world.editor).post(url, body, format="json").status_code == 404
    assert client_for(world.author).post(url, body, format="json").status_code == 403
    response = client_for(world.chief).post(url, body, format="json")
    assert response.status_code == 200, response.content
    submitted.refresh_from_db()
    assert submitted.action_editor == world.editor
    refused = client_for(world.chief).post(url, {"editor": world.outsider.pk}, format="json")
    assert refused.status_code == 400 and "not an action editor" in refused.json()["detail"]


def test_program_chair_decides_in_bulk(db):
    from tests.api.support import make_world
    from tests.factories import ConferenceFactory

    world = make_world()
    conference = ConferenceFactory(anonymity=world.venue.anonymity)
    chair = VenueRoleFactory(venue=conference, role=RoleKind.CHIEF).user
    VenueRoleFactory(venue=conference, user=world.editor, role=RoleKind.ACTION_EDITOR)
    papers = []
    for n in range(2):
        submission = paper(conference, world.author, title=f"C{n}")
        papers.append(world.drive(submission, S.UNDER_REVIEW))
    own = world.drive(paper(conference, chair, title="Chair's own"), S.UNDER_REVIEW)
    body = {
        "venue": conference.slug,
        "outcomes": {str(papers[0].pk): "poster", str(papers[1].pk): "reject", str(own.pk): "oral"},
    }
    assert (
        client_for(world.editor).post("/api/v1/decisions/bulk/", body, format="json").status_code
        == 403
    )
    response = client_for(chair).post("/api/v1/decisions/bulk/", body, format="json")
    assert response.status_code == 200, response.content
    result = response.json()
    assert result["decided"] == []
    assert "reviews are incomplete" in result["errors"][str(papers[0].pk)]
    body["override_incomplete"] = True
    response = client_for(chair).post("/api/v1/decisions/bulk/", body, format="json")
    result = response.json()
    assert sorted(result["decided"]) == sorted(p.pk for p in papers)
    assert "author" in result["errors"][str(own.pk)]
    # recorded as drafts; the papers stay under review until the decisions phase
    states = {p.pk: type(p).objects.get(pk=p.pk).state for p in papers}
    assert states == {papers[0].pk: S.UNDER_REVIEW, papers[1].pk: S.UNDER_REVIEW}
    again = client_for(chair).post("/api/v1/decisions/bulk/", body, format="json").json()
    assert again["decided"] == [] and sorted(again["unchanged"]) == sorted(p.pk for p in papers)
