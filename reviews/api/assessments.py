"""After the reviews: the editor rates them, authors flag them, the editor resolves flags
and writes the meta-review."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from journal.api.visibility import require_perm, visible_submission
from journal.rules import is_author
from reviews.enums import FlagOutcome, Recommendation, ReviewRating
from reviews.models import MetaReview, Review, ReviewFlag
from reviews.selectors.reviews import meta_review_shown
from reviews.services.assessments import (
    meta_review_save,
    review_flag,
    review_flag_resolve,
    review_rate,
)
from reviews.services.rounds import round_current

TEXT_MAX = 20000


def _review_for(request, submission, review_pk: int) -> Review:
    """Return a review of `submission` the caller may read; 404 otherwise."""
    review = (
        Review.objects.select_related("submission__venue", "round", "invitation")
        .filter(pk=review_pk, submission=submission)
        .first()
    )
    if review is None or not request.user.has_perm("reviews.read_review", review):
        raise NotFound("No such review.")
    return review


class RatingInSerializer(serializers.Serializer):
    rating = serializers.ChoiceField(choices=ReviewRating.choices)
    note = serializers.CharField(max_length=TEXT_MAX, required=False, allow_blank=True, default="")


class RatingSerializer(serializers.Serializer):
    review = serializers.IntegerField(source="pk")
    rating = serializers.CharField()
    note = serializers.CharField(source="rating_note")
    rated_at = serializers.DateTimeField(allow_null=True)


class ReviewRatingView(APIView):
    """The action editor's rating of a submitted review (editors only ever see it)."""

    @extend_schema(request=RatingInSerializer, responses={200: RatingSerializer})
    def post(self, request, pk: int, review_pk: int):
        submission = visible_submission(request, pk)
        review = _review_for(request, submission, review_pk)
        require_perm(
            request.user,
            "reviews.rate_review",
            review,
            "Only the paper's editors rate its submitted reviews.",
        )
        serializer = RatingInSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        review = review_rate(review=review, actor=request.user, **serializer.validated_data)
        return Response(RatingSerializer(review).data)


class FlagInSerializer(serializers.Serializer):
    reason = serializers.CharField(
        max_length=TEXT_MAX, help_text="What in the review you object to, for the editor."
    )


class FlagSerializer(serializers.ModelSerializer):
    """A flag on a review; the review's author appears as 'Reviewer N', the flagger not at all."""

    reviewer = serializers.SerializerMethodField()
    round = serializers.IntegerField(source="review.round.number", read_only=True)

    class Meta:
        model = ReviewFlag
        fields = [
            "id",
            "review",
            "reviewer",
            "round",
            "reason",
            "state",
            "outcome",
            "resolution",
            "created_at",
            "resolved_at",
        ]
        read_only_fields = fields

    def get_reviewer(self, obj) -> str:
        number = obj.review.invitation.reviewer_number
        return f"Reviewer {number}" if number else "Reviewer"


def _flags():
    return ReviewFlag.objects.select_related("review__invitation", "review__round").order_by(
        "-created_at", "-pk"
    )


class ReviewFlagsView(APIView):
    """Authors flag a released review that judges the paper by benchmark numbers alone."""

    @extend_schema(request=FlagInSerializer, responses={201: FlagSerializer})
    def post(self, request, pk: int, review_pk: int):
        submission = visible_submission(request, pk)
        review = _review_for(request, submission, review_pk)
        require_perm(
            request.user,
            "reviews.flag_review",
            review,
            "Only the paper's authors flag its reviews, once they are released.",
        )
        serializer = FlagInSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        flag = review_flag(review=review, actor=request.user, **serializer.validated_data)
        return Response(
            FlagSerializer(_flags().get(pk=flag.pk)).data, status=status.HTTP_201_CREATED
        )


