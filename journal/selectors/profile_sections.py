"""What the profile's self-service sections show the signed-in person."""

from __future__ import annotations

from django.db.models import F
from django.utils import timezone

from journal.limits import INSTITUTION_CONFLICT_YEARS
from journal.models import InstitutionAffiliation, User
from journal.selectors.availability import availability_periods_of
from journal.selectors.role_invitations import pending_role_invitations_of
from reviews.models import ExpertiseKeyword, ReviewerConflict


def profile_sections_of(*, user: User) -> dict:
    """Return the person's periods, institutions, keywords, conflicts and open invitations,
    each list read in one query."""
    today = timezone.localdate()
    periods = list(availability_periods_of(user=user))
    return {
        "today": today,
        "institution_conflict_years": INSTITUTION_CONFLICT_YEARS,
        "current_periods": [p for p in periods if p.ends_on >= today],
        "past_periods": [p for p in periods if p.ends_on < today],
        "institutions": list(
            InstitutionAffiliation.objects.filter(user=user).order_by(
                F("end_year").desc(nulls_first=True), "-start_year", "institution"
            )
        ),
        "keywords": list(
            ExpertiseKeyword.objects.filter(user=user)
            .order_by("pk")
            .values_list("keyword", flat=True)
        ),
        "declared_conflicts": list(
            ReviewerConflict.objects.filter(reviewer=user)
            .select_related("submission__venue")
            .order_by("submission_id", "kind", "value")
        ),
        "pending_invitations": list(pending_role_invitations_of(user=user)),
    }
