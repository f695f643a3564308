"""The submission form: paper details, authors, benchmark claims, conflicts and files."""

import uuid

from django import forms
from django.forms import formset_factory

from journal.enums import BaselineSource, ConflictKind, ReviewPublication, RoleKind, VersionKind
from journal.errors import FileCheckError
from journal.evidence import ClaimEvidence, claim_evidence
from journal.limits import (
    CLAIM_COMPUTE_BUDGET_MAX_CHARS,
    CLAIM_RUNS_MAX,
    TEXT_MAX_CHARS,
    TITLE_MAX_CHARS,
)
from journal.models import Submission, User, Venue
from journal.selectors.people import venue_people
from journal.services.submissions import AuthorInput, ClaimInput, ConflictInput
from journal.services.versions import MB, check_pdf

ABSTRACT_HELP = "Markdown, with LaTeX math between $...$ (inline) or $$...$$ (display)."


class PaperFilesMixin:
    """Check the PDF and supplement fields against the venue's limits as they are uploaded.

    The form sets `venue` and `kind` (the version kind) in its `__init__`.
    """

    venue: Venue
    kind: str = VersionKind.SUBMISSION
    pdf_info = None

    def clean_pdf(self):
        pdf = self.cleaned_data.get("pdf")
        if pdf:
            try:
                self.pdf_info = check_pdf(
                    submission=Submission(venue=self.venue), pdf=pdf, kind=self.kind
                )
            except FileCheckError as exc:
                raise forms.ValidationError(exc.message) from None
        return pdf

    def clean_supplement(self):
        supplement = self.cleaned_data.get("supplement")
        if supplement and supplement.size > self.venue.max_supplement_mb * MB:
            raise forms.ValidationError(
                f"The supplementary archive is {supplement.size / MB:.1f} MB; "
                f"{self.venue.name} accepts at most {self.venue.max_supplement_mb} MB."
            )
        return supplement


