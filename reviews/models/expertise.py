"""What reviewers know and want: publications, keywords, bids, conflicts and affinity scores."""

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone

from journal.enums import ConflictKind
from reviews.enums import PublicationSource


class BidValue(models.TextChoices):
    """How much a reviewer wants a paper, as OpenReview and HotCRP ask it.

    "Conflict" is a declared conflict of interest: the pair is never matched (the bid goes
    with a `ReviewerConflict` on the paper). "Neutral" is the absence of a bid.
    """

    VERY_HIGH = "very_high", "Very high"
    HIGH = "high", "High"
    NEUTRAL = "neutral", "Neutral"
    LOW = "low", "Low"
    VERY_LOW = "very_low", "Very low"
    CONFLICT = "conflict", "Conflict"

    @property
    def weight(self) -> float:
        """Return the multiple of the venue's bid weight this level adds to a pair's value."""
        return _BID_WEIGHTS.get(self.value, 0.0)


_BID_WEIGHTS = {"very_high": 2.0, "high": 1.0, "low": -1.0, "very_low": -2.0}


class JobStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"

    #: The job is waiting or working.
    ACTIVE: ClassVar[frozenset[str]]


JobStatus.ACTIVE = frozenset({JobStatus.QUEUED, JobStatus.RUNNING})


class Publication(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="publications"
    )
    title = models.CharField(max_length=500)
    abstract = models.TextField(blank=True)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    venue_name = models.CharField("published in", max_length=300, blank=True)
    coauthors = models.JSONField(
        default=list, blank=True, help_text="Co-author names (or e-mails), in order."
    )
    url = models.URLField(blank=True)
    doi = models.CharField(
        "DOI", max_length=200, blank=True, db_index=True,
        help_text="Lower-case, without the https://doi.org/ prefix.",
    )
    source = models.CharField(
        max_length=20, choices=PublicationSource.choices, default=PublicationSource.MANUAL
    )
    source_ids = models.JSONField(
        default=dict, blank=True, help_text="Its ids at the sources, e.g. {\"dblp\": \"conf/x/Y\"}."
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["user", "-year", "title"]
        constraints = [
            models.UniqueConstraint(fields=["user", "title"], name="unique_publication_title"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.year or 'n.d.'})"


class ExpertiseKeyword(models.Model):
    """A topic a reviewer names as their expertise; it adds terms to their profile."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="expertise_keywords"
    )
    keyword = models.CharField(max_length=100)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["user", "keyword"]
        constraints = [
            models.UniqueConstraint(fields=["user", "keyword"], name="unique_expertise_keyword"),
        ]

    def __str__(self) -> str:
        return self.keyword


class MatchingSettings(models.Model):
    """Per-venue options of the matching: whether reviewers bid, and how much bids weigh."""

    venue = models.OneToOneField(
        "journal.Venue", on_delete=models.CASCADE, related_name="matching_settings"
    )
    bidding_open = models.BooleanField(
        default=False, help_text="Reviewers may say which papers they are willing to review."
    )
    bid_weight = models.FloatField(
        default=0.2,
        help_text=(
            "Added to a pair's affinity for a 'high' bid (twice for 'very high'), subtracted "
            "for 'low' (twice for 'very low')."
        ),
    )
    min_bids = models.PositiveSmallIntegerField(
        default=10, help_text="How many papers each reviewer is asked to bid on."
    )
    candidates_per_paper = models.PositiveSmallIntegerField(
        default=100, help_text="How many best reviewers per paper are stored and matched."
    )
    candidates_per_reviewer = models.PositiveSmallIntegerField(
        default=0,
        help_text=(
            "How many best papers per reviewer are stored too; 0: twice the most load of a "
            "default matching run, at least 10."
        ),
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name_plural = "matching settings"

    def __str__(self) -> str:
        return f"Matching settings of {self.venue}"


class Bid(models.Model):
    """A reviewer's willingness to review one submission (venues with bidding only)."""

    submission = models.ForeignKey(
        "journal.Submission", on_delete=models.CASCADE, related_name="bids"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="bids"
    )
    value = models.CharField(max_length=16, choices=BidValue.choices, default=BidValue.NEUTRAL)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["submission", "reviewer"]
        constraints = [
            models.UniqueConstraint(fields=["submission", "reviewer"], name="unique_bid"),
        ]
        indexes = [models.Index(fields=["reviewer", "value"])]

    def __str__(self) -> str:
        return f"{self.reviewer} on {self.submission_id}: {self.get_value_display()}"


class ReviewerConflict(models.Model):
    """A conflict a reviewer declares: one submission, or a person, institution or domain."""

    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="declared_conflicts"
    )
    submission = models.ForeignKey(
        "journal.Submission",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="reviewer_conflicts",
        help_text="Set for a conflict with this paper only.",
    )
    kind = models.CharField(max_length=16, choices=ConflictKind.choices, blank=True)
    value = models.CharField(
        max_length=300,
        blank=True,
        help_text="A person's e-mail, an institution's name or a domain.",
    )
    reason = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["reviewer", "kind", "value"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(submission__isnull=False) | ~models.Q(value=""),
                name="reviewer_conflict_has_target",
            ),
        ]

    def __str__(self) -> str:
        if self.submission_id:
            return f"{self.reviewer}: submission {self.submission_id}"
        return f"{self.reviewer}: {self.get_kind_display()} {self.value}"


