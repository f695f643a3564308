"""The stage clock of a journal paper (TMLR's): when each stage started, ended and is due.

Pure computation on the moments of a paper's events (no database): the selector
`journal.selectors.deadlines` reads the events, this module turns them into stages. A
*cycle* is one submission of the paper (the first, or a resubmission after a revision); its
stages follow one another, each starting at the event that ends the one before:

==================== ========================================= =====================================
stage                starts when                               ends when
==================== ========================================= =====================================
editor assignment    the paper is submitted                    an action editor is assigned
reviewer assignment  the action editor has it (or it is        the venue's number of reviewers
                     resubmitted to them)                      has accepted
reviews              the reviewers are found                   that many reviews are in, or the
                                                               round is released
discussion           the reviews are in                        its days are over, the editor closes
                                                               reviews, or a decision goes in
recommendations      the discussion ends                       every reviewer with a review has
                                                               recommended, or a decision goes in
meta-review          the recommendations are in or due,        the action editor submits the
                     whichever comes first                     decision for approval
approval             the decision is submitted for approval    the decision is published
==================== ========================================= =====================================

A stage's deadline is its start plus the venue's days for it, plus the paper's extensions of
that stage in that cycle. Reviews are due when the reviewers' own deadlines are (each set at
their invitation from the venue's review period, longer for long papers, and moved by an
extension). Where the venue sets no days for recommendations or the meta-review, the date
typed on the review round (if any) is the deadline. A decision closes every stage.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from journal.enums import Stage

DAY = timedelta(days=1)


@dataclass(frozen=True)
class Durations:
    """The venue's days per stage; None: the stage has no deadline of its own."""

    editor_assignment: int | None = None
    reviewer_assignment: int | None = None
    discussion: int | None = None
    recommendations: int | None = None
    meta_review: int | None = None
    approval: int | None = None


