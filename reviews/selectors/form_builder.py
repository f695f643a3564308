"""Read a venue's review forms for the builder: every version, which rounds of the venue use
it, which one new rounds get, and what an edit of the newest version would do."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch

from journal.models import Venue
from reviews.models import Review, ReviewForm, ReviewFormField, ReviewRound
from reviews.selectors.forms import DEFAULT_FORM_SLUG


@dataclass(frozen=True)
class VersionUse:
    """One version of a form and its use at the venue."""

    form: ReviewForm
    rounds: list[tuple[int, int]]  # (round number, papers in that round using this version)
    reviews: int  # reviews written on it at the venue
    is_current: bool  # the form of the venue's new rounds

    @property
    def in_use(self) -> bool:
        return bool(self.rounds) or self.reviews > 0

    @property
    def is_draft(self) -> bool:
        return self.form.venue_id is not None and self.form.published_at is None

    @property
    def frozen(self) -> bool:
        """Edits go to a new version (as `review_form_frozen` decides, from what was read)."""
        return self.form.published_at is not None or self.in_use

    @property
    def status(self) -> str:
        if self.is_current:
            return "the form of new rounds"
        if self.is_draft:
            return "draft"
        if self.form.venue_id is None:
            return "shipped"
        return "published earlier"

    @property
    def usage(self) -> str:
        """Return e.g. "in use by round 1 (12 papers) and round 2 (1 paper)"."""
        if not self.rounds:
            return f"used by {_count(self.reviews, 'review')}" if self.reviews else "not in use"
        parts = [f"round {number} ({_count(papers, 'paper')})" for number, papers in self.rounds]
        joined = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
        return f"in use by {joined}"


@dataclass(frozen=True)
class FormFamily:
    """All versions of one form (one slug), newest first."""

    slug: str
    versions: list[VersionUse] = field(default_factory=list)

    @property
    def newest(self) -> VersionUse:
        return self.versions[0]

    @property
    def name(self) -> str:
        return self.newest.form.name

    @property
    def is_shipped(self) -> bool:
        return self.newest.form.venue_id is None

    @property
    def current(self) -> VersionUse | None:
        return next((v for v in self.versions if v.is_current), None)

    @property
    def edit_note(self) -> str:
        """Return what an edit of the newest version does, in the chair's words."""
        newest = self.newest
        if not newest.frozen:
            return f"v{newest.form.version} is a draft: your edits change it until you publish it."
        why = newest.usage if newest.in_use else f"published ({newest.status})"
        return (
            f"v{newest.form.version} is {why}; your edits make v{newest.form.version + 1}, "
            "a draft, and leave it as it is."
        )


def venue_review_forms(*, venue: Venue) -> tuple[list[FormFamily], list[FormFamily]]:
    """Return the venue's own forms and the shipped ones, each with its versions and their
    use at the venue (four queries, however many forms and rounds)."""
    own = list(ReviewForm.objects.filter(venue=venue).order_by("name", "slug", "-version"))
    shipped = list(ReviewForm.objects.filter(venue=None).order_by("name", "slug", "-version"))
    rounds: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for row in (
        ReviewRound.objects.filter(submission__venue=venue)
        .values("form_id", "number")
        .annotate(papers=Count("submission_id", distinct=True))
        .order_by("form_id", "number")
    ):
        rounds[row["form_id"]].append((row["number"], row["papers"]))
    reviews = dict(
        Review.objects.filter(submission__venue=venue)
        .values("form_id")
        .annotate(n=Count("pk"))
        .values_list("form_id", "n")
    )
    current_id = venue.review_form_id or next(
        (f.pk for f in shipped if f.slug == DEFAULT_FORM_SLUG), None
    )

    def families(forms: list[ReviewForm]) -> list[FormFamily]:
        by_slug: dict[str, FormFamily] = {}
        for form in forms:
            family = by_slug.setdefault(form.slug, FormFamily(slug=form.slug))
            family.versions.append(
                VersionUse(
                    form=form,
                    rounds=rounds.get(form.pk, []),
                    reviews=reviews.get(form.pk, 0),
                    is_current=form.pk == current_id,
                )
            )
        return list(by_slug.values())

    return families(own), families(shipped)


def venue_review_form_family(*, venue: Venue, slug: str) -> FormFamily | None:
    """Return the venue's form `slug` with its versions, or None if the venue has none."""
    own, _ = venue_review_forms(venue=venue)
    return next((f for f in own if f.slug == slug), None)


def review_form_with_fields(*, form_id: int) -> ReviewForm:
    """Return the form with its questions in order (one query each)."""
    return ReviewForm.objects.prefetch_related(
        Prefetch("fields", queryset=ReviewFormField.objects.order_by("order", "pk"))
    ).get(pk=form_id)


def review_form_copyable(*, venue: Venue, form_id: int) -> ReviewForm | None:
    """Return the form `form_id` if the venue's chairs may copy it (shipped or their own)."""
    return ReviewForm.objects.filter(pk=form_id, venue__in=[venue]).first() or (
        ReviewForm.objects.filter(pk=form_id, venue=None).first()
    )


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"
