"""Invitations to review: the invitee answers; the paper's editors invite and list."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from journal.api.fields import UserRefSerializer
from journal.api.idempotency import IDEMPOTENCY_KEY, idempotent
from journal.api.visibility import require_perm, scope_to_token, visible_submission
from journal.models import User
from journal.selectors.api_reviews import invitations_for_editor, invitations_of
from reviews.enums import InvitationState
from reviews.models import ReviewInvitation
from reviews.services.invitations import (
    invitation_accept,
    invitation_create,
    invitation_decline,
)

TEXT_MAX = 20000


class InvitationSerializer(serializers.ModelSerializer):
    """An invitation as the invited reviewer sees it: the paper, never its authors."""

    venue = serializers.CharField(source="submission.venue.slug", read_only=True)
    title = serializers.CharField(source="submission.title", read_only=True)
    abstract = serializers.CharField(source="submission.abstract", read_only=True)
    review = serializers.SerializerMethodField()

    class Meta:
        model = ReviewInvitation
        fields = [
            "id",
            "submission",
            "venue",
            "title",
            "abstract",
            "state",
            "note",
            "answer_due",
            "review_due",
            "reviewer_number",
            "responded_at",
            "created_at",
            "review",
        ]
        read_only_fields = fields

    def get_review(self, obj) -> int | None:
        """Return the id of the review to write, once accepted."""
        review = getattr(obj, "review", None) if obj.state == InvitationState.ACCEPTED else None
        return review.pk if review is not None else None


class EditorInvitationSerializer(InvitationSerializer):
    """An invitation as the paper's editors see it, with the reviewer named."""

    reviewer = UserRefSerializer(read_only=True)
    round = serializers.IntegerField(source="round.number", read_only=True)

    class Meta(InvitationSerializer.Meta):
        fields = [
            *InvitationSerializer.Meta.fields,
            "reviewer",
            "round",
            "source",
            "decline_reason",
            "conflict_warning",
        ]
        read_only_fields = fields


class DeclineSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=TEXT_MAX, help_text="Why, for the editor.")


class InviteSerializer(serializers.Serializer):
    reviewer = serializers.IntegerField(min_value=1, max_value=2**62, help_text="A user id.")
    note = serializers.CharField(max_length=TEXT_MAX, required=False, allow_blank=True, default="")
    due = serializers.DateTimeField(required=False, help_text="Review deadline.")


class InvitationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The invitations you received; accept or decline the pending ones."""

    serializer_class = InvitationSerializer
    filterset_fields = ["state"]
    ordering_fields = ["created_at", "answer_due"]
    ordering = ["-created_at", "-pk"]
    lookup_value_regex = "[0-9]{1,18}"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return ReviewInvitation.objects.none()
        queryset = invitations_of(user=self.request.user)
        return scope_to_token(self.request, queryset, "submission__venue_id")

    def _answer(self, request, answer) -> Response:
        invitation = self.get_object()
        require_perm(
            request.user,
            "reviews.respond_invitation",
            invitation,
            "This invitation has been answered already.",
        )
        answer(invitation)
        invitation = self.get_queryset().get(pk=invitation.pk)
        return Response(InvitationSerializer(invitation).data)

    @extend_schema(request=None, responses={200: InvitationSerializer})
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        """Agree to review the paper."""
        return self._answer(
            request, lambda inv: invitation_accept(invitation=inv, actor=request.user)
        )

    @extend_schema(request=DeclineSerializer, responses={200: InvitationSerializer})
    @action(detail=True, methods=["post"])
    def decline(self, request, pk=None):
        """Decline, telling the editor briefly why."""
        serializer = DeclineSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        reason = serializer.validated_data["reason"]
        return self._answer(
            request,
            lambda inv: invitation_decline(invitation=inv, actor=request.user, reason=reason),
        )


class SubmissionInvitationsView(APIView):
    """The paper's invitations, for its editors; they invite reviewers here too."""

    @extend_schema(responses={200: EditorInvitationSerializer(many=True)})
    def get(self, request, pk: int):
        submission = visible_submission(request, pk)
        require_perm(
            request.user,
            "reviews.manage_reviews",
            submission,
            "Only the paper's editors see its invitations.",
        )
        rows = invitations_for_editor(submission=submission)
        return Response(EditorInvitationSerializer(rows, many=True).data)

    @extend_schema(
        request=InviteSerializer,
        parameters=[IDEMPOTENCY_KEY],
        responses={201: EditorInvitationSerializer},
    )
    @idempotent
    def post(self, request, pk: int):
        submission = visible_submission(request, pk)
        require_perm(
            request.user,
            "reviews.invite_reviewer",
            submission,
            "Only the paper's editors invite reviewers, while it is under review.",
        )
        serializer = InviteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        reviewer = User.objects.filter(pk=data["reviewer"], is_active=True).first()
        if reviewer is None:
            raise serializers.ValidationError({"reviewer": ["No such person."]})
        invitation = invitation_create(
            submission=submission,
            reviewer=reviewer,
            invited_by=request.user,
            note=data["note"],
            due=data.get("due"),
        )
        row = invitations_for_editor(submission=submission).get(pk=invitation.pk)
        return Response(EditorInvitationSerializer(row).data, status=status.HTTP_201_CREATED)
