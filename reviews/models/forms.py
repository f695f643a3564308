"""Review forms. A form is data and versioned: a form in use is never edited in place."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from reviews.enums import CriterionAspect, FieldKind, FieldVisibility


class ReviewForm(models.Model):
    slug = models.SlugField(max_length=64, help_text="Stable name shared by all versions.")
    version = models.PositiveSmallIntegerField(default=1)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    venue = models.ForeignKey(
        "journal.Venue",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="review_forms",
        help_text="The venue whose chairs built this form; empty for the shipped forms.",
    )
    copied_from = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The form (or the previous version) this one started as a copy of.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    published_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When a chair made this version the venue's form; empty while a draft.",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["slug", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["slug", "version"], name="unique_form_version"),
        ]

    def __str__(self) -> str:
        return f"{self.name} (v{self.version})"


class ReviewFormField(models.Model):
    """One question of a form. Scores carry a labelled scale, a weight and `independent`."""

    form = models.ForeignKey(ReviewForm, on_delete=models.CASCADE, related_name="fields")
    key = models.SlugField(max_length=64, help_text="Name of the answer, stable across versions.")
    order = models.PositiveSmallIntegerField(default=0)
    kind = models.CharField(max_length=16, choices=FieldKind.choices)
    label = models.CharField(max_length=300)
    help_text = models.TextField(blank=True)
    required = models.BooleanField(default=True)
    visibility = models.CharField(
        max_length=16, choices=FieldVisibility.choices, default=FieldVisibility.AUTHORS
    )
    options = models.JSONField(
        default=list,
        blank=True,
        help_text='Scale or choices, in order: [{"value": 1, "label": "Poor"}, ...].',
    )
    weight = models.FloatField(default=0, help_text="Scores: weight in the overall score.")
    independent = models.BooleanField(
        default=False,
        help_text="Scores: shown on its own and left out of the overall score (e.g. confidence).",
    )
    aspect = models.CharField(
        max_length=16,
        choices=CriterionAspect.choices,
        default=CriterionAspect.OTHER,
        help_text="Scores: whether the criterion judges the idea or the benchmark numbers.",
    )
    min_words = models.PositiveIntegerField(null=True, blank=True)
    max_words = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["form", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["form", "key"], name="unique_form_field_key"),
        ]

    def __str__(self) -> str:
        return f"{self.form.slug} v{self.form.version}: {self.key}"

    @property
    def is_score(self) -> bool:
        return self.kind == FieldKind.SCORE

    @property
    def counts_in_overall(self) -> bool:
        return self.is_score and not self.independent and self.weight > 0

    def option_values(self) -> list:
        """Return the allowed values of a scale or choice field, in order."""
        return [option["value"] for option in self.options]

    def option_label(self, value) -> str:
        """Return the label shown for `value`, or the value itself."""
        for option in self.options:
            if option["value"] == value:
                return (
                    f"{option['value']} — {option['label']}" if self.is_score else option["label"]
                )
        return str(value)
