"""Query-string filters of the list endpoints (django-filter)."""

from datetime import UTC

import django_filters
from django.core.exceptions import ValidationError
from django.db.models import TextField
from django.db.models.functions import Cast
from django_filters.fields import IsoDateTimeField

from journal.enums import EmailStatus, SubmissionState
from journal.models import AuditEvent, OutboundEmail, Submission, WebhookDelivery
from journal.models.api import DeliveryStatus, WebhookEvent


class UtcIsoDateTimeField(IsoDateTimeField):
    """An ISO 8601 moment, normalised to UTC (the database refuses exotic offsets)."""

    def to_python(self, value):
        moment = super().to_python(value)
        if moment is None:
            return None
        try:
            return moment.astimezone(UTC)
        except (OverflowError, ValueError):
            raise ValidationError("Enter a moment between the years 1 and 9999.") from None


class MomentFilter(django_filters.IsoDateTimeFilter):
    field_class = UtcIsoDateTimeField


class SubmissionFilter(django_filters.FilterSet):
    venue = django_filters.CharFilter(field_name="venue__slug", help_text="Venue slug.")
    state = django_filters.MultipleChoiceFilter(choices=SubmissionState.choices)
    keyword = django_filters.CharFilter(
        method="filter_keyword", help_text="Part of a keyword, any case."
    )
    q = django_filters.CharFilter(
        field_name="title", lookup_expr="icontains", help_text="Part of the title."
    )
    updated_after = MomentFilter(field_name="updated_at", lookup_expr="gte")

    class Meta:
        model = Submission
        fields = ["venue", "state", "keyword", "q", "updated_after"]

    def filter_keyword(self, queryset, name, value):
        return queryset.annotate(_keywords=Cast("keywords", TextField())).filter(
            _keywords__icontains=value
        )


class AuditEventFilter(django_filters.FilterSet):
    venue = django_filters.CharFilter(field_name="venue__slug")
    submission = django_filters.NumberFilter(field_name="submission_id")
    action = django_filters.CharFilter()
    created_after = MomentFilter(field_name="created_at", lookup_expr="gte")

    class Meta:
        model = AuditEvent
        fields = ["venue", "submission", "action", "created_after"]


class EmailFilter(django_filters.FilterSet):
    venue = django_filters.CharFilter(field_name="venue__slug")
    submission = django_filters.NumberFilter(field_name="submission_id")
    status = django_filters.ChoiceFilter(choices=EmailStatus.choices)
    template = django_filters.CharFilter()

    class Meta:
        model = OutboundEmail
        fields = ["venue", "submission", "status", "template"]


class DeliveryFilter(django_filters.FilterSet):
    webhook = django_filters.NumberFilter(field_name="webhook_id")
    status = django_filters.ChoiceFilter(choices=DeliveryStatus.choices)
    event = django_filters.ChoiceFilter(choices=WebhookEvent.choices)

    class Meta:
        model = WebhookDelivery
        fields = ["webhook", "status", "event"]
