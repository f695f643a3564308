"""A person's institution history with years (conflicts of interest count recent ones)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from journal.errors import DomainError
from journal.limits import INSTITUTION_HISTORY_MAX
from journal.models import InstitutionAffiliation, User
from reviews.services.editor_conflicts import editor_conflicts_person_changed

FIRST_YEAR = 1900


def institution_affiliation_add(
    *, user: User, institution: str, start_year: int | None = None, end_year: int | None = None
) -> InstitutionAffiliation:
    """Add an institution `user` belongs (`end_year` None) or belonged to; the editors'
    stored conflicts follow at once."""
    institution = " ".join((institution or "").split())
    this_year = timezone.now().year
    if not institution:
        raise DomainError("Name the institution.", field="institution")
    if len(institution) > 300:
        raise DomainError(
            "Give the institution's name in at most 300 characters.", field="institution"
        )
    for name, year in (("start_year", start_year), ("end_year", end_year)):
        if year is not None and not FIRST_YEAR <= year <= this_year + 1:
            raise DomainError(f"Give a year from {FIRST_YEAR} to {this_year + 1}.", field=name)
    if start_year is not None and end_year is not None and end_year < start_year:
        raise DomainError("The last year comes before the first one.", field="end_year")
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=user.pk).first()
        mine = InstitutionAffiliation.objects.filter(user=user)
        if mine.count() >= INSTITUTION_HISTORY_MAX:
            raise DomainError(
                f"You list {INSTITUTION_HISTORY_MAX} institutions already; remove one first."
            )
        if mine.filter(
            institution__iexact=institution, start_year=start_year, end_year=end_year
        ).exists():
            raise DomainError("This institution is listed already.", field="institution")
        entry = InstitutionAffiliation.objects.create(
            user=user, institution=institution, start_year=start_year, end_year=end_year
        )
        editor_conflicts_person_changed(user=user)
    return entry


def institution_affiliation_remove(*, user: User, entry_id: int) -> None:
    """Remove one entry of `user`'s institution history."""
    with transaction.atomic():
        entry = InstitutionAffiliation.objects.filter(pk=entry_id, user=user).first()
        if entry is None:
            raise DomainError("No such institution on your list.")
        entry.delete()
        editor_conflicts_person_changed(user=user)