@dataclass
class CycleEvents:
    """The moments of one cycle of a paper that the clock reads."""

    submitted: datetime
    number: int = 1
    round_id: int | None = None
    decided: datetime | None = None
    editor_assigned: datetime | None = None
    reviewers_wanted: int = 3
    accepted: Sequence[datetime] = ()
    review_dues: Sequence[datetime] = ()
    reviews_in: Sequence[datetime] = ()
    released: datetime | None = None
    closed_for_decision: datetime | None = None
    reviews_submitted: int = 0
    recommendations: Sequence[datetime] = ()
    typed_recommendation_due: datetime | None = None
    typed_decision_due: datetime | None = None
    decision_submitted: datetime | None = None
    decision_published: datetime | None = None
    extensions: Mapping[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class StageClock:
    stage: Stage
    started: datetime | None
    ended: datetime | None
    due: datetime | None
    extended_days: int = 0

    @property
    def is_open(self) -> bool:
        return self.started is not None and self.ended is None

    def is_late(self, now: datetime) -> bool:
        """Return whether the stage is open (or has a deadline, not yet ended) past its due."""
        return self.ended is None and self.due is not None and self.due < now

    def days_in(self, now: datetime) -> float | None:
        """Return the days spent in the stage (so far, if it is open)."""
        if self.started is None:
            return None
        return ((self.ended or now) - self.started).total_seconds() / 86400


def _nth(moments: Sequence[datetime], n: int) -> datetime | None:
    """Return the moment by which `n` of `moments` had happened, or None."""
    if n < 1 or len(moments) < n:
        return None
    return sorted(moments)[n - 1]


def _first(*moments: datetime | None) -> datetime | None:
    present = [m for m in moments if m is not None]
    return min(present) if present else None


def _due(start: datetime | None, days: int | None, extra: int) -> datetime | None:
    if start is None or days is None:
        return None
    return start + (days + extra) * DAY


def cycle_stages(
    *, events: CycleEvents, durations: Durations, now: datetime
) -> list[StageClock]:
    """Return the stages of one cycle in order, with their start, end and deadline."""
    e, d, ext = events, durations, events.extensions
    stages: list[StageClock] = []

    def add(stage, started, ended, due, extra=0):
        if e.decided is not None:
            if started is not None and started >= e.decided:
                started = None
            if started is not None and (ended is None or ended > e.decided):
                ended = e.decided
            if started is None:
                ended = None
        if ended is not None and started is not None and ended < started:
            ended = started
        stages.append(StageClock(Stage(stage), started, ended, due, extra))
        return ended

    # Editor assignment: skipped when the action editor had the paper before this cycle.
    if e.editor_assigned is not None and e.editor_assigned <= e.submitted and e.number > 1:
        reviewers_from = e.submitted
    else:
        x = ext.get(Stage.EDITOR_ASSIGNMENT, 0)
        reviewers_from = add(
            Stage.EDITOR_ASSIGNMENT,
            e.submitted,
            None if e.editor_assigned is None else max(e.editor_assigned, e.submitted),
            _due(e.submitted, d.editor_assignment, x),
            x,
        )
    x = ext.get(Stage.REVIEWER_ASSIGNMENT, 0)
    found = _nth(e.accepted, e.reviewers_wanted)
    if found is not None and reviewers_from is not None:
        found = max(found, reviewers_from)
    reviews_from = add(
        Stage.REVIEWER_ASSIGNMENT,
        reviewers_from,
        found if reviewers_from is not None else None,
        _due(reviewers_from, d.reviewer_assignment, x),
        x,
    )
    in_by = _first(_nth(e.reviews_in, e.reviewers_wanted), e.released)
    discussion_from = add(
        Stage.REVIEWS,
        reviews_from,
        in_by if reviews_from is not None else None,
        max(e.review_dues) if e.review_dues else None,
        ext.get(Stage.REVIEWS, 0),
    )
    x = ext.get(Stage.DISCUSSION, 0)
    discussion_due = _due(discussion_from, d.discussion, x)
    discussion_end = None
    if discussion_from is not None:
        over = discussion_due if discussion_due is not None and discussion_due <= now else None
        discussion_end = _first(over, e.closed_for_decision, e.decision_submitted)
        if discussion_end is not None:
            discussion_end = max(discussion_end, discussion_from)
    discussion_end = add(Stage.DISCUSSION, discussion_from, discussion_end, discussion_due, x)

    x = ext.get(Stage.RECOMMENDATIONS, 0)
    recommend_from = discussion_end if d.discussion is not None else discussion_from
    if d.recommendations is not None:
        recommend_due = _due(recommend_from, d.recommendations, x)
    elif e.typed_recommendation_due is not None:
        recommend_due = e.typed_recommendation_due + x * DAY
    else:
        recommend_due = None
    all_in = (
        max(e.recommendations)
        if e.reviews_submitted and len(e.recommendations) >= e.reviews_submitted
        else None
    )
    recommend_end = None
    if recommend_from is not None:
        recommend_end = _first(all_in, e.decision_submitted, e.decision_published)
    recommend_end = add(Stage.RECOMMENDATIONS, recommend_from, recommend_end, recommend_due, x)

    x = ext.get(Stage.META_REVIEW, 0)
    passed = recommend_due if recommend_due is not None and recommend_due <= now else None
    meta_from = _first(recommend_end, passed) if recommend_from is not None else None
    if d.meta_review is not None:
        meta_due = _due(meta_from, d.meta_review, x)
    elif e.typed_decision_due is not None:
        meta_due = e.typed_decision_due + x * DAY
    else:
        meta_due = None
    meta_end = _first(e.decision_submitted, e.decision_published)
    if meta_from is None and meta_end is not None:
        meta_from = recommend_from
    add(Stage.META_REVIEW, meta_from, meta_end if meta_from is not None else None, meta_due, x)

    x = ext.get(Stage.APPROVAL, 0)
    add(
        Stage.APPROVAL,
        e.decision_submitted,
        e.decision_published if e.decision_submitted is not None else None,
        _due(e.decision_submitted, d.approval, x),
        x,
    )
    return stages


def current_stage(stages: Sequence[StageClock]) -> StageClock | None:
    """Return the stage the paper is in now (the last one open), or None."""
    open_ = [s for s in stages if s.is_open]
    return open_[-1] if open_ else None
