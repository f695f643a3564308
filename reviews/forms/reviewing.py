"""Forms reviewers fill in: answering an invitation, the review itself, a recommendation."""

from typing import Any

from django import forms

from journal.errors import FieldErrors
from journal.limits import TEXT_MAX_CHARS
from reviews.enums import FieldKind, Recommendation
from reviews.models import ReviewFormField
from reviews.services.claim_assessments import ClaimAssessmentInput, HypothesisInput

HYPOTHESIS_FIELDS = ("stated_clearly", "falsifiable", "tested", "note")

YES_NO = [("yes", "Yes"), ("no", "No")]


class InvitationAnswerForm(forms.Form):
    answer = forms.ChoiceField(
        choices=[("accept", "Accept: I will review this paper"), ("decline", "Decline")],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="If you decline: why (e.g. out of my area, too busy, a conflict).",
        max_length=TEXT_MAX_CHARS,
    )


class ReviewAnswersForm(forms.Form):
    """Render a review form's fields as Django form fields. Never required here: the service
    checks strictly on submission and loosely for drafts."""

    def __init__(self, *args, form_fields: list[ReviewFormField], **kwargs):
        super().__init__(*args, **kwargs)
        self.form_fields = form_fields
        for spec in form_fields:
            self.fields[spec.key] = _django_field(spec)

    def rows(self):
        """Yield (form field spec, bound field) in the form's order."""
        for spec in self.form_fields:
            yield spec, self[spec.key]


#: Where on the review page the assessments' problems are shown.
ASSESSMENT_ANCHORS = {
    "claim_assessments": "claim-assessments",
    **{name: "hypothesis-assessment" for name in HYPOTHESIS_FIELDS},
}


def review_problems(form: ReviewAnswersForm, error: FieldErrors) -> list[dict[str, str]]:
    """Put each of `error`'s messages beside its field of `form`; return them all, in the
    page's order, with the anchor of the place each one is about (for the list at the top)."""
    problems = []
    for key, messages in error.errors.items():
        if key in form.fields:
            anchor = f"field-{key}"
            for message in messages:
                form.add_error(key, message)
        else:
            anchor = ASSESSMENT_ANCHORS.get(key, "review-form")
        problems += [{"anchor": anchor, "message": message} for message in messages]
    order = {f"field-{spec.key}": n for n, spec in enumerate(form.form_fields)}
    return sorted(problems, key=lambda p: order.get(p["anchor"], len(order)))


def _django_field(spec: ReviewFormField) -> forms.Field:
    label = spec.label + ("" if spec.required else " (optional)")
    common = {"label": label, "required": False, "help_text": spec.help_text}
    choices = [(str(o["value"]), spec.option_label(o["value"])) for o in spec.options]
    if spec.kind == FieldKind.TEXT:
        attrs = {"rows": 6}
        if spec.max_words:
            attrs["data-max-words"] = spec.max_words
        return forms.CharField(
            widget=forms.Textarea(attrs=attrs), **common, max_length=TEXT_MAX_CHARS
        )
    if spec.kind == FieldKind.YES_NO:
        return forms.ChoiceField(choices=YES_NO, widget=forms.RadioSelect, **common)
    if spec.kind == FieldKind.MULTIPLE_CHOICE:
        return forms.MultipleChoiceField(
            choices=choices, widget=forms.CheckboxSelectMultiple, **common
        )
    return forms.ChoiceField(choices=choices, widget=forms.RadioSelect, **common)


def initial_from_answers(form_fields: list[ReviewFormField], answers: dict[str, Any]) -> dict:
    """Return form initial data for stored answers."""
    initial = {}
    for spec in form_fields:
        if spec.key not in answers:
            continue
        value = answers[spec.key]
        if spec.kind == FieldKind.YES_NO:
            value = "yes" if value else "no"
        elif spec.kind == FieldKind.MULTIPLE_CHOICE:
            value = [str(v) for v in value]
        elif spec.kind != FieldKind.TEXT:
            value = str(value)
        initial[spec.key] = value
    return initial


def raw_answers(form_fields: list[ReviewFormField], data) -> dict[str, Any]:
    """Return the raw answers in POST `data` (a QueryDict), by field key."""
    raw: dict[str, Any] = {}
    for spec in form_fields:
        if spec.kind == FieldKind.MULTIPLE_CHOICE:
            raw[spec.key] = data.getlist(spec.key)
        elif spec.key in data:
            raw[spec.key] = data.get(spec.key)
    return raw


class RecommendationForm(forms.Form):
    recommendation = forms.ChoiceField(choices=Recommendation.choices, widget=forms.RadioSelect)
    claims_supported = forms.ChoiceField(
        label="Are the claims supported by accurate, convincing and clear evidence?",
        choices=YES_NO,
        widget=forms.RadioSelect,
        required=False,
    )
    audience_interested = forms.ChoiceField(
        label="Would some of the venue's audience be interested in the findings?",
        choices=YES_NO,
        widget=forms.RadioSelect,
        required=False,
    )
    justification = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Only the editors read your recommendation.",
        max_length=TEXT_MAX_CHARS,
    )


def yes_no_value(value: str | None) -> bool | None:
    """Return True/False for 'yes'/'no', None otherwise."""
    return {"yes": True, "no": False}.get(value or "")


def assessment_inputs(data) -> tuple[list[ClaimAssessmentInput], HypothesisInput]:
    """Read the claim and hypothesis assessments from the review page's POST data.

    A claim's fields are `claim-<id>-verdict` and `claim-<id>-reason`; the hypothesis's are
    `hypothesis-stated_clearly`, `-falsifiable`, `-tested` and `-note`.
    """
    claims = []
    for key in data:
        if key.startswith("claim-") and key.endswith("-verdict"):
            raw_id = key[len("claim-") : -len("-verdict")]
            if raw_id.isdigit() and len(raw_id) < 19:
                claims.append(
                    ClaimAssessmentInput(
                        claim_id=int(raw_id),
                        verdict=data.get(key, ""),
                        reason=data.get(f"claim-{raw_id}-reason", ""),
                    )
                )
    hypothesis = HypothesisInput(
        **{name: data.get(f"hypothesis-{name}", "") for name in HYPOTHESIS_FIELDS}
    )
    return claims, hypothesis
