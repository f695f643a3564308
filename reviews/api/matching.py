"""Matching for chiefs: compute affinities, start a matching run and poll it, deploy it;
for a paper's editors: its affinity scores and the conflicts of interest of a candidate."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from journal.api.fields import SlugRefField, UserRefSerializer
from journal.api.idempotency import IDEMPOTENCY_KEY, idempotent
from journal.api.permissions import token_venue_id
from journal.api.visibility import require_perm, scope_to_token, visible_submission
from journal.models import User, Venue
from journal.rules import recused_ids
from journal.selectors.api_reviews import affinity_runs_for_chief, assignment_runs_for_chief
from reviews.models import AffinityRun, AssignmentRun, MatchingTarget, ProposedAssignment
from reviews.selectors.conflicts import conflicts_for_pair
from reviews.selectors.expertise import affinity_scores_of
from reviews.selectors.matching import proposal_pairs
from reviews.services.affinity import affinity_run_create
from reviews.services.matching import assignment_run_create, assignment_run_deploy
from reviews.services.proposals import proposal_pair_add, proposal_pair_remove


class MatchingRunSerializer(serializers.ModelSerializer):
    venue = serializers.CharField(source="venue.slug", read_only=True)
    ratio = serializers.FloatField(read_only=True, allow_null=True)

    class Meta:
        model = AssignmentRun
        fields = [
            "id",
            "venue",
            "target",
            "status",
            "progress",
            "parameters",
            "objective",
            "upper_bound",
            "ratio",
            "min_paper_score",
            "n_papers",
            "n_reviewers",
            "n_pairs",
            "seconds",
            "message",
            "created_at",
            "started_at",
            "finished_at",
            "deployed_at",
        ]
        read_only_fields = fields


class MatchingRunCreateSerializer(serializers.Serializer):
    venue = SlugRefField(slug_field="slug", queryset=Venue.objects.all())
    target = serializers.ChoiceField(
        choices=MatchingTarget.choices,
        required=False,
        default=MatchingTarget.REVIEWERS,
        help_text="Whom the run assigns: reviewers, area chairs (one per paper) or senior "
        "area chairs (one per area chair).",
    )
    per_paper = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=50)
    max_load = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=1000
    )
    min_load = serializers.IntegerField(required=False, default=0, min_value=0, max_value=1000)
    fairness = serializers.BooleanField(required=False, default=False)
    use_bids = serializers.BooleanField(required=False, allow_null=True, default=None)


class AffinityRunSerializer(serializers.ModelSerializer):
    venue = serializers.CharField(source="venue.slug", read_only=True)

    class Meta:
        model = AffinityRun
        fields = [
            "id",
            "venue",
            "status",
            "progress",
            "message",
            "n_papers",
            "n_reviewers",
            "n_scores",
            "seconds",
            "method",
            "model_name",
            "model_sha256",
            "created_at",
            "finished_at",
        ]
        read_only_fields = fields


class VenueRefSerializer(serializers.Serializer):
    venue = SlugRefField(slug_field="slug", queryset=Venue.objects.all())


def _chief_venue(request, venue: Venue) -> Venue:
    require_perm(request.user, "journal.manage_venue", venue, "Only the venue's chiefs do this.")
    bound = token_venue_id(request)
    if bound is not None and bound != venue.pk:
        raise PermissionDenied("This token is limited to another venue.")
    return venue


class ProposedPairSerializer(serializers.ModelSerializer):
    submission_number = serializers.IntegerField(
        source="submission.number", read_only=True, allow_null=True
    )
    reviewer = UserRefSerializer(
        read_only=True, help_text="The reviewer, area chair or senior area chair proposed."
    )
    area_chair = UserRefSerializer(
        read_only=True,
        allow_null=True,
        help_text="Runs of senior area chairs: the area chair they would oversee.",
    )

    class Meta:
        model = ProposedAssignment
        fields = [
            "id",
            "submission",
            "submission_number",
            "reviewer",
            "area_chair",
            "affinity",
            "is_existing",
            "deployed_at",
        ]
        read_only_fields = fields


class PairAddSerializer(serializers.Serializer):
    submission = serializers.IntegerField(min_value=1, max_value=2**62, help_text="A paper id.")
    reviewer = serializers.IntegerField(min_value=1, max_value=2**62, help_text="A user id.")


class ProposalEditSerializer(serializers.Serializer):
    pair = ProposedPairSerializer()
    warnings = serializers.ListField(
        child=serializers.CharField(), help_text="Limits of the run the edit goes beyond."
    )


class MatchingRunViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Matching runs of the venues you chair: start one, then poll its status and progress."""

    serializer_class = MatchingRunSerializer
    filterset_fields = ["status"]
    ordering_fields = ["created_at"]
    ordering = ["-created_at", "-pk"]
    lookup_value_regex = "[0-9]{1,18}"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return AssignmentRun.objects.none()
        return scope_to_token(self.request, assignment_runs_for_chief(user=self.request.user))

    @extend_schema(
        request=MatchingRunCreateSerializer,
        parameters=[IDEMPOTENCY_KEY],
        responses={202: MatchingRunSerializer},
    )
    @idempotent
    def create(self, request, *args, **kwargs):
        """Queue a run; it starts in the background. Poll its URL until it is proposed."""
        serializer = MatchingRunCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        venue = _chief_venue(request, data.pop("venue"))
        run = assignment_run_create(venue=venue, actor=request.user, **data)
        run = self.get_queryset().get(pk=run.pk)
        return Response(
            MatchingRunSerializer(run).data,
            status=status.HTTP_202_ACCEPTED,
            headers={"Location": request.build_absolute_uri(f"{run.pk}/")},
        )

    @extend_schema(methods=["GET"], responses={200: ProposedPairSerializer(many=True)})
    @extend_schema(
        methods=["POST"], request=PairAddSerializer, responses={201: ProposalEditSerializer}
    )
    @action(detail=True, methods=["get", "post"], filter_backends=[])
    def pairs(self, request, pk=None):
        """List the proposed paper-reviewer pairs (never those of your own papers), or add a
        reviewer to a paper before the run is deployed."""
        run = self.get_object()
        if request.method == "POST":
            return self._add_pair(request, run)
        pairs = proposal_pairs(run=run).exclude(
            submission_id__in=recused_ids(request.user, run.venue)
        )
        page = self.paginate_queryset(pairs)
        return self.get_paginated_response(ProposedPairSerializer(page, many=True).data)

    def _add_pair(self, request, run: AssignmentRun) -> Response:
        serializer = PairAddSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        submission = (
            run.venue.submissions.exclude(pk__in=recused_ids(request.user, run.venue))
            .filter(pk=data["submission"])
            .first()
        )
        if submission is None:
            raise serializers.ValidationError({"submission": ["No such paper at this venue."]})
        reviewer = User.objects.filter(pk=data["reviewer"], is_active=True).first()
        if reviewer is None:
            raise serializers.ValidationError({"reviewer": ["No such person."]})
        edit = proposal_pair_add(
            run=run, submission=submission, reviewer=reviewer, actor=request.user
        )
        return Response(ProposalEditSerializer(edit).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: ProposalEditSerializer})
    @action(
        detail=True,
        methods=["delete"],
        url_path="pairs/(?P<pair_id>[0-9]{1,18})",
        filter_backends=[],
    )
    def remove_pair(self, request, pk=None, pair_id=None):
        """Take a newly proposed pair out of the proposal before the run is deployed."""
        run = self.get_object()
        pair = (
            run.pairs.exclude(submission_id__in=recused_ids(request.user, run.venue))
            .filter(pk=int(pair_id))
            .first()
        )
        if pair is None:
            raise NotFound("No such pair in this proposal.")
        edit = proposal_pair_remove(run=run, pair_id=pair.pk, actor=request.user)
        return Response(ProposalEditSerializer(edit).data)

    @extend_schema(request=None, responses={200: MatchingRunSerializer})
    @action(detail=True, methods=["post"])
    def deploy(self, request, pk=None):
        """Deploy a finished run (all or nothing): invite its reviewers, or make its area
        chairs the papers' action editors, or put its area chairs under their senior ones."""
        run = self.get_object()
        assignment_run_deploy(run=run, actor=request.user)
        return Response(MatchingRunSerializer(self.get_queryset().get(pk=run.pk)).data)


class AffinityRunViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Affinity computations of the venues you chair: start one and poll it."""

    serializer_class = AffinityRunSerializer
    filterset_fields = ["status"]
    ordering_fields = ["created_at"]
    ordering = ["-created_at", "-pk"]
    lookup_value_regex = "[0-9]{1,18}"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return AffinityRun.objects.none()
        return scope_to_token(self.request, affinity_runs_for_chief(user=self.request.user))

    @extend_schema(
        request=VenueRefSerializer,
        parameters=[IDEMPOTENCY_KEY],
        responses={202: AffinityRunSerializer},
    )
    @idempotent
    def create(self, request, *args, **kwargs):
        """Queue a computation of every reviewer's affinity to every paper of the venue."""
        serializer = VenueRefSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        venue = _chief_venue(request, serializer.validated_data["venue"])
        run = affinity_run_create(venue=venue, actor=request.user)
        run = self.get_queryset().get(pk=run.pk)
        return Response(AffinityRunSerializer(run).data, status=status.HTTP_202_ACCEPTED)


class AffinityScoreSerializer(serializers.Serializer):
    reviewer = serializers.IntegerField(help_text="The reviewer's user id.")
    score = serializers.FloatField()


class SubmissionAffinitiesView(APIView):
    """The stored affinity of each candidate reviewer to a paper, for its editors."""

    @extend_schema(responses={200: AffinityScoreSerializer(many=True)})
    def get(self, request, pk: int):
        submission = visible_submission(request, pk)
        require_perm(
            request.user,
            "reviews.manage_reviews",
            submission,
            "Only the paper's editors see its affinity scores.",
        )
        scores = affinity_scores_of(submission=submission)
        rows = [
            {"reviewer": reviewer, "score": score}
            for reviewer, score in sorted(scores.items(), key=lambda kv: -kv[1])
        ]
        return Response(AffinityScoreSerializer(rows, many=True).data)


class ConflictReasonSerializer(serializers.Serializer):
    rule = serializers.CharField(help_text="e.g. coauthor, institution, email_domain.")
    message = serializers.CharField()


class ConflictQuerySerializer(serializers.Serializer):
    reviewer = serializers.IntegerField(min_value=1, max_value=2**62, help_text="A user id.")


class SubmissionReviewerConflictsView(APIView):
    """Why a person may not review a paper (empty if nothing stands in the way)."""

    @extend_schema(
        parameters=[ConflictQuerySerializer],
        responses={200: ConflictReasonSerializer(many=True)},
    )
    def get(self, request, pk: int):
        submission = visible_submission(request, pk)
        require_perm(
            request.user,
            "reviews.manage_reviews",
            submission,
            "Only the paper's editors check conflicts of interest.",
        )
        query = ConflictQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        reviewer = User.objects.filter(pk=query.validated_data["reviewer"]).first()
        if reviewer is None:
            raise serializers.ValidationError({"reviewer": ["No such person."]})
        reasons = conflicts_for_pair(submission=submission, reviewer=reviewer)
        return Response(ConflictReasonSerializer(reasons, many=True).data)
