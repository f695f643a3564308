"""Reads for the embedding cache: which publications describe each reviewer."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from django.db.models import F

from reviews.models import Publication
from reviews.selectors.expertise import MAX_PUBLICATIONS


def reviewer_publication_ids(*, user_ids: Sequence[int]) -> dict[int, list[int]]:
    """Return, per reviewer, the ids of the publications that describe them.

    The same publications, in the same order, as the first documents of
    `reviewer_documents` (the `MAX_PUBLICATIONS` most recent ones).
    """
    ids: dict[int, list[int]] = defaultdict(list)
    rows = Publication.objects.filter(user_id__in=user_ids).order_by(
        "user_id", F("year").desc(nulls_last=True), "-pk"
    )
    for user_id, pk in rows.values_list("user_id", "pk"):
        if len(ids[user_id]) < MAX_PUBLICATIONS:
            ids[user_id].append(pk)
    return ids
