"""The chairs' decision table and bulk decisions, as on the page (same forms, same service)."""

from django.http import QueryDict
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from journal.api.permissions import token_venue_id
from journal.enums import CONFERENCE_OUTCOMES, DecisionOutcome
from journal.forms.decision_table import SORT_CHOICES, DecisionTableForm
from journal.limits import BULK_DECISION_MAX_PAPERS, TEXT_MAX_CHARS
from journal.models import Venue
from journal.selectors.decision_table import (
    TableRow,
    decision_table_ids,
    decision_table_page,
)
from journal.services.decisions_bulk import (
    BulkPlan,
    bulk_token,
    bulk_token_read,
    decisions_bulk,
    decisions_bulk_plan,
)
from reviews.enums import Recommendation


class RowSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    number = serializers.IntegerField()
    title = serializers.CharField()
    state = serializers.CharField()
    keywords = serializers.ListField(child=serializers.CharField())
    reviews_submitted = serializers.IntegerField(source="submitted")
    reviews_required = serializers.IntegerField(source="required")
    reviews_complete = serializers.BooleanField(source="complete")
    score = serializers.FloatField(source="mean", allow_null=True)
    calibrated_score = serializers.FloatField(source="calibrated", allow_null=True)
    spread = serializers.FloatField(allow_null=True)
    confidence = serializers.FloatField(allow_null=True)
    recommendations = serializers.DictField(child=serializers.IntegerField())
    recommendation_mean = serializers.FloatField(allow_null=True)
    meta_review_recommendation = serializers.CharField(source="meta_recommendation")
    open_flags = serializers.IntegerField()
    anonymity_findings = serializers.IntegerField()
    claimed_gain = serializers.FloatField(source="gain", allow_null=True)
    decision = serializers.CharField(source="decision_outcome")
    decision_status = serializers.CharField()


class BinSerializer(serializers.Serializer):
    label = serializers.CharField()
    count = serializers.IntegerField()


class TablePageSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    page = serializers.IntegerField()
    pages = serializers.IntegerField()
    histogram = BinSerializer(many=True, help_text="Mean scores of the filtered papers.")
    results = RowSerializer(many=True)


class RefusalSerializer(serializers.Serializer):
    submission = serializers.IntegerField(source="submission_id")
    number = serializers.IntegerField(allow_null=True)
    reason = serializers.CharField()


class BulkPlanSerializer(serializers.Serializer):
    recorded = serializers.BooleanField(help_text="False for a dry run: nothing changed.")
    counts = serializers.DictField(
        child=serializers.IntegerField(), help_text="Papers that get each outcome."
    )
    submissions = serializers.ListField(
        child=serializers.IntegerField(), help_text="Submission ids decided (or to decide)."
    )
    unchanged = serializers.ListField(child=serializers.IntegerField())
    overridden = serializers.ListField(
        child=serializers.IntegerField(), help_text="Decided despite incomplete reviews."
    )
    refused = RefusalSerializer(many=True)
    token = serializers.CharField(
        allow_null=True, help_text="Send it back to record exactly this plan (valid one hour)."
    )


class BulkDecideSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(
        choices=[(o.value, DecisionOutcome(o).label) for o in CONFERENCE_OUTCOMES],
        required=False,
    )
    submissions = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**62),
        required=False,
        max_length=BULK_DECISION_MAX_PAPERS,
        help_text="Submission ids; or set all_filtered.",
    )
    all_filtered = serializers.BooleanField(default=False)
    filters = serializers.DictField(
        required=False,
        default=dict,
        help_text="The decision table's query parameters, for all_filtered.",
    )
    override_incomplete = serializers.BooleanField(default=False)
    comment = serializers.CharField(
        max_length=TEXT_MAX_CHARS, required=False, allow_blank=True, default=""
    )
    token = serializers.CharField(
        required=False,
        max_length=200_000,
        help_text="The token of a dry run: records exactly that plan. Without it, a dry run.",
    )

    def validate(self, data):
        if data.get("token"):
            return data
        if not data.get("outcome"):
            raise ValidationError({"outcome": ["Choose the outcome."]})
        if not data["all_filtered"] and not data.get("submissions"):
            raise ValidationError({"submissions": ["List the submissions, or set all_filtered."]})
        return data


def _venue_for(request, slug: str, perm: str, message: str) -> Venue:
    venue = get_object_or_404(Venue, slug=slug)
    if not request.user.has_perm(perm, venue):
        raise PermissionDenied(message)
    bound = token_venue_id(request)
    if bound is not None and bound != venue.pk:
        raise PermissionDenied("This token is limited to another venue.")
    return venue


