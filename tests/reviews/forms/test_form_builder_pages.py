"""The review-form builder's pages: the list with versions and rounds, a new copy, editing
(the note on what an edit of a form in use does), the preview, refusals; and the admin,
which can no longer edit a form in place."""

import pytest
from django.urls import reverse

from journal.models import AuditEvent
from reviews.models import ReviewForm, ReviewFormField
from reviews.services.form_builder import review_form_create, review_form_publish
from reviews.services.forms import review_form_latest
from reviews.services.rounds import round_open
from tests.factories import UserFactory
from tests.reviews.workflow.world import make_world

pytestmark = pytest.mark.django_db


def balanced_copy(world, name="Our form"):
    return review_form_create(
        venue=world.venue,
        actor=world.chief,
        name=name,
        copy_of=review_form_latest(slug="peerless-balanced"),
    )


def list_url(world):
    return reverse("reviews:form-list", args=[world.venue.slug])


def edit_url(world, form):
    return reverse("reviews:form-edit", args=[world.venue.slug, form.slug])


def test_list_shows_versions_their_rounds_and_the_current_form(client):
    world = make_world()
    v1 = review_form_publish(form=balanced_copy(world), actor=world.chief)
    round_open(submission=world.submission, actor=world.editor)
    client.force_login(world.chief)
    html = client.get(list_url(world)).content.decode()
    assert "Our form" in html
    assert "<td>v1</td>" in html
    assert '<span class="badge">the form of new rounds</span>' in html
    assert "in use by round 1 (1 paper)" in html
    assert "Peerless balanced (shipped)" in html  # to copy
    assert v1.slug in html


@pytest.mark.parametrize("n_forms", [1, 3])
def test_list_reads_a_fixed_number_of_queries(client, django_assert_max_num_queries, n_forms):
    world = make_world()
    for i in range(n_forms):
        form = review_form_publish(form=balanced_copy(world, f"Form {i}"), actor=world.chief)
        round_open(submission=world.submission, actor=world.editor, form=form)
    client.force_login(world.chief)
    with django_assert_max_num_queries(14):
        response = client.get(list_url(world))
    assert response.status_code == 200
    assert response.content.decode().count("in use by round") == n_forms


def test_chair_copies_a_form_on_the_page(client):
    world = make_world()
    client.force_login(world.chief)
    shipped = review_form_latest(slug="neurips-style")
    response = client.post(list_url(world), {"name": "Conference 2027", "copy_of": shipped.pk})
    form = ReviewForm.objects.get(venue=world.venue)
    assert response.status_code == 302 and response["Location"] == edit_url(world, form)
    page = client.get(response["Location"]).content.decode()
    assert "Conference 2027 v1 is created, a copy of NeurIPS-style v1" in page
    assert "v1 is a draft: your edits change it until you publish it." in page
    assert "Rating" in page and "Soundness" in page


def test_a_new_form_without_a_name_is_refused_with_the_reason(client):
    world = make_world()
    client.force_login(world.chief)
    before = ReviewForm.objects.count()
    response = client.post(list_url(world), {"name": "", "copy_of": ""})
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    assert ReviewForm.objects.count() == before


def test_editing_a_form_in_use_says_so_and_makes_the_next_version(client):
    world = make_world()
    form = review_form_publish(form=balanced_copy(world), actor=world.chief)
    round_open(submission=world.submission, actor=world.editor)
    client.force_login(world.chief)
    page = client.get(edit_url(world, form)).content.decode()
    assert "v1 is in use by round 1 (1 paper); your edits make v2, a draft" in page
    response = client.post(
        edit_url(world, form),
        {
            "action": "add",
            "new-key": "",
            "new-label": "Originality of the hypothesis",
            "new-kind": "score",
            "new-options": "1 = Derivative\n2 = Incremental\n3 = Original\n4 = Very original",
            "new-weight": "2",
            "new-aspect": "ideas",
            "new-visibility": "authors",
            "new-required": "on",
        },
    )
    assert response.status_code == 302
    assert response["Location"].endswith("#q-originality_of_the_hypothesis")
    page = client.get(response["Location"]).content.decode()
    assert "v1 is in use, so it was left as it is: your edit made v2, a draft." in page
    v2 = ReviewForm.objects.get(slug=form.slug, version=2)
    added = v2.fields.get(key="originality_of_the_hypothesis")
    assert added.weight == 2 and added.aspect == "ideas"
    assert [o["value"] for o in added.options] == [1, 2, 3, 4]
    assert not form.fields.filter(key="originality_of_the_hypothesis").exists()
    assert "Publish v2: new rounds use it" in page


