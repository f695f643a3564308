"""The discussion of a paper: read the thread as the rules allow, post, edit your own."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from journal.api.idempotency import IDEMPOTENCY_KEY, idempotent
from journal.api.permissions import TokenScope
from journal.api.visibility import require_perm, scope_to_token, visible_submission
from journal.limits import TEXT_MAX_CHARS
from journal.selectors.api_reviews import own_comments
from reviews.enums import CommentAudience, CommentRole
from reviews.models import Comment
from reviews.selectors.discussion import discussion_thread
from reviews.selectors.public_forum import public_thread
from reviews.services.discussion import (
    comment_edit,
    comment_hide,
    comment_post,
    public_comment_post,
)


class CommentSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="comment.pk")
    parent = serializers.IntegerField(source="comment.parent_id", allow_null=True)
    author = serializers.CharField(source="label", help_text="As the rules let you see them.")
    role = serializers.ChoiceField(source="comment.role", choices=CommentRole.choices)
    audience = serializers.ChoiceField(source="comment.audience", choices=CommentAudience.choices)
    is_author_response = serializers.BooleanField(source="comment.is_author_response")
    own = serializers.BooleanField()
    depth = serializers.IntegerField()
    body = serializers.CharField(source="comment.body")
    created_at = serializers.DateTimeField(source="comment.created_at")
    edited_at = serializers.DateTimeField(source="comment.edited_at", allow_null=True)


class CommentPostSerializer(serializers.Serializer):
    body = serializers.CharField(max_length=TEXT_MAX_CHARS)
    audience = serializers.ChoiceField(
        choices=CommentAudience.choices,
        required=False,
        default=CommentAudience.EVERYONE,
        help_text="Authors always write to everyone.",
    )
    parent = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=2**62)


class CommentEditSerializer(serializers.Serializer):
    body = serializers.CharField(max_length=TEXT_MAX_CHARS)


def _thread_item(submission, viewer, comment_id: int):
    for item in discussion_thread(submission=submission, viewer=viewer):
        if item.comment.pk == comment_id:
            return item
    return None


class SubmissionCommentsView(APIView):
    """The paper's discussion in thread order; post a comment or a reply."""

    def _submission(self, request, pk):
        submission = visible_submission(request, pk)
        require_perm(
            request.user,
            "reviews.discuss",
            submission,
            "You are not part of this paper's discussion (yet).",
        )
        return submission

    @extend_schema(responses={200: CommentSerializer(many=True)})
    def get(self, request, pk: int):
        submission = self._submission(request, pk)
        thread = discussion_thread(submission=submission, viewer=request.user)
        return Response(CommentSerializer(thread, many=True).data)

    @extend_schema(
        request=CommentPostSerializer,
        parameters=[IDEMPOTENCY_KEY],
        responses={201: CommentSerializer},
    )
    @idempotent
    def post(self, request, pk: int):
        submission = self._submission(request, pk)
        serializer = CommentPostSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        comment = comment_post(
            submission=submission,
            author=request.user,
            body=data["body"],
            audience=data["audience"],
            parent_id=data.get("parent"),
        )
        item = _thread_item(submission, request.user, comment.pk)
        return Response(CommentSerializer(item).data, status=status.HTTP_201_CREATED)


class CommentViewSet(mixins.UpdateModelMixin, viewsets.GenericViewSet):
    """Edit your own comment; the previous text is kept."""

    lookup_value_regex = "[0-9]{1,18}"
    serializer_class = CommentSerializer
    http_method_names = ["patch", "options"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Comment.objects.none()
        return scope_to_token(
            self.request, own_comments(user=self.request.user), "submission__venue_id"
        )

    @extend_schema(request=CommentEditSerializer, responses={200: CommentSerializer})
    def partial_update(self, request, *args, **kwargs):
        comment = self.get_object()
        require_perm(request.user, "reviews.edit_comment", comment, "This is not your comment.")
        serializer = CommentEditSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        comment_edit(comment=comment, actor=request.user, body=serializer.validated_data["body"])
        item = _thread_item(comment.submission, request.user, comment.pk)
        return Response(CommentSerializer(item).data)


class PublicCommentSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="comment.pk")
    parent = serializers.IntegerField(source="comment.parent_id", allow_null=True)
    author = serializers.CharField(source="label", help_text="Name, or 'Reviewer N'.")
    depth = serializers.IntegerField()
    body = serializers.SerializerMethodField(help_text="Empty when the editors hid it.")
    hidden_reason = serializers.CharField(
        source="comment.hidden_reason", help_text="Why the editors hid the comment."
    )
    created_at = serializers.DateTimeField(source="comment.created_at")

    def get_body(self, item) -> str:
        return "" if item.comment.hidden_at else item.comment.body


class PublicCommentPostSerializer(serializers.Serializer):
    body = serializers.CharField(max_length=TEXT_MAX_CHARS)
    parent = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=2**62)


class CommentHideSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=300)


def _public_item(submission, viewer, comment_id: int):
    for item in public_thread(submission=submission, viewer=viewer):
        if item.comment.pk == comment_id:
            return item
    return None


class SubmissionPublicCommentsView(APIView):
    """The public discussion of a paper the venue publishes with its reviews: anyone reads
    it, anyone signed in writes to it, the paper's editors moderate it."""

    permission_classes = [permissions.IsAuthenticatedOrReadOnly, TokenScope]

    def _submission(self, request, pk, perm: str):
        submission = visible_submission(request, pk)
        require_perm(request.user, perm, submission, "This paper has no public discussion.")
        return submission

    @extend_schema(responses={200: PublicCommentSerializer(many=True)})
    def get(self, request, pk: int):
        submission = self._submission(request, pk, "reviews.read_public_reviews")
        thread = public_thread(submission=submission, viewer=request.user)
        return Response(PublicCommentSerializer(thread, many=True).data)

    @extend_schema(
        request=PublicCommentPostSerializer,
        parameters=[IDEMPOTENCY_KEY],
        responses={201: PublicCommentSerializer},
    )
    @idempotent
    def post(self, request, pk: int):
        submission = self._submission(request, pk, "reviews.comment_publicly")
        serializer = PublicCommentPostSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        comment = public_comment_post(
            submission=submission,
            author=request.user,
            body=serializer.validated_data["body"],
            parent_id=serializer.validated_data.get("parent"),
        )
        item = _public_item(submission, request.user, comment.pk)
        return Response(PublicCommentSerializer(item).data, status=status.HTTP_201_CREATED)


class PublicCommentHideView(APIView):
    """The paper's editors hide a public comment with the reason readers see instead."""

    @extend_schema(request=CommentHideSerializer, responses={200: PublicCommentSerializer})
    def post(self, request, pk: int, comment_pk: int):
        submission = visible_submission(request, pk)
        comment = Comment.objects.filter(
            pk=comment_pk, submission=submission, audience=CommentAudience.PUBLIC
        ).first()
        if comment is None:
            raise NotFound("No such public comment on this paper.")
        require_perm(
            request.user,
            "reviews.moderate_comment",
            comment,
            "Only the paper's editors moderate its discussion.",
        )
        serializer = CommentHideSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        comment_hide(
            comment=comment, actor=request.user, reason=serializer.validated_data["reason"]
        )
        return Response(
            PublicCommentSerializer(_public_item(submission, request.user, comment.pk)).data
        )
