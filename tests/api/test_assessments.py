"""After the reviews, through the API: ratings, authors' flags and their resolution, the
meta-review, review rounds and withdrawing invitations; who may do each, and how reviewers
are named."""

import json

import pytest

from journal.enums import RoleKind
from journal.models import AuditEvent
from reviews.models import ReviewFlag, ReviewInvitation
from reviews.services.assessments import review_flag
from reviews.services.invitations import invitation_create
from reviews.services.rounds import round_release
from tests.api.support import client_for, paper
from tests.api.test_reviews import review_of, second_reviewer, submit_review
from tests.factories import VenueRoleFactory

pytestmark = pytest.mark.django_db


def base(world) -> str:
    return f"/api/v1/submissions/{world.submission.pk}"


def released(world):
    """Submit the reviewer's review and release the round to the authors."""
    review = submit_review(world.reviewer)
    round_release(review_round=review.round, actor=world.editor)
    return review


# Ratings


def test_editor_rates_a_submitted_review(world):
    review = submit_review(world.reviewer)
    url = f"{base(world)}/reviews/{review.pk}/rating/"
    response = client_for(world.editor).post(
        url, {"rating": "exceeds", "note": "Careful and kind."}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["rating"] == "exceeds"
    review.refresh_from_db()
    assert review.rated_by == world.editor
    assert AuditEvent.objects.filter(action="review.rate", actor=world.editor).exists()


def test_rating_is_refused_to_others_and_for_drafts(world):
    review = review_of(world.reviewer)
    url = f"{base(world)}/reviews/{review.pk}/rating/"
    draft = client_for(world.editor).post(url, {"rating": "meets"}, format="json")
    assert draft.status_code == 403
    submit_review(world.reviewer)
    for person, code in [(world.reviewer, 403), (world.author, 404), (world.outsider, 404)]:
        response = client_for(person).post(url, {"rating": "meets"}, format="json")
        assert response.status_code == code, person
    bad = client_for(world.editor).post(url, {"rating": "great"}, format="json")
    assert bad.status_code == 400 and "rating" in bad.json()["errors"]


# Flags


def test_author_flags_a_released_review_and_the_editor_resolves_it(world, outbox):
    review = released(world)
    url = f"{base(world)}/reviews/{review.pk}/flags/"
    response = client_for(world.author).post(
        url, {"reason": "It only asks whether we beat the state of the art."}, format="json"
    )
    assert response.status_code == 201, response.content
    flag = response.json()
    assert flag["reviewer"] == "Reviewer 1" and flag["state"] == "open"
    assert world.reviewer.display_name not in json.dumps(flag)
    listed = client_for(world.editor).get(f"{base(world)}/flags/").json()
    assert [f["id"] for f in listed] == [flag["id"]]
    resolve = f"{base(world)}/flags/{flag['id']}/resolve/"
    assert client_for(world.author).post(resolve, {}, format="json").status_code == 403
    answer = {"outcome": "upheld", "note": "Asked the reviewer to revise."}
    done = client_for(world.editor).post(resolve, answer, format="json")
    assert done.status_code == 200 and done.json()["state"] == "resolved"
    assert done.json()["outcome"] == "upheld"
    assert done.json()["resolution"] == "Asked the reviewer to revise."
    other = {"outcome": "dismissed", "note": "On second thought."}
    again = client_for(world.editor).post(resolve, other, format="json")
    assert again.status_code == 409 and "already resolved" in again.json()["detail"]


def test_flags_wait_for_release_and_belong_to_authors(world):
    review = submit_review(world.reviewer)
    url = f"{base(world)}/reviews/{review.pk}/flags/"
    body = {"reason": "Numbers only."}
    assert client_for(world.author).post(url, body, format="json").status_code == 404
    round_release(review_round=review.round, actor=world.editor)
    for person, code in [(world.reviewer, 403), (world.editor, 403), (world.outsider, 404)]:
        assert client_for(person).post(url, body, format="json").status_code == code, person
    blank = client_for(world.author).post(url, {"reason": ""}, format="json")
    assert blank.status_code == 400 and "reason" in blank.json()["errors"]


def test_authors_list_only_their_own_flags(world):
    review = released(world)
    co_author = VenueRoleFactory(venue=world.venue, role=RoleKind.REVIEWER).user
    review_flag(review=review, actor=world.author, reason="Numbers only.")
    ReviewFlag.objects.create(review=review, flagged_by=co_author, reason="Other person.")
    mine = client_for(world.author).get(f"{base(world)}/flags/").json()
    assert [f["reason"] for f in mine] == ["Numbers only."]
    assert client_for(world.reviewer).get(f"{base(world)}/flags/").status_code == 403


def test_flag_list_query_count_does_not_grow(world, django_assert_max_num_queries):
    review = released(world)
    review_flag(review=review, actor=world.author, reason="First.")
    client = client_for(world.editor)
    url = f"{base(world)}/flags/"
    with django_assert_max_num_queries(20) as one:
        assert len(client.get(url).json()) == 1
    baseline = len(one.captured_queries)
    for n in range(4):
        review_flag(review=review, actor=world.author, reason=f"Again {n}.")
    with django_assert_max_num_queries(baseline):
        assert len(client.get(url).json()) == 5


# Meta-review


def test_editor_writes_and_revises_the_meta_review(world):
    url = f"{base(world)}/meta-review/"
    body = {"text": "The reviewers agree the claim holds.", "recommendation": "accept"}
    first = client_for(world.editor).put(url, body, format="json")
    assert first.status_code == 200, first.content
    assert first.json()["round"] == 1
    body["recommendation"] = "leaning_accept"
    again = client_for(world.editor).put(url, body, format="json")
    assert again.json()["recommendation"] == "leaning_accept"
    actions = AuditEvent.objects.filter(action__startswith="meta_review.").values_list(
        "action", flat=True
    )
    assert sorted(actions) == ["meta_review.revise", "meta_review.write"]
    for person, code in [(world.author, 403), (world.reviewer, 403), (world.outsider, 404)]:
        assert client_for(person).put(url, body, format="json").status_code == code, person
    bad = client_for(world.editor).put(url, {"text": "", "recommendation": "x"}, format="json")
    assert bad.status_code == 400 and set(bad.json()["errors"]) == {"text", "recommendation"}


# Rounds and invitations


def test_editor_schedules_and_releases_the_round(world, outbox):
    url = f"{base(world)}/rounds/current/"
    editor = client_for(world.editor)
    changed = editor.patch(
        url,
        {"response_opens_at": "2030-01-01T00:00:00Z", "response_closes_at": "2030-01-08T00:00Z"},
        format="json",
    )
    assert changed.status_code == 200, changed.content
    assert changed.json()["response_opens_at"].startswith("2030-01-01")
    wrong = editor.patch(
        url,
        {"response_opens_at": "2030-02-01T00:00:00Z", "response_closes_at": "2030-01-08T00:00Z"},
        format="json",
    )
    assert wrong.status_code == 400 and "close after" in wrong.json()["detail"]
    submit_review(world.reviewer)
    release = editor.post(f"{url}release/")
    assert release.status_code == 200 and release.json()["released"] is True
    assert editor.post(f"{url}release/").status_code == 200
    rounds = editor.get(f"{base(world)}/rounds/").json()
    assert [(r["number"], r["reviews_submitted"]) for r in rounds] == [(1, 1)]
    for person in (world.author, world.reviewer):
        assert client_for(person).post(f"{url}release/").status_code == 403


def test_rounds_are_404_before_one_is_opened(world):
    fresh = world.drive(paper(world.venue, world.author, title="Fresh"), "under_review")
    rounds = f"/api/v1/submissions/{fresh.pk}/rounds/"
    editor = client_for(world.editor)
    response = editor.get(f"{rounds}current/")
    assert response.status_code == 404 and "invit" in response.json()["detail"]
    assert editor.get(rounds).json() == []
    assert client_for(world.author).post(rounds).status_code == 403
    opened = editor.post(rounds)
    assert opened.status_code == 201 and opened.json()["number"] == 1
    again = editor.post(rounds)
    assert again.status_code == 200 and again.json()["number"] == 1
    assert AuditEvent.objects.filter(action="review_round.open", submission=fresh).count() == 1


def test_editor_withdraws_a_pending_invitation(world, outbox):
    other = VenueRoleFactory(venue=world.venue, role=RoleKind.REVIEWER).user
    invitation = invitation_create(
        submission=world.submission, reviewer=other, invited_by=world.editor
    )
    url = f"{base(world)}/invitations/{invitation.pk}/withdraw/"
    assert client_for(world.author).post(url, {}, format="json").status_code == 403
    assert client_for(other).post(url, {}, format="json").status_code == 404
    response = client_for(world.editor).post(url, {"reason": "A late conflict."}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["state"] == "withdrawn"
    assert client_for(world.editor).post(url, {}, format="json").status_code == 409
    missing = client_for(world.editor).post(f"{base(world)}/invitations/999999/withdraw/")
    assert missing.status_code == 404
    assert ReviewInvitation.objects.get(pk=invitation.pk).state == "withdrawn"


def test_round_list_query_count_does_not_grow(world, django_assert_max_num_queries):
    client = client_for(world.editor)
    url = f"{base(world)}/rounds/"
    with django_assert_max_num_queries(20) as one:
        assert len(client.get(url).json()) == 1
    baseline = len(one.captured_queries)
    second_reviewer(world)
    submit_review(world.reviewer)
    with django_assert_max_num_queries(baseline):
        assert client.get(url).json()[0]["reviews_total"] == 2