def test_a_question_with_problems_is_refused_beside_each_setting(client):
    world = make_world()
    form = balanced_copy(world)
    client.force_login(world.chief)
    before = list(ReviewFormField.objects.filter(form=form).values_list("key", "weight"))
    response = client.post(
        edit_url(world, form),
        {
            "action": "change",
            "key": "originality",
            "f-originality-label": "Originality",
            "f-originality-kind": "score",
            "f-originality-options": "1 = Low",
            "f-originality-weight": "-1",
            "f-originality-aspect": "ideas",
            "f-originality-visibility": "authors",
        },
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "A score needs at least two options" in html
    assert "A weight cannot be negative" in html
    assert "<details open>" in html
    assert list(ReviewFormField.objects.filter(form=form).values_list("key", "weight")) == before


def test_preview_renders_the_form_as_reviewers_see_it_with_the_shares(client):
    world = make_world()
    form = balanced_copy(world)
    client.force_login(world.chief)
    url = reverse("reviews:form-preview", args=[world.venue.slug, form.slug])
    html = client.get(url).content.decode()
    assert 'id="field-originality"' in html
    assert "Weight 2 in the overall score." in html
    assert "Our form: share of the overall score" in html
    row = "<td>Originality</td><td>Ideas (originality, hypothesis)</td><td>2</td><td>20%</td>"
    assert row in html


def test_only_the_venues_chairs_build_forms(client):
    world = make_world()
    form = balanced_copy(world)
    for person in (world.editor, world.reviewers[0], UserFactory()):
        client.force_login(person)
        response = client.get(list_url(world))
        assert response.status_code == 403
        assert "You are not an editor of this venue." in response.content.decode()
        response = client.post(edit_url(world, form), {"action": "remove", "key": "summary"})
        assert response.status_code == 403
    assert form.fields.filter(key="summary").exists()


def test_publish_on_the_page_refuses_an_incomplete_form_and_says_why(client):
    world = make_world()
    form = review_form_create(venue=world.venue, actor=world.chief, name="Empty")
    client.force_login(world.chief)
    response = client.post(edit_url(world, form), {"action": "publish"})
    assert response.status_code == 400
    assert "Add at least one question before publishing the form." in response.content.decode()
    form.refresh_from_db()
    assert form.published_at is None


def test_the_admin_cannot_edit_a_form_in_use(client):
    world = make_world()
    form = review_form_publish(form=balanced_copy(world), actor=world.chief)
    round_open(submission=world.submission, actor=world.editor)
    staff = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(staff)
    url = reverse("admin:reviews_reviewform_change", args=[form.pk])
    page = client.get(url)
    assert page.status_code == 200 and "Our form" in page.content.decode()
    events = AuditEvent.objects.count()
    response = client.post(
        url,
        {
            "slug": form.slug,
            "version": "1",
            "name": "Edited in the admin",
            "fields-TOTAL_FORMS": "1",
            "fields-INITIAL_FORMS": "1",
            "fields-0-id": str(form.fields.get(key="originality").pk),
            "fields-0-form": str(form.pk),
            "fields-0-key": "originality",
            "fields-0-weight": "9",
        },
    )
    assert response.status_code == 403
    form.refresh_from_db()
    assert form.name == "Our form"
    assert form.fields.get(key="originality").weight == 2
    assert AuditEvent.objects.count() == events
    add = client.post(reverse("admin:reviews_reviewform_add"), {"slug": "x", "name": "X"})
    assert add.status_code == 403 and not ReviewForm.objects.filter(slug="x").exists()
