"""The signed-in person's self-service in the API: availability periods, institution history
and role invitations (accept, decline); and, for a venue's chairs, the invitations they send.
The same services as the profile and roles pages."""

from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from journal.api.permissions import token_venue_id
from journal.api.visibility import require_perm
from journal.enums import RoleInvitationState, RoleKind
from journal.limits import LOAD_QUOTA_MAX, REASON_MAX_CHARS
from journal.models import AvailabilityPeriod, InstitutionAffiliation, RoleInvitation, Venue
from journal.rendering import render_markdown
from journal.selectors.availability import availability_periods_of
from journal.selectors.role_invitations import (
    role_invitation_counts,
    role_invitations_of,
    venue_role_invitations,
)
from journal.services.availability import availability_period_add, availability_period_remove
from journal.services.institution_history import (
    institution_affiliation_add,
    institution_affiliation_remove,
)
from journal.services.role_invitations import (
    role_invitation_accept,
    role_invitation_decline,
    role_invitation_withdraw,
)
from journal.services.roles import venue_role_invite

#: Invitations one answer of the chairs' list holds at most (the counts cover all).
INVITATIONS_LISTED_MAX = 500


def _refuse_venue_token(request) -> None:
    if token_venue_id(request) is not None:
        raise PermissionDenied("A token limited to one venue cannot change your profile.")


class AvailabilityPeriodSerializer(serializers.ModelSerializer):
    venue = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    is_past = serializers.SerializerMethodField()

    class Meta:
        model = AvailabilityPeriod
        fields = ["id", "venue", "starts_on", "ends_on", "reason", "is_past", "created_at"]
        read_only_fields = fields

    def get_is_past(self, obj) -> bool:
        """Whether the period is over (kept on record)."""
        return obj.ends_on < timezone.localdate()


class AvailabilityPeriodInSerializer(serializers.Serializer):
    starts_on = serializers.DateField(help_text="The first day away.")
    ends_on = serializers.DateField(help_text="The last day away.")
    venue = serializers.SlugField(
        required=False, allow_null=True, default=None, help_text="A venue's slug; null: all."
    )
    reason = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class MyAvailabilityView(APIView):
    """Your availability periods: you are not matched, suggested or invited while away."""

    @extend_schema(responses={200: AvailabilityPeriodSerializer(many=True)})
    def get(self, request):
        rows = availability_periods_of(user=request.user)
        return Response(AvailabilityPeriodSerializer(rows, many=True).data)

    @extend_schema(
        request=AvailabilityPeriodInSerializer, responses={201: AvailabilityPeriodSerializer}
    )
    def post(self, request):
        _refuse_venue_token(request)
        serializer = AvailabilityPeriodInSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        venue = None
        if data["venue"]:
            venue = Venue.objects.filter(slug=data["venue"]).first()
            if venue is None:
                raise serializers.ValidationError({"venue": ["No such venue."]})
        period = availability_period_add(
            user=request.user,
            starts_on=data["starts_on"],
            ends_on=data["ends_on"],
            venue=venue,
            reason=data["reason"],
        )
        body = AvailabilityPeriodSerializer(period).data
        return Response(body, status=status.HTTP_201_CREATED)


class MyAvailabilityPeriodView(APIView):
    """Withdraw a period: one to come is deleted, one under way ends yesterday (you are
    back); one that is over stays on record (409)."""

    @extend_schema(request=None, responses={200: AvailabilityPeriodSerializer, 204: None})
    def delete(self, request, period_pk: int):
        _refuse_venue_token(request)
        if not AvailabilityPeriod.objects.filter(pk=period_pk, user=request.user).exists():
            raise NotFound("No such period on your list.")
        period = availability_period_remove(user=request.user, period_id=period_pk)
        if period is None:
            return Response(status=status.HTTP_204_NO_CONTENT)
        return Response(AvailabilityPeriodSerializer(period).data)


