"""Webhooks of a venue and their deliveries: for the venue's chiefs."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response

from journal.api.concurrency import IF_MATCH, check_if_match, etag_of
from journal.api.fields import SlugRefField
from journal.api.filters import DeliveryFilter
from journal.api.idempotency import IDEMPOTENCY_KEY, idempotent
from journal.api.permissions import token_venue_id
from journal.api.visibility import require_perm, scope_to_token
from journal.models import Venue, Webhook, WebhookDelivery
from journal.models.api import WebhookEvent
from journal.selectors.api import deliveries_managed_by, webhooks_managed_by
from journal.services.webhooks import webhook_create, webhook_delete, webhook_update


def webhook_etag(webhook: Webhook) -> str:
    return etag_of("webhook", webhook.pk, webhook.updated_at)


class WebhookSerializer(serializers.ModelSerializer):
    venue = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    events = serializers.ListField(child=serializers.ChoiceField(choices=WebhookEvent.choices))

    class Meta:
        model = Webhook
        fields = ["id", "venue", "url", "events", "active", "secret", "created_at", "updated_at"]
        read_only_fields = fields


class WebhookCreateSerializer(serializers.Serializer):
    venue = SlugRefField(slug_field="slug", queryset=Venue.objects.all())
    url = serializers.CharField(max_length=500, help_text="An https:// URL.")
    events = serializers.ListField(
        child=serializers.ChoiceField(choices=WebhookEvent.choices), max_length=20
    )
    active = serializers.BooleanField(required=False, default=True)


class WebhookUpdateSerializer(serializers.Serializer):
    url = serializers.CharField(max_length=500, required=False)
    events = serializers.ListField(
        child=serializers.ChoiceField(choices=WebhookEvent.choices), max_length=20, required=False
    )
    active = serializers.BooleanField(required=False)
    rotate_secret = serializers.BooleanField(
        required=False, default=False, help_text="Replace the signing secret."
    )


class DeliverySerializer(serializers.ModelSerializer):
    class Meta:
        model = WebhookDelivery
        fields = [
            "id",
            "webhook",
            "event",
            "payload",
            "status",
            "attempts",
            "response_code",
            "error",
            "next_retry_at",
            "created_at",
            "delivered_at",
        ]
        read_only_fields = fields


class WebhookViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """HTTPS endpoints that receive a venue's events, signed with the webhook's secret."""

    serializer_class = WebhookSerializer
    filterset_fields = ["active"]
    ordering_fields = ["created_at"]
    ordering = ["pk"]
    lookup_value_regex = "[0-9]{1,18}"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Webhook.objects.none()
        return scope_to_token(self.request, webhooks_managed_by(user=self.request.user))

    def retrieve(self, request, *args, **kwargs):
        webhook = self.get_object()
        data = self.get_serializer(webhook).data
        return Response(data, headers={"ETag": webhook_etag(webhook)})

    @extend_schema(
        request=WebhookCreateSerializer,
        parameters=[IDEMPOTENCY_KEY],
        responses={201: WebhookSerializer},
    )
    @idempotent
    def create(self, request, *args, **kwargs):
        serializer = WebhookCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        venue = data["venue"]
        require_perm(
            request.user, "journal.manage_venue", venue, "Only the venue's chiefs add webhooks."
        )
        bound = token_venue_id(request)
        if bound is not None and bound != venue.pk:
            raise PermissionDenied("This token is limited to another venue.")
        webhook = webhook_create(
            venue=venue,
            actor=request.user,
            url=data["url"],
            events=data["events"],
            active=data["active"],
        )
        return Response(
            WebhookSerializer(webhook).data,
            status=status.HTTP_201_CREATED,
            headers={"ETag": webhook_etag(webhook)},
        )

    @extend_schema(
        request=WebhookUpdateSerializer, parameters=[IF_MATCH], responses={200: WebhookSerializer}
    )
    def partial_update(self, request, *args, **kwargs):
        webhook = self.get_object()
        check_if_match(request, webhook_etag(webhook), required=False)
        serializer = WebhookUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        webhook = webhook_update(webhook=webhook, actor=request.user, **serializer.validated_data)
        return Response(WebhookSerializer(webhook).data, headers={"ETag": webhook_etag(webhook)})

    def perform_destroy(self, instance):
        webhook_delete(webhook=instance, actor=self.request.user)

    @extend_schema(responses={200: DeliverySerializer(many=True)})
    @action(detail=True, methods=["get"], filter_backends=[])
    def deliveries(self, request, pk=None):
        """List the deliveries to this endpoint, newest first, with their status."""
        webhook = self.get_object()
        filters = DeliveryFilter(
            request.query_params,
            queryset=deliveries_managed_by(user=request.user).filter(webhook=webhook),
        )
        if not filters.is_valid():
            raise ValidationError(filters.errors)
        queryset = filters.qs
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(DeliverySerializer(page, many=True).data)


class DeliveryViewSet(viewsets.ReadOnlyModelViewSet):
    """Every delivery to the webhooks of the venues you chair."""

    serializer_class = DeliverySerializer
    filterset_class = DeliveryFilter
    ordering_fields = ["created_at"]
    ordering = ["-created_at", "-pk"]
    lookup_value_regex = "[0-9]{1,18}"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return WebhookDelivery.objects.none()
        queryset = deliveries_managed_by(user=self.request.user)
        return scope_to_token(self.request, queryset, "webhook__venue_id")
