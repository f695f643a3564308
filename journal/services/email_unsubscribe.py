"""One-click unsubscribe links: signed, time-limited, naming a person and categories only.

A link carries the person's id and the categories it turns off, signed with the site's key
and a salt of its own, and nothing about the paper the message was about. Anyone holding the
link (the recipient, or whoever they forward it to) may use it without signing in, as mail
clients do for RFC 8058 one-click unsubscribe; it can only ever turn that person's optional
e-mail off.
"""

import logging
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.urls import reverse

from journal.enums import EmailCategory, EmailDelivery
from journal.errors import DomainError
from journal.limits import UNSUBSCRIBE_LINK_MAX_AGE_DAYS
from journal.models import User
from journal.services.email_preferences import email_preferences_set

logger = logging.getLogger(__name__)

SALT = "peerless.email.unsubscribe"


class UnsubscribeLinkError(DomainError):
    """The link is not one the site made, or it is too old."""

    def __init__(self, message: str, *, expired: bool) -> None:
        super().__init__(message)
        self.expired = expired


@dataclass(frozen=True)
class UnsubscribeLink:
    user: User
    categories: tuple[str, ...]


def unsubscribe_token_make(*, user_id: int, categories: list[str] | tuple[str, ...]) -> str:
    """Return the signed token that turns `categories` (the optional ones) off for a person."""
    chosen = sorted(set(categories) & set(EmailCategory.OPTIONAL))
    if not chosen:
        raise ValueError("An unsubscribe link needs at least one optional category.")
    return signing.TimestampSigner(salt=SALT).sign_object(
        {"u": user_id, "c": chosen}, compress=True
    )


def unsubscribe_url(*, user_id: int, categories: list[str] | tuple[str, ...]) -> str:
    """Return the absolute address of the one-click unsubscribe page for a person."""
    token = unsubscribe_token_make(user_id=user_id, categories=categories)
    return settings.SITE_URL + reverse("journal:email-unsubscribe", args=[token])


def unsubscribe_link_read(*, token: str) -> UnsubscribeLink:
    """Return whom and what the token is for; refuse a tampered, malformed or expired one."""
    signer = signing.TimestampSigner(salt=SALT)
    try:
        payload = signer.unsign_object(
            token, max_age=timedelta(days=UNSUBSCRIBE_LINK_MAX_AGE_DAYS)
        )
    except signing.SignatureExpired:
        raise UnsubscribeLinkError(
            f"This unsubscribe link is more than {UNSUBSCRIBE_LINK_MAX_AGE_DAYS} days old "
            "and no longer works.",
            expired=True,
        ) from None
    except (signing.BadSignature, ValueError, UnicodeDecodeError):
        raise UnsubscribeLinkError(
            "This unsubscribe link is not valid: it may have been cut short or changed.",
            expired=False,
        ) from None
    categories = payload.get("c") if isinstance(payload, dict) else None
    user_id = payload.get("u") if isinstance(payload, dict) else None
    if (
        not isinstance(user_id, int)
        or not isinstance(categories, list)
        or not categories
        or not set(categories) <= set(EmailCategory.OPTIONAL)
    ):
        raise UnsubscribeLinkError("This unsubscribe link is not valid.", expired=False)
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        raise UnsubscribeLinkError(
            "This unsubscribe link belongs to an account that no longer exists.", expired=False
        )
    return UnsubscribeLink(user=user, categories=tuple(categories))


def email_unsubscribe(*, token: str) -> UnsubscribeLink:
    """Turn off the categories of a valid link for its person; safe to repeat."""
    link = unsubscribe_link_read(token=token)
    email_preferences_set(
        user=link.user, preferences={category: EmailDelivery.OFF for category in link.categories}
    )
    logger.info("Person %s unsubscribed from %s by link.", link.user.pk, ", ".join(link.categories))
    return link
