"""The review-form builder in the API: list with versions and rounds, copy, edit (a form in
use through a new version), every problem in one 400, publish, and who may."""

import pytest

from reviews.models import ReviewForm, ReviewFormField
from reviews.services.forms import review_form_latest
from reviews.services.rounds import round_open
from tests.api.support import client_for
from tests.reviews.workflow.world import make_world

pytestmark = pytest.mark.django_db

ORIGINALITY = {
    "key": "hypothesis_originality",
    "kind": "score",
    "label": "Originality of the hypothesis",
    "options": [{"value": v, "label": str(v)} for v in range(1, 6)],
    "weight": 2,
    "aspect": "ideas",
}


def base(world) -> str:
    return f"/api/v1/venues/{world.venue.slug}/review-forms/"


def test_chair_copies_edits_in_use_and_publishes_through_the_api():
    world = make_world()
    client = client_for(world.chief)
    shipped = review_form_latest(slug="peerless-balanced")
    created = client.post(base(world), {"name": "Ours", "copy_of": shipped.pk}, format="json")
    assert created.status_code == 201, created.content
    body = created.json()
    slug = body["slug"]
    assert body["version"] == 1 and body["versions"][0]["status"] == "draft"
    assert [f["key"] for f in body["fields"]][:2] == ["summary", "originality"]
    published = client.post(f"{base(world)}{slug}/publish/", format="json")
    assert published.status_code == 200, published.content
    assert published.json()["form"]["versions"][0]["status"] == "the form of new rounds"
    world.submission.venue.refresh_from_db()
    round_open(submission=world.submission, actor=world.editor)
    listed = client.get(base(world)).json()
    (ours,) = listed["forms"]
    assert ours["versions"][0]["usage"] == "in use by round 1 (1 paper)"
    assert ours["versions"][0]["rounds"] == [{"number": 1, "papers": 1}]
    assert ours["edit_note"].startswith("v1 is in use by round 1 (1 paper); your edits make v2")
    assert {f["slug"] for f in listed["shipped"]} >= {"peerless-balanced", "tmlr"}

    added = client.post(f"{base(world)}{slug}/fields/", ORIGINALITY, format="json")
    assert added.status_code == 201, added.content
    assert added.json()["new_version"] is True
    assert added.json()["form"]["version"] == 2
    criteria = {c["key"]: c for c in added.json()["form"]["criteria"]}
    assert criteria["hypothesis_originality"]["share"] == pytest.approx(2 / 12)
    v1 = ReviewForm.objects.get(slug=slug, version=1)
    assert not v1.fields.filter(key="hypothesis_originality").exists()

    moved = client.post(
        f"{base(world)}{slug}/fields/hypothesis_originality/move/",
        {"direction": "up"},
        format="json",
    )
    assert moved.status_code == 200 and moved.json()["new_version"] is False
    keys = [f["key"] for f in moved.json()["form"]["fields"]]
    assert keys.index("hypothesis_originality") == len(keys) - 2

    changed = client.patch(f"{base(world)}{slug}/fields/clarity/", {"weight": 0.5}, format="json")
    assert changed.status_code == 200
    assert ReviewForm.objects.get(slug=slug, version=2).fields.get(key="clarity").weight == 0.5
    older = client.get(f"{base(world)}{slug}/?version=1").json()
    assert older["version"] == 1
    assert "hypothesis_originality" not in [f["key"] for f in older["fields"]]
    assert client.get(f"{base(world)}{slug}/?version=9").status_code == 404
    assert client.get(f"{base(world)}{slug}/?version=x").status_code == 400
    removed = client.delete(f"{base(world)}{slug}/fields/generalisation/")
    assert removed.status_code == 200
    assert client.post(f"{base(world)}{slug}/publish/", format="json").status_code == 200
    world.venue.refresh_from_db()
    assert world.venue.review_form.version == 2
    assert world.submission.review_rounds.get().form == v1


def test_every_problem_of_a_question_comes_in_one_400_and_nothing_changes():
    world = make_world()
    client = client_for(world.chief)
    slug = client.post(base(world), {"name": "Blank"}, format="json").json()["slug"]
    client.post(f"{base(world)}{slug}/fields/", ORIGINALITY, format="json")
    before = list(ReviewFormField.objects.values_list("pk", "key", "weight"))
    response = client.post(
        f"{base(world)}{slug}/fields/",
        {
            **ORIGINALITY,
            "options": [{"value": "x", "label": "X"}],
            "weight": -1,
            "min_words": 5,
        },
        format="json",
    )
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert errors["key"] == [
        "The form already has a question with the key “hypothesis_originality”."
    ]
    assert set(errors) == {"key", "options", "weight"}
    assert "A score needs at least two options, each with a value and a label." in errors["options"]
    assert list(ReviewFormField.objects.values_list("pk", "key", "weight")) == before
    words = client.patch(
        f"{base(world)}{slug}/fields/hypothesis_originality/",
        {"kind": "text", "min_words": 300, "max_words": 200},
        format="json",
    )
    assert words.json()["errors"] == {
        "min_words": ["The minimum (300 words) is above the maximum (200)."]
    }


def test_only_the_chairs_of_the_venue_build_forms():
    world = make_world()
    slug = client_for(world.chief).post(base(world), {"name": "Ours"}, format="json").json()["slug"]
    for person in (world.editor, world.reviewers[0], world.author):
        client = client_for(person)
        listed = client.get(base(world))
        assert listed.status_code == 403
        assert listed.json()["detail"] == "Only the venue's chairs build its review forms."
        added = client.post(f"{base(world)}{slug}/fields/", ORIGINALITY, format="json")
        assert added.status_code == 403
    assert not ReviewFormField.objects.filter(form__slug=slug).exists()
    read_only = client_for(world.chief, scope="read")
    assert read_only.get(base(world)).status_code == 200
    assert read_only.post(base(world), {"name": "X"}, format="json").status_code == 403
    other = make_world()
    assert client_for(other.chief).get(f"{base(other)}{slug}/").status_code == 404
