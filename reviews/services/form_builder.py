"""The chairs' review-form builder: create, copy, edit, order and publish a venue's forms.

A form in use is never edited in place. Any edit to a version that a round or a review uses,
or that was published, goes to a new draft version made in the same transaction
(copy-on-write); publishing a draft makes it the venue's form for new rounds, and running
rounds keep the version they opened with. Every change is audited with its actor.
"""

import re
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from journal.enums import VenueKind
from journal.errors import DomainError, FieldErrors
from journal.limits import (
    REVIEW_FORM_HELP_MAX_CHARS,
    REVIEW_FORM_MAX_FIELDS,
    REVIEW_FORM_MAX_OPTIONS,
    REVIEW_FORM_WEIGHT_MAX,
    REVIEW_FORM_WORDS_MAX,
    TEXT_MAX_CHARS,
    TITLE_MAX_CHARS,
)
from journal.models import User, Venue
from journal.services.audit import audit_log
from reviews.enums import CriterionAspect, FieldKind, FieldVisibility
from reviews.models import ReviewForm, ReviewFormField
from reviews.services.forms import review_form_in_use, review_form_new_version

KEY_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
CHOICE_KINDS = frozenset({FieldKind.SCORE, FieldKind.SINGLE_CHOICE, FieldKind.MULTIPLE_CHOICE})

#: What a chair may set on a question (its key is fixed once made: answers are stored by it).
FIELD_SETTINGS = (
    "kind",
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
)


@dataclass(frozen=True)
class FormEdit:
    """What an edit did: the version it went to, and whether that version was made for it."""

    form: ReviewForm
    field: ReviewFormField | None = None
    new_version: bool = False
    frozen: ReviewForm | None = None  # the version in use that the edit left alone

    @property
    def message(self) -> str:
        """Return what to tell the chair."""
        if not self.new_version or self.frozen is None:
            return f"Saved in {self.form.name} v{self.form.version} (a draft)."
        return (
            f"v{self.frozen.version} is in use, so it was left as it is: your edit made "
            f"v{self.form.version}, a draft. Publish v{self.form.version} to use it for new "
            "rounds; running rounds keep theirs."
        )


def review_form_frozen(*, form: ReviewForm) -> bool:
    """Return whether edits to `form` must go to a new version: a round or a review uses it,
    or it was published (it is, or was, a venue's form for new rounds)."""
    return form.published_at is not None or review_form_in_use(form=form)


def review_form_create(
    *,
    venue: Venue,
    actor: User,
    name: str,
    description: str = "",
    copy_of: ReviewForm | None = None,
) -> ReviewForm:
    """Create version 1 of a new form of `venue`: blank, or a copy of a shipped form or of
    one of the venue's own forms (any version). It is a draft until published."""
    name = " ".join((name or "").split())
    problems = _name_problems(name=name, description=description)
    if copy_of is not None and copy_of.venue_id not in (None, venue.pk):
        problems.setdefault("copy_of", []).append("Copy a shipped form or one of this venue's.")
    if problems:
        raise FieldErrors(next(iter(problems.values()))[0], errors=problems)
    with transaction.atomic():
        form = ReviewForm.objects.create(
            slug=_free_slug(venue=venue, name=name),
            version=1,
            name=name,
            description=(description or "").strip() or (copy_of.description if copy_of else ""),
            venue=venue,
            copied_from=copy_of,
            created_by=actor,
        )
        if copy_of is not None:
            _copy_fields(source=copy_of, target=form)
        audit_log(
            venue=venue,
            actor=actor,
            action="review_form.created",
            data={
                "form": form.slug,
                "version": form.version,
                "copy_of": f"{copy_of.slug} v{copy_of.version}" if copy_of else "",
            },
        )
    return form


def review_form_details_change(
    *, form: ReviewForm, actor: User, name: str, description: str
) -> FormEdit:
    """Rename the form or change its description (a new version if it is in use)."""
    name = " ".join((name or "").split())
    problems = _name_problems(name=name, description=description)
    if problems:
        raise FieldErrors(next(iter(problems.values()))[0], errors=problems)
    with transaction.atomic():
        draft, frozen = _working_version(form=form, actor=actor)
        draft.name, draft.description = name, description.strip()
        draft.save(update_fields=["name", "description"])
        _audit(draft, actor, "review_form.details_changed", {"name": name})
    return FormEdit(form=draft, new_version=frozen is not None, frozen=frozen)


