"""Venues (journals and conferences) and the roles people hold in them."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone as tz

from journal.enums import (
    ROLE_WORDS,
    Anonymity,
    LoadPeriod,
    Phase,
    ReviewPublication,
    RoleKind,
    VenueKind,
)


def _stage_days(help_text: str) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
        help_text=help_text,
    )


class Venue(models.Model):
    slug = models.SlugField(unique=True, max_length=64)
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=16, choices=VenueKind.choices, default=VenueKind.JOURNAL)
    description = models.TextField(blank=True)
    anonymity = models.CharField(
        max_length=16, choices=Anonymity.choices, default=Anonymity.DOUBLE_BLIND
    )
    accepting_submissions = models.BooleanField(default=True)
    reviewers_per_paper = models.PositiveSmallIntegerField(
        default=3, validators=[MinValueValidator(1), MaxValueValidator(20)]
    )
    review_period_days = models.PositiveSmallIntegerField(
        default=14, validators=[MinValueValidator(1)]
    )
    long_paper_pages = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="Journals: papers with more pages than this get the long review period.",
    )
    long_review_period_days = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1)]
    )
    # The stage clock (TMLR): days each stage of a paper may take; empty means no deadline.
    editor_assignment_days = _stage_days("Days from submission to an action editor.")
    reviewer_assignment_days = _stage_days("Days for the action editor to find the reviewers.")
    discussion_days = _stage_days("Days of discussion once the reviews are in.")
    recommendation_days = _stage_days("Days for the reviewers' recommendations.")
    meta_review_days = _stage_days("Days for the action editor's recommendation.")
    approval_days = _stage_days("Days for the editor-in-chief's approval.")
    submission_deadline = models.DateTimeField(
        null=True, blank=True, help_text="Conferences: no new submissions after this moment."
    )
    camera_ready_deadline = models.DateTimeField(null=True, blank=True)
    timezone = models.CharField(
        max_length=64, default="UTC", help_text="Zone in which the venue states its deadlines."
    )
    deadlines_in_aoe = models.BooleanField(
        null=True,
        blank=True,
        help_text="Also state deadlines Anywhere on Earth (UTC-12); empty: yes at conferences.",
    )
    page_limit = models.PositiveSmallIntegerField(null=True, blank=True)
    max_pdf_mb = models.PositiveSmallIntegerField(default=20)
    max_supplement_mb = models.PositiveSmallIntegerField(default=100)
    review_form = models.ForeignKey(
        "reviews.ReviewForm",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Form reviewers fill in; a different one may be chosen per round.",
    )
    review_publication = models.CharField(
        max_length=24,
        choices=ReviewPublication.choices,
        default=ReviewPublication.NONE,
        help_text="Whose reviews the public page of a paper shows, anonymously.",
    )
    publish_recommendations = models.BooleanField(
        default=False,
        help_text="With public reviews, also show each reviewer's recommendation.",
    )
    authors_may_comment = models.BooleanField(default=True)
    discussion_after_own_review = models.BooleanField(
        default=True,
        help_text="A reviewer reads the others' comments only once their own review is in "
        "(or the round is released).",
    )
    subject_areas = models.JSONField(
        default=list,
        blank=True,
        help_text="The areas a paper is submitted to (one each), in the order the chairs "
        "list them (names only; changed by journal.services.venues).",
    )
    reviewer_guide = models.TextField(
        blank=True,
        help_text="What reviewers and editors read when they accept a role here (Markdown).",
    )
    max_load_quota = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(1000)],
        help_text="The most papers a person may offer to take at once; empty: no maximum.",
    )
    phase = models.CharField(
        max_length=24,
        choices=Phase.choices,
        blank=True,
        help_text="Conferences: the phase the venue is in (changed by the phase service only).",
    )
    created_at = models.DateTimeField(default=tz.now, editable=False)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("journal:venue-detail", kwargs={"slug": self.slug})

    @property
    def is_conference(self) -> bool:
        return self.kind == VenueKind.CONFERENCE

    @property
    def uses_aoe(self) -> bool:
        """Return whether the venue's deadlines are also stated in AoE (UTC-12)."""
        return self.is_conference if self.deadlines_in_aoe is None else self.deadlines_in_aoe

    @property
    def is_double_blind(self) -> bool:
        return self.anonymity == Anonymity.DOUBLE_BLIND

    def role_label(self, role: str, *, plural: bool = False, title: bool = False) -> str:
        """Return what `role` is called here: conference or journal words."""
        words = ROLE_WORDS.get(role)
        if words is None:
            return str(role)
        label = words[1] if self.is_conference else words[0]
        if plural:
            label = label.replace("-in-", "s-in-") if "-in-" in label else f"{label}s"
        return label[:1].upper() + label[1:] if title else label

    def deadline_passed(self, now=None) -> bool:
        """Return whether the submission deadline (if any) is behind us."""
        if self.submission_deadline is None:
            return False
        return (now or tz.now()) > self.submission_deadline

    def review_period_for(self, page_count: int | None) -> int:
        """Return the review period in days for a paper of `page_count` pages."""
        if (
            self.long_paper_pages
            and self.long_review_period_days
            and page_count
            and page_count > self.long_paper_pages
        ):
            return self.long_review_period_days
        return self.review_period_days


class VenueRole(models.Model):
    venue = models.ForeignKey(Venue, on_delete=models.CASCADE, related_name="roles")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="venue_roles"
    )
    role = models.CharField(max_length=24, choices=RoleKind.choices)
    load_quota = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Most papers at once; empty means no limit."
    )
    load_period = models.CharField(
        max_length=8, choices=LoadPeriod.choices, default=LoadPeriod.VENUE
    )
    unavailable_until = models.DateField(null=True, blank=True)
    subject_areas = models.JSONField(
        default=list,
        blank=True,
        help_text="The venue's subject areas the person reviews in (their own choice).",
    )
    is_expert = models.BooleanField(
        "expert reviewer",
        default=False,
        help_text="Reviewers: an expert reviewer of the venue; papers they author may carry "
        "the Expert certification.",
    )
    senior = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Area chairs at conferences: the senior area chair who oversees them.",
    )
    created_at = models.DateTimeField(default=tz.now, editable=False)

    class Meta:
        ordering = ["venue", "role", "user"]
        constraints = [
            models.UniqueConstraint(fields=["venue", "user", "role"], name="unique_venue_role"),
        ]
        indexes = [models.Index(fields=["venue", "role"])]

    def __str__(self) -> str:
        return f"{self.user} — {self.venue.role_label(self.role)} at {self.venue.slug}"

    def is_available(self, on=None) -> bool:
        """Return whether the person takes work on the given date (today by default)."""
        day = on or tz.localdate()
        return self.unavailable_until is None or self.unavailable_until < day
