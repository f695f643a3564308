"""Submissions: create (with the PDF), list, filter, read, edit, revise, submit, withdraw."""

from django.db import transaction
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from journal.api.concurrency import (
    IF_MATCH,
    IF_MATCH_REQUIRED,
    check_if_match,
    submission_etag,
)
from journal.api.filters import SubmissionFilter
from journal.api.idempotency import IDEMPOTENCY_KEY, idempotent
from journal.api.parsers import JSONParser
from journal.api.permissions import token_venue_id
from journal.api.submission_serializers import (
    ActionEditorSerializer,
    AuthorSerializer,
    DeclaredConflictSerializer,
    EditorSuggestionSerializer,
    NoteSerializer,
    SubmissionCreateSerializer,
    SubmissionSerializer,
    SubmissionUpdateSerializer,
    SubmitSerializer,
    TransitionSerializer,
)
from journal.api.versions import VersionSerializer, VersionUploadSerializer
from journal.api.visibility import require_perm, require_visible, scope_to_token
from journal.enums import SubmissionState
from journal.models import Submission, User
from journal.selectors.api import submissions_visible_to, versions_of
from journal.services.action_editors import submission_assign_action_editor
from journal.services.submissions import (
    submission_create,
    submission_delete_draft,
    submission_update,
)
from journal.services.versions import version_upload
from journal.services.workflow import submission_transition, transition_permission
from reviews.selectors.editor_suggestions import submission_editor_suggestions

S = SubmissionState

class SubmissionViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = SubmissionSerializer
    filterset_class = SubmissionFilter
    ordering_fields = ["updated_at", "created_at", "submitted_at", "number", "title"]
    ordering = ["-updated_at", "-pk"]
    lookup_value_regex = "[0-9]{1,18}"
    parser_classes = [JSONParser, MultiPartParser]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Submission.objects.none()
        queryset = submissions_visible_to(user=self.request.user)
        return scope_to_token(self.request, queryset)

    def get_object(self):
        submission = super().get_object()
        require_visible(self.request.user, submission)
        return submission

    def _respond(self, submission, *, code=status.HTTP_200_OK) -> Response:
        submission = self.get_queryset().get(pk=submission.pk)
        data = SubmissionSerializer(submission, context=self.get_serializer_context()).data
        return Response(data, status=code, headers={"ETag": submission_etag(submission)})

    def retrieve(self, request, *args, **kwargs):
        submission = self.get_object()
        data = self.get_serializer(submission).data
        return Response(data, headers={"ETag": submission_etag(submission)})

    @extend_schema(
        request={
            "application/json": SubmissionCreateSerializer,
            "multipart/form-data": SubmissionCreateSerializer,
        },
        parameters=[IDEMPOTENCY_KEY],
        responses={201: SubmissionSerializer},
    )
    @idempotent
    def create(self, request, *args, **kwargs):
        """Create a draft; with `pdf` in a multipart body, upload its first version too."""
        serializer = SubmissionCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        venue = data.pop("venue")
        bound = token_venue_id(request)
        if bound is not None and bound != venue.pk:
            raise PermissionDenied("This token is limited to another venue.")
        pdf, supplement = data.pop("pdf", None), data.pop("supplement", None)
        with transaction.atomic():
            submission = submission_create(
                venue=venue,
                creator=request.user,
                title=data.pop("title"),
                abstract=data.pop("abstract"),
                hypothesis_claim=data.pop("hypothesis_claim"),
                claims=data.pop("benchmark_claims", ()),
                **data,
            )
            if pdf is not None:
                version_upload(
                    submission=submission, actor=request.user, pdf=pdf, supplement=supplement
                )
        return self._respond(submission, code=status.HTTP_201_CREATED)

    @extend_schema(
        request=SubmissionUpdateSerializer,
        parameters=[IF_MATCH_REQUIRED],
        responses={200: SubmissionSerializer},
    )
    def partial_update(self, request, *args, **kwargs):
        """Change the metadata of a draft or of a paper under revision (If-Match required)."""
        submission = self.get_object()
        require_perm(
            request.user,
            "journal.change_submission",
            submission,
            "Only the authors may change a paper's details, while it is a draft or under revision.",
        )
        check_if_match(request, submission_etag(submission), required=True)
        serializer = SubmissionUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        if "benchmark_claims" in data:
            data["claims"] = data.pop("benchmark_claims")
        submission_update(submission=submission, actor=request.user, **data)
        return self._respond(submission)

    @extend_schema(request=None, parameters=[IF_MATCH], responses={204: None})
    def destroy(self, request, *args, **kwargs):
        """Delete your draft; a paper that was ever submitted is withdrawn instead."""
        submission = self.get_object()
        require_perm(
            request.user,
            "journal.delete_draft",
            submission,
            "Only the authors may delete a paper, and only while it is a draft.",
        )
        check_if_match(request, submission_etag(submission), required=False)
        submission_delete_draft(submission=submission, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    def _transition(
        self, request, to_state: str, note: str, *, acknowledge_anonymity: bool = False
    ) -> Response:
        submission = self.get_object()
        perm = transition_permission(to_state=to_state)
        if perm is None:
            raise PermissionDenied(
                "Decisions are published through the submission's decisions, not this step."
            )
        require_perm(request.user, perm, submission, "You may not take this step.")
        check_if_match(request, submission_etag(submission), required=False)
        submission_transition(
            submission=submission,
            to_state=to_state,
            actor=request.user,
            note=note,
            acknowledge_anonymity=acknowledge_anonymity,
        )
        return self._respond(submission)

    @extend_schema(
        request=SubmitSerializer, parameters=[IF_MATCH], responses={200: SubmissionSerializer}
    )
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        """Submit the draft (or the revision) for review.

        At a double-blind venue, files that identify the authors (names, e-mail addresses,
        ORCID iDs or GitHub accounts in the PDF or the supplement) are refused with 400 and
        the findings, unless `acknowledge_anonymity` confirms they do not identify them.
        """
        serializer = SubmitSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        acknowledged = serializer.validated_data["acknowledge_anonymity"]
        return self._transition(request, S.SUBMITTED, "", acknowledge_anonymity=acknowledged)

    @extend_schema(
        request=NoteSerializer, parameters=[IF_MATCH], responses={200: SubmissionSerializer}
    )
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        """Withdraw the paper; this cannot be undone."""
        serializer = NoteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return self._transition(request, S.WITHDRAWN, serializer.validated_data["note"])

    @extend_schema(
        request=TransitionSerializer, parameters=[IF_MATCH], responses={200: SubmissionSerializer}
    )
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        """Take a workflow step that your role allows (desk-reject, start review, publish...)."""
        serializer = TransitionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        return self._transition(request, data["to_state"], data["note"])

    @extend_schema(methods=["GET"], request=None, responses={200: VersionSerializer(many=True)})
    @extend_schema(
        methods=["POST"],
        request={"multipart/form-data": VersionUploadSerializer},
        parameters=[IDEMPOTENCY_KEY],
        responses={201: VersionSerializer},
    )
    @action(detail=True, methods=["get", "post"], filterset_class=None, pagination_class=None)
    @idempotent
    def versions(self, request, pk=None):
        """List the paper's versions, or upload a new one (a revision) as multipart."""
        submission = self.get_object()
        if request.method == "GET":
            versions = [
                v
                for v in versions_of(submission=submission)
                if request.user.has_perm("journal.view_version", v)
            ]
            context = self.get_serializer_context()
            return Response(VersionSerializer(versions, many=True, context=context).data)
        require_perm(
            request.user,
            "journal.upload_version",
            submission,
            "Only the authors may upload versions, while the paper is open.",
        )
        serializer = VersionUploadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        version = version_upload(submission=submission, actor=request.user, **serializer.data_in)
        context = self.get_serializer_context()
        return Response(
            VersionSerializer(version, context=context).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(request=ActionEditorSerializer, responses={200: SubmissionSerializer})
    @action(detail=True, methods=["post"], url_path="action-editor")
    def action_editor(self, request, pk=None):
        """Assign the paper's action editor (a chief), or unassign with null."""
        submission = self.get_object()
        require_perm(
            request.user,
            "journal.assign_action_editor",
            submission,
            "Only the venue's chiefs assign action editors.",
        )
        serializer = ActionEditorSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        editor_id = serializer.validated_data["editor"]
        editor = None
        if editor_id is not None:
            editor = User.objects.filter(pk=editor_id, is_active=True).first()
            if editor is None:
                raise ValidationError({"editor": ["No such person."]})
        submission_assign_action_editor(
            submission=submission,
            editor=editor,
            actor=request.user,
            allow_conflict=serializer.validated_data["allow_conflict"],
            override_note=serializer.validated_data["override_note"],
        )
        return self._respond(submission)

    @extend_schema(responses={200: EditorSuggestionSerializer(many=True)})
    @action(
        detail=True,
        methods=["get"],
        url_path="editor-suggestions",
        filterset_class=None,
        pagination_class=None,
    )
    def editor_suggestions(self, request, pk=None):
        """Rank the venue's action editors for the paper (chiefs): topic match and why, open
        papers against quota, availability, conflicts, the authors' suggestions."""
        submission = self.get_object()
        require_perm(
            request.user,
            "journal.assign_action_editor",
            submission,
            "Only the venue's chiefs assign action editors.",
        )
        rows = submission_editor_suggestions(submission=submission)
        return Response(EditorSuggestionSerializer(rows, many=True).data)

    @extend_schema(responses={200: AuthorSerializer(many=True), 403: OpenApiResponse()})
    @action(detail=True, methods=["get"], filterset_class=None, pagination_class=None)
    def authors(self, request, pk=None):
        """List the authors in order, where the caller may know them."""
        submission = self.get_object()
        require_perm(
            request.user,
            "journal.view_submission_authors",
            submission,
            "The authors of this paper are anonymous to you.",
        )
        context = {
            **self.get_serializer_context(),
            "show_contacts": request.user.has_perm("journal.view_author_contacts", submission),
        }
        return Response(AuthorSerializer(submission.authors.all(), many=True, context=context).data)

    @extend_schema(responses={200: DeclaredConflictSerializer(many=True)})
    @action(detail=True, methods=["get"], filterset_class=None, pagination_class=None)
    def conflicts(self, request, pk=None):
        """List the conflicts of interest the authors declared."""
        submission = self.get_object()
        require_perm(
            request.user,
            "journal.view_declared_conflicts",
            submission,
            "Only the authors and the paper's editors see its declared conflicts.",
        )
        rows = submission.declared_conflicts.all()
        return Response(DeclaredConflictSerializer(rows, many=True).data)