def review_form_field_append(*, form: ReviewForm, actor: User, key: str, **spec: Any) -> FormEdit:
    """Add a question at the end of the form (a new version if it is in use)."""
    unknown = set(spec) - set(FIELD_SETTINGS)
    if unknown:
        raise DomainError(f"These cannot be set: {', '.join(sorted(unknown))}.")
    with transaction.atomic():
        draft, frozen = _working_version(form=form, actor=actor)
        siblings = list(draft.fields.order_by("order", "pk"))
        if len(siblings) >= REVIEW_FORM_MAX_FIELDS:
            raise DomainError(
                f"A review form has at most {REVIEW_FORM_MAX_FIELDS} questions.", field="key"
            )
        field = ReviewFormField(
            form=draft,
            key=(key or "").strip(),
            order=len(siblings),
            **_defaults(spec),
        )
        _normalise(field)
        problems = field_problems(field=field, siblings=siblings)
        if problems:
            raise FieldErrors(_summary(problems), errors=problems)
        field.save()
        _audit(draft, actor, "review_form.field_added", {"key": field.key, "kind": field.kind})
    return FormEdit(form=draft, field=field, new_version=frozen is not None, frozen=frozen)


def review_form_field_change(
    *, form: ReviewForm, key: str, actor: User, **changes: Any
) -> FormEdit:
    """Change the question `key` of the form (in a new version if the form is in use)."""
    unknown = set(changes) - set(FIELD_SETTINGS)
    if unknown:
        raise DomainError(f"These cannot be changed: {', '.join(sorted(unknown))}.")
    with transaction.atomic():
        draft, frozen = _working_version(form=form, actor=actor)
        siblings = list(draft.fields.order_by("order", "pk"))
        field = _field_of(siblings, key)
        before = {name: getattr(field, name) for name in FIELD_SETTINGS}
        for name, value in changes.items():
            setattr(field, name, value)
        _normalise(field)
        problems = field_problems(field=field, siblings=[f for f in siblings if f.pk != field.pk])
        if problems:
            raise FieldErrors(_summary(problems), errors=problems)
        changed = [n for n in FIELD_SETTINGS if getattr(field, n) != before[n]]
        if changed:
            field.save(update_fields=changed)
            _audit(draft, actor, "review_form.field_changed", {"key": key, "changed": changed})
    return FormEdit(form=draft, field=field, new_version=frozen is not None, frozen=frozen)


def review_form_field_remove(*, form: ReviewForm, key: str, actor: User) -> FormEdit:
    """Remove the question `key` (from a new version if the form is in use: the answers
    given on the version in use stay readable)."""
    with transaction.atomic():
        draft, frozen = _working_version(form=form, actor=actor)
        siblings = list(draft.fields.order_by("order", "pk"))
        field = _field_of(siblings, key)
        field.delete()
        _renumber([f for f in siblings if f.key != key])
        _audit(draft, actor, "review_form.field_removed", {"key": key})
    return FormEdit(form=draft, new_version=frozen is not None, frozen=frozen)


def review_form_field_move(*, form: ReviewForm, key: str, actor: User, up: bool) -> FormEdit:
    """Move the question `key` one place up or down (nothing changes at either end)."""
    with transaction.atomic():
        newest = _lock_newest(form=form)
        siblings = list(newest.fields.order_by("order", "pk"))
        index = siblings.index(_field_of(siblings, key))
        target = index - 1 if up else index + 1
        if not 0 <= target < len(siblings):
            return FormEdit(form=newest)
        draft, frozen = _working_version(form=newest, actor=actor)
        siblings = list(draft.fields.order_by("order", "pk"))
        siblings[index], siblings[target] = siblings[target], siblings[index]
        _renumber(siblings)
        _audit(draft, actor, "review_form.field_moved", {"key": key, "to": target + 1})
        field = siblings[target]
    return FormEdit(form=draft, field=field, new_version=frozen is not None, frozen=frozen)


def review_form_publish(*, form: ReviewForm, actor: User) -> ReviewForm:
    """Make the draft `form` the venue's form for new rounds; running rounds keep theirs.

    Refused, with every reason, when the form is not complete (see `form_problems`).
    """
    from journal.services.venues import venue_update

    with transaction.atomic():
        locked = _lock_newest(form=form)
        venue = locked.venue
        if locked.published_at is not None:
            if venue.review_form_id == locked.pk:
                raise DomainError(
                    f"{locked.name} v{locked.version} is already the form of new rounds."
                )
        else:
            fields = list(locked.fields.order_by("order", "pk"))
            problems = form_problems(form=locked, fields=fields, venue=venue)
            if problems:
                raise FieldErrors(_summary(problems), errors=problems)
            locked.published_at = timezone.now()
            locked.save(update_fields=["published_at"])
        _audit(locked, actor, "review_form.published", {})
        venue_update(venue=venue, actor=actor, review_form=locked)
    return locked


