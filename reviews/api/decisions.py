"""Decisions: drafted by the paper's editor, approved and published by a chief."""

import django_filters
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from journal.api.fields import SlugRefField, UserRefSerializer
from journal.api.filters import ApiFilterSet, IdFilter
from journal.api.idempotency import IDEMPOTENCY_KEY, idempotent
from journal.api.permissions import token_venue_id
from journal.api.visibility import require_perm, require_visible, scope_to_token
from journal.enums import Certification, DecisionOutcome, DecisionStatus
from journal.limits import BULK_DECISION_MAX_PAPERS
from journal.models import Decision, Submission, Venue
from journal.selectors.api_reviews import decisions_visible_to
from journal.services.decisions import decision_draft, decision_transition
from journal.services.decisions_bulk import decisions_bulk

TEXT_MAX = 20000
D = DecisionStatus


class DecisionFilter(ApiFilterSet):
    venue = django_filters.CharFilter(field_name="submission__venue__slug", help_text="Slug.")
    submission = IdFilter(field_name="submission_id", help_text="A submission id.")
    status = django_filters.ChoiceFilter(choices=DecisionStatus.choices)
    outcome = django_filters.ChoiceFilter(choices=DecisionOutcome.choices)

    class Meta:
        model = Decision
        fields = ["venue", "submission", "status", "outcome"]


