"""Venues (public) with their review form and the caller's roles."""

from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status, viewsets
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from journal.api.permissions import ReadPublicOrAuthenticated, TokenScope, token_venue_id
from journal.api.visibility import require_perm
from journal.enums import Anonymity, RoleKind, VenueKind
from journal.models import Venue
from journal.selectors.api import venues_for_api
from journal.services.venues import venue_create


class ReviewFormRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    slug = serializers.CharField()
    version = serializers.IntegerField()
    name = serializers.CharField()


class VenueSerializer(serializers.ModelSerializer):
    review_form = ReviewFormRefSerializer(read_only=True, allow_null=True)
    my_roles = serializers.SerializerMethodField()
    html_url = serializers.SerializerMethodField()
    subject_areas = serializers.ListField(
        child=serializers.CharField(),
        read_only=True,
        help_text="The areas a paper is submitted to (each paper names one); empty for none.",
    )

    class Meta:
        model = Venue
        fields = [
            "slug",
            "name",
            "kind",
            "description",
            "anonymity",
            "accepting_submissions",
            "submission_deadline",
            "camera_ready_deadline",
            "timezone",
            "deadlines_in_aoe",
            "page_limit",
            "max_pdf_mb",
            "max_supplement_mb",
            "reviewers_per_paper",
            "review_period_days",
            "long_paper_pages",
            "long_review_period_days",
            "editor_assignment_days",
            "reviewer_assignment_days",
            "discussion_days",
            "recommendation_days",
            "meta_review_days",
            "approval_days",
            "review_publication",
            "publish_recommendations",
            "authors_may_comment",
            "discussion_after_own_review",
            "subject_areas",
            "review_form",
            "my_roles",
            "html_url",
        ]
        read_only_fields = fields

    @extend_schema_field(
        serializers.ListField(child=serializers.ChoiceField(choices=RoleKind.choices))
    )
    def get_my_roles(self, obj) -> list[str]:
        """Return the roles the caller holds at this venue."""
        return sorted(r.role for r in getattr(obj, "caller_roles", ()))

    def get_html_url(self, obj) -> str:
        return self.context["request"].build_absolute_uri(obj.get_absolute_url())


class VenueCreateSerializer(serializers.Serializer):
    slug = serializers.SlugField(max_length=64)
    name = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(choices=VenueKind.choices, default=VenueKind.JOURNAL)
    anonymity = serializers.ChoiceField(choices=Anonymity.choices, default=Anonymity.DOUBLE_BLIND)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    review_form = serializers.SlugField(
        required=False,
        allow_null=True,
        default=None,
        help_text="Slug of the review form; empty for the default, Peerless balanced.",
    )


class VenueViewSet(viewsets.ReadOnlyModelViewSet):
    """Every venue; anyone may read them. The site's staff create venues."""

    serializer_class = VenueSerializer
    permission_classes = [ReadPublicOrAuthenticated, TokenScope]
    lookup_field = "slug"
    lookup_value_regex = "[-a-zA-Z0-9_]{1,64}"
    filterset_fields = ["kind", "anonymity", "accepting_submissions"]
    ordering_fields = ["name", "created_at", "submission_deadline"]
    ordering = ["name"]

    def get_queryset(self):
        return venues_for_api(user=self.request.user)

    @extend_schema(request=VenueCreateSerializer, responses={201: VenueSerializer})
    def create(self, request):
        """Create a venue (site staff); the caller becomes its first chief. It reviews with
        Peerless balanced unless `review_form` names another form."""
        require_perm(
            request.user, "journal.create_venue", None, "Only the site's staff create venues."
        )
        if token_venue_id(request) is not None:
            raise PermissionDenied("This token is limited to one venue; it cannot create venues.")
        serializer = VenueCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        venue = venue_create(
            actor=request.user,
            slug=data["slug"],
            name=data["name"],
            kind=data["kind"],
            anonymity=data["anonymity"],
            description=data["description"],
            review_form_slug=data["review_form"],
        )
        venue = venues_for_api(user=request.user).get(pk=venue.pk)
        body = VenueSerializer(venue, context=self.get_serializer_context()).data
        return Response(body, status=status.HTTP_201_CREATED)