def form_problems(
    *, form: ReviewForm, fields: list[ReviewFormField], venue: Venue
) -> dict[str, list[str]]:
    """Return what keeps `form` from being published, by field key ("form" for the whole).

    A form needs at least one question and one required question (or a reviewer could
    submit an empty review). At a conference it also needs a scored criterion that counts in
    the overall score: the decision table ranks papers by it, and the analytics and score
    calibration are computed from it. A journal's form may have none (TMLR-style: the
    editors read the answers and the reviewers' recommendations).
    """
    problems: dict[str, list[str]] = {}
    for field in fields:
        for key, messages in field_problems(
            field=field, siblings=[f for f in fields if f.pk != field.pk]
        ).items():
            problems.setdefault(field.key if key == "key" else f"{field.key}.{key}", []).extend(
                messages
            )
    whole = []
    if not fields:
        whole.append("Add at least one question before publishing the form.")
    elif not any(f.required for f in fields):
        whole.append(
            "Make at least one question required: otherwise a reviewer could submit an "
            "empty review."
        )
    if (
        venue.kind == VenueKind.CONFERENCE
        and fields
        and not any(f.counts_in_overall for f in fields)
    ):
        whole.append(
            "Add a scored criterion with a weight above 0 that is not independent: at a "
            "conference the decision table ranks papers by the overall score, and the "
            "analytics and the score calibration are computed from it."
        )
    if whole:
        problems["form"] = whole
    return problems


def field_problems(
    *, field: ReviewFormField, siblings: list[ReviewFormField]
) -> dict[str, list[str]]:
    """Return every problem of one question, by setting; `siblings` are the form's others."""
    problems: dict[str, list[str]] = {}

    def add(name: str, message: str) -> None:
        problems.setdefault(name, []).append(message)

    if not KEY_PATTERN.match(field.key or ""):
        add(
            "key",
            "A key is a short name for the answer: lower-case letters, digits and _, "
            "starting with a letter (e.g. originality).",
        )
    elif any(s.key == field.key for s in siblings):
        add("key", f"The form already has a question with the key “{field.key}”.")
    if field.kind not in FieldKind.values:
        add("kind", "Choose the kind of question.")
    label = (field.label or "").strip()
    if not label:
        add("label", "Give the question a label: the text reviewers read.")
    elif len(label) > TITLE_MAX_CHARS:
        add("label", f"A label has at most {TITLE_MAX_CHARS} characters.")
    if len(field.help_text or "") > REVIEW_FORM_HELP_MAX_CHARS:
        add("help_text", f"Help text has at most {REVIEW_FORM_HELP_MAX_CHARS:,} characters.")
    if field.visibility not in FieldVisibility.values:
        add("visibility", "Choose who reads the answer.")
    if field.aspect not in CriterionAspect.values:
        add("aspect", "Choose what the criterion judges.")
    if field.kind in CHOICE_KINDS:
        for message in _option_problems(field):
            add("options", message)
    weight = field.weight
    if not isinstance(weight, int | float) or isinstance(weight, bool):
        add("weight", "A weight is a number.")
    elif weight < 0:
        add("weight", "A weight cannot be negative: use 0 to leave a score out of the overall.")
    elif weight > REVIEW_FORM_WEIGHT_MAX:
        add("weight", f"A weight is at most {REVIEW_FORM_WEIGHT_MAX:g}.")
    for name in ("min_words", "max_words"):
        value = getattr(field, name)
        if value is not None and not 1 <= value <= REVIEW_FORM_WORDS_MAX:
            add(
                name,
                f"A word limit is between 1 and {REVIEW_FORM_WORDS_MAX:,} (a text answer "
                f"holds at most {TEXT_MAX_CHARS:,} characters).",
            )
    if field.min_words and field.max_words and field.min_words > field.max_words:
        add(
            "min_words",
            f"The minimum ({field.min_words} words) is above the maximum ({field.max_words}).",
        )
    return problems


def _option_problems(field: ReviewFormField) -> list[str]:
    options = field.options
    if not isinstance(options, list) or not all(isinstance(o, dict) for o in options):
        return ["Give the options as a list of values with their labels."]
    messages = []
    if len(options) < 2:
        kind = "A score" if field.kind == FieldKind.SCORE else "A choice"
        messages.append(f"{kind} needs at least two options, each with a value and a label.")
    if len(options) > REVIEW_FORM_MAX_OPTIONS:
        messages.append(f"A question has at most {REVIEW_FORM_MAX_OPTIONS} options.")
    values = [o.get("value") for o in options]
    if field.kind == FieldKind.SCORE and not all(
        isinstance(v, int | float) and not isinstance(v, bool) for v in values
    ):
        messages.append("The values of a score are numbers (e.g. 1 to 5).")
    elif any(v is None or str(v).strip() == "" for v in values):
        messages.append("Every option needs a value.")
    if len({str(v) for v in values}) < len(values):
        messages.append("Two options have the same value; each value must be different.")
    if any(not str(o.get("label") or "").strip() for o in options):
        messages.append("Every option needs a label (what reviewers read).")
    return messages


