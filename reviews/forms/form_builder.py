"""The review-form builder's forms: a new form (blank or a copy), a form's name, a question.

They only read what the chair typed; the services check everything else and say why.
"""

from typing import Any

from django import forms
from django.utils.text import slugify

from journal.limits import (
    REVIEW_FORM_HELP_MAX_CHARS,
    REVIEW_FORM_MAX_OPTIONS,
    REVIEW_FORM_WEIGHT_MAX,
    REVIEW_FORM_WORDS_MAX,
    TITLE_MAX_CHARS,
)
from reviews.enums import CriterionAspect, FieldKind, FieldVisibility
from reviews.selectors.form_builder import FormFamily
from reviews.services.form_builder import FIELD_SETTINGS


class FormCreateForm(forms.Form):
    name = forms.CharField(max_length=200, help_text="Reviewers see it above the questions.")
    copy_of = forms.TypedChoiceField(
        label="Start from",
        coerce=int,
        empty_value=None,
        required=False,
        help_text="A copy keeps every question, option and weight; change them afterwards.",
    )
    description = forms.CharField(
        required=False,
        max_length=REVIEW_FORM_HELP_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, own: list[FormFamily], shipped: list[FormFamily], **kwargs):
        super().__init__(*args, **kwargs)
        choices: list[Any] = [("", "A blank form")]
        choices.append(
            (
                "Shipped forms",
                [(f.newest.form.pk, f"{f.name} (shipped)") for f in shipped],
            )
        )
        if own:
            choices.append(
                (
                    "This venue's forms",
                    [
                        (v.form.pk, f"{v.form.name} v{v.form.version} ({v.status})")
                        for f in own
                        for v in f.versions
                    ],
                )
            )
        self.fields["copy_of"].choices = choices


class FormDetailsForm(forms.Form):
    name = forms.CharField(max_length=200)
    description = forms.CharField(
        required=False,
        max_length=REVIEW_FORM_HELP_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class FieldForm(forms.Form):
    """One question. `key` is typed only when the question is added; it never changes."""

    key = forms.CharField(
        max_length=64,
        required=False,
        help_text="The answer's short name (e.g. originality): lower-case, digits and _. "
        "Left empty, it is made from the label.",
    )
    label = forms.CharField(max_length=TITLE_MAX_CHARS)
    kind = forms.ChoiceField(choices=FieldKind.choices, initial=FieldKind.SCORE)
    help_text = forms.CharField(
        required=False,
        max_length=REVIEW_FORM_HELP_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Shown under the question.",
    )
    options = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "placeholder": "1 = Poor\n2 = Fair\n3 = Good"}),
        help_text="Scores and choices: one option a line, in order, as “value = label” "
        f"(at most {REVIEW_FORM_MAX_OPTIONS}). A score's values are numbers; a choice "
        "written without “=” gets a value made from its label.",
    )
    weight = forms.FloatField(
        required=False,
        initial=1,
        max_value=REVIEW_FORM_WEIGHT_MAX,
        help_text="Scores: the weight in the overall score (0 leaves it out).",
    )
    aspect = forms.ChoiceField(
        choices=CriterionAspect.choices,
        initial=CriterionAspect.OTHER,
        label="Judges",
        help_text="Scores: whether the criterion judges the idea or the benchmark numbers.",
    )
    independent = forms.BooleanField(
        required=False,
        label="Independent (e.g. confidence): shown on its own, not in the overall score",
    )
    visibility = forms.ChoiceField(
        choices=FieldVisibility.choices, initial=FieldVisibility.AUTHORS, label="Who reads it"
    )
    required = forms.BooleanField(required=False, initial=True)
    min_words = forms.IntegerField(
        required=False, min_value=1, max_value=REVIEW_FORM_WORDS_MAX, label="At least (words)"
    )
    max_words = forms.IntegerField(
        required=False, min_value=1, max_value=REVIEW_FORM_WORDS_MAX, label="At most (words)"
    )

    def __init__(self, *args, adding: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not adding:
            del self.fields["key"]

    @classmethod
    def for_field(cls, field, **kwargs) -> "FieldForm":
        """Return the form filled in with the question `field`, named by its key."""
        initial = {name: getattr(field, name) for name in FIELD_SETTINGS}
        initial["options"] = options_text(field.options)
        return cls(initial=initial, adding=False, prefix=f"f-{field.key}", **kwargs)

    def clean_options(self) -> list[dict[str, Any]]:
        kind = self.cleaned_data.get("kind") or self.data.get(self.add_prefix("kind"))
        try:
            return options_parse(self.cleaned_data.get("options") or "", score=kind == "score")
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from None

    def settings(self) -> dict[str, Any]:
        """Return the question's settings as the services take them."""
        data = {name: self.cleaned_data.get(name) for name in FIELD_SETTINGS}
        data["weight"] = data["weight"] if data["weight"] is not None else 0.0
        data["help_text"] = data["help_text"] or ""
        if "key" in self.fields:
            key = (self.cleaned_data.get("key") or "").strip()
            data["key"] = key or slugify(self.cleaned_data.get("label", "")).replace("-", "_")
        return data


def options_text(options: list[dict[str, Any]]) -> str:
    """Return options as the text a chair edits: one "value = label" a line."""
    return "\n".join(f"{o.get('value')} = {o.get('label', '')}" for o in options or [])


def options_parse(text: str, *, score: bool) -> list[dict[str, Any]]:
    """Return the options written one a line as "value = label" (a score's values are
    numbers; a choice's value may be left out and is made from its label)."""
    options = []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        value, sep, label = line.partition("=")
        value, label = value.strip(), label.strip()
        if not sep:
            if score:
                raise ValueError(f"Line {number}: write a score's option as “3 = Good”.")
            value, label = slugify(line).replace("-", "_") or line, line
        if score:
            try:
                number_value = float(value)
            except ValueError:
                raise ValueError(
                    f"Line {number}: “{value}” is not a number; a score's values are numbers."
                ) from None
            options.append(
                {
                    "value": int(number_value) if number_value.is_integer() else number_value,
                    "label": label,
                }
            )
        else:
            options.append({"value": value, "label": label})
    return options
