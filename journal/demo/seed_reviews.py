"""Give the demo's papers review activity, through the real review and decision services.

Invitations can only be sent while a paper is under review, so the review activity is
seeded while `seed_demo` drives each new paper to its state: `ReviewSeeder.drive` replaces
`drive_to_state` for the papers that reach review. It stops at `under_review`, invites
reviewers without a conflict of interest, has them answer and write (at moments in the
past, so some reviews are late and some overdue), runs the discussion, recommendations,
ratings and meta-review, publishes the decision (which moves the paper to its outcome) and
then drives the paper on to its target state. Papers that exist already are left alone,
so seeding again changes nothing.
"""

import random
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from journal.demo.history import HOUR, RESPONSE_SCENARIO, Clock, RoundTimes
from journal.demo.review_answers import (
    ReviewWriter,
    assessments_of,
    clamp,
    kind_of,
    outcome_of,
    recommendation_of,
    review_texts,
)
from journal.demo.workflow import drive_to_state
from journal.enums import DecisionOutcome, DecisionStatus, RoleKind, SubmissionState
from journal.errors import DomainError
from journal.models import Submission, User, Venue
from journal.services.decisions import decision_draft, decision_transition
from reviews.enums import CommentAudience, InvitationState, ReviewRating
from reviews.models import (
    AffinityRun,
    AssignmentRun,
    ExpertiseKeyword,
    Review,
    ReviewInvitation,
)
from reviews.services.affinity import affinity_run_create, affinity_run_execute
from reviews.services.assessments import meta_review_save, recommendation_submit, review_rate
from reviews.services.discussion import comment_post
from reviews.services.invitations import invitation_create, invitation_transition
from reviews.services.matching import assignment_run_create, assignment_run_matching
from reviews.services.reviews import review_save_draft, review_submit
from reviews.services.rounds import round_current, round_release, round_schedule

S = SubmissionState
D = DecisionStatus
DAY = timedelta(days=1)
#: The states a paper passes review on its way to.
REVIEWED = frozenset(
    {
        S.UNDER_REVIEW,
        S.DECISION_PENDING,
        S.REVISION_REQUESTED,
        S.ACCEPTED,
        S.REJECTED,
        S.CAMERA_READY,
        S.PUBLISHED,
        S.RETRACTED,
    }
)
DEMO_REVIEWER = "reviewer@demo.example.edu"
DEMO_AUTHOR = "author@demo.example.edu"
#: The authors' response window at the conference: its days and words.
RESPONSE_WINDOW_DAYS = 7
RESPONSE_WORDS = 500
#: What the demo reviewer is given to do at each venue.
DEMO_REVIEWER_WORK = {
    "tmlr-demo": {"pending": 1, "draft": 1, "submitted": 2},
    "conf-demo": {"pending": 1, "draft": 0, "submitted": 1},
}


@dataclass(frozen=True)
class _Candidate:
    user: User
    keywords: frozenset[str]


@dataclass
class _Reviewer:
    """One accepted reviewer of the round being seeded and how they judge the paper."""

    user: User
    review: Review
    quality: float


