"""Forms of the editor dashboard: the table's filters, venue settings, roles, the outbox."""

import zoneinfo
from datetime import datetime

import django_filters
from django import forms
from django.db.models import Q, QuerySet

from journal.email_wording import WORDING_MAX_CHARS
from journal.enums import Anonymity, EmailStatus, ReviewPublication, RoleKind
from journal.limits import (
    BID_WEIGHT_MAX,
    LOAD_QUOTA_MAX,
    MIN_BIDS_MAX,
    SUBJECT_AREA_MAX_CHARS,
    SUBJECT_AREAS_MAX,
    TEXT_MAX_CHARS,
)
from journal.models import OutboundEmail, Submission, Venue
from journal.selectors.dashboard import (
    PIPELINE_STATES,
    submissions_flagged,
    submissions_overdue,
    submissions_search,
    submissions_with_area,
    submissions_with_keyword,
    venue_editors,
)
from journal.selectors.scores import submissions_score_between
from journal.services.venues import EDITABLE_FIELDS
from reviews.models import MatchingTarget, ReviewForm

UNASSIGNED = "none"


class SubmissionFilter(django_filters.FilterSet):
    """The submissions table's filters; every condition is a selector."""

    q = django_filters.CharFilter(
        label="Search",
        method="filter_q",
        widget=forms.TextInput(attrs={"type": "search", "placeholder": "Title, abstract or #"}),
    )
    state = django_filters.MultipleChoiceFilter(
        label="State",
        choices=[(s.value, s.label) for s in PIPELINE_STATES],
        widget=forms.SelectMultiple(attrs={"size": 4}),
        distinct=False,
    )
    keyword = django_filters.CharFilter(
        label="Keyword",
        method="filter_keyword",
        widget=forms.TextInput(attrs={"list": "venue-keywords"}),
    )
    area = django_filters.ChoiceFilter(
        label="Subject area", method="filter_area", empty_label="Any area"
    )
    editor = django_filters.ChoiceFilter(
        label="Action editor", method="filter_editor", empty_label="Anyone"
    )
    score_min = django_filters.NumberFilter(
        label="Score from",
        method="filter_score_min",
        widget=forms.NumberInput(attrs={"min": 0, "max": 1, "step": 0.05}),
    )
    score_max = django_filters.NumberFilter(
        label="Score to",
        method="filter_score_max",
        widget=forms.NumberInput(attrs={"min": 0, "max": 1, "step": 0.05}),
    )
    overdue = django_filters.BooleanFilter(
        label="Overdue only", method="filter_overdue", widget=forms.CheckboxInput
    )
    flagged = django_filters.BooleanFilter(
        label="Flagged reviews only", method="filter_flagged", widget=forms.CheckboxInput
    )
    sort = django_filters.OrderingFilter(
        label="Sort by",
        fields=(
            ("number", "number"),
            ("title", "title"),
            ("state", "state"),
            ("submitted_at", "submitted"),
            ("updated_at", "updated"),
            ("state_since", "since"),
            ("n_reviews", "reviews"),
            ("score", "score"),
        ),
        field_labels={
            "number": "Number",
            "title": "Title",
            "state": "State",
            "submitted_at": "Submitted",
            "updated_at": "Last activity",
            "state_since": "In state since",
            "n_reviews": "Reviews in",
            "score": "Score",
        },
        empty_label="Newest first",
    )

    class Meta:
        model = Submission
        fields: list[str] = []

    def __init__(self, *args, venue: Venue, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(UNASSIGNED, "Unassigned")]
        choices += [(str(u.pk), u.display_name or u.email) for u in venue_editors(venue=venue)]
        self.filters["editor"].extra["choices"] = choices
        self.filters["editor"].label = venue.role_label(RoleKind.ACTION_EDITOR, title=True)
        if venue.subject_areas:
            self.filters["area"].extra["choices"] = [(a, a) for a in venue.subject_areas]
        else:
            del self.filters["area"]

    @property
    def qs(self) -> QuerySet[Submission]:
        queryset = super().qs
        if not (self.is_bound and self.form.is_valid() and self.form.cleaned_data.get("sort")):
            queryset = queryset.order_by("-number")
        return queryset

    def filter_q(self, queryset, name, value):
        return submissions_search(queryset, value)

    def filter_keyword(self, queryset, name, value):
        return submissions_with_keyword(queryset, value)

    def filter_area(self, queryset, name, value):
        return submissions_with_area(queryset, value)

    def filter_editor(self, queryset, name, value):
        if value == UNASSIGNED:
            return queryset.filter(action_editor__isnull=True)
        return queryset.filter(action_editor_id=int(value))

    def filter_score_min(self, queryset, name, value):
        return submissions_score_between(queryset, low=float(value), high=None)

    def filter_score_max(self, queryset, name, value):
        return submissions_score_between(queryset, low=None, high=float(value))

    def filter_overdue(self, queryset, name, value):
        return submissions_overdue(queryset) if value else queryset

    def filter_flagged(self, queryset, name, value):
        return submissions_flagged(queryset) if value else queryset


class OutboxFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label="Search",
        method="filter_q",
        widget=forms.TextInput(attrs={"type": "search", "placeholder": "Recipient or subject"}),
    )
    status = django_filters.ChoiceFilter(
        label="Status", choices=EmailStatus.choices, empty_label="Any"
    )

    class Meta:
        model = OutboundEmail
        fields: list[str] = []

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(to__icontains=value) | Q(subject__icontains=value) | Q(template__icontains=value)
        )


def _zone_choices() -> list[tuple[str, str]]:
    return [(zone, zone) for zone in sorted(zoneinfo.available_timezones())]


def _local_input(value: datetime | None, zone: str) -> str:
    """Return an aware datetime as the naive wall-clock text of a datetime-local input."""
    if value is None:
        return ""
    try:
        tz = zoneinfo.ZoneInfo(zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        tz = zoneinfo.ZoneInfo("UTC")
    return value.astimezone(tz).strftime("%Y-%m-%dT%H:%M")


class DeadlineInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


class VenueSettingsForm(forms.Form):
    """Venue settings. Deadlines are typed as wall-clock times in the venue's time zone."""

    name = forms.CharField(max_length=200)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), required=False)
    accepting_submissions = forms.BooleanField(required=False)
    anonymity = forms.ChoiceField(choices=Anonymity.choices)
    timezone = forms.ChoiceField(
        label="Time zone", help_text="Deadlines below are in this zone.", choices=_zone_choices
    )
    deadlines_in_aoe = forms.NullBooleanField(
        label="Deadlines also in AoE",
        required=False,
        widget=forms.NullBooleanSelect(),
        help_text="Pages state a deadline in AoE and in the reader's own time zone.",
    )
    submission_deadline = forms.DateTimeField(
        required=False, widget=DeadlineInput, help_text="Conferences: no new submissions after."
    )
    camera_ready_deadline = forms.DateTimeField(required=False, widget=DeadlineInput)
    review_form = forms.ModelChoiceField(
        queryset=ReviewForm.objects.order_by("name", "-version"),
        required=False,
        empty_label="— none —",
        help_text="The form reviewers fill in for new review rounds. Build your own, or copy "
        "one, under Review forms.",
    )
    reviewers_per_paper = forms.IntegerField(min_value=1, max_value=20)
    review_period_days = forms.IntegerField(label="Review period (days)", min_value=1)
    long_paper_pages = forms.IntegerField(
        label="Long papers: more pages than", required=False, min_value=1
    )
    long_review_period_days = forms.IntegerField(
        label="Review period for long papers (days)", required=False, min_value=1
    )
    editor_assignment_days = forms.IntegerField(
        label="Action editor assignment (days)", required=False, min_value=1, max_value=365
    )
    reviewer_assignment_days = forms.IntegerField(
        label="Reviewer assignment (days)", required=False, min_value=1, max_value=365
    )
    discussion_days = forms.IntegerField(
        label="Discussion (days)", required=False, min_value=1, max_value=365
    )
    recommendation_days = forms.IntegerField(
        label="Reviewers' recommendations (days)", required=False, min_value=1, max_value=365
    )
    meta_review_days = forms.IntegerField(
        label="Action editor's recommendation (days)", required=False, min_value=1, max_value=365
    )
    approval_days = forms.IntegerField(
        label="Editor-in-chief's approval (days)", required=False, min_value=1, max_value=365
    )
    page_limit = forms.IntegerField(required=False, min_value=1)
    max_pdf_mb = forms.IntegerField(label="Largest PDF (MB)", min_value=1, max_value=500)
    max_supplement_mb = forms.IntegerField(
        label="Largest supplement (MB)", min_value=1, max_value=5000
    )
    review_publication = forms.ChoiceField(
        label="Public reviews",
        choices=ReviewPublication.choices,
        help_text="Reviews, the meta-review and the decision shown anonymously on the paper's "
        "public page (TMLR publishes those of accepted papers).",
    )
    publish_recommendations = forms.BooleanField(
        label="Also publish the reviewers' recommendations", required=False
    )
    authors_may_comment = forms.BooleanField(required=False)
    discussion_after_own_review = forms.BooleanField(
        label="Reviewers join the discussion after their own review",
        required=False,
        help_text="Until then a reviewer reads only their own comments; editors always read all.",
    )

    subject_areas = forms.CharField(
        label="Subject areas",
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=f"One area a line, in the order authors see them (at most "
        f"{SUBJECT_AREAS_MAX}, each up to {SUBJECT_AREA_MAX_CHARS} characters). With areas, "
        "each paper names one; leave empty for none. An area papers use can only be renamed "
        "(below), not removed.",
    )

    max_load_quota = forms.IntegerField(
        label="Most papers a person may offer to take",
        required=False,
        min_value=1,
        max_value=LOAD_QUOTA_MAX,
        help_text="Reviewers and editors set their own load up to this; empty for no maximum. "
        "You may still give anyone more on the roles page.",
    )
    reviewer_guide = forms.CharField(
        label="Reviewer guide",
        required=False,
        max_length=TEXT_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="Shown to everyone who accepts a role here (Markdown and math).",
    )

    FIELDS = EDITABLE_FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["deadlines_in_aoe"].widget.choices = [
            ("unknown", "As the kind of venue has it (yes at conferences, no at journals)"),
            ("true", "Yes: each deadline Anywhere on Earth (UTC-12) too"),
            ("false", "No"),
        ]

    @classmethod
    def for_venue(cls, venue: Venue, data=None) -> "VenueSettingsForm":
        """Return the form filled with the venue's values (deadlines in its zone)."""
        initial = {name: getattr(venue, name) for name in cls.FIELDS}
        initial["subject_areas"] = "\n".join(venue.subject_areas or ())
        for name in ("submission_deadline", "camera_ready_deadline"):
            initial[name] = _local_input(getattr(venue, name), venue.timezone)
        form = cls(data=data, initial=initial)
        # The shipped forms and this venue's published ones (drafts are published first).
        form.fields["review_form"].queryset = ReviewForm.objects.filter(
            Q(venue=None) | Q(venue=venue, published_at__isnull=False)
        ).order_by("name", "-version")
        return form

    def changes(self) -> dict:
        """Return the cleaned values, deadlines made aware in the chosen zone."""
        data = {name: self.cleaned_data.get(name) for name in self.FIELDS}
        zone = zoneinfo.ZoneInfo(data["timezone"])
        for name in ("submission_deadline", "camera_ready_deadline"):
            value = data[name]
            if value is not None:
                data[name] = value.replace(tzinfo=None).replace(tzinfo=zone)
        return data