class SubmissionForm(PaperFilesMixin, forms.Form):
    """The paper's details and files. Files are checked here, before anything is stored."""

    form_token = forms.CharField(widget=forms.HiddenInput)
    title = forms.CharField(max_length=TITLE_MAX_CHARS)
    abstract = forms.CharField(
        max_length=TEXT_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 8, "data-preview": "abstract-preview"}),
        help_text=ABSTRACT_HELP,
    )
    keywords = forms.CharField(
        required=False, max_length=500, help_text="Separate keywords with commas."
    )
    subject_area = forms.ChoiceField(
        label="Subject area",
        # Required by the service (its message names the areas), not here.
        required=False,
        help_text="The one area of the venue the paper belongs to; reviewers filter by it.",
    )
    hypothesis_claim = forms.CharField(
        label="Central hypothesis: what is claimed",
        max_length=TEXT_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One or two sentences stating what the paper claims is true, e.g. "
        "“Sparse attention keeps 99% of accuracy at a tenth of the compute.”",
    )
    hypothesis_rationale = forms.CharField(
        label="Why it might be true",
        max_length=TEXT_MAX_CHARS,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The reasoning or prior evidence that makes the claim plausible.",
    )
    hypothesis_refutation = forms.CharField(
        label="What would refute it",
        max_length=TEXT_MAX_CHARS,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="A result that, if observed, would show the claim false.",
    )
    pdf = forms.FileField(
        label="Paper (PDF)",
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )
    supplement = forms.FileField(
        label="Supplementary archive",
        required=False,
        help_text="Optional: code, data or appendix as a .zip or .tar.gz.",
    )
    acknowledge_anonymity = forms.BooleanField(
        label="I have checked the files: they do not identify the authors.",
        required=False,
    )
    suggested_action_editors = forms.ModelMultipleChoiceField(
        label="Action editors you suggest",
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Optional. The editor-in-chief decides; people you must not be reviewed by "
        "go under Conflicts of interest.",
    )
    reviews_public_if_rejected = forms.BooleanField(
        label="If the paper is rejected, publish it with its reviews",
        required=False,
        help_text="The venue publishes accepted papers with their (anonymous) reviews; "
        "you may choose the same for a rejection.",
    )

    def __init__(self, *args, venue: Venue, has_pdf: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.venue = venue
        self.has_pdf = has_pdf
        self.pdf_info = None
        limit = f"At most {venue.max_pdf_mb} MB"
        if venue.page_limit:
            limit += f" and {venue.page_limit} pages"
        anonymised = " Anonymise it: no names or e-mails." if venue.is_double_blind else ""
        current = " Leave empty to keep the current PDF." if has_pdf else ""
        self.fields["pdf"].help_text = f"{limit}.{anonymised}{current}"
        self.fields["supplement"].help_text += f" At most {venue.max_supplement_mb} MB."
        if venue.subject_areas:
            self.fields["subject_area"].choices = [("", "— choose an area —")] + [
                (area, area) for area in venue.subject_areas
            ]
        else:
            del self.fields["subject_area"]
        if venue.review_publication != ReviewPublication.ACCEPTED_AND_OPTED_IN:
            del self.fields["reviews_public_if_rejected"]
        editors = venue_people(venue=venue, role=RoleKind.ACTION_EDITOR).order_by("display_name")
        if venue.is_conference or not editors.exists():
            del self.fields["suggested_action_editors"]
        else:
            self.fields["suggested_action_editors"].queryset = editors
            self.fields["suggested_action_editors"].label_from_instance = lambda user: (
                user.display_name or user.email
            )

    def metadata(self) -> dict:
        """Return the paper's text fields, ready for the submission services."""
        data = self.cleaned_data
        return {
            "title": data["title"],
            "abstract": data["abstract"],
            "keywords": data["keywords"],
            "hypothesis_claim": data["hypothesis_claim"],
            "hypothesis_rationale": data["hypothesis_rationale"],
            "hypothesis_refutation": data["hypothesis_refutation"],
            **{
                name: data[name]
                for name in (
                    "subject_area",
                    "reviews_public_if_rejected",
                    "suggested_action_editors",
                )
                if name in self.fields
            },
        }

    @staticmethod
    def new_token() -> str:
        return uuid.uuid4().hex


class AuthorForm(forms.Form):
    name = forms.CharField(max_length=200, widget=forms.TextInput(attrs={"autocomplete": "off"}))
    email = forms.EmailField(label="E-mail", widget=forms.EmailInput(attrs={"autocomplete": "off"}))
    affiliation = forms.CharField(max_length=300, required=False)
    is_corresponding = forms.BooleanField(label="Corresponding author", required=False)


class ClaimForm(forms.Form):
    dataset = forms.CharField(label="Task / dataset", max_length=200)
    metric = forms.CharField(max_length=100)
    value = forms.FloatField(widget=forms.NumberInput(attrs={"step": "any"}))
    best_prior_value = forms.FloatField(
        label="Best prior value", required=False, widget=forms.NumberInput(attrs={"step": "any"})
    )
    higher_is_better = forms.BooleanField(label="Higher is better", required=False, initial=True)
    runs = forms.IntegerField(
        label="Runs",
        required=False,
        min_value=1,
        max_value=CLAIM_RUNS_MAX,
        help_text="Independent runs or seeds behind the value.",
        error_messages={"min_value": "At least one run is behind a value."},
    )
    spread = forms.FloatField(
        label="Spread (± SD)",
        required=False,
        min_value=0,
        widget=forms.NumberInput(attrs={"step": "any"}),
        help_text="Standard deviation across the runs.",
        error_messages={"min_value": "A spread is zero or more."},
    )
    baseline_source = forms.ChoiceField(
        label="Best prior is",
        required=False,
        choices=[("", "—"), *BaselineSource.choices],
    )
    compute_budget = forms.CharField(
        label="Compute budget", required=False, max_length=CLAIM_COMPUTE_BUDGET_MAX_CHARS
    )
    code_url = forms.URLField(label="Link to code", required=False, assume_scheme="https")

    def evidence(self) -> ClaimEvidence | None:
        """Return the gain of the row as entered (or as stored), for the table to show."""
        data = getattr(self, "cleaned_data", None) if self.is_bound else self.initial
        if not data or data.get("value") is None:
            return None
        return claim_evidence(
            value=data["value"],
            best_prior_value=data.get("best_prior_value"),
            higher_is_better=bool(data.get("higher_is_better")),
            spread=data.get("spread"),
        )


class ConflictForm(forms.Form):
    kind = forms.ChoiceField(choices=[("", "Choose…"), *ConflictKind.choices])
    value = forms.CharField(
        label="Who or what",
        max_length=300,
        help_text="A person's e-mail, an institution's name or an e-mail domain.",
    )
    reason = forms.CharField(max_length=300, required=False)


AuthorFormSet = formset_factory(
    AuthorForm, extra=1, can_order=True, can_delete=True, max_num=50, validate_max=True
)
ClaimFormSet = formset_factory(ClaimForm, extra=1, can_delete=True, max_num=100, validate_max=True)
ConflictFormSet = formset_factory(
    ConflictForm, extra=1, can_delete=True, max_num=100, validate_max=True
)


def _kept(formset) -> list[dict]:
    return [
        form.cleaned_data
        for form in formset.forms
        if form.cleaned_data and not form.cleaned_data.get("DELETE")
    ]


def authors_from(formset) -> list[AuthorInput]:
    """Return the authors in the order the author chose (position, then row)."""
    rows = [
        (row.get("ORDER") if row.get("ORDER") is not None else 10_000 + i, i, row)
        for i, row in enumerate(_kept(formset))
    ]
    return [
        AuthorInput(
            name=row["name"],
            email=row["email"],
            affiliation=row.get("affiliation", ""),
            is_corresponding=row.get("is_corresponding", False),
        )
        for _, _, row in sorted(rows, key=lambda item: (item[0], item[1]))
    ]


def claims_from(formset) -> list[ClaimInput]:
    return [
        ClaimInput(
            dataset=row["dataset"],
            metric=row["metric"],
            value=row["value"],
            best_prior_value=row.get("best_prior_value"),
            higher_is_better=row.get("higher_is_better", False),
            code_url=row.get("code_url", ""),
            runs=row.get("runs"),
            spread=row.get("spread"),
            compute_budget=row.get("compute_budget", ""),
            baseline_source=row.get("baseline_source", ""),
        )
        for row in _kept(formset)
    ]


def conflicts_from(formset) -> list[ConflictInput]:
    return [
        ConflictInput(kind=row["kind"], value=row["value"], reason=row.get("reason", ""))
        for row in _kept(formset)
    ]


def initial_authors(submission: Submission | None, user) -> list[dict]:
    """Return the author rows to start the form with (the creator alone for a new paper)."""
    if submission is None:
        return [
            {
                "name": user.display_name,
                "email": user.email,
                "affiliation": user.affiliation,
                "is_corresponding": True,
                "ORDER": 1,
            }
        ]
    return [
        {
            "name": a.name,
            "email": a.email,
            "affiliation": a.affiliation,
            "is_corresponding": a.is_corresponding,
            "ORDER": a.order,
        }
        for a in submission.authors.all()
    ]


def initial_claims(submission: Submission | None) -> list[dict]:
    if submission is None:
        return []
    return [
        {
            "dataset": c.dataset,
            "metric": c.metric,
            "value": c.value,
            "best_prior_value": c.best_prior_value,
            "higher_is_better": c.higher_is_better,
            "runs": c.runs,
            "spread": c.spread,
            "compute_budget": c.compute_budget,
            "baseline_source": c.baseline_source,
            "code_url": c.code_url,
        }
        for c in submission.benchmark_claims.all()
    ]


def initial_conflicts(submission: Submission | None) -> list[dict]:
    if submission is None:
        return []
    return [
        {"kind": c.kind, "value": c.value, "reason": c.reason}
        for c in submission.declared_conflicts.all()
    ]


def initial_details(submission: Submission) -> dict:
    return {
        "title": submission.title,
        "abstract": submission.abstract,
        "keywords": ", ".join(submission.keywords),
        "subject_area": submission.subject_area,
        "hypothesis_claim": submission.hypothesis_claim,
        "hypothesis_rationale": submission.hypothesis_rationale,
        "hypothesis_refutation": submission.hypothesis_refutation,
        "reviews_public_if_rejected": submission.reviews_public_if_rejected,
        "suggested_action_editors": list(submission.suggested_action_editors.all()),
    }


class RevisionForm(PaperFilesMixin, forms.Form):
    """A new version of the files, with what changed."""

    form_token = forms.CharField(widget=forms.HiddenInput)
    pdf = forms.FileField(
        label="Revised paper (PDF)",
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )
    supplement = forms.FileField(label="Supplementary archive", required=False)
    change_summary = forms.CharField(
        label="What changed",
        max_length=TEXT_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Summarise the changes for the editors and reviewers (Markdown).",
    )
    acknowledge_anonymity = forms.BooleanField(
        label="I have checked the files: they do not identify the authors.",
        required=False,
    )

    def __init__(self, *args, venue: Venue, kind: str = VersionKind.SUBMISSION, **kwargs):
        super().__init__(*args, **kwargs)
        self.venue = venue
        self.kind = kind
        self.pdf_info = None
        limit = f"At most {venue.max_pdf_mb} MB"
        if venue.page_limit and kind == VersionKind.SUBMISSION:
            limit += f" and {venue.page_limit} pages"
        self.fields["pdf"].help_text = f"{limit}."


class CameraReadyForm(RevisionForm):
    """The final, de-anonymised PDF of an accepted paper."""

    def __init__(self, *args, venue: Venue, **kwargs):
        super().__init__(*args, venue=venue, kind=VersionKind.CAMERA_READY, **kwargs)
        del self.fields["acknowledge_anonymity"]
        self.fields["pdf"].label = "Camera-ready paper (PDF, with author names)"
        self.fields["change_summary"].required = False
        self.fields["change_summary"].help_text = "Optional: what changed since acceptance."


class WithdrawForm(forms.Form):
    confirm = forms.BooleanField(
        label="Yes, withdraw this paper. This cannot be undone.", required=True
    )
    reason = forms.CharField(
        required=False,
        max_length=TEXT_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Optional: tell the editors why.",
    )
