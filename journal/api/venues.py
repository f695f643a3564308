"""Venues (public) with their review form and the caller's roles."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers, viewsets

from journal.api.permissions import ReadPublicOrAuthenticated
from journal.enums import RoleKind
from journal.models import Venue
from journal.selectors.api import venues_for_api


class ReviewFormRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    slug = serializers.CharField()
    version = serializers.IntegerField()
    name = serializers.CharField()


class VenueSerializer(serializers.ModelSerializer):
    review_form = ReviewFormRefSerializer(read_only=True, allow_null=True)
    my_roles = serializers.SerializerMethodField()
    html_url = serializers.SerializerMethodField()

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


class VenueViewSet(viewsets.ReadOnlyModelViewSet):
    """Every venue; anyone may read them."""

    serializer_class = VenueSerializer
    permission_classes = [ReadPublicOrAuthenticated]
    lookup_field = "slug"
    lookup_value_regex = "[-a-zA-Z0-9_]{1,64}"
    filterset_fields = ["kind", "anonymity", "accepting_submissions"]
    ordering_fields = ["name", "created_at", "submission_deadline"]
    ordering = ["name"]

    def get_queryset(self):
        return venues_for_api(user=self.request.user)
