"""The review-form builder's services: copy, edit (a form in use through a new version),
order, publish (new rounds use it, running rounds keep theirs), and refusals that change
nothing."""

import pytest

from journal.enums import VenueKind
from journal.errors import DomainError, FieldErrors
from journal.models import AuditEvent
from reviews.models import ReviewForm, ReviewFormField, ReviewRound
from reviews.services.form_builder import (
    review_form_create,
    review_form_details_change,
    review_form_field_append,
    review_form_field_change,
    review_form_field_move,
    review_form_field_remove,
    review_form_publish,
)
from reviews.services.forms import review_form_for_venue, review_form_latest
from reviews.services.rounds import round_open
from tests.factories import VenueFactory
from tests.reviews.workflow.world import invite_all, make_world

pytestmark = pytest.mark.django_db

ORIGINALITY = {
    "kind": "score",
    "label": "Originality of the hypothesis",
    "options": [{"value": v, "label": f"{v}"} for v in range(1, 6)],
    "weight": 2,
    "aspect": "ideas",
}


def keys(form: ReviewForm) -> list[str]:
    return list(form.fields.order_by("order", "pk").values_list("key", flat=True))


def snapshot() -> tuple:
    """Everything the builder could change: forms, fields (with settings) and the audit."""
    forms = list(ReviewForm.objects.order_by("pk").values_list("pk", "slug", "version", "name"))
    fields = list(
        ReviewFormField.objects.order_by("pk").values_list(
            "pk", "form_id", "key", "order", "label", "weight", "options", "min_words"
        )
    )
    return forms, fields, AuditEvent.objects.count()


def copied(world, name: str = "Our conference form") -> ReviewForm:
    return review_form_create(
        venue=world.venue,
        actor=world.chief,
        name=name,
        copy_of=review_form_latest(slug="peerless-balanced"),
    )


def test_copy_of_a_shipped_form_is_a_draft_of_the_venue_with_every_question():
    world = make_world()
    shipped = review_form_latest(slug="peerless-balanced")
    form = copied(world)
    assert form.venue == world.venue and form.version == 1 and form.published_at is None
    assert form.slug.startswith(world.venue.slug) and form.copied_from == shipped
    assert keys(form) == keys(shipped)
    originality = form.fields.get(key="originality")
    assert originality.weight == 2 and originality.aspect == "ideas"
    assert AuditEvent.objects.filter(action="review_form.created", actor=world.chief).exists()
    # The shipped form is untouched, and is never edited itself.
    with pytest.raises(DomainError, match="shipped form and is never edited"):
        review_form_field_change(form=shipped, key="originality", actor=world.chief, weight=9)
    assert shipped.fields.get(key="originality").weight == 2


def test_a_draft_is_edited_in_place_and_audited():
    world = make_world()
    form = review_form_create(venue=world.venue, actor=world.chief, name="Blank")
    edit = review_form_field_append(form=form, actor=world.chief, key="originality", **ORIGINALITY)
    assert edit.form == form and not edit.new_version
    edit = review_form_field_change(form=form, key="originality", actor=world.chief, weight=3)
    assert edit.form == form and edit.field.weight == 3
    assert ReviewForm.objects.filter(slug=form.slug).count() == 1
    event = AuditEvent.objects.filter(action="review_form.field_changed").get()
    assert event.actor == world.chief and event.data["changed"] == ["weight"]


def test_publishing_makes_it_the_form_of_new_rounds():
    world = make_world()
    form = copied(world)
    published = review_form_publish(form=form, actor=world.chief)
    world.venue.refresh_from_db()
    assert published.published_at is not None
    assert world.venue.review_form == form
    assert review_form_for_venue(venue=world.venue) == form
    with pytest.raises(DomainError, match="already the form of new rounds"):
        review_form_publish(form=published, actor=world.chief)


def test_edit_of_a_form_in_use_makes_a_new_version_and_running_rounds_keep_theirs():
    world = make_world()
    v1 = review_form_publish(form=copied(world), actor=world.chief)
    running = round_open(submission=world.submission, actor=world.editor)
    assert running.form == v1
    edit = review_form_field_append(
        form=v1, actor=world.chief, key="hypothesis_originality", **ORIGINALITY
    )
    v2 = edit.form
    assert edit.new_version and v2.version == 2 and v2.slug == v1.slug
    assert "v1 is in use" in edit.message and "your edit made v2" in edit.message
    assert "hypothesis_originality" in keys(v2)
    assert "hypothesis_originality" not in keys(v1)  # v1 never changes
    # A second edit goes to the same draft: no v3.
    again = review_form_field_change(
        form=v2, key="clarity", actor=world.chief, label="Clarity of writing"
    )
    assert again.form == v2 and not again.new_version
    assert ReviewForm.objects.filter(slug=v1.slug).count() == 2
    # The old version is not edited any more: edits go to the newest.
    with pytest.raises(DomainError, match="v1 is not the newest version"):
        review_form_field_change(form=v1, key="clarity", actor=world.chief, label="X")
    review_form_publish(form=v2, actor=world.chief)
    running.refresh_from_db()
    assert running.form == v1
    world.venue.refresh_from_db()
    assert review_form_for_venue(venue=world.venue) == v2
    assert AuditEvent.objects.filter(action="review_form.version_created").count() == 1


def test_edit_of_a_version_used_by_a_round_only_copies_it():
    world = make_world()
    form = copied(world)  # a draft, but a round uses it
    round_open(submission=world.submission, actor=world.editor, form=form)
    edit = review_form_field_remove(form=form, key="generalisation", actor=world.chief)
    assert edit.new_version and edit.form.version == 2
    assert "generalisation" in keys(form) and "generalisation" not in keys(edit.form)


