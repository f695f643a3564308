"""Your e-mail preferences: per optional category, at once, in a daily digest, or never."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from journal.api.permissions import token_venue_id
from journal.email_categories import CATEGORY_HELP
from journal.enums import EmailCategory, EmailDelivery
from journal.selectors.email_preferences import email_preferences_for
from journal.services.email_preferences import email_preferences_set


class EmailCategorySerializer(serializers.Serializer):
    category = serializers.ChoiceField(choices=EmailCategory.choices)
    label = serializers.CharField()
    description = serializers.CharField()
    optional = serializers.BooleanField(
        help_text="False: always sent at once, whatever you choose."
    )
    delivery = serializers.ChoiceField(choices=EmailDelivery.choices)


class EmailPreferencesSerializer(serializers.Serializer):
    categories = EmailCategorySerializer(many=True)


class EmailPreferencesInSerializer(serializers.Serializer):
    """The categories to change and their new delivery; send only what changes."""

    discussion = serializers.ChoiceField(choices=EmailDelivery.choices, required=False)
    reminders = serializers.ChoiceField(choices=EmailDelivery.choices, required=False)
    status = serializers.ChoiceField(choices=EmailDelivery.choices, required=False)

    def validate(self, attrs):
        unknown = set(self.initial_data) - set(self.fields)
        if unknown:
            mandatory = sorted(c for c in unknown if c in EmailCategory.values)
            if mandatory:
                labels = ", ".join(EmailCategory(c).label for c in mandatory)
                raise serializers.ValidationError(
                    {c: [f"{labels}: always sent at once; not a choice."] for c in mandatory}
                )
            raise serializers.ValidationError(
                {c: ["There is no such e-mail category."] for c in sorted(unknown)}
            )
        if not attrs:
            raise serializers.ValidationError("Name at least one category to change.")
        return attrs


def _preferences(user) -> dict:
    chosen = email_preferences_for(user=user)
    return {
        "categories": [
            {
                "category": category.value,
                "label": category.label,
                "description": CATEGORY_HELP[category],
                "optional": category in EmailCategory.OPTIONAL,
                "delivery": chosen.get(category, EmailDelivery.IMMEDIATE),
            }
            for category in EmailCategory
            if category != EmailCategory.DIGEST
        ]
    }


class MyEmailPreferencesView(APIView):
    """How you get each kind of e-mail (the mandatory kinds are listed, always at once)."""

    @extend_schema(responses={200: EmailPreferencesSerializer})
    def get(self, request):
        """Return every e-mail category with your choice for it."""
        return Response(EmailPreferencesSerializer(_preferences(request.user)).data)

    @extend_schema(
        request=EmailPreferencesInSerializer, responses={200: EmailPreferencesSerializer}
    )
    def patch(self, request):
        """Change how you get some optional categories: immediate, digest or off."""
        if token_venue_id(request) is not None:
            raise PermissionDenied("A token limited to one venue cannot change your e-mail.")
        serializer = EmailPreferencesInSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        email_preferences_set(user=request.user, preferences=serializer.validated_data)
        return Response(EmailPreferencesSerializer(_preferences(request.user)).data)