def _normalise(field: ReviewFormField) -> None:
    """Clear what a question's kind does not use (a text has no options, a choice no weight)."""
    if field.kind not in CHOICE_KINDS:
        field.options = []
    if field.kind != FieldKind.SCORE:
        field.weight, field.independent, field.aspect = 0, False, CriterionAspect.OTHER
    if field.kind != FieldKind.TEXT:
        field.min_words = field.max_words = None
    field.label = " ".join((field.label or "").split())
    field.help_text = (field.help_text or "").strip()


def _defaults(spec: dict[str, Any]) -> dict[str, Any]:
    return {
        "kind": FieldKind.TEXT,
        "label": "",
        "help_text": "",
        "required": True,
        "visibility": FieldVisibility.AUTHORS,
        "options": [],
        "weight": 0.0,
        "independent": False,
        "aspect": CriterionAspect.OTHER,
        "min_words": None,
        "max_words": None,
        **spec,
    }


def _working_version(*, form: ReviewForm, actor: User) -> tuple[ReviewForm, ReviewForm | None]:
    """Return the version edits go to, and the frozen version it was copied from (if any).

    The caller holds a transaction; the newest version of the form is locked.
    """
    newest = _lock_newest(form=form)
    if not review_form_frozen(form=newest):
        return newest, None
    draft = review_form_new_version(form=newest)
    draft.created_by = actor
    draft.save(update_fields=["created_by"])
    _audit(draft, actor, "review_form.version_created", {"from_version": newest.version})
    return draft, newest


def _lock_newest(*, form: ReviewForm) -> ReviewForm:
    if form.venue_id is None:
        raise DomainError(
            f"{form.name} is a shipped form and is never edited: copy it to make your own."
        )
    newest = (
        ReviewForm.objects.select_for_update(of=("self",))
        .select_related("venue")
        .filter(slug=form.slug)
        .order_by("-version")
        .first()
    )
    if newest.pk != form.pk:
        raise DomainError(
            f"v{form.version} is not the newest version of {form.name}: edit "
            f"v{newest.version} instead (older versions never change).",
            field="version",
        )
    return newest


def _field_of(fields: list[ReviewFormField], key: str) -> ReviewFormField:
    for field in fields:
        if field.key == key:
            return field
    raise DomainError(f"The form has no question with the key “{key}”.", field="key")


def _renumber(fields: list[ReviewFormField]) -> None:
    for order, field in enumerate(fields):
        field.order = order
    ReviewFormField.objects.bulk_update(fields, ["order"])


def _copy_fields(*, source: ReviewForm, target: ReviewForm) -> None:
    ReviewFormField.objects.bulk_create(
        [
            ReviewFormField(
                form=target,
                order=order,
                **{name: getattr(field, name) for name in ("key", *FIELD_SETTINGS)},
            )
            for order, field in enumerate(source.fields.order_by("order", "pk"))
        ]
    )


def _free_slug(*, venue: Venue, name: str) -> str:
    base = slugify(f"{venue.slug}-{name}")[:56].strip("-") or f"{venue.slug}-form"
    taken = set(ReviewForm.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def _name_problems(*, name: str, description: str) -> dict[str, list[str]]:
    problems: dict[str, list[str]] = {}
    if not name:
        problems["name"] = ["Give the form a name (reviewers see it above the questions)."]
    elif len(name) > 200:
        problems["name"] = ["A form's name has at most 200 characters."]
    if len(description or "") > REVIEW_FORM_HELP_MAX_CHARS:
        problems["description"] = [
            f"A description has at most {REVIEW_FORM_HELP_MAX_CHARS:,} characters."
        ]
    return problems


def _summary(problems: dict[str, list[str]]) -> str:
    count = sum(len(m) for m in problems.values())
    if count == 1:
        return next(iter(problems.values()))[0]
    return f"{count} problems; each is listed beside its setting."


def _audit(form: ReviewForm, actor: User, action: str, data: dict[str, Any]) -> None:
    audit_log(
        venue=form.venue,
        actor=actor,
        action=action,
        data={"form": form.slug, "version": form.version, **data},
    )
