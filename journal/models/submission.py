"""Submissions, their authors, benchmark claims and declared conflicts."""

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import models
from django.db.backends.ddl_references import Statement
from django.urls import reverse
from django.utils import timezone

from journal.enums import BaselineSource, ConflictKind, SubmissionState
from journal.evidence import ClaimEvidence, claim_gain, gain_within_noise
from journal.limits import CLAIM_COMPUTE_BUDGET_MAX_CHARS, SUBJECT_AREA_MAX_CHARS
from journal.models.venue import Venue


class PostgresGinIndex(GinIndex):
    """A GIN index on PostgreSQL; other databases (the SQLite demo) go without it."""

    def create_sql(self, model, schema_editor, using="", **kwargs):
        if schema_editor.connection.vendor != "postgresql":
            return Statement("-- %(name)s: PostgreSQL only", name=self.name)
        return super().create_sql(model, schema_editor, using=using, **kwargs)

    def remove_sql(self, model, schema_editor, **kwargs):
        if schema_editor.connection.vendor != "postgresql":
            return Statement("-- %(name)s: PostgreSQL only", name=self.name)
        return super().remove_sql(model, schema_editor, **kwargs)


#: The full-text document of a submission; queries must use this same expression to hit
#: the GIN index (see journal.selectors.dashboard).
SEARCH_VECTOR = SearchVector("title", "abstract", config="english")


class Submission(models.Model):
    venue = models.ForeignKey(Venue, on_delete=models.PROTECT, related_name="submissions")
    number = models.PositiveIntegerField(help_text="Per-venue number, given at creation.")
    title = models.CharField(max_length=300)
    abstract = models.TextField(help_text="Markdown with LaTeX math ($...$).")
    keywords = models.JSONField(default=list, blank=True)
    subject_area = models.CharField(
        max_length=SUBJECT_AREA_MAX_CHARS,
        blank=True,
        help_text="One of the venue's subject areas (empty where the venue defines none).",
    )
    hypothesis_claim = models.TextField(
        "central hypothesis", help_text="What the paper claims is true."
    )
    hypothesis_rationale = models.TextField(
        "why it might be true", blank=True, help_text="The reasoning or evidence behind it."
    )
    hypothesis_refutation = models.TextField(
        "what would refute it", blank=True, help_text="A result that would show it false."
    )
    state = models.CharField(
        max_length=24,
        choices=SubmissionState.choices,
        default=SubmissionState.DRAFT,
        db_index=True,
    )
    action_editor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="edited_submissions",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="created_submissions",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now)
    suggested_action_editors = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="+",
        help_text="Action editors the authors suggest (the chief decides).",
    )
    reviews_public_if_rejected = models.BooleanField(
        default=False,
        help_text="The authors' choice: if rejected, publish the paper with its reviews "
        "(where the venue allows it).",
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    state_changed_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text="When the paper entered its current state, kept by "
        "journal.services.workflow (the dashboard's ages and the table's sort read it).",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    score_mean = models.FloatField(
        null=True,
        blank=True,
        editable=False,
        help_text="Mean overall score of the submitted reviews on [0, 1], kept by "
        "journal.services.scores (the tables sort and filter on it).",
    )
    score_spread = models.FloatField(
        null=True,
        blank=True,
        editable=False,
        help_text="Highest minus lowest overall score of the submitted reviews, kept by "
        "journal.services.scores (the decision table sorts on it).",
    )
    reviews_in = models.PositiveIntegerField(
        default=0,
        editable=False,
        help_text="Submitted reviews of the current review round, kept by "
        "journal.services.scores (the table's \"reviews in\" column and sort read it).",
    )
    screened_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="Conferences: when the paper passed screening (format, anonymity, scope).",
    )
    screened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["venue", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["venue", "number"], name="unique_submission_number"),
        ]
        indexes = [
            models.Index(fields=["venue", "state"]),
            models.Index(fields=["action_editor", "state"]),
            models.Index(fields=["venue", "submitted_at"], name="submission_venue_submitted"),
            models.Index(fields=["venue", "updated_at"], name="submission_venue_updated"),
            models.Index(fields=["venue", "state_changed_at"], name="submission_venue_since"),
            models.Index(fields=["venue", "action_editor"], name="submission_venue_editor"),
            models.Index(fields=["venue", "score_mean"], name="submission_venue_score"),
            models.Index(fields=["venue", "reviews_in"], name="submission_venue_reviews_in"),
            models.Index(fields=["venue", "score_spread"], name="submission_venue_spread"),
            models.Index(fields=["venue", "subject_area"], name="submission_venue_area"),
            # Covers the dashboard's per-venue reads of state, editor and dates (index-only).
            models.Index(
                fields=["venue", "state"],
                include=["id", "action_editor", "submitted_at", "updated_at", "state_changed_at"],
                name="submission_venue_state_cover",
            ),
            PostgresGinIndex(SEARCH_VECTOR, name="submission_search"),
            PostgresGinIndex(
                fields=["keywords"], name="submission_keywords", opclasses=["jsonb_path_ops"]
            ),
        ]

    def __str__(self) -> str:
        return f"{self.venue.slug}#{self.number}: {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("journal:submission-detail", kwargs={"pk": self.pk})

    @property
    def is_open(self) -> bool:
        return self.state in SubmissionState.OPEN


