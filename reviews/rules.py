"""Who may do what in the reviews domain, and who may see whose name.

Predicates take `(user, obj)`; obj is a Submission unless the name says otherwise. Anonymity
lives here: `reviews.view_reviewer_identity` decides whether a person sees reviewers' names
on a submission (editors always; others only at open venues). Authors' names are governed by
`journal.view_submission_authors` in the journal rules.
"""

from datetime import datetime

import rules
from django.utils import timezone

from journal.enums import Anonymity, Phase, SubmissionState
from journal.models import Submission, Venue
from journal.rules import (
    authored_ids,
    is_assigned_reviewer,
    is_author,
    is_conflicted,
    is_public_forum,
    is_submission_editor,
    is_submission_overseer,
    is_venue_chief,
    is_venue_reviewer,
    request_memo,
    reviewing_ids,
)
from journal.selectors.phases import phase_is_open
from reviews.enums import CommentAudience, InvitationState, ReviewState
from reviews.models import Review

S = SubmissionState


def _submission_of(obj) -> Submission | None:
    if isinstance(obj, Submission):
        return obj
    return getattr(obj, "submission", None)


@rules.predicate
def is_open_venue(user, obj) -> bool:
    submission = _submission_of(obj)
    return submission is not None and submission.venue.anonymity == Anonymity.OPEN


@rules.predicate
def is_double_blind_paper(user, obj) -> bool:
    """The paper (of a submission, invitation, review or comment) is under double-blind."""
    submission = _submission_of(obj)
    return submission is None or submission.venue.anonymity == Anonymity.DOUBLE_BLIND


@rules.predicate
def has_released_round(user, submission) -> bool:
    """Some round of the submission has been released to its authors."""
    if not isinstance(submission, Submission):
        return False
    return any(r.is_released() for r in submission.review_rounds.all())


@rules.predicate
def is_under_review(user, submission) -> bool:
    return isinstance(submission, Submission) and submission.state in {
        S.UNDER_REVIEW,
        S.DECISION_PENDING,
    }


@rules.predicate
def authors_may_comment(user, submission) -> bool:
    return isinstance(submission, Submission) and submission.venue.authors_may_comment


# Invitations
@rules.predicate
def is_invitee(user, invitation) -> bool:
    return getattr(invitation, "reviewer_id", None) == getattr(user, "pk", False)


@rules.predicate
def is_pending_invitation(user, invitation) -> bool:
    return getattr(invitation, "state", None) == InvitationState.PENDING


# Reviews
@rules.predicate
def is_review_owner(user, review) -> bool:
    return getattr(review, "reviewer_id", None) == getattr(user, "pk", False)


@rules.predicate
def is_review_submitted(user, review) -> bool:
    return getattr(review, "state", None) == ReviewState.SUBMITTED


@rules.predicate
def is_review_released(user, review) -> bool:
    return review is not None and review.round.is_released()


@rules.predicate
def edits_review_submission(user, review) -> bool:
    return is_submission_editor(user, review.submission)


@rules.predicate
def authors_review_submission(user, review) -> bool:
    return review.submission_id in authored_ids(user)


@rules.predicate
def co_reviews_submission(user, review) -> bool:
    """Another assigned reviewer of the paper who has submitted their own review."""
    if review.submission_id not in reviewing_ids(user):
        return False
    if review.round.is_released():
        return True
    return review.round.reviews.filter(reviewer_id=user.pk, state=ReviewState.SUBMITTED).exists()




def review_is_editable(*, review: Review, now: datetime | None = None) -> bool:
    """Return whether the reviewer may still change `review`."""
    now = now or timezone.now()
    if review.invitation.state != InvitationState.ACCEPTED:
        return False
    if review.submission.state not in S.REVIEWING:
        return False
    if review.state == ReviewState.SUBMITTED:
        return not review.round.is_released(now) and now <= review.invitation.review_due
    return True


@rules.predicate
def is_review_editable(user, review) -> bool:
    """The reviewer may still change the review (not released, not past its deadline)."""
    return review is not None and review_is_editable(review=review)


@rules.predicate
def is_comment_author(user, comment) -> bool:
    return getattr(comment, "author_id", None) == getattr(user, "pk", False)


#: The comment audiences each capacity (see `capacity_on`) reads.
COMMENT_AUDIENCES_READ = {
    "editor": frozenset(CommentAudience.values),
    "reviewer": frozenset(
        {CommentAudience.EVERYONE, CommentAudience.REVIEWERS, CommentAudience.PUBLIC}
    ),
    "author": frozenset({CommentAudience.EVERYONE, CommentAudience.PUBLIC}),
}


@rules.predicate
def is_in_comment_audience(user, comment) -> bool:
    """The comment is addressed to an audience `user` belongs to on its paper.

    Comments to the public are read by anyone while the paper's page is public.
    """
    if comment.audience == CommentAudience.PUBLIC and is_public_forum(user, comment.submission):
        return True
    capacity = capacity_on(user, comment.submission)
    return comment.audience in COMMENT_AUDIENCES_READ.get(capacity, ())