class SubmissionFlagsView(APIView):
    """The flags on the paper's reviews: all of them for its editors, their own for authors."""

    @extend_schema(responses={200: FlagSerializer(many=True)})
    def get(self, request, pk: int):
        submission = visible_submission(request, pk)
        flags = _flags().filter(review__submission=submission)
        if request.user.has_perm("reviews.manage_reviews", submission):
            pass
        elif is_author(request.user, submission):
            flags = flags.filter(flagged_by=request.user)
        else:
            raise PermissionDenied("Only the paper's editors and authors see flags on reviews.")
        return Response(FlagSerializer(flags, many=True).data)


class ResolveSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(
        choices=FlagOutcome.choices,
        help_text="Upheld: the review judged the paper only by its numbers (it counts in the "
        "reviewer's reliability); dismissed: it did not.",
    )
    note = serializers.CharField(
        max_length=TEXT_MAX, help_text="What the editor found, for the authors to read."
    )


class FlagResolveView(APIView):
    """Uphold or dismiss an authors' flag with a note the authors read (the paper's editors,
    never one who is an author or conflicted). Sending the same answer again changes nothing."""

    @extend_schema(request=ResolveSerializer, responses={200: FlagSerializer})
    def post(self, request, pk: int, flag_pk: int):
        submission = visible_submission(request, pk)
        require_perm(
            request.user,
            "reviews.resolve_flag",
            submission,
            "Only the paper's editors resolve flags.",
        )
        flag = _flags().filter(pk=flag_pk, review__submission=submission).first()
        if flag is None:
            raise NotFound("No such flag.")
        serializer = ResolveSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        review_flag_resolve(flag=flag, actor=request.user, **serializer.validated_data)
        return Response(FlagSerializer(_flags().get(pk=flag.pk)).data)


class MetaReviewInSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=TEXT_MAX)
    recommendation = serializers.ChoiceField(choices=Recommendation.choices)


class MetaReviewOutSerializer(serializers.Serializer):
    round = serializers.IntegerField(source="round.number")
    text = serializers.CharField()
    recommendation = serializers.CharField()
    updated_at = serializers.DateTimeField()


class MetaReviewShownSerializer(serializers.Serializer):
    round = serializers.IntegerField(source="meta.round.number")
    text = serializers.CharField()
    recommendation = serializers.CharField(
        allow_blank=True,
        help_text="Empty where the caller may not read it yet (authors: until the decision).",
    )
    signed_by = serializers.CharField(
        help_text="The role ('Area chair', 'Action editor'); a name only where the rules allow."
    )
    released = serializers.BooleanField(help_text="Whether the authors have been shown it.")
    updated_at = serializers.DateTimeField()


class MetaReviewView(APIView):
    """The meta-review of the current round. The paper's editors (its area chair) write or
    revise it with PUT; GET reads it as the caller may: its authors and reviewers only once
    the venue has released it."""

    @extend_schema(responses={200: MetaReviewShownSerializer})
    def get(self, request, pk: int):
        submission = visible_submission(request, pk)
        review_round = round_current(submission=submission)
        meta = (
            MetaReview.objects.select_related("editor", "round").filter(round=review_round).first()
            if review_round is not None
            else None
        )
        shown = meta_review_shown(meta=meta, viewer=request.user, submission=submission)
        if shown is None:
            raise NotFound("There is no meta-review of this paper for you to read (yet).")
        return Response(MetaReviewShownSerializer(shown).data)

    @extend_schema(request=MetaReviewInSerializer, responses={200: MetaReviewOutSerializer})
    def put(self, request, pk: int):
        submission = visible_submission(request, pk)
        require_perm(
            request.user,
            "reviews.write_meta_review",
            submission,
            "Only the paper's editors write its meta-review.",
        )
        serializer = MetaReviewInSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        review_round = round_current(submission=submission)
        if review_round is None:
            raise NotFound("There is no review round yet.")
        meta = meta_review_save(
            review_round=review_round, editor=request.user, **serializer.validated_data
        )
        return Response(MetaReviewOutSerializer(meta).data)