class AffinityScore(models.Model):
    """A stored (submission, reviewer) affinity: each paper keeps only its best candidates.

    A venue's scores are derived data, replaced wholesale by each computation (hundreds of
    thousands of rows written with COPY), so the table carries no database-level foreign
    keys and only the indexes its readers use; deletions still cascade through the ORM.
    """

    venue = models.ForeignKey(
        "journal.Venue",
        on_delete=models.CASCADE,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )
    submission = models.ForeignKey(
        "journal.Submission",
        on_delete=models.CASCADE,
        related_name="affinity_scores",
        db_constraint=False,
        db_index=False,
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", db_constraint=False
    )
    score = models.FloatField()
    rank = models.PositiveIntegerField(help_text="1 for the paper's best reviewer.")
    computed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["submission", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["submission", "reviewer"], name="unique_affinity_pair"),
        ]
        indexes = [models.Index(fields=["venue", "submission"])]

    def __str__(self) -> str:
        return f"{self.submission_id} ~ {self.reviewer_id}: {self.score:.3f}"


class AffinityFit(models.Model):
    """What the venue's last full affinity computation learnt, to score new papers alone.

    The TF-IDF vocabulary and IDF weights fitted on the venue's corpus, the ensemble's
    standardisation (when embeddings were used), and each reviewer's lowest kept score among
    their best papers: a paper scored later is stored for its best reviewers and for every
    reviewer it would have been among the best papers of, as in the full computation.
    """

    venue = models.OneToOneField(
        "journal.Venue", on_delete=models.CASCADE, related_name="affinity_fit"
    )
    run = models.ForeignKey("AffinityRun", null=True, on_delete=models.SET_NULL, related_name="+")
    terms = models.BinaryField(help_text="The vocabulary, one term a line, zlib-compressed.")
    idf = models.BinaryField(help_text="float32 little-endian IDF weight per term.")
    method = models.CharField(max_length=16, help_text="tfidf, or ensemble.")
    model_sha256 = models.CharField(max_length=64, blank=True)
    standardisation = models.JSONField(null=True, blank=True)
    candidates_per_paper = models.PositiveIntegerField()
    candidates_per_reviewer = models.PositiveIntegerField()
    reviewer_thresholds = models.JSONField(
        default=dict, help_text="{reviewer id: lowest score among their kept best papers}."
    )
    fitted_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Affinity model of {self.venue_id} ({self.method})"


class AffinityRun(models.Model):
    """One computation of a venue's affinities, with its progress."""

    venue = models.ForeignKey(
        "journal.Venue", on_delete=models.CASCADE, related_name="affinity_runs"
    )
    status = models.CharField(
        max_length=8, choices=JobStatus.choices, default=JobStatus.QUEUED, db_index=True
    )
    progress = models.PositiveSmallIntegerField(default=0)
    message = models.TextField(blank=True)
    n_papers = models.PositiveIntegerField(default=0)
    n_reviewers = models.PositiveIntegerField(default=0)
    n_scores = models.PositiveIntegerField(default=0)
    seconds = models.FloatField(null=True, blank=True)
    method = models.CharField(
        max_length=16, blank=True, help_text="tfidf, or ensemble (TF-IDF with embeddings)."
    )
    model_name = models.CharField(
        max_length=200, blank=True, help_text="The embedding model of an ensemble run."
    )
    model_sha256 = models.CharField(
        max_length=64, blank=True, help_text="SHA-256 of the embedding model's weights."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Affinities of {self.venue_id} ({self.get_status_display()})"


class TextEmbedding(models.Model):
    """The cached embedding of one publication's or one submission's text under one model.

    ``text_sha256`` is the hash of the exact text that was embedded: a changed title,
    abstract or keywords no longer matches, so the vector is recomputed; an unchanged text
    (a new version of the paper with the same abstract, say) keeps it.
    """

    publication = models.ForeignKey(
        Publication, null=True, blank=True, on_delete=models.CASCADE, related_name="embeddings"
    )
    submission = models.ForeignKey(
        "journal.Submission",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="embeddings",
    )
    model_sha256 = models.CharField(max_length=64)
    text_sha256 = models.CharField(max_length=64)
    vector = models.BinaryField(help_text="float32 little-endian unit vector.")
    computed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["publication", "model_sha256"],
                condition=models.Q(publication__isnull=False),
                name="unique_publication_embedding",
            ),
            models.UniqueConstraint(
                fields=["submission", "model_sha256"],
                condition=models.Q(submission__isnull=False),
                name="unique_submission_embedding",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(publication__isnull=False, submission__isnull=True)
                    | models.Q(publication__isnull=True, submission__isnull=False)
                ),
                name="embedding_has_one_owner",
            ),
        ]

    def __str__(self) -> str:
        owner = f"publication {self.publication_id}" if self.publication_id else (
            f"submission {self.submission_id}"
        )
        return f"Embedding of {owner} ({self.model_sha256[:12]})"
