"""Your publications, which feed the affinity model: list, add, remove, import in bulk, and
fetch from ORCID, DBLP or Semantic Scholar."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from journal.api.filters import ApiFilterSet, WholeNumberFilter
from journal.api.parsers import JSONParser
from journal.errors import DomainError
from journal.limits import PUBLICATION_IMPORT_MAX_BYTES
from reviews.enums import FetchService
from reviews.importers import FORMAT_LABELS
from reviews.models import Publication, PublicationFetch
from reviews.services.publication_fetch import publication_fetch_start
from reviews.services.publications import (
    publication_add,
    publication_delete,
    publications_import,
)

FIRST_YEAR, LAST_YEAR = 1900, 2100


class PublicationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Publication
        fields = [
            "id", "title", "abstract", "year", "venue_name", "coauthors", "url", "doi",
            "source", "source_ids", "created_at",
        ]
        read_only_fields = ["id", "source", "source_ids", "created_at"]
        # Lengths are checked on the text as sent (the service trims it): a value longer
        # than the schema allows is refused even when it is mostly spaces.
        extra_kwargs = {
            "title": {"max_length": 500, "trim_whitespace": False},
            "abstract": {"max_length": 20000, "required": False, "trim_whitespace": False},
            "year": {"min_value": FIRST_YEAR, "max_value": LAST_YEAR},
            "venue_name": {"max_length": 300, "required": False, "trim_whitespace": False},
            "url": {"max_length": 200, "required": False},
            "doi": {"max_length": 200, "required": False, "trim_whitespace": False},
        }

    coauthors = serializers.ListField(
        child=serializers.CharField(max_length=300), max_length=100, required=False, default=list
    )


class ImportSerializer(serializers.Serializer):
    format = serializers.ChoiceField(
        choices=list(FORMAT_LABELS.items()),
        default="auto",
        help_text="The file's format; “auto” finds it out from the name and the content.",
    )
    content = serializers.CharField(
        required=False,
        trim_whitespace=False,
        max_length=PUBLICATION_IMPORT_MAX_BYTES,
        help_text="The file's text (or send `file` as multipart form data).",
    )
    file = serializers.FileField(required=False, help_text="The file itself.")
    filename = serializers.CharField(
        required=False, max_length=255, default="", help_text="Its name, e.g. “me.bib”."
    )

    def validate_file(self, upload):
        if upload.size > PUBLICATION_IMPORT_MAX_BYTES:
            raise serializers.ValidationError(
                f"Import files may be at most {PUBLICATION_IMPORT_MAX_BYTES // (1024 * 1024)} MB."
            )
        return upload

    def validate(self, attrs):
        if bool(attrs.get("content")) == bool(attrs.get("file")):
            raise serializers.ValidationError(
                {"content": ["Send the list either as `content` (text) or as `file`."]}
            )
        return attrs


class ImportResultSerializer(serializers.Serializer):
    format = serializers.CharField(help_text="The format the file was read as.")
    created = serializers.IntegerField(help_text="New publications added.")
    updated = serializers.IntegerField(help_text="Listed ones whose missing fields were filled.")
    duplicates = serializers.IntegerField(help_text="Already listed (same DOI or title).")
    skipped = serializers.IntegerField(help_text="Entries that could not be read.")
    problems = serializers.ListField(
        child=serializers.CharField(), help_text="Why each unread entry was left out."
    )
    notes = serializers.ListField(
        child=serializers.CharField(), help_text="Which listed publication each duplicate is."
    )


class PublicationFilter(ApiFilterSet):
    year = WholeNumberFilter(min_value=FIRST_YEAR, max_value=LAST_YEAR)

    class Meta:
        model = Publication
        fields = ["year"]


def decode_upload(raw: bytes) -> str:
    """Return an uploaded file's text (UTF-8, else Latin-1 as old exports write it)."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


class PublicationViewSet(
    mixins.ListModelMixin,
    mixins.CreateModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Your own publication list (others' lists are never shown)."""

    serializer_class = PublicationSerializer
    filterset_class = PublicationFilter
    ordering_fields = ["year", "title", "created_at"]
    ordering = ["-year", "title"]
    lookup_value_regex = "[0-9]{1,18}"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Publication.objects.none()
        return Publication.objects.filter(user_id=self.request.user.pk)

    def perform_create(self, serializer):
        serializer.instance = publication_add(user=self.request.user, **serializer.validated_data)

    def perform_destroy(self, instance):
        publication_delete(user=self.request.user, publication_id=instance.pk)

    @extend_schema(request=ImportSerializer, responses={201: ImportResultSerializer})
    @action(
        detail=False,
        methods=["post"],
        url_path="import",
        parser_classes=[JSONParser, MultiPartParser],
    )
    def bulk_import(self, request):
        """Add many publications at once from any of the formats read (BibTeX, RIS, CSV,
        JSON or CSL-JSON, ORCID, DBLP, OpenReview, Semantic Scholar); those already listed
        (same DOI, or same title within a year) are completed, not added twice."""
        serializer = ImportSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        upload = data.get("file")
        source_field = "file" if upload else "content"
        content = decode_upload(upload.read()) if upload else data["content"]
        filename = data.get("filename") or (upload.name if upload else "")
        try:
            result = publications_import(
                user=request.user, content=content, fmt=data["format"], filename=filename
            )
        except DomainError as exc:
            if exc.field == "file":
                raise DomainError(exc.message, field=source_field) from None
            raise
        return Response(ImportResultSerializer(result).data, status=status.HTTP_201_CREATED)


class PublicationFetchSerializer(serializers.ModelSerializer):
    class Meta:
        model = PublicationFetch
        fields = [
            "id", "service", "identifier", "status", "progress", "message", "added", "updated",
            "duplicates", "skipped", "created_at", "started_at", "finished_at",
        ]
        read_only_fields = [f for f in fields if f not in {"service", "identifier"}]

    service = serializers.ChoiceField(choices=FetchService.choices)
    identifier = serializers.CharField(
        max_length=200, help_text="Your ORCID iD, DBLP pid or Semantic Scholar author id (or URL)."
    )


class PublicationFetchViewSet(
    mixins.ListModelMixin,
    mixins.CreateModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Your fetches of publications from ORCID, DBLP or Semantic Scholar (a background job:
    poll it until `status` is done or failed)."""

    serializer_class = PublicationFetchSerializer
    ordering = ["-created_at", "-pk"]
    lookup_value_regex = "[0-9]{1,18}"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return PublicationFetch.objects.none()
        return PublicationFetch.objects.filter(user_id=self.request.user.pk)

    @extend_schema(responses={202: PublicationFetchSerializer})
    def create(self, request, *args, **kwargs):
        """Start fetching (asking again while one runs answers that one)."""
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        fetch = publication_fetch_start(user=request.user, **serializer.validated_data)
        return Response(self.get_serializer(fetch).data, status=status.HTTP_202_ACCEPTED)
