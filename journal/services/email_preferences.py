"""Change how a person gets each optional category of e-mail."""

from django.utils import timezone

from journal.enums import EmailCategory, EmailDelivery
from journal.errors import DomainError
from journal.models import EmailPreference, User
from journal.selectors.email_preferences import email_preferences_for


def email_preferences_set(*, user: User, preferences: dict[str, str]) -> dict[str, str]:
    """Save the delivery of each category in `preferences`; return all the person's choices.

    Only optional categories may be held for a digest or turned off; naming a mandatory one
    (decisions, invitations, ...) is refused with the reason, and nothing is saved. Messages
    already held for a digest still go out in the next digest.
    """
    for category, delivery in preferences.items():
        if category in EmailCategory.MANDATORY or category == EmailCategory.DIGEST:
            label = EmailCategory(category).label
            raise DomainError(
                f"“{label}” e-mails are always sent at once; they cannot be held or turned off.",
                field=category,
            )
        if category not in EmailCategory.OPTIONAL:
            raise DomainError(f"There is no e-mail category “{category}”.", field=category)
        if delivery not in EmailDelivery.values:
            choices = ", ".join(EmailDelivery.values)
            raise DomainError(
                f"Choose one of {choices} for {EmailCategory(category).label.lower()}.",
                field=category,
            )
    now = timezone.now()
    # One upsert: a double submit, or two at once, leaves one row per category.
    EmailPreference.objects.bulk_create(
        [
            EmailPreference(user=user, category=category, delivery=delivery, updated_at=now)
            for category, delivery in preferences.items()
        ],
        update_conflicts=True,
        unique_fields=["user", "category"],
        update_fields=["delivery", "updated_at"],
    )
    return email_preferences_for(user=user)
