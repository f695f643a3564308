"""Query-string filters of the list endpoints (django-filter).

Every list filters through `ApiFilterSet`, whose filters refuse with a 400 what the column
cannot hold (a number out of its range, a fraction, a word where yes or no is asked) instead
of ignoring it or sending it to the database.
"""

from datetime import UTC

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db import connection, models
from django.db.models import TextField
from django.db.models.functions import Cast
from django_filters.fields import IsoDateTimeField
from django_filters.filterset import FILTER_FOR_DBFIELD_DEFAULTS
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.drainage import set_override

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


#: The largest id a PostgreSQL bigint column holds.
MAX_ID = 2**63 - 1


class WholeNumberField(forms.IntegerField):
    """A whole number within bounds; a fraction, a word or a number out of range is refused
    with one message that says what is accepted."""

    def __init__(self, *, min_value: int, max_value: int, **kwargs):
        super().__init__(min_value=min_value, max_value=max_value, **kwargs)
        message = f"Enter a whole number from {min_value} to {max_value}."
        self.error_messages = {
            **self.error_messages,
            "invalid": message,
            "min_value": message,
            "max_value": message,
        }


class WholeNumberFilter(django_filters.NumberFilter):
    """Filter on an integer column; values the column cannot hold answer 400, never reach
    the database."""

    field_class = WholeNumberField

    def __init__(self, *args, min_value: int, max_value: int, **kwargs):
        super().__init__(*args, min_value=min_value, max_value=max_value, **kwargs)
        set_override(
            self, "field", {"type": "integer", "minimum": min_value, "maximum": max_value}
        )


class IdFilter(WholeNumberFilter):
    """Filter on an object's id (or a foreign key to one)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, min_value=1, max_value=MAX_ID, **kwargs)


class YesNoField(forms.Field):
    """`true` or `false` (any case); anything else is refused rather than ignored."""

    def to_python(self, value):
        if value in (None, ""):
            return None
        answer = {"true": True, "false": False}.get(str(value).lower())
        if answer is None:
            raise ValidationError("Enter true or false.", code="invalid")
        return answer


class YesNoFilter(django_filters.BooleanFilter):
    field_class = YesNoField


def _column_range(field: models.Field) -> dict[str, int]:
    low, high = connection.ops.integer_field_range(field.get_internal_type())
    if isinstance(field, models.AutoField):
        low = 1
    return {"min_value": 0 if low is None else low, "max_value": MAX_ID if high is None else high}


_WHOLE_NUMBER = {"filter_class": WholeNumberFilter, "extra": _column_range}


class ApiFilterSet(django_filters.FilterSet):
    """The base of every list's filters, also of those a view names by `filterset_fields`."""

    FILTER_DEFAULTS = {
        **FILTER_FOR_DBFIELD_DEFAULTS,
        models.AutoField: _WHOLE_NUMBER,
        models.SmallIntegerField: _WHOLE_NUMBER,
        models.IntegerField: _WHOLE_NUMBER,
        models.PositiveIntegerField: _WHOLE_NUMBER,
        models.PositiveSmallIntegerField: _WHOLE_NUMBER,
        models.BooleanField: {"filter_class": YesNoFilter},
    }


class ApiFilterBackend(DjangoFilterBackend):
    """Build the filters a view names by `filterset_fields` on `ApiFilterSet`."""

    filterset_base = ApiFilterSet


class SubmissionFilter(ApiFilterSet):
    venue = django_filters.CharFilter(field_name="venue__slug", help_text="Venue slug.")
    state = django_filters.MultipleChoiceFilter(choices=SubmissionState.choices)
    keyword = django_filters.CharFilter(
        method="filter_keyword", help_text="Part of a keyword, any case."
    )
    subject_area = django_filters.CharFilter(
        help_text="A subject area of the venue, exactly as the venue lists it.",
    )
    q = django_filters.CharFilter(
        field_name="title", lookup_expr="icontains", help_text="Part of the title."
    )
    updated_after = MomentFilter(field_name="updated_at", lookup_expr="gte")

    class Meta:
        model = Submission
        fields = ["venue", "state", "keyword", "subject_area", "q", "updated_after"]

    def filter_keyword(self, queryset, name, value):
        return queryset.annotate(_keywords=Cast("keywords", TextField())).filter(
            _keywords__icontains=value
        )


class AuditEventFilter(ApiFilterSet):
    venue = django_filters.CharFilter(field_name="venue__slug")
    submission = IdFilter(field_name="submission_id", help_text="A submission id.")
    action = django_filters.CharFilter()
    created_after = MomentFilter(field_name="created_at", lookup_expr="gte")

    class Meta:
        model = AuditEvent
        fields = ["venue", "submission", "action", "created_after"]


class EmailFilter(ApiFilterSet):
    venue = django_filters.CharFilter(field_name="venue__slug")
    submission = IdFilter(field_name="submission_id", help_text="A submission id.")
    status = django_filters.ChoiceFilter(choices=EmailStatus.choices)
    template = django_filters.CharFilter()

    class Meta:
        model = OutboundEmail
        fields = ["venue", "submission", "status", "template"]


class DeliveryFilter(ApiFilterSet):
    webhook = IdFilter(field_name="webhook_id", help_text="A webhook id.")
    status = django_filters.ChoiceFilter(choices=DeliveryStatus.choices)
    event = django_filters.ChoiceFilter(choices=WebhookEvent.choices)

    class Meta:
        model = WebhookDelivery
        fields = ["webhook", "status", "event"]
