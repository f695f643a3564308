"""Shipped form templates, their weights, and versioning: a form in use is never edited."""

import io

import pytest
from django.core.management import call_command

from journal.errors import DomainError
from reviews.enums import FieldKind
from reviews.models import ReviewForm
from reviews.selectors.scoring import weight_shares
from reviews.services.form_templates import DEFAULT_SLUG
from reviews.services.forms import (
    review_form_default,
    review_form_field_add,
    review_form_field_update,
    review_form_in_use,
    review_form_latest,
    review_form_new_version,
)
from reviews.services.invitations import invitation_create
from reviews.services.rounds import round_open, round_set_form
from tests.reviews.workflow.world import make_world

pytestmark = pytest.mark.django_db


def test_shipped_templates_installed():
    slugs = set(ReviewForm.objects.values_list("slug", flat=True))
    assert {"peerless-balanced", "tmlr", "neurips-style"} <= slugs
    assert review_form_default().slug == DEFAULT_SLUG


def test_balanced_weights_originality_and_hypothesis_at_least_benchmarks():
    fields = list(review_form_default().fields.all())
    shares = weight_shares(fields=fields)
    assert shares["originality"] + shares["hypothesis"] >= shares["benchmarks"]
    assert shares["originality"] + shares["hypothesis"] >= 0.25
    confidence = next(f for f in fields if f.key == "confidence")
    assert confidence.independent and "confidence" not in shares


def test_balanced_has_the_criteria_and_a_recommendation():
    keys = set(review_form_default().fields.values_list("key", flat=True))
    assert {
        "originality",
        "hypothesis",
        "evidence",
        "benchmarks",
        "generalisation",
        "clarity",
        "reproducibility",
        "confidence",
        "summary",
        "strengths",
        "weaknesses",
        "requested_changes",
        "recommendation",
    } <= keys


def test_tmlr_has_no_numeric_score_and_two_yes_no_criteria():
    fields = list(review_form_latest(slug="tmlr").fields.all())
    assert not [f for f in fields if f.kind == FieldKind.SCORE]
    yes_no = {f.key for f in fields if f.kind == FieldKind.YES_NO}
    assert yes_no == {"claims_supported", "audience_interested"}


def test_neurips_scales():
    fields = {f.key: f for f in review_form_latest(slug="neurips-style").fields.all()}
    for key in ("soundness", "presentation", "contribution"):
        assert fields[key].option_values() == [1, 2, 3, 4]
    assert fields["rating"].option_values() == list(range(1, 11))
    assert fields["confidence"].independent


def test_form_in_use_cannot_be_edited_in_place():
    world = make_world()
    form = review_form_default()
    assert not review_form_in_use(form=form)
    invitation_create(
        submission=world.submission, reviewer=world.reviewers[0], invited_by=world.editor
    )
    assert review_form_in_use(form=form)
    field = form.fields.get(key="originality")
    with pytest.raises(DomainError, match="in use"):
        review_form_field_update(field=field, weight=0.1)
    with pytest.raises(DomainError, match="in use"):
        review_form_field_add(form=form, key="novelty", kind=FieldKind.TEXT, label="Novelty")
    field.refresh_from_db()
    assert field.weight == 2.0


def test_new_version_copies_fields_and_is_editable():
    form = review_form_default()
    copy = review_form_new_version(form=form)
    assert copy.slug == form.slug and copy.version == form.version + 1
    assert list(copy.fields.values_list("key", flat=True)) == list(
        form.fields.values_list("key", flat=True)
    )
    review_form_field_update(field=copy.fields.get(key="benchmarks"), weight=1.0)
    assert form.fields.get(key="benchmarks").weight == 1.5
    assert review_form_latest(slug=form.slug) == copy


def test_round_keeps_its_form_version_when_a_new_one_appears():
    world = make_world()
    invitation = invitation_create(
        submission=world.submission, reviewer=world.reviewers[0], invited_by=world.editor
    )
    old = invitation.round.form
    newer = review_form_new_version(form=old)
    world.venue.review_form = newer
    world.venue.save(update_fields=["review_form"])
    invitation.round.refresh_from_db()
    assert invitation.round.form == old


def test_venue_form_used_for_new_round():
    tmlr = review_form_latest(slug="tmlr")
    world = make_world(review_form=tmlr)
    invitation = invitation_create(
        submission=world.submission, reviewer=world.reviewers[0], invited_by=world.editor
    )
    assert invitation.round.form == tmlr


def test_score_field_needs_numeric_scale():
    copy = review_form_new_version(form=review_form_default())
    with pytest.raises(DomainError, match="two options"):
        review_form_field_add(form=copy, key="x", kind=FieldKind.SCORE, label="X", options=[])
    with pytest.raises(DomainError, match="numbers"):
        review_form_field_add(
            form=copy,
            key="y",
            kind=FieldKind.SCORE,
            label="Y",
            options=[{"value": "a", "label": "A"}, {"value": "b", "label": "B"}],
        )


def test_missing_shipped_forms_are_installed_again():
    ReviewForm.objects.all().delete()
    assert review_form_default().slug == DEFAULT_SLUG
    assert ReviewForm.objects.count() == 3
    call_command("install_review_forms", stdout=io.StringIO())
    assert ReviewForm.objects.count() == 3


def test_each_round_may_use_its_own_form():
    world = make_world()
    first = invitation_create(
        submission=world.submission, reviewer=world.reviewers[0], invited_by=world.editor
    ).round
    tmlr = review_form_latest(slug="tmlr")
    round_set_form(review_round=first, form=tmlr, actor=world.editor)
    assert first.form == tmlr
    second = round_open(submission=world.submission, actor=world.editor, form=review_form_default())
    assert second.form.slug == DEFAULT_SLUG and first.form.slug == "tmlr"


def test_round_form_frozen_once_a_reviewer_accepted():
    from reviews.services.invitations import invitation_accept

    world = make_world()
    invitation = invitation_create(
        submission=world.submission, reviewer=world.reviewers[0], invited_by=world.editor
    )
    invitation_accept(invitation=invitation, actor=world.reviewers[0])
    with pytest.raises(DomainError, match="cannot change"):
        round_set_form(
            review_round=invitation.round, form=review_form_latest(slug="tmlr"), actor=world.editor
        )


def test_schedule_page_sets_form_and_dates(client):
    world = make_world()
    review_round = invitation_create(
        submission=world.submission, reviewer=world.reviewers[0], invited_by=world.editor
    ).round
    client.force_login(world.editor)
    url = f"/submissions/{world.submission.pk}/reviews/schedule/"
    assert client.get(url).status_code == 200
    tmlr = review_form_latest(slug="tmlr")
    response = client.post(url, {"form": tmlr.pk, "review_due": "2031-01-02T10:00"})
    assert response.status_code == 302
    review_round.refresh_from_db()
    assert review_round.form == tmlr and review_round.review_due.year == 2031
