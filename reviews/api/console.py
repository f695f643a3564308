"""The area chair console in the API: the papers' progress, and reminders to late reviewers."""

from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from journal.api.permissions import token_venue_id
from journal.api.visibility import require_perm, visible_submission
from journal.enums import RoleKind
from journal.models import Venue
from reviews.selectors.console import area_chair_console
from reviews.services.reminders import reminder_send_manual


class SpreadSerializer(serializers.Serializer):
    n = serializers.IntegerField()
    mean = serializers.FloatField(allow_null=True)
    low = serializers.FloatField(allow_null=True)
    high = serializers.FloatField(allow_null=True)
    std = serializers.FloatField(allow_null=True)


class LateReviewerSerializer(serializers.Serializer):
    invitation = serializers.IntegerField(source="invitation.pk")
    reviewer = serializers.CharField(
        source="name", help_text="Their name for the paper's area chair; empty for others."
    )
    alias = serializers.CharField(source="invitation.alias")
    what = serializers.CharField(help_text="'answer' (invitation) or 'review'.")
    due = serializers.DateTimeField()


class ConsolePaperSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="submission.pk")
    number = serializers.IntegerField(source="submission.number")
    title = serializers.CharField(source="submission.title")
    state = serializers.CharField(source="submission.state")
    required = serializers.IntegerField()
    pending = serializers.IntegerField()
    accepted = serializers.IntegerField()
    submitted = serializers.IntegerField()
    late = serializers.SerializerMethodField()
    scores = SpreadSerializer(help_text="Weighted overall scores on 0-1 of submitted reviews.")
    comments = serializers.IntegerField()
    last_activity = serializers.DateTimeField(allow_null=True)
    meta_review = serializers.CharField(
        source="meta_status", help_text="'not written', 'written' or 'released'."
    )

    @extend_schema_field(LateReviewerSerializer(many=True))
    def get_late(self, obj) -> list[dict]:
        rows = LateReviewerSerializer(obj.late, many=True).data
        if not self.context.get("names"):
            for row in rows:
                row["reviewer"] = ""
        return rows


class ChairSummarySerializer(serializers.Serializer):
    area_chair = serializers.CharField(source="chair.display_name")
    papers = serializers.SerializerMethodField()
    complete = serializers.IntegerField()
    late = serializers.IntegerField()
    meta_reviews = serializers.IntegerField(source="metas")

    @extend_schema_field(ConsolePaperSerializer(many=True))
    def get_papers(self, obj) -> list[dict]:
        return ConsolePaperSerializer(obj.papers, many=True, context={"names": False}).data


class ConsoleSerializer(serializers.Serializer):
    papers = serializers.SerializerMethodField(
        help_text="The papers you handle as area chair, with late reviewers by name."
    )

    @extend_schema_field(ConsolePaperSerializer(many=True))
    def get_papers(self, obj) -> list[dict]:
        return ConsolePaperSerializer(obj.papers, many=True, context={"names": True}).data

    area_chairs = ChairSummarySerializer(
        source="chairs",
        many=True,
        help_text="Senior area chairs: the area chairs you oversee and their papers' progress "
        "(late reviewers counted, not named).",
    )


class VenueConsoleView(APIView):
    """Your area chair console at a venue (area chairs and senior area chairs)."""

    @extend_schema(responses={200: ConsoleSerializer})
    def get(self, request, slug: str):
        venue = Venue.objects.filter(slug=slug).first()
        if venue is None:
            raise NotFound("No such venue.")
        bound = token_venue_id(request)
        if bound is not None and bound != venue.pk:
            raise PermissionDenied("This token is limited to another venue.")
        chairs = venue.role_label(RoleKind.ACTION_EDITOR, plural=True)
        require_perm(
            request.user,
            "journal.view_area_chair_console",
            venue,
            f"The console is for the {chairs} of {venue.name}.",
        )
        console = area_chair_console(venue=venue, user=request.user)
        return Response(ConsoleSerializer(console).data)


class ReminderSerializer(serializers.Serializer):
    email = serializers.IntegerField(source="pk", help_text="The queued e-mail's id.")
    to = serializers.CharField()


class InvitationRemindView(APIView):
    """Remind the reviewer of an unanswered invitation or an unsubmitted review (the paper's
    editors; at most once an hour per invitation)."""

    @extend_schema(request=None, responses={201: ReminderSerializer})
    def post(self, request, pk: int, invitation_pk: int):
        submission = visible_submission(request, pk)
        require_perm(
            request.user,
            "reviews.manage_reviews",
            submission,
            "Only the paper's area chair reminds its reviewers.",
        )
        invitation = (
            submission.review_invitations.select_related("reviewer", "submission__venue")
            .filter(pk=invitation_pk)
            .first()
        )
        if invitation is None:
            raise NotFound("No such invitation.")
        email = reminder_send_manual(invitation=invitation, actor=request.user)
        return Response(ReminderSerializer(email).data, status=201)
