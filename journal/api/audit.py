"""Audit events the caller may read, and the outbox of the venues a chief runs."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers, viewsets

from journal.api.fields import UserRefSerializer
from journal.api.filters import AuditEventFilter, EmailFilter
from journal.api.visibility import scope_to_token
from journal.models import AuditEvent, OutboundEmail
from journal.rules import is_venue_chief
from journal.selectors.api import audit_events_visible_to, emails_for_chief


class AuditEventSerializer(serializers.ModelSerializer):
    venue = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    actor = serializers.SerializerMethodField()

    class Meta:
        model = AuditEvent
        fields = [
            "id",
            "venue",
            "submission",
            "action",
            "from_state",
            "to_state",
            "note",
            "data",
            "actor",
            "created_at",
        ]
        read_only_fields = fields

    @extend_schema_field(UserRefSerializer(allow_null=True))
    def get_actor(self, obj: AuditEvent) -> dict | None:
        """Name who acted to editors only (and to the actor); others read null."""
        user = self.context["request"].user
        if obj.actor is None:
            return None
        if obj.actor_id == user.pk or (
            user.has_perm("journal.view_editor_audit", obj.submission)
            if obj.submission is not None
            else is_venue_chief(user, obj.venue)
        ):
            return UserRefSerializer(obj.actor).data
        return None


class AuditEventViewSet(viewsets.ReadOnlyModelViewSet):
    """What happened, newest first: authors see their papers' author-visible events."""

    serializer_class = AuditEventSerializer
    filterset_class = AuditEventFilter
    ordering_fields = ["created_at"]
    ordering = ["-created_at", "-pk"]
    lookup_value_regex = "[0-9]{1,18}"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return AuditEvent.objects.none()
        return scope_to_token(self.request, audit_events_visible_to(user=self.request.user))


class EmailSerializer(serializers.ModelSerializer):
    venue = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = OutboundEmail
        fields = [
            "id",
            "venue",
            "submission",
            "to",
            "subject",
            "body",
            "template",
            "category",
            "status",
            "attempts",
            "error",
            "created_at",
            "sent_at",
        ]
        read_only_fields = fields


class EmailViewSet(viewsets.ReadOnlyModelViewSet):
    """The e-mail outbox of the venues you chair (never mail about your own papers)."""

    serializer_class = EmailSerializer
    filterset_class = EmailFilter
    ordering_fields = ["created_at", "sent_at"]
    ordering = ["-created_at", "-pk"]
    lookup_value_regex = "[0-9]{1,18}"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return OutboundEmail.objects.none()
        return scope_to_token(self.request, emails_for_chief(user=self.request.user))
