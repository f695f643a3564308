"""Tests run in any order and process: a flush leaves what `migrate` leaves."""

import pytest
from django.core.management import call_command

from reviews.models import ReviewForm, ReviewFormField


@pytest.mark.django_db(transaction=True)
def test_a_flush_puts_back_the_rows_the_migrations_wrote_under_their_keys():
    forms = set(ReviewForm.objects.values_list("pk", "slug", "version"))
    fields = set(ReviewFormField.objects.values_list("pk", "form_id", "key", "weight", "aspect"))
    assert {slug for _, slug, _ in forms} >= {"peerless-balanced", "tmlr", "neurips-style"}

    call_command("flush", verbosity=0, interactive=False)  # what a transactional test ends with

    assert set(ReviewForm.objects.values_list("pk", "slug", "version")) == forms
    assert (
        set(ReviewFormField.objects.values_list("pk", "form_id", "key", "weight", "aspect"))
        == fields
    )
    # new rows take keys after them
    copy = ReviewForm.objects.create(slug="a-copy", version=1, name="A copy")
    assert copy.pk > max(pk for pk, _, _ in forms)
