"""Read review forms: which form a venue's reviews are written on, and how a chair weighs
them (each scored criterion's share of the overall score).

Installing a missing shipped form is a write: callers that need a form whatever happens get
it from `reviews.services.forms` (`review_form_for_venue`, `review_form_latest`) and hand it
here."""

from dataclasses import dataclass

from django.db.models import Prefetch, Q

from journal.models import Venue
from reviews.enums import CriterionAspect
from reviews.models import ReviewForm, ReviewFormField

#: The form of a venue that chose none (installed with the shipped templates).
DEFAULT_FORM_SLUG = "peerless-balanced"


@dataclass(frozen=True)
class CriterionShare:
    key: str
    label: str
    aspect: str
    weight: float
    share: float  # weight / sum of the weights of the criteria in the overall score

    @property
    def aspect_label(self) -> str:
        return CriterionAspect(self.aspect).label


@dataclass(frozen=True)
class FormShares:
    form: ReviewForm
    criteria: list[CriterionShare]
    ideas_share: float
    benchmark_share: float

    @property
    def has_overall(self) -> bool:
        return bool(self.criteria)

    @property
    def numbers_outweigh_ideas(self) -> bool:
        """Benchmark-type criteria carry more of the overall score than the ideas do."""
        return self.benchmark_share > self.ideas_share

    @property
    def warning(self) -> str:
        if not self.numbers_outweigh_ideas:
            return ""
        return (
            f"Benchmark-type criteria carry {self.benchmark_share:.0%} of the overall score, "
            f"originality and the hypothesis {self.ideas_share:.0%}: with this form the "
            "numbers count for more than the ideas."
        )


def form_shares(*, form: ReviewForm) -> FormShares:
    """Return each scored criterion's share of `form`'s overall score, and by aspect.

    Uses `form.fields` as prefetched when it is (see `forms_with_shares`).
    """
    fields = [f for f in form.fields.all() if f.counts_in_overall]
    total = sum(f.weight for f in fields)
    criteria = [
        CriterionShare(
            key=f.key, label=f.label, aspect=f.aspect, weight=f.weight, share=f.weight / total
        )
        for f in sorted(fields, key=lambda f: (f.order, f.pk))
    ]

    def of(aspect: str) -> float:
        return sum(c.share for c in criteria if c.aspect == aspect)

    return FormShares(
        form=form,
        criteria=criteria,
        ideas_share=of(CriterionAspect.IDEAS),
        benchmark_share=of(CriterionAspect.BENCHMARK),
    )


def _with_fields():
    return Prefetch("fields", queryset=ReviewFormField.objects.order_by("order", "pk"))


def form_shares_of(*, form: ReviewForm) -> FormShares:
    """Return the shares of `form`, its fields read in one query."""
    form = ReviewForm.objects.prefetch_related(_with_fields()).get(pk=form.pk)
    return form_shares(form=form)


def forms_with_shares(*, current: ReviewForm, venue: Venue) -> list[FormShares]:
    """Return the shares of every form a chair of `venue` may pick: `current` (the venue's)
    first, then the newest version of each shipped form and of the venue's published ones
    (two queries)."""
    pickable = Q(pk=current.pk) | Q(venue=None) | Q(venue=venue, published_at__isnull=False)
    forms = list(
        ReviewForm.objects.filter(pickable)
        .order_by("name", "-version")
        .prefetch_related(_with_fields())
    )
    newest: dict[str, ReviewForm] = {}
    for form in forms:
        newest.setdefault(form.slug, form)
    mine = next(f for f in forms if f.pk == current.pk)
    others = [f for f in newest.values() if f.pk != current.pk]
    return [form_shares(form=f) for f in [mine, *others]]


def review_form_stored_for_venue(*, venue: Venue) -> ReviewForm | None:
    """Return the form a new round at `venue` uses, or None while no form is installed.

    The venue's choice, else the newest version of the default form.
    """
    if venue.review_form_id:
        return venue.review_form
    return ReviewForm.objects.filter(slug=DEFAULT_FORM_SLUG).order_by("-version").first()


def review_form_fields_for_venue(*, venue: Venue) -> list[ReviewFormField]:
    """Return the fields of the form `venue`'s reviews are written on (none if not installed)."""
    form = review_form_stored_for_venue(venue=venue)
    return [] if form is None else list(ReviewFormField.objects.filter(form=form))
