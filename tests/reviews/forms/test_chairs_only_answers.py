"""An answer a form keeps for the chairs: the chairs read it, the paper's action editor (and
everyone else) does not, on the reviews page, the API and the dashboard's paper page."""

import pytest
from django.urls import reverse

from reviews.selectors.reviews import submission_reviews
from reviews.services.form_builder import (
    review_form_create,
    review_form_field_change,
    review_form_publish,
)
from reviews.services.forms import review_form_latest
from tests.reviews.workflow.world import invite_all, make_world, submit_review

pytestmark = pytest.mark.django_db

SECRET = "Only for the chairs: the second author reviewed for me last year."


def answers_seen(world, viewer) -> set[str]:
    rounds = submission_reviews(submission=world.submission, viewer=viewer)
    return {a.field.key for view in rounds for r in view.reviews for a in r.answers}


def test_chairs_only_answers_reach_the_chairs_alone(client):
    world = make_world()
    form = review_form_create(
        venue=world.venue,
        actor=world.chief,
        name="Ours",
        copy_of=review_form_latest(slug="peerless-balanced"),
    )
    review_form_field_change(form=form, key="confidential", actor=world.chief, visibility="chairs")
    review_form_publish(form=form, actor=world.chief)
    world.submission.venue.refresh_from_db()
    invite_all(world)
    assert world.submission.review_rounds.get().form == form
    submit_review(world, world.reviewers[0], confidential=SECRET)

    assert "confidential" in answers_seen(world, world.chief)
    assert "confidential" not in answers_seen(world, world.editor)
    assert "summary" in answers_seen(world, world.editor)

    url = reverse("journal:dashboard-paper", args=[world.venue.slug, world.submission.number])
    client.force_login(world.chief)
    assert SECRET in client.get(url).content.decode()
    client.force_login(world.editor)
    page = client.get(url).content.decode()
    assert "The paper claims sparsity makes attention compositional." in page
    assert SECRET not in page
