"""Forms of the chairs' decision table: its filters and sort, and a bulk decision.

The page and the API read the same forms, so both accept and refuse the same input.
"""

from django import forms
from django.http import QueryDict

from journal.enums import CONFERENCE_OUTCOMES, DecisionOutcome
from journal.limits import (
    BULK_DECISION_MAX_PAPERS,
    DECISION_TABLE_MAX_PAGE_SIZE,
    SUBJECT_AREA_MAX_CHARS,
    TEXT_MAX_CHARS,
)
from journal.selectors.decision_table import (
    COMPLETE,
    INCOMPLETE,
    NO_META,
    NO_REVIEWS,
    PAGE_SIZE,
    RECORDED,
    RELEASED,
    SORT_LABELS,
    SORTS,
    TABLE_STATES,
    UNDECIDED,
    TableQuery,
)
from reviews.enums import Recommendation

SORT_CHOICES = [
    choice
    for key in SORTS
    for choice in (
        (key, f"{SORT_LABELS[key]}, ascending"),
        (f"-{key}", f"{SORT_LABELS[key]}, descending"),
    )
]
#: The query parameters of the table (what "all filtered" carries to the confirmation).
FILTER_NAMES = (
    "state",
    "completeness",
    "recommendation",
    "decision",
    "score_min",
    "score_max",
    "keyword",
    "area",
    "q",
    "sort",
)


class DecisionTableForm(forms.Form):
    """Filters, sort and page of the decision table (GET parameters)."""

    q = forms.CharField(
        label="Search",
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": "Title, abstract or #"}),
    )
    state = forms.MultipleChoiceField(
        label="State",
        required=False,
        choices=[(s.value, s.label) for s in TABLE_STATES],
        widget=forms.SelectMultiple(attrs={"size": 4}),
    )
    completeness = forms.ChoiceField(
        label="Reviews",
        required=False,
        choices=[
            ("", "Any"),
            (COMPLETE, "Complete"),
            (INCOMPLETE, "Incomplete"),
            (NO_REVIEWS, "None submitted"),
        ],
    )
    recommendation = forms.ChoiceField(
        label="Meta-review",
        required=False,
        choices=[("", "Any"), *Recommendation.choices, (NO_META, "None yet")],
    )
    decision = forms.ChoiceField(
        label="Decision",
        required=False,
        choices=[
            ("", "Any"),
            (UNDECIDED, "Not decided"),
            (RECORDED, "Recorded, not released"),
            (RELEASED, "Released"),
        ],
    )
    score_min = forms.FloatField(
        label="Score from",
        required=False,
        min_value=0,
        max_value=1,
        widget=forms.NumberInput(attrs={"min": 0, "max": 1, "step": 0.05}),
    )
    score_max = forms.FloatField(
        label="Score to",
        required=False,
        min_value=0,
        max_value=1,
        widget=forms.NumberInput(attrs={"min": 0, "max": 1, "step": 0.05}),
    )
    keyword = forms.CharField(
        label="Keyword",
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"list": "venue-keywords"}),
    )
    area = forms.CharField(label="Subject area", required=False, max_length=SUBJECT_AREA_MAX_CHARS)
    sort = forms.ChoiceField(label="Sort by", required=False, choices=SORT_CHOICES)
    page = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    page_size = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=DECISION_TABLE_MAX_PAGE_SIZE,
        widget=forms.HiddenInput,
    )

    def __init__(self, *args, venue=None, **kwargs):
        super().__init__(*args, **kwargs)
        if venue is None:
            return
        if venue.subject_areas:
            self.fields["area"].widget = forms.Select(
                choices=[("", "Any area"), *((a, a) for a in venue.subject_areas)]
            )
        else:
            self.fields["area"].widget = forms.HiddenInput()

    def clean(self):
        data = super().clean()
        low, high = data.get("score_min"), data.get("score_max")
        if low is not None and high is not None and low > high:
            self.add_error("score_max", "The upper score is below the lower one.")
        return data

    def table_query(self) -> TableQuery:
        """Return the query of a valid form (call `is_valid()` first)."""
        data = self.cleaned_data
        return TableQuery(
            states=tuple(data.get("state") or ()),
            completeness=data.get("completeness") or "",
            recommendation=data.get("recommendation") or "",
            decision=data.get("decision") or "",
            score_min=data.get("score_min"),
            score_max=data.get("score_max"),
            keyword=(data.get("keyword") or "").strip(),
            area=(data.get("area") or "").strip(),
            q=(data.get("q") or "").strip(),
            sort=data.get("sort") or "-score",
            page=data.get("page") or 1,
            page_size=data.get("page_size") or PAGE_SIZE,
        )


def filters_querystring(data: QueryDict) -> str:
    """Return the table's filter parameters of `data` as a query string (no page)."""
    kept = QueryDict(mutable=True)
    for name in FILTER_NAMES:
        values = [v for v in data.getlist(name) if v != ""]
        if values:
            kept.setlist(name, values)
    return kept.urlencode()


class BulkDecideForm(forms.Form):
    """A bulk decision as the table submits it: the chosen rows or all filtered papers."""

    CHOSEN, FILTERED = "chosen", "filtered"

    outcome = forms.ChoiceField(
        label="Decision",
        choices=[(o.value, DecisionOutcome(o).label) for o in CONFERENCE_OUTCOMES],
    )
    scope = forms.ChoiceField(
        label="Papers",
        choices=[(CHOSEN, "The papers ticked"), (FILTERED, "All papers that match the filters")],
        initial=CHOSEN,
        widget=forms.RadioSelect,
    )
    paper = forms.TypedMultipleChoiceField(coerce=int, required=False)
    filters = forms.CharField(required=False, widget=forms.HiddenInput, max_length=4000)
    override_incomplete = forms.BooleanField(
        label="Decide papers with incomplete reviews",
        required=False,
        help_text="Without this, papers still missing reviews are refused. Recorded in the "
        "audit trail.",
    )
    comment = forms.CharField(
        label="Comment to the authors with each decision (optional)",
        required=False,
        max_length=TEXT_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Any id may be sent; the service refuses what is not a paper of the venue.
        self.fields["paper"].valid_value = lambda value: True

    def clean_paper(self):
        papers = self.cleaned_data.get("paper") or []
        if len(papers) > BULK_DECISION_MAX_PAPERS:
            raise forms.ValidationError(
                f"Choose at most {BULK_DECISION_MAX_PAPERS:,} papers at once."
            )
        return list(dict.fromkeys(papers))

    def clean(self):
        data = super().clean()
        if data.get("scope") == self.CHOSEN and not data.get("paper"):
            self.add_error("paper", "Tick at least one paper, or choose all filtered papers.")
        return data

    def filter_form(self) -> DecisionTableForm:
        """Return the table's filters the form carries (for "all filtered")."""
        return DecisionTableForm(QueryDict(self.cleaned_data.get("filters") or ""))