class Authorship(models.Model):
    """An author in order: a registered user, or name + e-mail until the person claims it."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="authors")
    order = models.PositiveSmallIntegerField()
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="authorships",
    )
    name = models.CharField(max_length=200)
    email = models.EmailField()
    affiliation = models.CharField(max_length=300, blank=True)
    is_corresponding = models.BooleanField(default=False)
    claimed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["submission", "order"]
        constraints = [
            models.UniqueConstraint(fields=["submission", "order"], name="unique_author_order"),
            models.UniqueConstraint(fields=["submission", "email"], name="unique_author_email"),
        ]
        indexes = [models.Index(fields=["email"])]

    def __str__(self) -> str:
        return self.name


class BenchmarkClaim(models.Model):
    """One row of a submission's benchmark-claims table, with the evidence behind the number."""

    submission = models.ForeignKey(
        Submission, on_delete=models.CASCADE, related_name="benchmark_claims"
    )
    order = models.PositiveSmallIntegerField(default=0)
    dataset = models.CharField("task / dataset", max_length=200)
    metric = models.CharField(max_length=100)
    value = models.FloatField()
    best_prior_value = models.FloatField(null=True, blank=True)
    higher_is_better = models.BooleanField(default=True)
    runs = models.PositiveIntegerField(
        "independent runs", null=True, blank=True, help_text="Runs or seeds behind the value."
    )
    spread = models.FloatField(
        null=True, blank=True, help_text="Standard deviation of the value across the runs."
    )
    compute_budget = models.CharField(
        "compute budget compared", max_length=CLAIM_COMPUTE_BUDGET_MAX_CHARS, blank=True
    )
    baseline_source = models.CharField(
        "source of the best prior value",
        max_length=10,
        choices=BaselineSource.choices,
        blank=True,
    )
    code_url = models.URLField("link to code", blank=True)

    class Meta:
        ordering = ["submission", "order", "pk"]

    def __str__(self) -> str:
        return f"{self.dataset} {self.metric} = {self.value}"

    @property
    def improvement(self) -> float | None:
        """Return the signed gain over the best prior value (positive means better)."""
        return claim_gain(
            value=self.value,
            best_prior_value=self.best_prior_value,
            higher_is_better=self.higher_is_better,
        )

    @property
    def within_noise(self) -> bool | None:
        """Return whether the gain is inside the reported spread (see `journal.evidence`)."""
        return gain_within_noise(gain=self.improvement, spread=self.spread)

    @property
    def evidence(self) -> ClaimEvidence:
        """Return the gain and whether it is within noise, for the pages to show."""
        return ClaimEvidence(gain=self.improvement, within_noise=self.within_noise)

    @property
    def label(self) -> str:
        """Return how people name the claim: its dataset and metric."""
        return f"{self.dataset} · {self.metric}"


class DeclaredConflict(models.Model):
    """A conflict of interest the authors declare: a person, an institution or a domain."""

    submission = models.ForeignKey(
        Submission, on_delete=models.CASCADE, related_name="declared_conflicts"
    )
    kind = models.CharField(max_length=16, choices=ConflictKind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    value = models.CharField(
        max_length=300, help_text="A person's e-mail, an institution's name or a domain."
    )
    reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["submission", "kind", "value"]
        constraints = [
            models.UniqueConstraint(
                fields=["submission", "kind", "value"], name="unique_declared_conflict"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.value}"


class EditorConflictWaiver(models.Model):
    """A chief's recorded decision that an editor handles a paper despite a conflict."""

    submission = models.ForeignKey(
        Submission, on_delete=models.CASCADE, related_name="editor_conflict_waivers"
    )
    editor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reasons = models.JSONField(default=list, help_text="The conflicts found when it was granted.")
    note = models.CharField(max_length=300, help_text="Why the editor handles it all the same.")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["submission", "editor"], name="unique_editor_conflict_waiver"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.editor_id} handles {self.submission_id} despite a conflict"
