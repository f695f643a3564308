"""The stage clock in the API: a paper's stage deadlines and their extensions, and the venue's
settings (stage durations among them) for its chiefs. The same services as the pages."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from journal.api.visibility import require_perm, visible_submission
from journal.enums import Stage
from journal.limits import SUBJECT_AREA_MAX_CHARS
from journal.models import Venue
from journal.rules import EXTEND_PERMISSIONS
from journal.selectors.deadlines import paper_deadlines
from journal.services.deadlines import MAX_EXTENSION_DAYS, stage_extend
from journal.services.venues import EDITABLE_FIELDS, venue_subject_area_rename, venue_update


class StageSerializer(serializers.Serializer):
    stage = serializers.ChoiceField(choices=Stage.choices)
    label = serializers.CharField()
    owed_by = serializers.CharField()
    started = serializers.DateTimeField(allow_null=True)
    ended = serializers.DateTimeField(allow_null=True)
    due = serializers.DateTimeField(allow_null=True)
    extended_days = serializers.IntegerField()
    late = serializers.BooleanField()
    may_extend = serializers.BooleanField()


class ExtensionSerializer(serializers.Serializer):
    stage = serializers.ChoiceField(choices=Stage.choices)
    days = serializers.IntegerField(min_value=1, max_value=MAX_EXTENSION_DAYS)
    reason = serializers.CharField(max_length=1000)
    granted_by = serializers.CharField(read_only=True, source="granted_by.display_name")
    created_at = serializers.DateTimeField(read_only=True)


class ClockSerializer(serializers.Serializer):
    cycle = serializers.IntegerField()
    submitted = serializers.DateTimeField()
    current_stage = serializers.CharField(allow_null=True)
    stages = StageSerializer(many=True)
    extensions = ExtensionSerializer(many=True)


def _clock(request, submission) -> dict:
    deadlines = paper_deadlines(submission=submission, user=request.user)
    if deadlines is None:
        raise NotFound("The paper has not been submitted; it has no deadlines yet.")
    current = deadlines.clock.current
    return {
        "cycle": deadlines.clock.cycle,
        "submitted": deadlines.clock.submitted,
        "current_stage": current.stage if current is not None else None,
        "stages": [
            {
                "stage": row.clock.stage,
                "label": Stage(row.clock.stage).label,
                "owed_by": row.owed_by,
                "started": row.clock.started,
                "ended": row.clock.ended,
                "due": row.clock.due,
                "extended_days": row.clock.extended_days,
                "late": row.late,
                "may_extend": row.can_extend,
            }
            for row in deadlines.rows
        ],
        "extensions": deadlines.extensions,
    }


class SubmissionDeadlinesView(APIView):
    """A paper's stage deadlines in its current cycle (its editors); extend one with a reason."""

    @extend_schema(responses={200: ClockSerializer})
    def get(self, request, pk: int):
        submission = visible_submission(request, pk)
        require_perm(
            request.user,
            "journal.view_stage_clock",
            submission,
            "Only the paper's editors see its stage deadlines.",
        )
        return Response(ClockSerializer(_clock(request, submission)).data)

    @extend_schema(request=ExtensionSerializer, responses={201: ClockSerializer})
    def post(self, request, pk: int):
        """Give one stage more days; the chiefs extend what editors owe, the paper's editors
        what reviewers owe. Recorded in the audit log with the reason."""
        submission = visible_submission(request, pk)
        serializer = ExtensionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        stage = Stage(serializer.validated_data["stage"])
        require_perm(
            request.user,
            EXTEND_PERMISSIONS[stage],
            submission,
            f"You may not extend the {stage.label.lower()} of this paper.",
        )
        stage_extend(
            submission=submission,
            stage=stage,
            days=serializer.validated_data["days"],
            reason=serializer.validated_data["reason"],
            actor=request.user,
        )
        submission.refresh_from_db()
        return Response(
            ClockSerializer(_clock(request, submission)).data, status=status.HTTP_201_CREATED
        )


class VenueSettingsSerializer(serializers.ModelSerializer):
    subject_areas = serializers.ListField(
        child=serializers.CharField(allow_blank=True),
        required=False,
        help_text="The areas a paper is submitted to, in order (the whole list; empty for "
        "none). An area papers use cannot be left out: rename it instead.",
    )

    class Meta:
        model = Venue
        fields = [name for name in EDITABLE_FIELDS if name != "review_form"]


def _chief_venue(request, slug: str) -> Venue:
    venue = Venue.objects.filter(slug=slug).first()
    if venue is None:
        raise NotFound("No such venue.")
    require_perm(
        request.user, "journal.manage_venue", venue, "Only the venue's chiefs see its settings."
    )
    return venue


class VenueSettingsView(APIView):
    """The venue's settings for its chiefs: read them, change some (every change audited).

    The stage clock's durations are here (`editor_assignment_days` ... `approval_days`,
    empty for no deadline), with the review periods, deadlines, anonymity and publication.
    """

    def _venue(self, request, slug: str) -> Venue:
        return _chief_venue(request, slug)

    @extend_schema(responses={200: VenueSettingsSerializer})
    def get(self, request, slug: str):
        return Response(VenueSettingsSerializer(self._venue(request, slug)).data)

    @extend_schema(request=VenueSettingsSerializer, responses={200: VenueSettingsSerializer})
    def patch(self, request, slug: str):
        venue = self._venue(request, slug)
        serializer = VenueSettingsSerializer(venue, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        updated = venue_update(venue=venue, actor=request.user, **serializer.validated_data)
        return Response(VenueSettingsSerializer(updated).data)


class SubjectAreaRenameSerializer(serializers.Serializer):
    old = serializers.CharField(max_length=SUBJECT_AREA_MAX_CHARS, help_text="An area's name.")
    new = serializers.CharField(
        max_length=SUBJECT_AREA_MAX_CHARS,
        help_text="Its new name; another area's name merges the two.",
    )


class SubjectAreaRenamedSerializer(serializers.Serializer):
    subject_areas = serializers.ListField(child=serializers.CharField())
    moved = serializers.IntegerField(help_text="Papers whose area changed.")


class SubjectAreaRenameView(APIView):
    """Rename one subject area of the venue; its papers move with it (chiefs only)."""

    @extend_schema(
        request=SubjectAreaRenameSerializer, responses={200: SubjectAreaRenamedSerializer}
    )
    def post(self, request, slug: str):
        venue = _chief_venue(request, slug)
        serializer = SubjectAreaRenameSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        moved = venue_subject_area_rename(
            venue=venue, actor=request.user, **serializer.validated_data
        )
        venue.refresh_from_db(fields=["subject_areas"])
        return Response({"subject_areas": venue.subject_areas, "moved": moved})
