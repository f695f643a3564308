"""When each demo paper's events happen: a history that runs forward and ends before now.

Pure: `paper_history` takes the paper's target state, its review period and a random
stream and returns the moments at which the seed calls the services (each with `now=`),
so every paper reads in order: created, uploaded, submitted, given an action editor, under
review, reviewers invited, reviews in, discussion, recommendations, meta-review, decision,
camera-ready, published. Gaps are realistic (days, not minutes), and the last event lies a
little before `now`.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from journal.enums import SubmissionState

S = SubmissionState
DAY = timedelta(days=1)
HOUR = timedelta(hours=1)
#: Days from the end of reviewing (the latest a review may come in) to each later event.
AFTER_REVIEWS = {
    "release": 0.5,
    "discussion": 1.0,
    "recommend": 5.0,
    "meta": 6.0,
    "pending": 6.25,
    "draft": 7.0,
    "decide": 8.0,
}
#: Days after the decision.
AFTER_DECISION = {
    S.CAMERA_READY: 7.0,
    S.PUBLISHED: 10.0,
    S.RETRACTED: 40.0,
}
#: Days from a revision request to the authors' new version (and resubmission).
REVISION_DAYS = 10.0
#: The scenarios of a paper left under review, with the day its reviewers were invited.
UNDER_REVIEW_SCENARIOS = {"fresh": 1.0, "progress": 8.0, "overdue": 30.0}
#: At a conference, also: every review in and released, the authors' response window open.
RESPONSE_SCENARIO = "response"
RESPONSE_DAYS = 18.0
#: Days before now the reviews of a "response" paper were released (the window opened).
RESPONSE_OPENED_DAYS = 2.0
DECIDED = {S.ACCEPTED, S.REJECTED, S.REVISION_REQUESTED}
#: The states a paper can reach after one revision (the plan revises only these).
REVISABLE = {S.UNDER_REVIEW, S.DECISION_PENDING, S.ACCEPTED, S.REJECTED, S.REVISION_REQUESTED}


@dataclass(frozen=True)
class RoundTimes:
    """One review round: invitations at `start`, every review in by `reviews_end`."""

    start: datetime
    reviews_end: datetime

    def after(self, event: str) -> datetime:
        return self.reviews_end + AFTER_REVIEWS[event] * DAY


@dataclass(frozen=True)
class PaperHistory:
    created: datetime
    uploaded: datetime
    submitted: datetime
    assigned: datetime
    rounds: tuple[RoundTimes, ...] = ()
    #: Each move of the workflow in order (submitted first), with its moment.
    moves: tuple[tuple[str, datetime], ...] = ()
    #: For a paper left under review: how far its reviewing has come.
    scenario: str = ""


class Clock:
    """Hand out a paper's moments in order: each move's, and any event's in between."""

    def __init__(self, history: PaperHistory) -> None:
        self.history = history
        self.pending = list(history.moves)
        self.rounds = list(history.rounds)
        self.last = history.uploaded

    def move(self, state: str) -> datetime:
        """Return the moment of the paper's next move to `state` (an hour on, unplanned)."""
        for k, (planned, at) in enumerate(self.pending):
            if planned == state:
                del self.pending[: k + 1]
                self.last = at
                return at
        self.last += HOUR
        return self.last

    def next_round(self) -> RoundTimes:
        """Return the times of the paper's next review round."""
        return self.rounds.pop(0) if self.rounds else RoundTimes(self.last, self.last + DAY)


