"""Review rounds for the paper's editors: list them, set the current round's dates, release
its reviews now; and withdraw an invitation."""

from django.db import transaction
from django.db.models import Count, Q
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from journal.api.visibility import require_perm, visible_submission
from journal.selectors.api_reviews import invitations_for_editor
from reviews.api.invitations import EditorInvitationSerializer
from reviews.enums import ReviewState
from reviews.models import ReviewRound
from reviews.services.invitations import invitation_withdraw
from reviews.services.rounds import (
    round_current,
    round_current_or_open,
    round_release,
    round_schedule,
)

TEXT_MAX = 20000


def _rounds(submission):
    return (
        ReviewRound.objects.filter(submission=submission)
        .select_related("form")
        .annotate(
            reviews_total=Count("reviews", distinct=True),
            reviews_submitted=Count(
                "reviews", filter=Q(reviews__state=ReviewState.SUBMITTED), distinct=True
            ),
        )
        .order_by("number")
    )


class ReviewRoundSerializer(serializers.ModelSerializer):
    form = serializers.CharField(source="form.slug", read_only=True)
    released = serializers.SerializerMethodField()
    reviews_total = serializers.IntegerField(read_only=True)
    reviews_submitted = serializers.IntegerField(read_only=True)

    class Meta:
        model = ReviewRound
        fields = [
            "number",
            "form",
            "created_at",
            "released",
            "released_at",
            "review_due",
            "release_at",
            "response_opens_at",
            "response_closes_at",
            "response_word_limit",
            "recommendation_due",
            "decision_due",
            "reviews_total",
            "reviews_submitted",
        ]
        read_only_fields = fields

    def get_released(self, obj) -> bool:
        return obj.is_released()


class ScheduleSerializer(serializers.Serializer):
    """Dates of the current round; send only what changes (null clears a date)."""

    review_due = serializers.DateTimeField(required=False, allow_null=True)
    release_at = serializers.DateTimeField(
        required=False, allow_null=True, help_text="Release the reviews automatically then."
    )
    response_opens_at = serializers.DateTimeField(required=False, allow_null=True)
    response_closes_at = serializers.DateTimeField(required=False, allow_null=True)
    response_word_limit = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=100000
    )
    recommendation_due = serializers.DateTimeField(required=False, allow_null=True)
    decision_due = serializers.DateTimeField(required=False, allow_null=True)


def _editor_submission(request, pk: int):
    submission = visible_submission(request, pk)
    require_perm(
        request.user,
        "reviews.manage_reviews",
        submission,
        "Only the paper's editors manage its review rounds.",
    )
    return submission


def _current(submission) -> ReviewRound:
    review_round = round_current(submission=submission)
    if review_round is None:
        raise NotFound("There is no review round yet; inviting a reviewer opens one.")
    return review_round


class SubmissionRoundsView(APIView):
    """The paper's review rounds, oldest first (editors)."""

    @extend_schema(responses={200: ReviewRoundSerializer(many=True)})
    def get(self, request, pk: int):
        submission = _editor_submission(request, pk)
        return Response(ReviewRoundSerializer(_rounds(submission), many=True).data)

    @extend_schema(request=None, responses={200: ReviewRoundSerializer, 201: ReviewRoundSerializer})
    def post(self, request, pk: int):
        """Open the round that takes new invitations: round 1, or the next round once the
        authors resubmitted after a released one; otherwise answer with the current round."""
        submission = visible_submission(request, pk)
        require_perm(
            request.user,
            "reviews.invite_reviewer",
            submission,
            "Only the paper's editors open review rounds, while it is under review.",
        )
        before = round_current(submission=submission)
        review_round = round_current_or_open(submission=submission, actor=request.user)
        code = status.HTTP_200_OK if before == review_round else status.HTTP_201_CREATED
        data = ReviewRoundSerializer(_rounds(submission).get(pk=review_round.pk)).data
        return Response(data, status=code)


class CurrentRoundView(APIView):
    """The current review round: read it, or change its dates."""

    @extend_schema(responses={200: ReviewRoundSerializer})
    def get(self, request, pk: int):
        submission = _editor_submission(request, pk)
        review_round = _current(submission)
        return Response(ReviewRoundSerializer(_rounds(submission).get(pk=review_round.pk)).data)

    @extend_schema(request=ScheduleSerializer, responses={200: ReviewRoundSerializer})
    def patch(self, request, pk: int):
        submission = _editor_submission(request, pk)
        review_round = _current(submission)
        serializer = ScheduleSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        if serializer.validated_data:
            round_schedule(
                review_round=review_round, actor=request.user, **serializer.validated_data
            )
        return Response(ReviewRoundSerializer(_rounds(submission).get(pk=review_round.pk)).data)


class RoundReleaseView(APIView):
    """Release the current round's reviews to the authors now (again is harmless)."""

    @extend_schema(request=None, responses={200: ReviewRoundSerializer})
    def post(self, request, pk: int):
        submission = _editor_submission(request, pk)
        review_round = _current(submission)
        round_release(review_round=review_round, actor=request.user)
        return Response(ReviewRoundSerializer(_rounds(submission).get(pk=review_round.pk)).data)


class WithdrawSerializer(serializers.Serializer):
    reason = serializers.CharField(
        max_length=TEXT_MAX, required=False, allow_blank=True, default=""
    )


class InvitationWithdrawView(APIView):
    """Withdraw an invitation to review the paper (editors), e.g. after a late conflict."""

    @extend_schema(request=WithdrawSerializer, responses={200: EditorInvitationSerializer})
    def post(self, request, pk: int, invitation_pk: int):
        submission = _editor_submission(request, pk)
        invitation = invitations_for_editor(submission=submission).filter(pk=invitation_pk).first()
        if invitation is None:
            raise NotFound("No such invitation.")
        serializer = WithdrawSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with transaction.atomic():
            invitation_withdraw(
                invitation=invitation, actor=request.user, **serializer.validated_data
            )
        row = invitations_for_editor(submission=submission).get(pk=invitation.pk)
        return Response(EditorInvitationSerializer(row).data)
