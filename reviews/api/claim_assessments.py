"""A review's assessments of the paper's claims and hypothesis: read as the review is read,
written by its reviewer while the review can change."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from journal.api.visibility import require_perm, visible_submission
from journal.limits import CLAIM_ASSESSMENT_REASON_MAX_CHARS, TEXT_MAX_CHARS
from reviews.enums import ClaimVerdict, YesPartlyNo
from reviews.models import Review
from reviews.selectors.anonymity import namer_for
from reviews.selectors.claim_assessments import review_own_assessments
from reviews.services.claim_assessments import (
    ClaimAssessmentInput,
    HypothesisInput,
    claim_assessments_set,
)


class ClaimAssessmentSerializer(serializers.Serializer):
    claim = serializers.IntegerField(help_text="The id of a benchmark claim of the paper.")
    verdict = serializers.ChoiceField(choices=ClaimVerdict.choices, allow_blank=True)
    reason = serializers.CharField(
        max_length=CLAIM_ASSESSMENT_REASON_MAX_CHARS, required=False, allow_blank=True, default=""
    )

    def to_internal_value(self, data):
        values = super().to_internal_value(data)
        return ClaimAssessmentInput(
            claim_id=values["claim"], verdict=values["verdict"], reason=values["reason"]
        )


class ClaimAssessmentReadSerializer(serializers.Serializer):
    claim = serializers.IntegerField(source="claim.pk")
    dataset = serializers.CharField(source="claim.dataset")
    metric = serializers.CharField(source="claim.metric")
    verdict = serializers.CharField(help_text="Empty while the reviewer has not answered.")
    reason = serializers.CharField()


class HypothesisAssessmentSerializer(serializers.Serializer):
    stated_clearly = serializers.ChoiceField(
        choices=YesPartlyNo.choices, allow_blank=True, required=False, default=""
    )
    falsifiable = serializers.ChoiceField(
        choices=YesPartlyNo.choices, allow_blank=True, required=False, default=""
    )
    tested = serializers.ChoiceField(
        choices=YesPartlyNo.choices,
        allow_blank=True,
        required=False,
        default="",
        help_text="Do the experiments test the hypothesis?",
    )
    note = serializers.CharField(
        max_length=TEXT_MAX_CHARS, allow_blank=True, required=False, default=""
    )


class AssessmentsInSerializer(serializers.Serializer):
    claims = ClaimAssessmentSerializer(many=True, max_length=100)
    hypothesis = HypothesisAssessmentSerializer(required=False, allow_null=True, default=None)


class AssessmentsSerializer(serializers.Serializer):
    review = serializers.IntegerField()
    reviewer = serializers.CharField(help_text="'Reviewer N', or a name where the rules allow.")
    claims = ClaimAssessmentReadSerializer(many=True)
    hypothesis = HypothesisAssessmentSerializer()


def _review_for(request, pk: int, review_pk: int) -> Review:
    submission = visible_submission(request, pk)
    review = (
        Review.objects.select_related("submission__venue", "round", "invitation", "reviewer")
        .filter(pk=review_pk, submission=submission)
        .first()
    )
    if review is None or not request.user.has_perm("reviews.read_claim_assessments", review):
        raise NotFound("No such review.")
    return review


def _body(request, review: Review) -> dict:
    own = review_own_assessments(review=review)
    namer = namer_for(viewer=request.user, submission=review.submission)
    return {
        "review": review.pk,
        "reviewer": namer.reviewer(review.reviewer),
        "claims": own.claims,
        "hypothesis": own.hypothesis,
    }


class ClaimAssessmentsView(APIView):
    """The reviewer's verdict on each benchmark claim, and on the hypothesis."""

    @extend_schema(responses={200: AssessmentsSerializer})
    def get(self, request, pk: int, review_pk: int):
        review = _review_for(request, pk, review_pk)
        return Response(AssessmentsSerializer(_body(request, review)).data)

    @extend_schema(request=AssessmentsInSerializer, responses={200: AssessmentsSerializer})
    def put(self, request, pk: int, review_pk: int):
        """Set verdicts (claims not named keep theirs); a submitted review keeps every claim
        assessed."""
        review = _review_for(request, pk, review_pk)
        require_perm(
            request.user,
            "reviews.write_claim_assessments",
            review,
            "Only the review's author assesses its claims, while the review can change.",
        )
        serializer = AssessmentsInSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        hypothesis = serializer.validated_data["hypothesis"]
        claim_assessments_set(
            review=review,
            actor=request.user,
            claims=serializer.validated_data["claims"],
            hypothesis=HypothesisInput(**hypothesis) if hypothesis is not None else None,
        )
        return Response(AssessmentsSerializer(_body(request, review)).data)