def paper_history(
    *,
    state: str,
    review_days: int,
    revised: bool,
    rng: random.Random,
    now: datetime,
    conference: bool = False,
    scenario: str = "",
) -> PaperHistory:
    """Return when the paper's events happen, all before `now`, in their order.

    `revised`: the paper went through one full round and a revision on its way.
    `conference`: a paper left under review may also be in its authors' response window.
    `scenario`: for a paper left under review, the scenario to take (else a random one).
    """
    state = S(state)
    revised = revised and state in REVISABLE
    if state == S.DRAFT:
        created = now - rng.uniform(1, 6) * DAY
        return PaperHistory(created, created + HOUR, created + HOUR, created + HOUR)
    if state == S.SUBMITTED and not revised:
        return _before_review(now - rng.uniform(0.3, 10) * DAY, rng)
    if state in {S.DESK_REJECTED, S.WITHDRAWN} and not revised:
        submitted = now - rng.uniform(8, 60) * DAY
        history = _before_review(submitted, rng)
        gap = rng.uniform(1, 4) if state == S.DESK_REJECTED else rng.uniform(3, 7)
        return replace(history, moves=(*history.moves, (state, submitted + gap * DAY)))
    length = (review_days + 3) * DAY  # from the invitations to the latest (late) review
    if state == S.UNDER_REVIEW:
        days = dict(UNDER_REVIEW_SCENARIOS)
        if conference:
            days[RESPONSE_SCENARIO] = RESPONSE_DAYS
        choice = rng.choice(sorted(days))
        scenario = scenario if scenario in days else choice
        start = now - days[scenario] * DAY
        # the demo reviewer's draft was asked for ten days ago: review began before that
        begun = min(start, now - 10.5 * DAY)
        end = now
        if scenario == RESPONSE_SCENARIO:  # released half a day after the last review
            end = now - (RESPONSE_OPENED_DAYS + AFTER_REVIEWS["release"]) * DAY
        final = [RoundTimes(start, end)]
        moves = [(S.UNDER_REVIEW, begun)]
    else:
        scenario = ""
        decided = state != S.DECISION_PENDING
        end = AFTER_REVIEWS["decide" if decided else "draft"] * DAY
        end += AFTER_DECISION.get(state, 0) * DAY
        start = now - _last_event(state, rng) * DAY - end - length
        round_ = RoundTimes(start, start + length)
        final = [round_]
        moves = [
            (S.UNDER_REVIEW, start - 0.2 * DAY),
            (S.DECISION_PENDING, round_.after("pending")),
        ]
        decided_at = round_.after("decide")
        if decided:
            moves.append((state if state in DECIDED else S.ACCEPTED, decided_at))
        for later in (S.CAMERA_READY, S.PUBLISHED, S.RETRACTED):
            if _reaches(state, later):
                moves.append((later, decided_at + AFTER_DECISION[later] * DAY))
    rounds = final
    if revised:
        resubmitted = moves[0][1] - rng.uniform(0.5, 2) * DAY
        requested = resubmitted - REVISION_DAYS * DAY
        first_start = requested - AFTER_REVIEWS["decide"] * DAY - length
        first = RoundTimes(first_start, first_start + length)
        moves = [
            (S.UNDER_REVIEW, first_start - 0.2 * DAY),
            (S.DECISION_PENDING, first.after("pending")),
            (S.REVISION_REQUESTED, requested),
            (S.SUBMITTED, resubmitted),
            *moves,
        ]
        rounds = [first, *final]
    submitted = moves[0][1] - rng.uniform(1.5, 4) * DAY
    history = _before_review(submitted, rng, review_at=moves[0][1])
    return replace(
        history, rounds=tuple(rounds), moves=(*history.moves, *moves), scenario=scenario
    )


def _last_event(state: str, rng: random.Random) -> float:
    """Return how many days before now the paper's last event lies."""
    if state == S.DECISION_PENDING:
        return rng.uniform(0.5, 5)
    if state in DECIDED:
        return rng.uniform(0.5, 12)
    return rng.uniform(1, 30)


def _reaches(state: str, later: str) -> bool:
    order = [S.CAMERA_READY, S.PUBLISHED, S.RETRACTED]
    return state in order and order.index(later) <= order.index(state)


def _before_review(
    submitted: datetime, rng: random.Random, *, review_at: datetime | None = None
) -> PaperHistory:
    """Return the first events: drafted and uploaded a little before the submission, the
    action editor assigned after it (and before review begins)."""
    created = submitted - rng.uniform(0.2, 3) * DAY
    uploaded = created + rng.uniform(0.05, 0.9) * (submitted - created)
    if review_at is None:
        assigned = submitted + rng.uniform(0.1, 0.25) * DAY
    else:
        assigned = submitted + rng.uniform(0.3, 0.8) * (review_at - submitted)
    return PaperHistory(created, uploaded, submitted, assigned, moves=((S.SUBMITTED, submitted),))