class InstitutionSerializer(serializers.ModelSerializer):
    class Meta:
        model = InstitutionAffiliation
        fields = ["id", "institution", "start_year", "end_year", "created_at"]
        read_only_fields = ["id", "created_at"]
        extra_kwargs = {
            "start_year": {"required": False, "allow_null": True, "default": None},
            "end_year": {
                "required": False,
                "allow_null": True,
                "default": None,
                "help_text": "null: you are still there.",
            },
        }


class MyInstitutionsView(APIView):
    """Your institution history; conflicts of interest count recent ones."""

    @extend_schema(responses={200: InstitutionSerializer(many=True)})
    def get(self, request):
        rows = InstitutionAffiliation.objects.filter(user=request.user).order_by("pk")
        return Response(InstitutionSerializer(rows, many=True).data)

    @extend_schema(request=InstitutionSerializer, responses={201: InstitutionSerializer})
    def post(self, request):
        _refuse_venue_token(request)
        serializer = InstitutionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        entry = institution_affiliation_add(user=request.user, **serializer.validated_data)
        return Response(InstitutionSerializer(entry).data, status=status.HTTP_201_CREATED)


class MyInstitutionView(APIView):
    """Remove one entry of your institution history."""

    @extend_schema(request=None, responses={204: None})
    def delete(self, request, entry_pk: int):
        _refuse_venue_token(request)
        if not InstitutionAffiliation.objects.filter(pk=entry_pk, user=request.user).exists():
            raise NotFound("No such institution on your list.")
        institution_affiliation_remove(user=request.user, entry_id=entry_pk)
        return Response(status=status.HTTP_204_NO_CONTENT)


class RoleInvitationSerializer(serializers.ModelSerializer):
    venue = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    venue_name = serializers.CharField(source="venue.name", read_only=True)
    role = serializers.ChoiceField(choices=RoleKind.choices)
    state = serializers.ChoiceField(choices=RoleInvitationState.choices)

    class Meta:
        model = RoleInvitation
        fields = [
            "id",
            "venue",
            "venue_name",
            "role",
            "state",
            "load_quota",
            "decline_reason",
            "created_at",
            "responded_at",
        ]
        read_only_fields = fields


class AcceptedInvitationSerializer(RoleInvitationSerializer):
    reviewer_guide = serializers.CharField(
        source="venue.reviewer_guide", read_only=True, help_text="The venue's guide (Markdown)."
    )
    reviewer_guide_html = serializers.SerializerMethodField()

    class Meta(RoleInvitationSerializer.Meta):
        fields = [*RoleInvitationSerializer.Meta.fields, "reviewer_guide", "reviewer_guide_html"]
        read_only_fields = fields

    def get_reviewer_guide_html(self, obj) -> str:
        """The guide rendered as the page shows it (sanitised HTML)."""
        return render_markdown(obj.venue.reviewer_guide or "")


class RoleDeclineSerializer(serializers.Serializer):
    reason = serializers.CharField(
        max_length=REASON_MAX_CHARS, required=False, allow_blank=True, default=""
    )


def _my_invitation(request, pk: int) -> RoleInvitation:
    invitation = RoleInvitation.objects.select_related("venue").filter(pk=pk).first()
    if invitation is None or invitation.user_id != request.user.pk:
        raise NotFound("No such invitation for you.")
    if token_venue_id(request) not in (None, invitation.venue_id):
        raise NotFound("No such invitation for you.")
    return invitation


class MyRoleInvitationsView(APIView):
    """The role invitations venues sent you (withdrawn ones left out)."""

    @extend_schema(responses={200: RoleInvitationSerializer(many=True)})
    def get(self, request):
        rows = role_invitations_of(user=request.user)
        if (venue_id := token_venue_id(request)) is not None:
            rows = rows.filter(venue_id=venue_id)
        return Response(RoleInvitationSerializer(rows, many=True).data)


class MyRoleInvitationAcceptView(APIView):
    """Accept an invitation: the role is yours; the answer carries the venue's guide."""

    @extend_schema(request=None, responses={200: AcceptedInvitationSerializer})
    def post(self, request, invitation_pk: int):
        invitation = role_invitation_accept(
            invitation=_my_invitation(request, invitation_pk), actor=request.user
        )
        return Response(AcceptedInvitationSerializer(invitation).data)