def _table_form(data) -> DecisionTableForm:
    form = DecisionTableForm(data)
    if not form.is_valid():
        raise ValidationError({k: [str(e) for e in v] for k, v in form.errors.items()})
    return form


def _row(row: TableRow) -> dict:
    return RowSerializer(row).data


TABLE_PARAMETERS = [
    OpenApiParameter("state", OpenApiTypes.STR, many=True, description="Submission states."),
    OpenApiParameter("completeness", OpenApiTypes.STR, enum=["complete", "incomplete", "none"]),
    OpenApiParameter(
        "recommendation",
        OpenApiTypes.STR,
        enum=[*Recommendation.values, "none"],
        description="The meta-review's recommendation.",
    ),
    OpenApiParameter("decision", OpenApiTypes.STR, enum=["undecided", "recorded", "released"]),
    OpenApiParameter("score_min", OpenApiTypes.FLOAT, description="0 to 1."),
    OpenApiParameter("score_max", OpenApiTypes.FLOAT, description="0 to 1."),
    OpenApiParameter("keyword", OpenApiTypes.STR),
    OpenApiParameter("q", OpenApiTypes.STR, description="Title, abstract or number."),
    OpenApiParameter("sort", OpenApiTypes.STR, enum=[key for key, _ in SORT_CHOICES]),
    OpenApiParameter("page", OpenApiTypes.INT),
    OpenApiParameter("page_size", OpenApiTypes.INT, description="1 to 200."),
]


class DecisionTableView(APIView):
    """Every paper of the venue with its scores, recommendations, flags and decision."""

    @extend_schema(parameters=TABLE_PARAMETERS, responses={200: TablePageSerializer})
    def get(self, request, slug: str):
        venue = _venue_for(
            request,
            slug,
            "journal.view_decision_table",
            "Only the venue's program chairs read the decision table.",
        )
        form = _table_form(request.query_params)
        table = decision_table_page(venue=venue, user=request.user, query=form.table_query())
        body = {
            "count": table.total,
            "page": table.page,
            "pages": table.pages,
            "histogram": [{"label": label, "count": n} for label, n in table.histogram_bins],
            "results": [_row(row) for row in table.rows],
        }
        return Response(body)


def _plan_body(plan: BulkPlan, *, recorded: bool, token: str | None) -> dict:
    submissions = [d.submission_id for d in plan.decided] if recorded else list(plan.outcomes)
    return {
        "recorded": recorded,
        "counts": plan.counts,
        "submissions": submissions,
        "unchanged": plan.unchanged,
        "overridden": sorted(plan.overridden),
        "refused": RefusalSerializer(plan.refused, many=True).data,
        "token": token,
    }


class DecisionTableDecideView(APIView):
    """Decide many papers: without a token a dry run (counts, refusals, a token); with the
    token, record exactly that plan (drafts, released in the decisions phase)."""

    @extend_schema(request=BulkDecideSerializer, responses={200: BulkPlanSerializer})
    def post(self, request, slug: str):
        venue = _venue_for(
            request,
            slug,
            "journal.decide_in_bulk",
            "Only the program chairs of a conference decide in bulk.",
        )
        serializer = BulkDecideSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        if data.get("token"):
            outcomes, override = bulk_token_read(
                token=data["token"], venue=venue, actor=request.user, comment=data["comment"]
            )
            plan = decisions_bulk(
                venue=venue,
                actor=request.user,
                outcomes=outcomes,
                comment=data["comment"],
                override_incomplete=override,
            )
            return Response(_plan_body(plan, recorded=True, token=None))
        if data["all_filtered"]:
            query = QueryDict(mutable=True)
            for key, value in data["filters"].items():
                query.setlist(
                    key, [str(v) for v in value] if isinstance(value, list) else [str(value)]
                )
            form = _table_form(query)
            ids = decision_table_ids(venue=venue, user=request.user, query=form.table_query())
        else:
            ids = list(dict.fromkeys(data["submissions"]))
        plan = decisions_bulk_plan(
            venue=venue,
            actor=request.user,
            outcomes=dict.fromkeys(ids, data["outcome"]),
            override_incomplete=data["override_incomplete"],
            comment=data["comment"],
        )
        token = bulk_token(
            venue=venue,
            actor=request.user,
            outcomes=plan.outcomes,
            override_incomplete=plan.override_incomplete,
            comment=plan.comment,
        )
        return Response(_plan_body(plan, recorded=False, token=token if plan.outcomes else None))
