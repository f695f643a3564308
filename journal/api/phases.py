"""A conference's phases and screening in the API.

`GET /venues/{slug}/phases/` is public (the call for papers); writing the timeline, entering
a phase and screening take the same rules as the pages (chairs; area chairs screen their own
papers).
"""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from journal.api.permissions import ReadPublicOrAuthenticated, TokenScope, token_venue_id
from journal.api.visibility import require_perm
from journal.enums import Phase
from journal.models import PhaseJob, Submission, Venue
from journal.rules import recused_ids
from journal.selectors.dashboard import dashboard_scope
from journal.selectors.phases import (
    phase_next,
    screening_queue,
    screening_required,
    screening_rows,
    venue_timeline,
)
from journal.services.phases import PlannedPhase, venue_phase_enter, venue_timeline_set
from journal.services.screening import (
    submission_screen_pass,
    submission_screen_reject,
    submissions_screen_pass_all,
)

#: Most papers one screening-queue answer lists.
QUEUE_MAX = 500


def _venue(request, slug: str) -> Venue:
    venue = get_object_or_404(Venue, slug=slug)
    bound = token_venue_id(request)
    if bound is not None and bound != venue.pk and request.method not in ("GET", "HEAD"):
        raise PermissionDenied("This token is limited to another venue.")
    return venue


class VenuePhaseSerializer(serializers.Serializer):
    phase = serializers.ChoiceField(choices=Phase.choices)
    label = serializers.CharField(read_only=True)
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    abstracts_due = serializers.DateTimeField(
        required=False,
        allow_null=True,
        help_text="Submission phase only: the abstract deadline (new papers registered until "
        "then); the full paper is due at `ends_at`.",
    )


class TimelineSerializer(serializers.Serializer):
    current_phase = serializers.ChoiceField(
        choices=Phase.choices, allow_blank=True, read_only=True, help_text="Blank: not started."
    )
    next_phase = serializers.ChoiceField(choices=Phase.choices, allow_null=True, read_only=True)
    timezone = serializers.CharField(read_only=True)
    phases = VenuePhaseSerializer(many=True)


class TimelineWriteSerializer(serializers.Serializer):
    phases = VenuePhaseSerializer(many=True, help_text="The whole timeline; left out: removed.")


class PhaseEnterSerializer(serializers.Serializer):
    phase = serializers.ChoiceField(choices=Phase.choices)
    confirm = serializers.BooleanField(
        default=False, help_text="Required to jump past the next phase."
    )


class PhaseJobSerializer(serializers.ModelSerializer):
    class Meta:
        model = PhaseJob
        fields = [
            "id",
            "from_phase",
            "phase",
            "status",
            "progress",
            "counts",
            "message",
            "created_at",
            "started_at",
            "finished_at",
        ]
        read_only_fields = fields


def _timeline_data(venue: Venue) -> dict:
    timeline = venue_timeline(venue=venue)
    following = phase_next(venue=venue, timeline=timeline)
    return {
        "current_phase": venue.phase,
        "next_phase": following.value if following else None,
        "timezone": venue.timezone,
        "phases": [
            {
                "phase": row.phase,
                "label": Phase(row.phase).label,
                "starts_at": row.starts_at,
                "ends_at": row.ends_at,
                "abstracts_due": row.abstracts_due,
            }
            for row in timeline
        ],
    }


class VenuePhasesView(APIView):
    """The venue's timeline (anyone may read it); program chairs replace it with PUT."""

    permission_classes = [ReadPublicOrAuthenticated, TokenScope]

    @extend_schema(responses={200: TimelineSerializer}, auth=[])
    def get(self, request, slug: str):
        venue = _venue(request, slug)
        return Response(TimelineSerializer(_timeline_data(venue)).data)

    @extend_schema(request=TimelineWriteSerializer, responses={200: TimelineSerializer})
    def put(self, request, slug: str):
        venue = _venue(request, slug)
        require_perm(
            request.user, "journal.manage_venue", venue, "Only program chairs edit the timeline."
        )
        data = TimelineWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        venue_timeline_set(
            venue=venue,
            actor=request.user,
            phases=[PlannedPhase(**row) for row in data.validated_data["phases"]],
        )
        venue.refresh_from_db()
        return Response(TimelineSerializer(_timeline_data(venue)).data)


class PhaseEnterView(APIView):
    """Enter a phase now (program chairs): the venue-wide work runs as a job to poll."""

    @extend_schema(request=PhaseEnterSerializer, responses={202: PhaseJobSerializer})
    def post(self, request, slug: str):
        venue = _venue(request, slug)
        require_perm(
            request.user, "journal.manage_venue", venue, "Only program chairs change the phase."
        )
        data = PhaseEnterSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        job = venue_phase_enter(
            venue=venue,
            phase=data.validated_data["phase"],
            actor=request.user,
            confirm=data.validated_data["confirm"],
        )
        job.refresh_from_db()
        return Response(PhaseJobSerializer(job).data, status=status.HTTP_202_ACCEPTED)