class MyRoleInvitationDeclineView(APIView):
    """Decline an invitation, optionally saying why (the chairs read it)."""

    @extend_schema(request=RoleDeclineSerializer, responses={200: RoleInvitationSerializer})
    def post(self, request, invitation_pk: int):
        invitation = _my_invitation(request, invitation_pk)
        serializer = RoleDeclineSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        invitation = role_invitation_decline(
            invitation=invitation, actor=request.user, reason=serializer.validated_data["reason"]
        )
        return Response(RoleInvitationSerializer(invitation).data)


class VenueInvitationSerializer(RoleInvitationSerializer):
    email = serializers.EmailField(source="user.email", read_only=True)
    name = serializers.CharField(source="user.display_name", read_only=True)

    class Meta(RoleInvitationSerializer.Meta):
        fields = [*RoleInvitationSerializer.Meta.fields, "email", "name"]
        read_only_fields = fields


class InvitationCountsSerializer(serializers.Serializer):
    pending = serializers.IntegerField()
    accepted = serializers.IntegerField()
    declined = serializers.IntegerField()
    withdrawn = serializers.IntegerField()


class VenueInvitationsSerializer(serializers.Serializer):
    counts = InvitationCountsSerializer()
    results = VenueInvitationSerializer(many=True)


class RoleInviteSerializer(serializers.Serializer):
    email = serializers.EmailField()
    role = serializers.ChoiceField(choices=RoleKind.choices)
    display_name = serializers.CharField(
        max_length=200, required=False, allow_blank=True, default=""
    )
    affiliation = serializers.CharField(
        max_length=300, required=False, allow_blank=True, default=""
    )
    load_quota = serializers.IntegerField(
        min_value=1, max_value=LOAD_QUOTA_MAX, required=False, allow_null=True, default=None
    )


def _chief_venue(request, slug: str) -> Venue:
    venue = Venue.objects.filter(slug=slug).first()
    if venue is None or token_venue_id(request) not in (None, venue.pk):
        raise NotFound("No such venue.")
    require_perm(
        request.user, "journal.manage_venue", venue, "Only the venue's chiefs invite people."
    )
    return venue


class VenueRoleInvitationsView(APIView):
    """The venue's role invitations with their answers, and new ones (chiefs only). The
    person holds the role once they accept."""

    @extend_schema(responses={200: VenueInvitationsSerializer})
    def get(self, request, slug: str):
        venue = _chief_venue(request, slug)
        rows = venue_role_invitations(venue=venue)
        if state := request.query_params.get("state"):
            if state not in RoleInvitationState.values:
                raise serializers.ValidationError(
                    {"state": [f"Choose one of: {', '.join(RoleInvitationState.values)}."]}
                )
            rows = rows.filter(state=state)
        body = {
            "counts": role_invitation_counts(venue=venue),
            "results": VenueInvitationSerializer(rows[:INVITATIONS_LISTED_MAX], many=True).data,
        }
        return Response(body)

    @extend_schema(request=RoleInviteSerializer, responses={201: VenueInvitationSerializer})
    def post(self, request, slug: str):
        venue = _chief_venue(request, slug)
        serializer = RoleInviteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        invitation = venue_role_invite(venue=venue, actor=request.user, **serializer.validated_data)
        return Response(VenueInvitationSerializer(invitation).data, status=status.HTTP_201_CREATED)


class VenueRoleInvitationWithdrawView(APIView):
    """Withdraw an invitation nobody answered yet (chiefs only)."""

    @extend_schema(request=None, responses={200: VenueInvitationSerializer})
    def post(self, request, slug: str, invitation_pk: int):
        venue = _chief_venue(request, slug)
        invitation = role_invitation_withdraw(
            venue=venue, actor=request.user, invitation_id=invitation_pk
        )
        return Response(VenueInvitationSerializer(invitation).data)
