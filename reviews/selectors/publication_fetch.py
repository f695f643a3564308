"""A person's fetches of publications from ORCID, DBLP or Semantic Scholar."""

from dataclasses import dataclass

from journal.models import User
from reviews.models import JobStatus, PublicationFetch

RECENT_FETCHES = 5


@dataclass(frozen=True)
class RecentFetches:
    items: list[PublicationFetch]
    #: Whether one of them is still waiting or running (the page then polls for news).
    active: bool


def publication_fetches_recent(*, user: User) -> RecentFetches:
    """Return `user`'s latest fetches, newest first."""
    items = list(
        PublicationFetch.objects.filter(user=user).order_by("-created_at", "-pk")[:RECENT_FETCHES]
    )
    return RecentFetches(items=items, active=any(f.status in JobStatus.ACTIVE for f in items))
