"""Ranked reviewer suggestions for one paper, for the editor who picks (journals).

Only reviewers who can take the paper are listed: no conflict of interest, available today,
under their quota and not asked before for this paper. They are ranked by affinity: the
stored scores when the venue's affinities cover the paper, otherwise computed on the spot.
Each suggestion says why, in the engine's words: the reviewer's publication closest to the
paper and the terms they share most; reviewers who chose the paper's subject area rank a
little higher (`AREA_BOOST`) and say so.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from journal.models import Submission, User
from reviews.matching import AffinityModel, explain_pair
from reviews.models import ReviewInvitation
from reviews.selectors.conflicts import conflict_mask
from reviews.selectors.expertise import (
    ReviewerSlot,
    affinity_scores_of,
    bids_of,
    reviewer_documents,
    reviewer_slots,
    submission_text,
)


@dataclass(frozen=True)
class Suggestion:
    """One reviewer worth asking, with the numbers an editor weighs."""

    reviewer: User
    affinity: float
    load: int
    quota: int | None
    bid: str | None
    closest_publication: str
    closest_similarity: float
    shared_terms: tuple[str, ...]
    subject_areas: tuple[str, ...] = ()
    in_paper_area: bool = False


#: What reviewing in the paper's subject area adds to a reviewer's affinity when ranking.
AREA_BOOST = 0.05


def _eligible(submission: Submission) -> list[ReviewerSlot]:
    """Return the venue's reviewers who could be asked to review `submission` now."""
    asked = set(
        ReviewInvitation.objects.filter(submission=submission).values_list("reviewer_id", flat=True)
    )
    slots = [
        slot
        for slot in reviewer_slots(venue=submission.venue)
        if slot.available and not slot.is_full and slot.user.pk not in asked
    ]
    if not slots:
        return []
    mask = conflict_mask(
        venue=submission.venue, submissions=[submission], reviewers=[s.user for s in slots]
    )
    conflicted = set(mask.indices.tolist())
    return [slot for j, slot in enumerate(slots) if j not in conflicted]


def submission_reviewer_suggestions(
    *, submission: Submission, limit: int = 10, top_terms: int = 6
) -> list[Suggestion]:
    """Return up to `limit` eligible reviewers for `submission`, best affinity first."""
    slots = _eligible(submission)
    if not slots:
        return []
    paper = submission_text(submission)
    stored = affinity_scores_of(submission=submission)
    area = submission.subject_area

    def boost(slot: ReviewerSlot) -> float:
        return AREA_BOOST if area and area in slot.subject_areas else 0.0

    if stored:
        ranked = sorted(
            slots,
            key=lambda slot: (
                -(stored.get(slot.user.pk, 0.0) + boost(slot)),
                slot.load,
                slot.user.pk,
            ),
        )[:limit]
        scores = [stored.get(slot.user.pk, 0.0) for slot in ranked]
        documents = reviewer_documents(user_ids=[slot.user.pk for slot in ranked])
        model = affinity_model_for(paper, [documents.get(slot.user.pk, []) for slot in ranked])
    else:
        documents = reviewer_documents(user_ids=[slot.user.pk for slot in slots])
        texts = [[text for _, text in documents.get(slot.user.pk, [])] for slot in slots]
        model = affinity_model_for(paper, [documents.get(slot.user.pk, []) for slot in slots])
        row = model.affinity([paper], texts)[0]
        order = sorted(
            range(len(slots)),
            key=lambda j: (-(float(row[j]) + boost(slots[j])), slots[j].load, slots[j].user.pk),
        )[:limit]
        ranked = [slots[j] for j in order]
        scores = [float(row[j]) for j in order]
    bids = bids_of(submission_ids=[submission.pk])
    suggestions = []
    for slot, score in zip(ranked, scores, strict=True):
        docs = documents.get(slot.user.pk, [])
        title, similarity, terms = closest_publication_of(model, paper, docs, top_terms)
        suggestions.append(
            Suggestion(
                reviewer=slot.user,
                affinity=float(score),
                load=slot.load,
                quota=slot.quota,
                bid=bids.get((submission.pk, slot.user.pk)),
                closest_publication=title,
                closest_similarity=similarity,
                shared_terms=terms,
                subject_areas=slot.subject_areas,
                in_paper_area=bool(area) and area in slot.subject_areas,
            )
        )
    return suggestions


def affinity_model_for(paper: str, documents: Sequence[Sequence[tuple[str, str]]]) -> AffinityModel:
    """Fit the engine's model on the paper and the reviewers' documents."""
    return AffinityModel().fit([paper, *(text for docs in documents for _, text in docs)])


def closest_publication_of(
    model: AffinityModel, paper: str, documents: Sequence[tuple[str, str]], top_terms: int
) -> tuple[str, float, tuple[str, ...]]:
    """Return the closest publication's title, its similarity and the shared terms."""
    if not documents:
        return "", 0.0, ()
    explanation = explain_pair(
        paper, [text for _, text in documents], model=model, top_terms=top_terms
    )
    if explanation.publication is None:
        return "", 0.0, ()
    return (
        documents[explanation.publication][0],
        float(explanation.similarity),
        tuple(term for term, _ in explanation.shared_terms),
    )
