"""Forms of the editors: invite, rate, meta-review, schedule, decide, approve, bulk decide."""

from django import forms
from django.db.models import Q

from journal.enums import (
    CONFERENCE_OUTCOMES,
    JOURNAL_OUTCOMES,
    Certification,
    DecisionOutcome,
    RoleKind,
)
from journal.limits import TEXT_MAX_CHARS
from journal.models import User, Venue
from reviews.enums import CommentAudience, Recommendation, ReviewRating
from reviews.forms.reviewing import YES_NO
from reviews.models import ReviewForm


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def format_value(self, value):
        if hasattr(value, "strftime"):
            return value.strftime("%Y-%m-%dT%H:%M")
        return value


class InviteReviewerForm(forms.Form):
    reviewer = forms.ModelChoiceField(queryset=User.objects.none())
    due = forms.DateTimeField(
        label="Review due",
        required=False,
        widget=DateTimeInput,
        help_text="Empty: the venue's review period.",
    )
    note = forms.CharField(
        label="Note to the reviewer",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=TEXT_MAX_CHARS,
    )
    allow_conflict = forms.BooleanField(
        label="Invite despite the possible conflict of interest",
        required=False,
        help_text="The reviewer will see the warning (without author names) and may decline.",
    )

    def __init__(self, *args, venue: Venue, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewer"].queryset = User.objects.filter(
            venue_roles__venue=venue, venue_roles__role=RoleKind.REVIEWER, is_active=True
        ).order_by("display_name")
        self.fields["reviewer"].label_from_instance = lambda u: f"{u.display_name} <{u.email}>"


class RateReviewForm(forms.Form):
    rating = forms.ChoiceField(choices=ReviewRating.choices, widget=forms.RadioSelect)
    note = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=TEXT_MAX_CHARS
    )


class MetaReviewForm(forms.Form):
    recommendation = forms.ChoiceField(choices=Recommendation.choices, widget=forms.RadioSelect)
    text = forms.CharField(
        label="Meta-review", widget=forms.Textarea(attrs={"rows": 8}), max_length=TEXT_MAX_CHARS
    )


class ScheduleForm(forms.Form):
    form = forms.ModelChoiceField(
        label="Review form",
        queryset=ReviewForm.objects.order_by("name", "-version"),
        empty_label=None,
        required=False,
        help_text="Can change until a reviewer accepts.",
    )
    review_due = forms.DateTimeField(required=False, widget=DateTimeInput)
    release_at = forms.DateTimeField(
        label="Release reviews to authors at", required=False, widget=DateTimeInput
    )
    response_opens_at = forms.DateTimeField(
        label="Author response opens", required=False, widget=DateTimeInput
    )
    response_closes_at = forms.DateTimeField(
        label="Author response closes", required=False, widget=DateTimeInput
    )
    response_word_limit = forms.IntegerField(required=False, min_value=1)
    recommendation_due = forms.DateTimeField(
        label="Recommendations due", required=False, widget=DateTimeInput
    )
    decision_due = forms.DateTimeField(label="Decision due", required=False, widget=DateTimeInput)

    def __init__(self, *args, venue=None, current=None, **kwargs):
        super().__init__(*args, **kwargs)
        if venue is not None:
            # The shipped forms, the venue's published ones, and the round's own.
            pickable = Q(venue=None) | Q(venue=venue, published_at__isnull=False)
            if current is not None:
                pickable |= Q(pk=current.pk)
            self.fields["form"].queryset = ReviewForm.objects.filter(pickable).order_by(
                "name", "-version"
            )


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(widget=forms.RadioSelect)
    claims_supported = forms.ChoiceField(
        label="Are the claims supported by accurate, convincing and clear evidence?",
        choices=YES_NO,
        widget=forms.RadioSelect,
        required=False,
    )
    audience_interested = forms.ChoiceField(
        label="Would some individuals in the audience be interested in the findings?",
        choices=YES_NO,
        widget=forms.RadioSelect,
        required=False,
    )
    certifications = forms.MultipleChoiceField(
        choices=Certification.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Outstanding is given by an editor-in-chief only; Expert only to papers "
        "whose authors include an expert reviewer of the venue.",
    )
    comment = forms.CharField(
        label="Comment to the authors",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=TEXT_MAX_CHARS,
    )

    def __init__(self, *args, venue: Venue, **kwargs):
        super().__init__(*args, **kwargs)
        outcomes = CONFERENCE_OUTCOMES if venue.is_conference else JOURNAL_OUTCOMES
        self.fields["outcome"].choices = [(o.value, DecisionOutcome(o).label) for o in outcomes]
        if venue.is_conference:
            del self.fields["claims_supported"]
            del self.fields["audience_interested"]


class ApproveDecisionForm(forms.Form):
    action = forms.ChoiceField(
        choices=[("approve", "Approve and publish"), ("return", "Return to the action editor")],
        widget=forms.RadioSelect,
    )
    certifications = forms.MultipleChoiceField(
        choices=Certification.choices, widget=forms.CheckboxSelectMultiple, required=False
    )
    note = forms.CharField(
        label="Note to the action editor",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=TEXT_MAX_CHARS,
    )


class CommentForm(forms.Form):
    body = forms.CharField(
        label="Comment", widget=forms.Textarea(attrs={"rows": 4}), max_length=TEXT_MAX_CHARS
    )
    audience = forms.ChoiceField(
        label="Who reads it",
        # The public thread has its own form, on the paper's public page.
        choices=[c for c in CommentAudience.choices if c[0] != CommentAudience.PUBLIC],
        widget=forms.RadioSelect,
    )
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, capacity: str | None, **kwargs):
        super().__init__(*args, **kwargs)
        if capacity == "author":
            self.fields["audience"].choices = [(CommentAudience.EVERYONE, "Everyone")]
        self.fields["audience"].initial = CommentAudience.EVERYONE


class PublicCommentForm(forms.Form):
    body = forms.CharField(label="Your comment", max_length=TEXT_MAX_CHARS)
    parent = forms.IntegerField(required=False)


class HideCommentForm(forms.Form):
    reason = forms.CharField(label="Reason for hiding", max_length=300)


class CommentEditForm(forms.Form):
    body = forms.CharField(
        label="Comment", widget=forms.Textarea(attrs={"rows": 4}), max_length=TEXT_MAX_CHARS
    )


class FlagReviewForm(forms.Form):
    reason = forms.CharField(
        label="What in the review judges the paper only by its benchmark numbers?",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=TEXT_MAX_CHARS,
    )