class DecisionSerializer(serializers.ModelSerializer):
    venue = serializers.CharField(source="submission.venue.slug", read_only=True)
    decided_by = serializers.SerializerMethodField()
    approved_by = serializers.SerializerMethodField()

    class Meta:
        model = Decision
        fields = [
            "id",
            "submission",
            "venue",
            "outcome",
            "status",
            "certifications",
            "claims_supported",
            "audience_interested",
            "comment",
            "decided_by",
            "approved_by",
            "submitted_at",
            "published_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def _editor_view(self, obj) -> bool:
        return self.context["request"].user.has_perm("reviews.decide", obj.submission)

    @extend_schema_field(UserRefSerializer(allow_null=True))
    def get_decided_by(self, obj) -> dict | None:
        """Name the deciding editor to the paper's editors only."""
        return UserRefSerializer(obj.decided_by).data if self._editor_view(obj) else None

    @extend_schema_field(UserRefSerializer(allow_null=True))
    def get_approved_by(self, obj) -> dict | None:
        if obj.approved_by is None or not self._editor_view(obj):
            return None
        return UserRefSerializer(obj.approved_by).data


class DecisionDraftSerializer(serializers.Serializer):
    submission = serializers.IntegerField(min_value=1, max_value=2**62)
    outcome = serializers.ChoiceField(choices=DecisionOutcome.choices)
    claims_supported = serializers.BooleanField(required=False, allow_null=True, default=None)
    audience_interested = serializers.BooleanField(required=False, allow_null=True, default=None)
    certifications = serializers.ListField(
        child=serializers.ChoiceField(choices=Certification.choices),
        required=False,
        default=list,
        max_length=10,
    )
    comment = serializers.CharField(
        max_length=TEXT_MAX, required=False, allow_blank=True, default=""
    )


class DecisionTransitionSerializer(serializers.Serializer):
    to_status = serializers.ChoiceField(choices=DecisionStatus.choices)
    note = serializers.CharField(max_length=TEXT_MAX, required=False, allow_blank=True, default="")
    certifications = serializers.ListField(
        child=serializers.ChoiceField(choices=Certification.choices),
        required=False,
        allow_null=True,
        default=None,
        max_length=10,
    )


class BulkDecisionSerializer(serializers.Serializer):
    venue = SlugRefField(slug_field="slug", queryset=Venue.objects.all())
    outcomes = serializers.DictField(
        child=serializers.ChoiceField(choices=DecisionOutcome.choices),
        help_text="Outcome by submission id.",
    )
    comment = serializers.CharField(
        max_length=TEXT_MAX, required=False, allow_blank=True, default=""
    )
    override_incomplete = serializers.BooleanField(
        default=False, help_text="Also decide papers whose reviews are incomplete (audited)."
    )

    def validate_outcomes(self, value):
        if len(value) > BULK_DECISION_MAX_PAPERS:
            raise serializers.ValidationError(
                f"Decide at most {BULK_DECISION_MAX_PAPERS} papers at once."
            )
        try:
            return {int(key): outcome for key, outcome in value.items()}
        except ValueError:
            raise serializers.ValidationError("Use submission ids as keys.") from None


class BulkResultSerializer(serializers.Serializer):
    decided = serializers.ListField(
        child=serializers.IntegerField(), help_text="Submission ids recorded (not released)."
    )
    unchanged = serializers.ListField(
        child=serializers.IntegerField(), help_text="Already recorded with that outcome."
    )
    errors = serializers.DictField(child=serializers.CharField(), help_text="By submission id.")


class DecisionViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Published decisions of the papers you may see; all decisions of the papers you edit."""

    serializer_class = DecisionSerializer
    filterset_class = DecisionFilter
    ordering_fields = ["updated_at", "published_at"]
    ordering = ["-updated_at", "-pk"]
    lookup_value_regex = "[0-9]{1,18}"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Decision.objects.none()
        queryset = decisions_visible_to(user=self.request.user)
        return scope_to_token(self.request, queryset, "submission__venue_id")

    @extend_schema(
        request=DecisionDraftSerializer,
        parameters=[IDEMPOTENCY_KEY],
        responses={201: DecisionSerializer},
    )
    @idempotent
    def create(self, request, *args, **kwargs):
        """Write (or rewrite) the open decision on a paper as a draft."""
        serializer = DecisionDraftSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        submission = (
            scope_to_token(request, Submission.objects.select_related("venue"))
            .filter(pk=data.pop("submission"))
            .first()
        )
        if submission is None:
            raise serializers.ValidationError({"submission": ["No such submission."]})
        require_visible(request.user, submission)
        require_perm(request.user, "reviews.decide", submission, "Only the paper's editors decide.")
        decision = decision_draft(submission=submission, editor=request.user, **data)
        decision = self.get_queryset().get(pk=decision.pk)
        context = self.get_serializer_context()
        return Response(
            DecisionSerializer(decision, context=context).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(request=BulkDecisionSerializer, responses={200: BulkResultSerializer})
    @action(detail=False, methods=["post"])
    def bulk(self, request):
        """Record decisions on many conference papers at once (program chairs).

        The same refusals as the decision table (`/venues/{slug}/decision-table/decide/`,
        which also offers a dry run); decisions are released in the decisions phase.
        """
        serializer = BulkDecisionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        venue = data["venue"]
        if not request.user.has_perm("journal.manage_venue", venue):
            raise PermissionDenied("Only the venue's program chairs decide in bulk.")
        bound = token_venue_id(request)
        if bound is not None and bound != venue.pk:
            raise PermissionDenied("This token is limited to another venue.")
        plan = decisions_bulk(
            venue=venue,
            actor=request.user,
            outcomes=data["outcomes"],
            comment=data["comment"],
            override_incomplete=data["override_incomplete"],
        )
        body = {
            "decided": [d.submission_id for d in plan.decided],
            "unchanged": plan.unchanged,
            "errors": {str(r.submission_id): r.reason for r in plan.refused},
        }
        return Response(BulkResultSerializer(body).data)

    @extend_schema(request=DecisionTransitionSerializer, responses={200: DecisionSerializer})
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        """Submit for approval (the editor), return it or publish it (a chief)."""
        decision = self.get_object()
        serializer = DecisionTransitionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        perm = (
            "reviews.decide"
            if data["to_status"] == D.AWAITING_APPROVAL
            else ("reviews.approve_decision")
        )
        if not request.user.has_perm(perm, decision.submission):
            raise PermissionDenied("Your role does not allow this step.")
        decision_transition(decision=decision, actor=request.user, **data)
        decision = self.get_queryset().get(pk=decision.pk)
        return Response(DecisionSerializer(decision, context=self.get_serializer_context()).data)
