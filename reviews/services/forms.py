"""Review forms as data. A form in use is never edited in place: make a new version."""

from typing import Any

from django.db import transaction
from django.db.models import Max

from journal.errors import DomainError
from journal.models import Venue
from reviews.enums import FieldKind
from reviews.models import ReviewForm, ReviewFormField
from reviews.selectors.forms import review_form_stored_for_venue
from reviews.services.form_templates import DEFAULT_SLUG, TEMPLATES, install_templates

SHIPPED_SLUGS = frozenset(t["slug"] for t in TEMPLATES)

_EDITABLE = {
    "label",
    "help_text",
    "required",
    "visibility",
    "options",
    "weight",
    "independent",
    "aspect",
    "min_words",
    "max_words",
    "order",
}


def review_forms_install() -> list[ReviewForm]:
    """Install the shipped form templates that are missing; return those created."""
    with transaction.atomic():
        return install_templates(ReviewForm, ReviewFormField)


def review_form_latest(*, slug: str, venue: Venue | None = None) -> ReviewForm:
    """Return the newest version of the form `slug`, or raise DomainError.

    A shipped template that is missing (a database emptied after migrating) is installed.
    A form a venue built is found only for that `venue`.
    """
    form = ReviewForm.objects.filter(slug=slug).order_by("-version").first()
    if form is None and slug in SHIPPED_SLUGS:
        review_forms_install()
        form = ReviewForm.objects.filter(slug=slug).order_by("-version").first()
    if form is not None and form.venue_id is not None and form.venue_id != getattr(venue, "pk", 0):
        form = None
    if form is None:
        raise DomainError(f"There is no review form called '{slug}'.")
    return form


def review_form_default() -> ReviewForm:
    """Return the newest version of Peerless balanced, the default form."""
    return review_form_latest(slug=DEFAULT_SLUG)


def review_form_for_venue(*, venue: Venue) -> ReviewForm:
    """Return the form a new round at `venue` uses: the venue's choice, else the default."""
    return review_form_stored_for_venue(venue=venue) or review_form_default()


def review_form_in_use(*, form: ReviewForm) -> bool:
    """Return whether a round or a review refers to `form` (then it is frozen)."""
    return form.rounds.exists() or form.reviews.exists()


def review_form_new_version(*, form: ReviewForm, name: str | None = None) -> ReviewForm:
    """Copy `form` and its fields to the next version of its slug, which may be edited."""
    with transaction.atomic():
        last = ReviewForm.objects.filter(slug=form.slug).aggregate(v=Max("version"))["v"] or 0
        copy = ReviewForm.objects.create(
            slug=form.slug,
            version=last + 1,
            name=name or form.name,
            description=form.description,
            venue=form.venue,
            copied_from=form,
        )
        ReviewFormField.objects.bulk_create(
            [
                ReviewFormField(
                    form=copy,
                    key=field.key,
                    order=field.order,
                    kind=field.kind,
                    label=field.label,
                    help_text=field.help_text,
                    required=field.required,
                    visibility=field.visibility,
                    options=field.options,
                    weight=field.weight,
                    independent=field.independent,
                    aspect=field.aspect,
                    min_words=field.min_words,
                    max_words=field.max_words,
                )
                for field in form.fields.order_by("order", "pk")
            ]
        )
    return copy


def review_form_field_update(*, field: ReviewFormField, **changes: Any) -> ReviewFormField:
    """Change a field of a form that is not in use yet; refuse for a form in use."""
    unknown = set(changes) - _EDITABLE
    if unknown:
        raise DomainError(f"These cannot be changed: {', '.join(sorted(unknown))}.")
    if review_form_in_use(form=field.form):
        raise DomainError(
            f"{field.form} is in use and cannot be edited; make a new version of it instead."
        )
    for name, value in changes.items():
        setattr(field, name, value)
    _check_field(field)
    field.save(update_fields=sorted(changes))
    return field


def review_form_field_add(*, form: ReviewForm, **spec: Any) -> ReviewFormField:
    """Add a field to a form that is not in use yet."""
    if review_form_in_use(form=form):
        raise DomainError(f"{form} is in use and cannot be edited; make a new version of it.")
    last = form.fields.aggregate(o=Max("order"))["o"]
    spec.setdefault("order", 0 if last is None else last + 1)
    field = ReviewFormField(form=form, **spec)
    _check_field(field)
    field.save()
    return field


def _check_field(field: ReviewFormField) -> None:
    choices = {FieldKind.SCORE, FieldKind.SINGLE_CHOICE, FieldKind.MULTIPLE_CHOICE}
    if field.kind in choices and len(field.options) < 2:
        raise DomainError("A scale or a choice needs at least two options.", field="options")
    if field.kind == FieldKind.SCORE:
        if not all(isinstance(o.get("value"), int | float) for o in field.options):
            raise DomainError("The values of a scale are numbers.", field="options")
        if field.weight < 0:
            raise DomainError("A weight cannot be negative.", field="weight")
