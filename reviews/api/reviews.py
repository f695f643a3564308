"""Reviews: a reviewer writes their own; everyone reads what the rules let them read."""

from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from journal.api.permissions import TokenScope
from journal.api.visibility import require_perm, scope_to_token, visible_submission
from journal.limits import TEXT_MAX_CHARS
from reviews.api.claim_assessments import (
    ClaimAssessmentSerializer,
    HypothesisAssessmentSerializer,
)
from reviews.enums import Recommendation
from reviews.models import Review, ReviewFormField
from reviews.rules import review_is_editable
from reviews.selectors.reviewing import reviews_of
from reviews.selectors.reviews import submission_reviews
from reviews.services.assessments import recommendation_submit
from reviews.services.claim_assessments import HypothesisInput
from reviews.services.reviews import review_save_draft, review_submit
from reviews.services.rounds import round_current


class FormFieldSerializer(serializers.ModelSerializer):
    class Meta:
        model = ReviewFormField
        fields = [
            "key",
            "label",
            "kind",
            "help_text",
            "required",
            "visibility",
            "options",
            "min_words",
            "max_words",
        ]
        read_only_fields = fields


class OwnReviewSerializer(serializers.ModelSerializer):
    """The reviewer's own review: the form, the working copy and what was submitted."""

    venue = serializers.CharField(source="submission.venue.slug", read_only=True)
    title = serializers.CharField(source="submission.title", read_only=True)
    round = serializers.IntegerField(source="round.number", read_only=True)
    label = serializers.SerializerMethodField()
    review_due = serializers.DateTimeField(source="invitation.review_due", read_only=True)
    editable = serializers.SerializerMethodField()
    form_fields = serializers.SerializerMethodField()

    class Meta:
        model = Review
        fields = [
            "id",
            "submission",
            "venue",
            "title",
            "round",
            "label",
            "state",
            "answers",
            "submitted_answers",
            "submitted_at",
            "last_submitted_at",
            "is_late",
            "review_due",
            "editable",
            "form_fields",
        ]
        read_only_fields = fields

    def get_label(self, obj) -> str:
        number = obj.invitation.reviewer_number
        return f"Reviewer {number}" if number else "Reviewer"

    def get_editable(self, obj) -> bool:
        return review_is_editable(review=obj)

    @extend_schema_field(FormFieldSerializer(many=True))
    def get_form_fields(self, obj) -> list:
        rows = sorted(obj.form.fields.all(), key=lambda f: (f.order, f.pk))
        return FormFieldSerializer(rows, many=True).data


class AnswersSerializer(serializers.Serializer):
    answers = serializers.DictField(
        child=serializers.JSONField(), help_text="Answers by field key, as the form asks."
    )
    claim_assessments = ClaimAssessmentSerializer(
        many=True,
        required=False,
        max_length=100,
        help_text="A verdict on each benchmark claim; submitting needs every claim assessed.",
    )
    hypothesis = HypothesisAssessmentSerializer(required=False, allow_null=True, default=None)


class ReviewViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Your reviews: save a draft as you write, submit (and edit until release)."""

    serializer_class = OwnReviewSerializer
    filterset_fields = ["state"]
    ordering_fields = ["submitted_at"]
    ordering = ["state", "pk"]
    lookup_value_regex = "[0-9]{1,18}"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Review.objects.none()
        queryset = (
            reviews_of(user=self.request.user)
            .select_related("invitation", "form")
            .prefetch_related("form__fields")
        )
        return scope_to_token(self.request, queryset, "submission__venue_id")

    def _write(self, request, service) -> Response:
        review = self.get_object()
        require_perm(request.user, "reviews.write_review", review, "This is not your review.")
        serializer = AnswersSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        hypothesis = data.get("hypothesis")
        service(
            review=review,
            actor=request.user,
            raw=data["answers"],
            claims=data.get("claim_assessments"),
            hypothesis=HypothesisInput(**hypothesis) if hypothesis is not None else None,
        )
        review = self.get_queryset().get(pk=review.pk)
        return Response(OwnReviewSerializer(review).data)

    @extend_schema(request=AnswersSerializer, responses={200: OwnReviewSerializer})
    @action(detail=True, methods=["post"])
    def draft(self, request, pk=None):
        """Save the answers so far; nothing is checked strictly and nobody else reads them."""
        return self._write(request, review_save_draft)

    @extend_schema(request=AnswersSerializer, responses={200: OwnReviewSerializer})
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        """Submit the review (or an edit of it); every answer is checked against the form."""
        return self._write(request, review_submit)


class AnswerSerializer(serializers.Serializer):
    key = serializers.CharField(source="field.key")
    label = serializers.CharField(source="field.label")
    value = serializers.JSONField()
    display = serializers.CharField()


class VisibleReviewSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="review.pk")
    label = serializers.CharField(help_text="'Reviewer N', or a name where the rules allow.")
    own = serializers.BooleanField()
    state = serializers.CharField(source="review.state")
    submitted_at = serializers.DateTimeField(source="review.submitted_at", allow_null=True)
    answers = AnswerSerializer(many=True)
    overall = serializers.FloatField(allow_null=True, help_text="Editors only.")


class RecommendationRowSerializer(serializers.Serializer):
    reviewer = serializers.CharField()
    recommendation = serializers.CharField()
    justification = serializers.CharField()
    claims_supported = serializers.BooleanField(allow_null=True)
    audience_interested = serializers.BooleanField(allow_null=True)


class MetaReviewSerializer(serializers.Serializer):
    text = serializers.CharField()
    recommendation = serializers.CharField(
        allow_blank=True, help_text="Empty where the caller may not read it yet."
    )
    signed_by = serializers.CharField()
    released = serializers.BooleanField()


class RoundSerializer(serializers.Serializer):
    number = serializers.IntegerField(source="round.number")
    released = serializers.BooleanField()
    reviews = VisibleReviewSerializer(many=True)
    recommendations = serializers.SerializerMethodField()
    meta_review = MetaReviewSerializer(allow_null=True)

    @extend_schema_field(RecommendationRowSerializer(many=True))
    def get_recommendations(self, obj) -> list:
        rows = [
            {
                "reviewer": label,
                "recommendation": rec.recommendation,
                "justification": rec.justification,
                "claims_supported": rec.claims_supported,
                "audience_interested": rec.audience_interested,
            }
            for label, rec in obj.recommendations
        ]
        return RecommendationRowSerializer(rows, many=True).data


class SubmissionReviewsView(APIView):
    """The reviews of a paper, round by round, as the caller may read them.

    Anyone, without a token, reads the public forum of a paper the venue publishes with its
    reviews: every submitted review (anonymous at double-blind venues), the meta-review, and
    the recommendations where the venue publishes them.
    """

    permission_classes = [permissions.IsAuthenticatedOrReadOnly, TokenScope]

    @extend_schema(responses={200: RoundSerializer(many=True)})
    def get(self, request, pk: int):
        submission = visible_submission(request, pk)
        user = request.user
        if not user.has_perm("reviews.view_reviews", submission) and user.has_perm(
            "reviews.read_public_reviews", submission
        ):
            rounds = submission_reviews(submission=submission, viewer=user, public=True)
            return Response(RoundSerializer(rounds, many=True).data)
        require_perm(
            user,
            "reviews.view_reviews",
            submission,
            "The reviews of this paper are not open to you (yet).",
        )
        rounds = submission_reviews(submission=submission, viewer=user)
        return Response(RoundSerializer(rounds, many=True).data)


class RecommendationSerializer(serializers.Serializer):
    recommendation = serializers.ChoiceField(choices=Recommendation.choices)
    justification = serializers.CharField(
        max_length=TEXT_MAX_CHARS, required=False, allow_blank=True, default=""
    )
    claims_supported = serializers.BooleanField(required=False, allow_null=True, default=None)
    audience_interested = serializers.BooleanField(required=False, allow_null=True, default=None)


class RecommendationView(APIView):
    """A reviewer's recommendation to the action editor (hidden from the authors)."""

    @extend_schema(request=RecommendationSerializer, responses={200: RecommendationSerializer})
    def post(self, request, pk: int):
        submission = visible_submission(request, pk)
        require_perm(
            request.user,
            "reviews.recommend",
            submission,
            "Only the paper's reviewers give recommendations.",
        )
        serializer = RecommendationSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        review_round = round_current(submission=submission)
        rec = recommendation_submit(
            review_round=review_round, reviewer=request.user, **serializer.validated_data
        )
        return Response(RecommendationSerializer(rec).data)