@rules.predicate
def is_signed_in(user, obj) -> bool:
    return bool(getattr(user, "is_authenticated", False))


@rules.predicate
def edits_comment_submission(user, comment) -> bool:
    return is_submission_editor(user, comment.submission)


@rules.predicate
def is_kept_from_discussion(user, comment) -> bool:
    """An assigned reviewer who may not read the others' comments yet.

    At a venue with `discussion_after_own_review`, a reviewer reads the comments of a round
    once they have submitted their review in it or the round is released (a comment from
    before any round: once that holds for some round). Editors and authors are never kept out.
    Reads the rounds as `submission.review_rounds.all()`, so a thread can prefetch them.
    """
    submission = comment.submission
    if not submission.venue.discussion_after_own_review:
        return False
    if capacity_on(user, submission) != "reviewer":
        return False
    for review_round in submission.review_rounds.all():
        if comment.round_id not in (None, review_round.pk):
            continue
        if review_round.is_released():
            return False
        if any(
            review.reviewer_id == user.pk and review.state == ReviewState.SUBMITTED
            for review in review_round.reviews.all()
        ):
            return False
    return True


# Meta-reviews (obj: a MetaReview)
def _meta_submission(meta) -> Submission | None:
    review_round = getattr(meta, "round", None)
    return getattr(review_round, "submission", None)


@rules.predicate
def is_meta_review_released(user, meta) -> bool:
    """The authors may read the meta-review: the venue released it (conferences: the
    decisions phase), or, at a journal, the paper's decision is out."""
    if getattr(meta, "released_at", None) is not None:
        return True
    submission = _meta_submission(meta)
    return (
        submission is not None
        and not submission.venue.is_conference
        and submission.state in S.DECISION_OUT
    )


@rules.predicate
def is_meta_review_decided(user, meta) -> bool:
    """The paper's decision is out (the meta-review's recommendation is shown from then on)."""
    submission = _meta_submission(meta)
    return submission is not None and submission.state in S.DECISION_OUT


@rules.predicate
def edits_meta_submission(user, meta) -> bool:
    submission = _meta_submission(meta)
    return submission is not None and is_submission_editor(user, submission)


@rules.predicate
def oversees_meta_submission(user, meta) -> bool:
    submission = _meta_submission(meta)
    return submission is not None and is_submission_overseer(user, submission)


@rules.predicate
def authors_meta_submission(user, meta) -> bool:
    submission = _meta_submission(meta)
    return submission is not None and submission.pk in authored_ids(user)


@rules.predicate
def reviews_meta_submission(user, meta) -> bool:
    submission = _meta_submission(meta)
    return submission is not None and submission.pk in reviewing_ids(user)


@rules.predicate
def has_released_meta_review(user, submission) -> bool:
    """Some meta-review of the submission is released to its authors."""
    if not isinstance(submission, Submission):
        return False
    from reviews.models import MetaReview

    metas = MetaReview.objects.filter(round__submission=submission).select_related(
        "round__submission__venue"
    )
    return any(is_meta_review_released(user, meta) for meta in metas)


# Bidding
def _venue_of(obj) -> Venue | None:
    if isinstance(obj, Venue):
        return obj
    return getattr(obj, "venue", None)


def bidding_is_open(venue: Venue) -> bool:
    """Return whether reviewers of `venue` may bid now.

    A conference with a timeline opens bidding with its bidding phase; journals and venues
    without a timeline use the matching settings' switch.
    """
    if venue.is_conference:
        # Lists annotate `has_timeline` (and select the matching settings) to ask many venues.
        has_timeline = getattr(venue, "has_timeline", None)
        if has_timeline if has_timeline is not None else venue.phases.exists():
            return phase_is_open(venue=venue, phase=Phase.BIDDING)
    from reviews.selectors.expertise import matching_settings_of

    return matching_settings_of(venue=venue).bidding_open


def bid_hidden_ids(user, venue: Venue) -> frozenset[int]:
    """Return the ids of `venue`'s papers `user` may not bid on, cached on the user.

    Their own papers and those they are conflicted with by the reviewers' conflict rules
    (`reviews.selectors.conflicts`; the result is kept as data by
    `reviews.services.editor_conflicts`, so only a person's first visit scans the venue),
    except the papers on which they bid "conflict" themselves: those stay on their list, so
    that they can take the bid back. (The set may hold ids of other venues' papers, the
    person's own.)
    """
    if not getattr(user, "is_authenticated", False) or venue is None:
        return frozenset()
    cache = request_memo(user).setdefault("_peerless_bid_hidden", {})
    if venue.pk not in cache:
        from reviews.models import Bid, BidValue
        from reviews.selectors.editor_conflicts import editor_conflicted_ids

        conflicted = editor_conflicted_ids(user=user, venue_ids=[venue.pk])[venue.pk]
        if conflicted:
            own = Bid.objects.filter(
                reviewer_id=user.pk, submission_id__in=conflicted, value=BidValue.CONFLICT
            ).values_list("submission_id", flat=True)
            conflicted = conflicted - set(own)
        cache[venue.pk] = frozenset(conflicted) | authored_ids(user)
    return cache[venue.pk]


