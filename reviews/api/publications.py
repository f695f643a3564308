"""Your publications, which feed the affinity model: list, add, remove, import in bulk."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from journal.api.filters import ApiFilterSet, WholeNumberFilter
from reviews.models import Publication
from reviews.services.publications import (
    FORMATS,
    publication_add,
    publication_delete,
    publications_import,
)

MAX_IMPORT_CHARS = 2_000_000
FIRST_YEAR, LAST_YEAR = 1900, 2100


class PublicationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Publication
        fields = ["id", "title", "abstract", "year", "venue_name", "coauthors", "url", "created_at"]
        read_only_fields = ["id", "created_at"]
        extra_kwargs = {
            "title": {"max_length": 500},
            "abstract": {"max_length": 20000, "required": False},
            "year": {"min_value": FIRST_YEAR, "max_value": LAST_YEAR},
            "venue_name": {"max_length": 300, "required": False},
            "url": {"max_length": 200, "required": False},
        }

    coauthors = serializers.ListField(
        child=serializers.CharField(max_length=300), max_length=100, required=False, default=list
    )


class ImportSerializer(serializers.Serializer):
    format = serializers.ChoiceField(choices=[(f, f) for f in FORMATS])
    content = serializers.CharField(
        max_length=MAX_IMPORT_CHARS, help_text="The BibTeX, CSV or JSON text."
    )


class ImportResultSerializer(serializers.Serializer):
    created = serializers.IntegerField()
    skipped = serializers.IntegerField()
    problems = serializers.ListField(child=serializers.CharField())


class PublicationFilter(ApiFilterSet):
    year = WholeNumberFilter(min_value=FIRST_YEAR, max_value=LAST_YEAR)

    class Meta:
        model = Publication
        fields = ["year"]


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
    @action(detail=False, methods=["post"], url_path="import")
    def bulk_import(self, request):
        """Add many publications at once from BibTeX, CSV or JSON; known titles are skipped."""
        serializer = ImportSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        result = publications_import(
            user=request.user, content=data["content"], fmt=data["format"]
        )
        return Response(ImportResultSerializer(result).data, status=status.HTTP_201_CREATED)
