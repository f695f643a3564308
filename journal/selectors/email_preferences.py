"""How people want their e-mail: one category at a time, or for many people at once."""

from collections.abc import Iterable

from journal.enums import EmailCategory, EmailDelivery
from journal.models import EmailPreference, User


def email_preferences_for(*, user: User) -> dict[str, str]:
    """Return each optional category's delivery for `user` (at once where never chosen)."""
    chosen = dict(
        EmailPreference.objects.filter(user=user).values_list("category", "delivery")
    )
    return {
        category: chosen.get(category, EmailDelivery.IMMEDIATE)
        for category in EmailCategory.OPTIONAL
    }


def email_deliveries_for(
    *, user_ids: Iterable[int], categories: Iterable[str]
) -> dict[tuple[int, str], str]:
    """Return the chosen delivery of each (person, optional category) that has a choice.

    One query, whatever the number of people; a pair missing from the answer is "at once".
    """
    user_ids = {pk for pk in user_ids if pk is not None}
    categories = set(categories) & set(EmailCategory.OPTIONAL)
    if not user_ids or not categories:
        return {}
    rows = EmailPreference.objects.filter(
        user_id__in=user_ids, category__in=categories
    ).values_list("user_id", "category", "delivery")
    return {(user_id, category): delivery for user_id, category, delivery in rows}


def email_users_by_address(*, addresses: Iterable[str]) -> dict[str, User]:
    """Return the active accounts of these addresses, keyed by the lower-cased address."""
    wanted = {address.strip().lower() for address in addresses if address}
    if not wanted:
        return {}
    return {
        user.email.lower(): user
        for user in User.objects.filter(email__in=wanted, is_active=True).only(
            "pk", "email", "display_name"
        )
    }