class SubjectAreaRenameForm(forms.Form):
    """Rename one subject area; its papers move with it (into another area: a merge)."""

    old = forms.ChoiceField(label="Area")
    new = forms.CharField(label="New name", max_length=SUBJECT_AREA_MAX_CHARS)

    def __init__(self, *args, venue: Venue, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["old"].choices = [(a, a) for a in venue.subject_areas or ()]


def venue_role_choices(venue: Venue | None) -> list[tuple[str, str]]:
    """Return the roles a chief gives at `venue`, in its words (senior area chairs at
    conferences only)."""
    if venue is None:
        return list(RoleKind.choices)
    return [
        (role.value, venue.role_label(role, title=True))
        for role in RoleKind
        if venue.is_conference or role != RoleKind.SENIOR_AREA_CHAIR
    ]


class _VenueRoleChoice:
    def __init__(self, *args, venue: Venue | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = venue_role_choices(venue)


class RoleInviteForm(_VenueRoleChoice, forms.Form):
    email = forms.EmailField(label="E-mail address")
    display_name = forms.CharField(
        label="Name", max_length=200, required=False, help_text="Used when they have no account."
    )
    role = forms.ChoiceField(choices=RoleKind.choices)
    load_quota = forms.IntegerField(
        label="Most papers at once", required=False, min_value=1, max_value=1000
    )


class RolesImportForm(_VenueRoleChoice, forms.Form):
    file = forms.FileField(
        label="CSV file",
        help_text="Columns: email (required), name, affiliation, load_quota. One row per person.",
    )
    role = forms.ChoiceField(choices=RoleKind.choices, initial=RoleKind.REVIEWER)


class RoleRemoveForm(forms.Form):
    role_id = forms.IntegerField(widget=forms.HiddenInput)


class RoleLoadForm(forms.Form):
    role_id = forms.IntegerField(widget=forms.HiddenInput)
    load_quota = forms.IntegerField(
        label="Most papers", required=False, min_value=1, max_value=1000
    )
    unavailable_until = forms.DateField(
        label="Away until", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class AssignEditorForm(forms.Form):
    editor = forms.ChoiceField(label="Action editor")
    allow_conflict = forms.BooleanField(required=False)
    override_note = forms.CharField(
        label="Why they handle it despite the conflict", required=False, max_length=300
    )

    def __init__(self, *args, venue: Venue, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["editor"].label = venue.role_label(RoleKind.ACTION_EDITOR, title=True)
        self.fields["editor"].choices = [(UNASSIGNED, "— nobody —")] + [
            (str(u.pk), u.display_name or u.email) for u in venue_editors(venue=venue)
        ]


class TransitionForm(forms.Form):
    to_state = forms.CharField(widget=forms.HiddenInput)
    note = forms.CharField(
        label="Note", required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )


class MatchingRunForm(forms.Form):
    target = forms.ChoiceField(
        label="Assign",
        choices=MatchingTarget.choices,
        initial=MatchingTarget.REVIEWERS,
        required=False,
        help_text="Area chairs: one per paper within their loads; reviewers per paper and bids "
        "apply to reviewers only.",
    )
    per_paper = forms.IntegerField(
        label="Reviewers per paper",
        min_value=1,
        max_value=20,
        required=False,
        help_text="Empty: the venue's setting.",
    )
    max_load = forms.IntegerField(
        label="Most papers per reviewer",
        min_value=1,
        max_value=100,
        required=False,
        help_text="Empty: each reviewer's own quota.",
    )
    min_load = forms.IntegerField(
        label="Least papers per reviewer", min_value=0, max_value=100, initial=0
    )
    fairness = forms.BooleanField(
        label="Raise the worst-off paper first (fairness)", required=False
    )
    use_bids = forms.BooleanField(label="Use the reviewers' bids", required=False)

    def __init__(self, *args, venue: Venue | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if venue is not None:
            chair = venue.role_label(RoleKind.ACTION_EDITOR, plural=True, title=True)
            senior = venue.role_label(RoleKind.SENIOR_AREA_CHAIR, plural=True, title=True)
            choices = [
                (MatchingTarget.REVIEWERS, "Reviewers to papers"),
                (MatchingTarget.AREA_CHAIRS, f"{chair} to papers"),
            ]
            if venue.is_conference:
                choices.append(
                    (MatchingTarget.SENIOR_AREA_CHAIRS, f"{senior} to {chair.lower()}")
                )
            self.fields["target"].choices = choices

    def clean_target(self) -> str:
        return self.cleaned_data.get("target") or MatchingTarget.REVIEWERS


class SuggestionInviteForm(forms.Form):
    reviewer = forms.IntegerField(widget=forms.HiddenInput)
    note = forms.CharField(required=False, max_length=2000)
    allow_conflict = forms.BooleanField(required=False)


class EmailTemplateForm(forms.Form):
    """A venue's wording of one e-mail, in the e-mail wording language."""

    subject = forms.CharField(max_length=300, label="Subject")
    body = forms.CharField(
        label="Body",
        strip=False,
        max_length=WORDING_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 18, "spellcheck": "true"}),
        help_text="Plain text. Use {{ name }}, {{ paper_title }}, {{ venue_name }} and the "
        "other names listed beside the form.",
    )


class BiddingSettingsForm(forms.Form):
    """How many bids reviewers are asked for, what a bid weighs, and (without a timeline) the
    switch that opens bidding."""

    min_bids = forms.IntegerField(
        label="Bids asked of each reviewer", min_value=0, max_value=MIN_BIDS_MAX
    )
    bid_weight = forms.FloatField(
        label="Weight of a bid",
        min_value=0.0,
        max_value=BID_WEIGHT_MAX,
        help_text="Added to a pair's affinity for 'high' (twice for 'very high'), subtracted "
        "for 'low' (twice for 'very low').",
    )
    bidding_open = forms.BooleanField(label="Bidding is open", required=False)

    def __init__(self, *args, has_timeline: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if has_timeline:
            del self.fields["bidding_open"]