class ReviewSeeder:
    """Seed review activity for the papers `seed_demo` creates in one run."""

    def __init__(self, venues: dict[str, Venue], *, now: datetime | None = None) -> None:
        self.venues = venues
        self.now = now or timezone.now()
        self.texts = review_texts()
        self.load: Counter = Counter()
        self.created: Counter = Counter()
        self.demo_reviewer = User.objects.filter(email=DEMO_REVIEWER).first()
        self.demo_work = {slug: dict(work) for slug, work in DEMO_REVIEWER_WORK.items()}
        self.pools = {slug: self._pool(venue) for slug, venue in venues.items()}
        self.writer = ReviewWriter(self.texts)

    # --- Entry points -------------------------------------------------------------------

    def drive(
        self,
        submission: Submission,
        state: str,
        *,
        author: User,
        editor: User,
        chief: User,
        clock: Clock,
    ) -> Submission:
        """Drive `submission` to `state` like `drive_to_state`, with its review activity,
        each event at the moment `clock` gives it (see `journal.demo.history`)."""
        people = {"author": author, "editor": editor, "chief": chief, "clock": clock}
        if state not in REVIEWED:
            return drive_to_state(submission, state, **people)
        drive_to_state(submission, S.UNDER_REVIEW, **people)
        rounds = submission.review_rounds.count()
        self.writer.new_paper()
        rng = random.Random(f"{submission.venue.slug}/{submission.title}/{rounds}")
        times = clock.next_round()
        if state == S.UNDER_REVIEW:
            self._under_review(
                submission, rng, editor=editor, chief=chief, times=times, clock=clock
            )
            return submission
        quality = self._quality(state, rng)
        reviewers = self._reviewed(submission, rng, quality, editor=editor, times=times)
        review_round = round_current(submission=submission)
        venue = submission.venue
        decided = state != S.DECISION_PENDING
        if venue.is_conference and decided and review_round.released_at is None:
            round_release(review_round=review_round, actor=chief, now=times.after("release"))
        if rng.random() < 0.3 or (author.email == DEMO_AUTHOR and decided):
            self._discuss(
                submission, review_round, reviewers, rng, author=author, editor=editor, times=times
            )
        self._assess(
            submission, review_round, reviewers, rng, editor=editor, state=state, times=times
        )
        drive_to_state(submission, S.DECISION_PENDING, **people)
        if decided:
            self._decide(
                submission, state, rng, quality, editor=editor, chief=chief, times=times,
                clock=clock,
            )
        elif not venue.is_conference and rng.random() < 0.5:
            outcome = DecisionOutcome.ACCEPT if quality >= 0.55 else DecisionOutcome.REJECT
            at = times.after("draft")
            decision = self._draft(submission, outcome, rng, editor=editor, at=at)
            decision_transition(
                decision=decision, to_status=D.AWAITING_APPROVAL, actor=editor, now=at + HOUR
            )
            self.created["decisions"] += 1
            submission.refresh_from_db()
        return drive_to_state(submission, state, **people)

    def finish(self, *, chiefs: dict[str, User]) -> None:
        """Compute the conferences' affinities and a matching proposal (once per venue)."""
        for slug, venue in self.venues.items():
            if not venue.is_conference or AffinityRun.objects.filter(venue=venue).exists():
                continue
            with transaction.atomic():
                run = affinity_run_create(venue=venue, actor=chiefs[slug])
            affinity_run_execute(run_id=run.pk)
            if AssignmentRun.objects.filter(venue=venue).exists():
                continue
            with transaction.atomic():
                matching = assignment_run_create(venue=venue, actor=chiefs[slug])
            assignment_run_matching(run_id=matching.pk)
            self.created["matching runs"] += 1

    # --- Reviewers ----------------------------------------------------------------------

    def _pool(self, venue: Venue) -> list[_Candidate]:
        roles = venue.roles.filter(role=RoleKind.REVIEWER).select_related("user")
        users = [r.user for r in roles.order_by("user__email") if r.user.email != DEMO_REVIEWER]
        words: dict[int, set[str]] = {}
        rows = ExpertiseKeyword.objects.filter(user__in=users).values_list("user_id", "keyword")
        for user_id, word in rows:
            words.setdefault(user_id, set()).add(word.lower())
        return [_Candidate(u, frozenset(words.get(u.pk, ()))) for u in users]

    def _ranked(self, submission: Submission, rng: random.Random) -> list[User]:
        """Return the venue's reviewers, closest in expertise and least loaded first; the
        paper's earlier reviewers lead (a revised paper goes back to them)."""
        earlier = set(
            submission.review_invitations.filter(state=InvitationState.ACCEPTED).values_list(
                "reviewer_id", flat=True
            )
        )
        topic = {k.lower() for k in submission.keywords}
        noise = {c.user.pk: rng.random() for c in self.pools[submission.venue.slug]}
        ranked = sorted(
            self.pools[submission.venue.slug],
            key=lambda c: (
                c.user.pk not in earlier,
                -min(len(topic & c.keywords), 2),
                self.load[c.user.pk],
                noise[c.user.pk],
            ),
        )
        return [c.user for c in ranked]

    def _invite(
        self,
        submission: Submission,
        people: list[User],
        count: int,
        *,
        editor: User,
        at: datetime,
        due: datetime | None = None,
    ) -> list[ReviewInvitation]:
        """Invite the first `count` of `people` who may review the paper (no conflict of
        interest, available, under quota, not yet asked); remove them from `people`."""
        made = []
        while people and len(made) < count:
            person = people.pop(0)
            try:
                invitation = invitation_create(
                    submission=submission, reviewer=person, invited_by=editor, now=at, due=due
                )
            except DomainError:
                continue
            self.load[person.pk] += 1
            self.created["invitations"] += 1
            made.append(invitation)
        return made

    def _accept(self, invitation: ReviewInvitation, *, at: datetime) -> Review:
        invitation_transition(
            invitation=invitation,
            to_state=InvitationState.ACCEPTED,
            actor=invitation.reviewer,
            now=at,
        )
        return Review.objects.select_related("form").get(invitation=invitation)

    def _decline(self, invitation: ReviewInvitation, submission, rng, *, at: datetime) -> None:
        reason = self.writer.fill(rng.choice(self.texts["decline"]), submission)
        invitation_transition(
            invitation=invitation,
            to_state=InvitationState.DECLINED,
            actor=invitation.reviewer,
            reason=reason,
            now=at,
        )

    def _demo_reviewer_first(self, submission: Submission, kind: str) -> bool:
        """Return whether the demo reviewer should take on `kind` of work on this paper."""
        work = self.demo_work.get(submission.venue.slug, {})
        if self.demo_reviewer is None or work.get(kind, 0) <= 0:
            return False
        # One piece of work per paper: a revised paper is not given to them twice.
        return not submission.review_invitations.filter(reviewer=self.demo_reviewer).exists()

    def _demo_invite(self, submission, kind: str, *, editor: User, at, due=None):
        """Invite the demo reviewer for `kind` of work; return the invitation or None."""
        if not self._demo_reviewer_first(submission, kind):
            return None
        made = self._invite(submission, [self.demo_reviewer], 1, editor=editor, at=at, due=due)
        if not made:
            return None
        self.demo_work[submission.venue.slug][kind] -= 1
        return made[0]

    # --- Papers under review ------------------------------------------------------------

    def _under_review(
        self, submission, rng: random.Random, *, editor: User, chief: User, times, clock
    ) -> None:
        """Leave the paper mid-review: fresh invitations, reviews under way, overdue, or (at
        a conference) every review in and released, with the authors' response window open."""
        if clock.history.scenario == RESPONSE_SCENARIO:
            self._in_response(submission, rng, editor=editor, chief=chief, times=times)
            return
        venue, now = submission.venue, self.now
        people = self._ranked(submission, rng)
        wanted = venue.reviewers_per_paper
        quality = rng.uniform(0.3, 0.8)
        if self._demo_invite(submission, "pending", editor=editor, at=now - DAY):
            wanted -= 1
        draft = self._demo_invite(
            submission, "draft", editor=editor, at=now - 10 * DAY, due=now + 2 * DAY
        )
        if draft is not None:
            wanted -= 1
            review = self._accept(draft, at=now - 9 * DAY)
            self._write(review, submission, quality, rng, at=now - DAY, partial=True)
        scenario, at = clock.history.scenario, times.start
        if rng.random() < 0.4:
            for invitation in self._invite(submission, people, 1, editor=editor, at=at):
                self._decline(invitation, submission, rng, at=at + DAY / 2)
        invitations = self._invite(submission, people, wanted, editor=editor, at=at)
        for n, invitation in enumerate(invitations):
            if scenario == "fresh" and n > 0:
                continue  # still awaiting an answer
            review = self._accept(invitation, at=at + DAY / 2)
            mine = clamp(quality + rng.gauss(0, 0.12))
            if scenario == "fresh" or n == len(invitations) - 1:
                continue  # accepted, not started
            if n == 0 or rng.random() < 0.5:
                self._write(review, submission, mine, rng, at=at + (4 + n) * DAY)
            else:
                self._write(review, submission, mine, rng, at=at + 3 * DAY, partial=True)
        if scenario == "overdue":
            # A replacement asked five days ago has not answered either.
            self._invite(submission, people, 1, editor=editor, at=now - 5 * DAY)

    def _in_response(self, submission, rng, *, editor: User, chief: User, times) -> None:
        """Review the paper in full, release the reviews and open the response window."""
        quality = self._quality(S.UNDER_REVIEW, rng)
        self._reviewed(submission, rng, quality, editor=editor, times=times)
        review_round = round_current(submission=submission)
        released = times.after("release")
        round_release(review_round=review_round, actor=chief, now=released)
        round_schedule(
            review_round=review_round,
            actor=chief,
            response_opens_at=released,
            response_closes_at=released + RESPONSE_WINDOW_DAYS * DAY,
            response_word_limit=RESPONSE_WORDS,
            now=released,
        )
        self.created["open response windows"] += 1

    # --- Papers that complete review ----------------------------------------------------

    def _reviewed(self, submission, rng, quality: float, *, editor: User, times: RoundTimes):
        """Have the paper reviewed in full: a decline now and then, every review in."""
        start = times.start
        people = self._ranked(submission, rng)
        wanted = submission.venue.reviewers_per_paper
        invitations = []
        demo = self._demo_invite(submission, "submitted", editor=editor, at=start)
        if demo is not None:
            invitations.append(demo)
        if rng.random() < 0.3:
            for invitation in self._invite(submission, people, 1, editor=editor, at=start):
                self._decline(invitation, submission, rng, at=start + DAY)
        invitations += self._invite(
            submission, people, wanted - len(invitations), editor=editor, at=start
        )
        reviewers = []
        for n, invitation in enumerate(invitations):
            review = self._accept(invitation, at=start + DAY)
            mine = clamp(quality + rng.gauss(0, 0.12))
            due = invitation.review_due
            at = start + rng.uniform(4, 12) * DAY
            if rng.random() < 0.15:
                at = due + rng.uniform(0.5, 3) * DAY  # late
            self._write(review, submission, mine, rng, at=min(at, times.reviews_end - n * HOUR))
            reviewers.append(_Reviewer(invitation.reviewer, review, mine))
        return reviewers

    def _write(self, review: Review, submission, quality, rng, *, at, partial=False) -> None:
        raw = self.writer.answers(review, submission, quality, rng)
        if partial:
            keys = list(raw)[: max(1, len(raw) // 2)]
            review_save_draft(
                review=review, actor=review.reviewer, raw={k: raw[k] for k in keys}, now=at
            )
            self.created["draft reviews"] += 1
            return
        claims, hypothesis = assessments_of(submission, quality)
        review_submit(
            review=review,
            actor=review.reviewer,
            raw=raw,
            now=at,
            claims=claims,
            hypothesis=hypothesis,
        )
        self.created["reviews"] += 1

    def _discuss(self, submission, review_round, reviewers, rng, *, author, editor, times) -> None:
        """Post a short thread: a question, the authors' answer, a reply; notes aside."""
        if not reviewers:
            return
        texts = self.texts["discussion"]
        at = times.after("discussion")
        first = reviewers[0].user
        posts = []
        question = self._comment(
            submission, first, texts["question"], rng, CommentAudience.EVERYONE, at=at
        )
        if question is not None and review_round.released_at is not None:
            if submission.venue.is_conference and review_round.response_opens_at is None:
                round_schedule(
                    review_round=review_round,
                    actor=editor,
                    response_opens_at=times.after("release"),
                    response_closes_at=times.after("release") + RESPONSE_WINDOW_DAYS * DAY,
                    response_word_limit=RESPONSE_WORDS,
                    now=times.after("release"),
                )
            answer = self._comment(
                submission,
                author,
                texts["response"],
                rng,
                CommentAudience.EVERYONE,
                parent=question,
                at=at + DAY,
            )
            if answer is not None:
                posts.append(
                    self._comment(
                        submission,
                        first,
                        texts["reply"],
                        rng,
                        CommentAudience.EVERYONE,
                        parent=answer,
                        at=at + 2 * DAY,
                    )
                )
        if len(reviewers) > 1:
            self._comment(
                submission,
                reviewers[1].user,
                texts["reviewers"],
                rng,
                CommentAudience.REVIEWERS,
                at=at + DAY,
            )
        self._comment(
            submission, editor, texts["editors"], rng, CommentAudience.EDITORS, at=at + 3 * DAY
        )

    def _comment(self, submission, person, choices, rng, audience, *, at, parent=None):
        body = self.writer.fill(rng.choice(choices), submission)
        try:
            comment = comment_post(
                submission=submission,
                author=person,
                body=body,
                audience=audience,
                parent=parent,
                now=at,
            )
        except DomainError:
            return None
        self.created["comments"] += 1
        return comment

    def _assess(self, submission, review_round, reviewers, rng, *, editor, state, times) -> None:
        """Reviewers recommend; the editor rates the reviews and writes the meta-review."""
        decided = state != S.DECISION_PENDING
        for reviewer in reviewers:
            recommendation = recommendation_of(reviewer.quality)
            recommendation_submit(
                review_round=review_round,
                reviewer=reviewer.user,
                recommendation=recommendation,
                justification=self.texts["justification"][recommendation],
                claims_supported=reviewer.quality >= 0.5,
                audience_interested=reviewer.quality >= 0.3,
                now=times.after("recommend"),
            )
            self.created["recommendations"] += 1
            if decided or rng.random() < 0.5:
                rating = rng.choices(
                    [ReviewRating.EXCEEDS, ReviewRating.MEETS, ReviewRating.BELOW], [2, 6, 1]
                )[0]
                review_rate(
                    review=reviewer.review,
                    rating=rating,
                    actor=editor,
                    note=self.texts["rating_note"][rating],
                    now=times.after("recommend") + DAY / 2,
                )
                self.created["review ratings"] += 1
        if decided:
            mean = sum(r.quality for r in reviewers) / max(1, len(reviewers))
            kind = kind_of(state, mean)
            meta_review_save(
                review_round=review_round,
                editor=editor,
                text=self.writer.fill(self.texts["meta_review"][kind], submission),
                recommendation=recommendation_of(mean),
                now=times.after("meta"),
            )
            self.created["meta-reviews"] += 1

    # --- Decisions ----------------------------------------------------------------------

    def _decide(self, submission, state, rng, quality, *, editor, chief, times, clock) -> None:
        """Publish the decision that moves the paper to its outcome, as the editors would."""
        outcome = outcome_of(submission.venue, state, rng)
        if outcome is None:
            return  # a conference has no revision outcome: the workflow moves the paper
        at = times.after("draft")
        decision = self._draft(submission, outcome, rng, editor=editor, at=at)
        if not submission.venue.is_conference:
            decision_transition(
                decision=decision, to_status=D.AWAITING_APPROVAL, actor=editor, now=at + HOUR
            )
        moves_to = S.ACCEPTED if state in S.WAS_ACCEPTED else state
        decision_transition(
            decision=decision, to_status=D.PUBLISHED, actor=chief, now=clock.move(moves_to)
        )
        self.created["decisions"] += 1
        submission.refresh_from_db()

    def _draft(self, submission, outcome, rng, *, editor, at):
        kind = {DecisionOutcome.REJECT: "reject", DecisionOutcome.MINOR_REVISION: "revision"}
        kind = kind.get(outcome, "accept")
        criteria = {
            "accept": (True, True),
            "revision": (False, True),
            "reject": (False, rng.random() < 0.5),
        }[kind]
        if submission.venue.is_conference:
            criteria = (None, None)
        return decision_draft(
            submission=submission,
            editor=editor,
            outcome=outcome,
            claims_supported=criteria[0],
            audience_interested=criteria[1],
            comment=self.texts["decision"][kind],
            now=at,
        )

    def _quality(self, state: str, rng: random.Random) -> float:
        if state in S.WAS_ACCEPTED:
            return rng.uniform(0.68, 0.9)
        if state == S.REVISION_REQUESTED:
            return rng.uniform(0.45, 0.62)
        if state == S.REJECTED:
            return rng.uniform(0.15, 0.38)
        return rng.uniform(0.3, 0.8)