def test_questions_move_up_and_down():
    world = make_world()
    form = review_form_create(venue=world.venue, actor=world.chief, name="Small")
    for key in ("a_first", "b_second", "c_third"):
        review_form_field_append(form=form, actor=world.chief, key=key, label=key)
    review_form_field_move(form=form, key="c_third", actor=world.chief, up=True)
    assert keys(form) == ["a_first", "c_third", "b_second"]
    review_form_field_move(form=form, key="a_first", actor=world.chief, up=True)  # at the top
    assert keys(form) == ["a_first", "c_third", "b_second"]
    review_form_field_remove(form=form, key="a_first", actor=world.chief)
    assert list(form.fields.order_by("order").values_list("order", flat=True)) == [0, 1]


def test_every_problem_of_a_question_is_named_and_nothing_changes():
    world = make_world()
    form = copied(world)
    before = snapshot()
    with pytest.raises(FieldErrors) as exc:
        review_form_field_append(
            form=form,
            actor=world.chief,
            key="originality",  # taken
            kind="score",
            label="",
            options=[{"value": 1, "label": "Low"}],
            weight=-1,
        )
    errors = exc.value.errors
    assert errors["key"] == ["The form already has a question with the key “originality”."]
    assert errors["label"] == ["Give the question a label: the text reviewers read."]
    assert "A score needs at least two options" in errors["options"][0]
    assert errors["weight"][0].startswith("A weight cannot be negative")
    with pytest.raises(FieldErrors) as exc:
        review_form_field_change(
            form=form, key="summary", actor=world.chief, min_words=500, max_words=100
        )
    assert exc.value.errors["min_words"] == ["The minimum (500 words) is above the maximum (100)."]
    with pytest.raises(FieldErrors) as exc:
        review_form_field_change(
            form=form,
            key="recommendation",
            actor=world.chief,
            options=[{"value": "a", "label": "A"}, {"value": "a", "label": ""}],
        )
    assert exc.value.errors["options"] == [
        "Two options have the same value; each value must be different.",
        "Every option needs a label (what reviewers read).",
    ]
    with pytest.raises(FieldErrors, match="values of a score are numbers"):
        review_form_field_change(
            form=form,
            key="originality",
            actor=world.chief,
            options=[{"value": "low", "label": "Low"}, {"value": "high", "label": "High"}],
        )
    assert snapshot() == before


def test_a_refused_edit_of_a_form_in_use_leaves_no_new_version():
    world = make_world()
    form = review_form_publish(form=copied(world), actor=world.chief)
    before = snapshot()
    with pytest.raises(FieldErrors):
        review_form_field_change(form=form, key="originality", actor=world.chief, weight=-2)
    assert snapshot() == before


def test_a_conference_form_needs_an_overall_score_to_be_published():
    world = make_world(kind=VenueKind.CONFERENCE)
    form = review_form_create(
        venue=world.venue,
        actor=world.chief,
        name="Text only",
        copy_of=review_form_latest(slug="tmlr"),
    )
    before = snapshot()
    with pytest.raises(FieldErrors) as exc:
        review_form_publish(form=form, actor=world.chief)
    (message,) = exc.value.errors["form"]
    assert "the decision table ranks papers by the overall score" in message
    assert snapshot() == before
    world.venue.refresh_from_db()
    assert review_form_for_venue(venue=world.venue).slug == "peerless-balanced"
    # A journal may review without a score (TMLR).
    journal = make_world()
    tmlr_copy = review_form_create(
        venue=journal.venue,
        actor=journal.chief,
        name="Ours",
        copy_of=review_form_latest(slug="tmlr"),
    )
    assert review_form_publish(form=tmlr_copy, actor=journal.chief).published_at


def test_an_empty_form_or_one_without_a_required_question_is_not_published():
    world = make_world()
    form = review_form_create(venue=world.venue, actor=world.chief, name="Empty")
    with pytest.raises(FieldErrors, match="Add at least one question"):
        review_form_publish(form=form, actor=world.chief)
    review_form_field_append(
        form=form, actor=world.chief, key="notes", label="Notes", required=False
    )
    with pytest.raises(FieldErrors, match="Make at least one question required"):
        review_form_publish(form=form, actor=world.chief)
    assert ReviewForm.objects.get(pk=form.pk).published_at is None


def test_another_venues_form_is_neither_copied_nor_found():
    world = make_world()
    theirs = copied(world)
    other = VenueFactory()
    with pytest.raises(FieldErrors, match="Copy a shipped form or one of this venue's"):
        review_form_create(venue=other, actor=world.chief, name="Mine", copy_of=theirs)
    with pytest.raises(DomainError, match="no review form called"):
        review_form_latest(slug=theirs.slug, venue=other)
    assert review_form_latest(slug=theirs.slug, venue=world.venue) == theirs


def test_renaming_a_published_form_makes_a_new_version():
    world = make_world()
    form = review_form_publish(form=copied(world), actor=world.chief)
    edit = review_form_details_change(
        form=form, actor=world.chief, name="Renamed", description="New words"
    )
    assert edit.new_version and edit.form.name == "Renamed"
    form.refresh_from_db()
    assert form.name == "Our conference form"


def test_new_rounds_after_publish_use_the_new_version():
    world = make_world()
    invite_all(world)
    first = ReviewRound.objects.get(submission=world.submission)
    ours = review_form_field_append(
        form=copied(world), actor=world.chief, key="extra", label="Extra"
    ).form
    review_form_publish(form=ours, actor=world.chief)
    first.refresh_from_db()
    assert first.form.slug == "peerless-balanced"
    world.submission.venue.refresh_from_db()
    later = round_open(submission=world.submission, actor=world.editor)
    assert later.form == ours
