from reviews.models.claim_assessments import ClaimAssessment, HypothesisAssessment
from reviews.models.discussion import Comment, CommentRevision
from reviews.models.expertise import (
    AffinityFit,
    AffinityRun,
    AffinityScore,
    Bid,
    BidValue,
    ExpertiseKeyword,
    JobStatus,
    MatchingSettings,
    Publication,
    ReviewerConflict,
    TextEmbedding,
)
from reviews.models.forms import ReviewForm, ReviewFormField
from reviews.models.invitations import ReviewInvitation
from reviews.models.matching import (
    AssignmentRun,
    MatchingTarget,
    ProposedAssignment,
    RunStatus,
)
from reviews.models.publication_fetch import PublicationFetch
from reviews.models.reviews import Review, ReviewerRecommendation, ReviewFlag, ReviewVersion
from reviews.models.rounds import MetaReview, ReviewRound

__all__ = [
    "AffinityFit",
    "AffinityRun",
    "AffinityScore",
    "AssignmentRun",
    "Bid",
    "BidValue",
    "ClaimAssessment",
    "Comment",
    "CommentRevision",
    "ExpertiseKeyword",
    "HypothesisAssessment",
    "JobStatus",
    "MatchingSettings",
    "MatchingTarget",
    "MetaReview",
    "ProposedAssignment",
    "Publication",
    "PublicationFetch",
    "Review",
    "ReviewFlag",
    "ReviewForm",
    "ReviewFormField",
    "ReviewInvitation",
    "ReviewRound",
    "ReviewVersion",
    "ReviewerConflict",
    "ReviewerRecommendation",
    "RunStatus",
    "TextEmbedding",
]
