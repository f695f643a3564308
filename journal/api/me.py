"""Who the caller is: their account, roles and the token in use."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from journal.api.concurrency import IF_MATCH_REQUIRED, check_if_match, etag_of
from journal.api.permissions import request_token, token_venue_id
from journal.enums import RoleKind
from journal.limits import LOAD_QUOTA_MAX, SUBJECT_AREA_MAX_CHARS, SUBJECT_AREAS_MAX
from journal.models import ApiToken, VenueRole
from journal.models.api import TokenScope
from journal.services.profile import profile_update
from journal.services.role_preferences import venue_role_preferences_set
from journal.services.roles import venue_role_set_away
from journal.services.time_zones import user_time_zone_set
from journal.time_zones import validate_time_zone


class RoleSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    venue = serializers.CharField(source="venue.slug")
    role = serializers.ChoiceField(choices=RoleKind.choices)
    unavailable_until = serializers.DateField(allow_null=True, help_text="Away until (or null).")
    load_quota = serializers.IntegerField(
        allow_null=True, help_text="Most papers at once (null: no limit)."
    )
    subject_areas = serializers.ListField(
        child=serializers.CharField(), help_text="The venue's subject areas you review in."
    )


class AwaySerializer(serializers.Serializer):
    """What to change on one of your roles; send only what changes."""

    unavailable_until = serializers.DateField(
        allow_null=True,
        required=False,
        help_text="Away until this date (no new papers); null: available. Dated periods: "
        "/me/availability/.",
    )
    load_quota = serializers.IntegerField(
        allow_null=True,
        required=False,
        min_value=1,
        max_value=LOAD_QUOTA_MAX,
        help_text="Most papers you take at once, up to the venue's maximum (null: no limit "
        "where the venue sets none).",
    )
    subject_areas = serializers.ListField(
        child=serializers.CharField(max_length=SUBJECT_AREA_MAX_CHARS),
        max_length=SUBJECT_AREAS_MAX,
        required=False,
        help_text="The venue's subject areas you review in (the whole list).",
    )


class MyRoleView(APIView):
    """Change one of your roles: until when you are away, your load, your subject areas."""

    @extend_schema(request=AwaySerializer, responses={200: RoleSerializer})
    def patch(self, request, role_pk: int):
        venue_role = (
            VenueRole.objects.select_related("venue")
            .filter(pk=role_pk, user_id=request.user.pk)
            .first()
        )
        if venue_role is None:
            raise NotFound("You hold no such role.")
        serializer = AwaySerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        updated = venue_role
        with transaction.atomic():
            if "unavailable_until" in data:
                updated = venue_role_set_away(
                    venue_role=venue_role,
                    actor=request.user,
                    unavailable_until=data["unavailable_until"],
                )
            if "load_quota" in data or "subject_areas" in data:
                updated = venue_role_preferences_set(
                    venue_role=venue_role,
                    actor=request.user,
                    load_quota=data.get("load_quota", updated.load_quota),
                    subject_areas=data.get("subject_areas", updated.subject_areas),
                )
        return Response(RoleSerializer(updated).data)


class TokenInfoSerializer(serializers.ModelSerializer):
    venue = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    scope = serializers.ChoiceField(choices=TokenScope.choices)

    class Meta:
        model = ApiToken
        fields = ["name", "prefix", "scope", "venue", "created_at", "last_used_at"]
        read_only_fields = fields


class MeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    email = serializers.EmailField()
    display_name = serializers.CharField()
    affiliation = serializers.CharField()
    orcid = serializers.CharField()
    email_domains = serializers.ListField(child=serializers.CharField())
    time_zone = serializers.CharField(
        help_text="IANA zone pages show your times in; empty: your browser's."
    )
    roles = RoleSerializer(many=True)
    token = TokenInfoSerializer(allow_null=True)


class ProfileUpdateSerializer(serializers.Serializer):
    """Profile fields to change; send only what changes."""

    display_name = serializers.CharField(max_length=200, required=False)
    affiliation = serializers.CharField(max_length=300, required=False, allow_blank=True)
    orcid = serializers.CharField(max_length=60, required=False, allow_blank=True)
    email_domains = serializers.ListField(
        child=serializers.CharField(max_length=200), max_length=20, required=False
    )
    time_zone = serializers.CharField(
        max_length=64,
        required=False,
        allow_blank=True,
        help_text="IANA name such as Europe/Berlin; empty: your browser's zone.",
    )

    def validate_time_zone(self, value: str) -> str:
        try:
            validate_time_zone(value.strip())
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.messages[0]) from None
        return value.strip()


def profile_etag(user) -> str:
    return etag_of(
        "profile",
        user.pk,
        user.display_name,
        user.affiliation,
        user.orcid,
        user.email_domains,
        user.time_zone,
    )


class MeView(APIView):
    """You: your account and reviewer profile, your venue roles and the token in use."""

    def _respond(self, request) -> Response:
        user = request.user
        data = {
            "id": user.pk,
            "email": user.email,
            "display_name": user.display_name,
            "affiliation": user.affiliation,
            "orcid": user.orcid,
            "email_domains": list(user.email_domains),
            "time_zone": user.time_zone,
            "roles": user.venue_roles.select_related("venue").order_by("venue__slug", "role"),
            "token": request_token(request),
        }
        return Response(MeSerializer(data).data, headers={"ETag": profile_etag(user)})

    @extend_schema(responses={200: MeSerializer})
    def get(self, request):
        """Return the signed-in person, their venue roles and the token used (if any)."""
        return self._respond(request)

    @extend_schema(
        request=ProfileUpdateSerializer,
        parameters=[IF_MATCH_REQUIRED],
        responses={200: MeSerializer},
    )
    def patch(self, request):
        """Change your profile (name, affiliation, ORCID iD, institutional domains, time zone)."""
        user = request.user
        if token_venue_id(request) is not None:
            raise PermissionDenied("A token limited to one venue cannot change your profile.")
        check_if_match(request, profile_etag(user), required=True)
        serializer = ProfileUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        changes = dict(serializer.validated_data)
        time_zone = changes.pop("time_zone", None)
        current = {
            "display_name": user.display_name,
            "affiliation": user.affiliation,
            "orcid": user.orcid,
            "email_domains": list(user.email_domains),
        }
        profile_update(user=user, **{**current, **changes})
        if time_zone is not None:  # checked above, so saving it cannot fail after the rest
            user_time_zone_set(user=user, time_zone=time_zone)
        return self._respond(request)