class PhaseJobView(APIView):
    """One phase job, to follow its progress (program chairs)."""

    @extend_schema(responses={200: PhaseJobSerializer})
    def get(self, request, slug: str, job_pk: int):
        venue = _venue(request, slug)
        require_perm(
            request.user, "journal.manage_venue", venue, "Only program chairs follow phase jobs."
        )
        job = PhaseJob.objects.filter(venue=venue, pk=job_pk).first()
        if job is None:
            raise NotFound("No such phase job.")
        return Response(PhaseJobSerializer(job).data)


class ScreeningRowSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="submission.pk")
    number = serializers.IntegerField(source="submission.number")
    title = serializers.CharField(source="submission.title")
    state = serializers.CharField(source="submission.state")
    page_count = serializers.IntegerField(allow_null=True)
    over_page_limit = serializers.BooleanField()
    anonymity_findings = serializers.ListField(child=serializers.CharField())
    anonymity_acknowledged = serializers.BooleanField()
    flags = serializers.ListField(child=serializers.CharField())


class ScreeningQueueSerializer(serializers.Serializer):
    required = serializers.BooleanField(help_text="Whether matching waits for screening.")
    waiting = serializers.IntegerField(help_text="How many papers wait in your queue.")
    results = ScreeningRowSerializer(many=True)


class ScreeningPassAllSerializer(serializers.Serializer):
    expected = serializers.IntegerField(
        min_value=0, help_text="The count you confirm; refused if more papers wait now."
    )


class ScreeningPassAllResultSerializer(serializers.Serializer):
    passed = serializers.IntegerField()


def _queue_filters(request, venue: Venue) -> dict:
    require_perm(
        request.user,
        "journal.view_dashboard",
        venue,
        "Only the venue's chairs and area chairs screen its papers.",
    )
    scope = dashboard_scope(user=request.user, venue=venue)
    return {
        "exclude_ids": recused_ids(request.user, venue),
        "action_editor": None if scope.is_chief else request.user,
    }


class ScreeningQueueView(APIView):
    """Papers waiting for screening that you may screen, oldest first, with their checks."""

    @extend_schema(responses={200: ScreeningQueueSerializer})
    def get(self, request, slug: str):
        venue = _venue(request, slug)
        filters = _queue_filters(request, venue)
        waiting = screening_queue(venue=venue, exclude_ids=filters["exclude_ids"])
        if filters["action_editor"] is not None:
            waiting = waiting.filter(action_editor=filters["action_editor"])
        rows = screening_rows(venue=venue, limit=QUEUE_MAX, **filters)
        data = {"required": screening_required(venue=venue), "waiting": waiting.count()}
        data["results"] = rows
        return Response(ScreeningQueueSerializer(data).data)


class ScreeningPassAllView(APIView):
    """Pass every paper still waiting (program chairs), confirming the count."""

    @extend_schema(
        request=ScreeningPassAllSerializer, responses={200: ScreeningPassAllResultSerializer}
    )
    def post(self, request, slug: str):
        venue = _venue(request, slug)
        filters = _queue_filters(request, venue)
        data = ScreeningPassAllSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        passed = submissions_screen_pass_all(
            venue=venue,
            actor=request.user,
            expected=data.validated_data["expected"],
            exclude_ids=filters["exclude_ids"],
        )
        return Response({"passed": passed})


class ScreeningDecisionSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=[("pass", "Pass"), ("reject", "Desk-reject")])
    reason = serializers.CharField(
        required=False, allow_blank=True, max_length=4000, help_text="Desk rejections."
    )


class ScreeningResultSerializer(serializers.Serializer):
    state = serializers.CharField()
    screened_at = serializers.DateTimeField(allow_null=True)
    changed = serializers.BooleanField()


class SubmissionScreeningView(APIView):
    """Pass one paper through screening, or desk-reject it (its chair or area chair)."""

    @extend_schema(request=ScreeningDecisionSerializer, responses={200: ScreeningResultSerializer})
    def post(self, request, pk: int):
        submission = Submission.objects.select_related("venue").filter(pk=pk).first()
        if submission is None or not request.user.has_perm("journal.view_submission", submission):
            raise NotFound("No such submission.")
        data = ScreeningDecisionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        if data.validated_data["action"] == "pass":
            changed = submission_screen_pass(submission=submission, actor=request.user)
        else:
            reason = data.validated_data.get("reason", "")
            submission_screen_reject(submission=submission, actor=request.user, reason=reason)
            changed = True
        submission.refresh_from_db()
        return Response(
            {"state": submission.state, "screened_at": submission.screened_at, "changed": changed}
        )

