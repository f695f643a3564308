"""Versions of a paper and their files, downloaded through permission checks."""

import json

from django.http import FileResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.reverse import reverse

from journal.api.visibility import require_visible, scope_to_token
from journal.enums import VersionKind
from journal.errors import FileCheckError
from journal.limits import TEXT_MAX_CHARS
from journal.models import SubmissionVersion
from journal.selectors.api import version_detail
from journal.selectors.versions import version_file_open


class VersionSerializer(serializers.ModelSerializer):
    """One immutable upload. Its metadata names the authors only where the caller may."""

    url = serializers.SerializerMethodField()
    submission = serializers.PrimaryKeyRelatedField(read_only=True)
    pdf_url = serializers.SerializerMethodField()
    supplement_url = serializers.SerializerMethodField()
    metadata = serializers.SerializerMethodField()

    class Meta:
        model = SubmissionVersion
        fields = [
            "id",
            "url",
            "submission",
            "number",
            "kind",
            "page_count",
            "pdf_url",
            "pdf_size",
            "pdf_sha256",
            "supplement_url",
            "supplement_size",
            "supplement_sha256",
            "change_summary",
            "metadata",
            "created_at",
            "submitted_at",
        ]
        read_only_fields = fields

    def _request(self):
        return self.context.get("request")

    def get_url(self, obj) -> str:
        return reverse("api:version-detail", args=[obj.pk], request=self._request())

    def get_pdf_url(self, obj) -> str:
        return reverse("api:version-pdf", args=[obj.pk], request=self._request())

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_supplement_url(self, obj) -> str | None:
        if not obj.supplement:
            return None
        return reverse("api:version-supplement", args=[obj.pk], request=self._request())

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_metadata(self, obj) -> dict:
        metadata = dict(obj.metadata)
        request = self._request()
        if request is None or not request.user.has_perm(
            "journal.view_submission_authors", obj.submission
        ):
            metadata.pop("authors", None)
        return metadata


class VersionUploadSerializer(serializers.Serializer):
    pdf = serializers.FileField(help_text="The paper (PDF).")
    supplement = serializers.FileField(required=False, help_text="Supplementary archive.")
    change_summary = serializers.CharField(
        max_length=TEXT_MAX_CHARS,
        required=False,
        allow_blank=True,
        default="",
        help_text="What changed; required for every version after the first.",
    )
    kind = serializers.ChoiceField(
        choices=VersionKind.choices, required=False, default=VersionKind.SUBMISSION
    )
    acknowledge_anonymity = serializers.BooleanField(
        required=False,
        default=False,
        help_text="At a double-blind venue, confirm that what the check found in the files "
        "does not identify the authors (a version uploaded under review is submitted at once).",
    )

    @property
    def data_in(self) -> dict:
        data = dict(self.validated_data)
        if data.get("supplement") is None:
            data.pop("supplement", None)
        return data


class FileRenderer(BaseRenderer):
    """Lets clients ask for the file's own media type; errors still come as JSON."""

    media_type = "application/octet-stream"
    format = "file"
    charset = None

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return json.dumps(data).encode() if isinstance(data, dict | list) else data


class PdfRenderer(FileRenderer):
    media_type = "application/pdf"
    format = "pdf"


class VersionViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = VersionSerializer
    lookup_value_regex = "[0-9]{1,18}"
    filter_backends = []

    def get_object(self):
        try:
            version = version_detail(pk=int(self.kwargs["pk"]))
        except SubmissionVersion.DoesNotExist:
            raise NotFound("No such version.") from None
        submission = version.submission
        if not scope_to_token(self.request, type(submission).objects.filter(pk=submission.pk)):
            raise NotFound("No such version.")
        require_visible(self.request.user, submission)
        if not self.request.user.has_perm("journal.view_version", version):
            raise NotFound("No such version.")
        return version

    def _file(self, version, part: str, name: str, content_type: str):
        if not (version.pdf if part == "pdf" else version.supplement):
            raise NotFound("This version has no such file.")
        original = self.request.user.has_perm("journal.download_original_version", version)
        try:
            handle = version_file_open(version=version, part=part, original=original)
        except FileNotFoundError:
            raise NotFound("The file is missing from storage.") from None
        except FileCheckError as exc:
            raise NotFound(exc.message) from None
        return FileResponse(handle, content_type=content_type, filename=name)

    @extend_schema(responses={(200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY)})
    @action(detail=True, methods=["get"], renderer_classes=[JSONRenderer, PdfRenderer])
    def pdf(self, request, pk=None):
        """Download the version's PDF (without its metadata, unless you are an author)."""
        version = self.get_object()
        sub = version.submission
        name = f"{sub.venue.slug}-{sub.number}-v{version.number}.pdf"
        return self._file(version, "pdf", name, "application/pdf")

    @extend_schema(
        responses={(200, "application/octet-stream"): OpenApiResponse(OpenApiTypes.BINARY)}
    )
    @action(detail=True, methods=["get"], renderer_classes=[JSONRenderer, FileRenderer])
    def supplement(self, request, pk=None):
        """Download the version's supplementary archive."""
        version = self.get_object()
        sub = version.submission
        stored = version.supplement.name
        ext = stored.rsplit(".", 1)[-1] if "." in stored else "bin"
        name = f"{sub.venue.slug}-{sub.number}-v{version.number}-supplement.{ext}"
        return self._file(version, "supplement", name, "application/octet-stream")