@rules.predicate
def is_bidding_open(user, obj) -> bool:
    """The venue (of a submission) takes bids now (see `bidding_is_open`)."""
    venue = _venue_of(obj)
    return venue is not None and bidding_is_open(venue)


@rules.predicate
def is_bid_hidden(user, submission) -> bool:
    """`user` is an author of the paper or conflicted with it (see `bid_hidden_ids`)."""
    return isinstance(submission, Submission) and submission.pk in bid_hidden_ids(
        user, submission.venue
    )


#: The bidding page of a venue, read-only once bidding closes: its reviewers.
@rules.predicate
def is_form_venue_chief(user, form) -> bool:
    """A chair of the venue that built the review form (shipped forms belong to no one)."""
    return form.venue_id is not None and is_venue_chief(user, form.venue)


#: The review-form builder: a venue's chairs list, create, copy, preview and publish its
#: forms, and edit them (a form in use only through a new version).
rules.add_perm("reviews.build_review_forms", is_venue_chief)
rules.add_perm("reviews.edit_review_form", is_form_venue_chief)
rules.add_perm("reviews.view_bids", is_venue_reviewer)
#: Bidding at a venue (obj: the venue) or on one of its papers (obj: the submission).
can_bid = is_venue_reviewer & is_bidding_open & ~is_bid_hidden
rules.add_perm("reviews.bid", can_bid)
rules.add_perm("reviews.view_bid_coverage", is_venue_chief)

rules.add_perm("reviews.manage_reviews", is_submission_editor)
rules.add_perm("reviews.invite_reviewer", is_submission_editor & is_under_review)
rules.add_perm("reviews.view_scores", is_submission_editor)
rules.add_perm("reviews.view_reviewer_identity", is_submission_editor | is_open_venue)
rules.add_perm(
    "reviews.view_reviews",
    is_submission_editor
    | is_assigned_reviewer
    | (is_author & (has_released_round | has_released_meta_review)),
)
rules.add_perm(
    "reviews.discuss",
    is_submission_editor
    | is_assigned_reviewer
    | (is_author & authors_may_comment & has_released_round),
)
rules.add_perm("reviews.recommend", is_assigned_reviewer & ~is_author)
rules.add_perm("reviews.write_meta_review", is_submission_editor)
# A meta-review: the paper's editors and senior area chair always; its authors and reviewers
# once released. Its recommendation reaches the authors only with the decision.
rules.add_perm(
    "reviews.read_meta_review",
    edits_meta_submission
    | oversees_meta_submission
    | ((authors_meta_submission | reviews_meta_submission) & is_meta_review_released),
)
rules.add_perm(
    "reviews.read_meta_review_recommendation",
    edits_meta_submission
    | oversees_meta_submission
    | (
        (authors_meta_submission | reviews_meta_submission)
        & is_meta_review_released
        & is_meta_review_decided
    ),
)
rules.add_perm("reviews.decide", is_submission_editor)
rules.add_perm("reviews.approve_decision", is_venue_chief & ~is_author & ~is_conflicted)

rules.add_perm("reviews.respond_invitation", is_invitee & is_pending_invitation)
rules.add_perm("reviews.view_invitation", is_invitee)
rules.add_perm("reviews.view_conflict_details", is_invitee & ~is_double_blind_paper)

rules.add_perm("reviews.write_review", is_review_owner)
reads_review = (
    is_review_owner
    | edits_review_submission
    | (is_review_submitted & co_reviews_submission)
    | (is_review_submitted & authors_review_submission & is_review_released)
)
rules.add_perm("reviews.read_review", reads_review)
# Assessments of the claims and hypothesis go with the review: read as it is read.
rules.add_perm("reviews.read_claim_assessments", reads_review)
rules.add_perm("reviews.write_claim_assessments", is_review_owner & is_review_editable)
rules.add_perm("reviews.rate_review", edits_review_submission & is_review_submitted)
rules.add_perm(
    "reviews.flag_review",
    authors_review_submission & is_review_submitted & is_review_released,
)
# An authors' flag is resolved (upheld or dismissed) by the paper's editors, never by one
# who is its author or has a conflict with it.
rules.add_perm("reviews.resolve_flag", is_submission_editor)
rules.add_perm("reviews.edit_comment", is_comment_author)
# The public forum of a paper the venue publishes with its reviews (anonymously).
rules.add_perm("reviews.read_public_reviews", is_public_forum)
rules.add_perm("reviews.comment_publicly", is_signed_in & is_public_forum)
rules.add_perm("reviews.moderate_comment", edits_comment_submission)
rules.add_perm(
    "reviews.read_comment",
    is_comment_author | (is_in_comment_audience & ~is_kept_from_discussion),
)


def capacity_on(user, submission: Submission) -> str | None:
    """Return in which capacity `user` takes part: 'editor', 'reviewer', 'author' or None.

    An author is only ever an author of their own paper, whatever roles they hold.
    """
    if is_author(user, submission):
        return "author"
    if is_submission_editor(user, submission):
        return "editor"
    if is_assigned_reviewer(user, submission):
        return "reviewer"
    return None
