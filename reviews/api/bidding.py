"""Bidding through the API: the papers I may bid on with my bids, setting a bid, and for the
venue's chiefs the bid coverage and the reminders. The same rules as the pages decide."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from journal.api.fields import FiniteFloatField
from journal.api.pagination import Pagination
from journal.api.permissions import token_venue_id
from journal.api.visibility import require_perm
from journal.limits import BID_WEIGHT_MAX, MIN_BIDS_MAX
from journal.models import Venue
from reviews.models import BidValue
from reviews.rules import bid_hidden_ids, bidding_is_open
from reviews.selectors.bidding import (
    BID_SORTS,
    COVERAGE_SORTS,
    bidding_ids,
    bidding_papers,
    coverage_by_area,
    coverage_papers,
    coverage_reviewers,
    coverage_summary,
)
from reviews.selectors.expertise import matching_settings_of
from reviews.services.bidding import (
    bid_counts,
    bid_reminders_send,
    bid_set,
    bidding_settings_update,
)

NUMBER_MAX = 2**31 - 1


def _venue(request, slug: str) -> Venue:
    venue = get_object_or_404(Venue, slug=slug)
    bound = token_venue_id(request)
    if bound is not None and bound != venue.pk:
        raise NotFound("No such venue for this token.")
    return venue


class BidListQuerySerializer(serializers.Serializer):
    q = serializers.CharField(
        required=False, default="", allow_blank=True, max_length=200,
        help_text="Words of the title or abstract, a keyword or a paper number",
    )
    keyword = serializers.CharField(
        required=False, default="", allow_blank=True, max_length=100,
        help_text="Only papers with this keyword",
    )
    area = serializers.CharField(
        required=False, default="", allow_blank=True, max_length=100,
        help_text="Only papers of this subject area (one of the venue's `subject_areas`)",
    )
    sort = serializers.ChoiceField(choices=list(BID_SORTS), required=False, default="affinity")
    page_size = serializers.IntegerField(required=False, min_value=1, max_value=200)

    def to_internal_value(self, data):
        values = super().to_internal_value(data)
        values.pop("page_size", None)
        return {"query": values.pop("q"), **values}


class StrictBooleanField(serializers.BooleanField):
    """true or false, nothing that merely looks like one (0, "yes")."""

    def to_internal_value(self, data):
        if not isinstance(data, bool):
            self.fail("invalid", input=data)
        return data


class NumberField(FiniteFloatField):
    """A JSON number: true and false are not numbers here."""

    def to_internal_value(self, data):
        if isinstance(data, bool):
            self.fail("invalid")
        return super().to_internal_value(data)


class WholeNumberField(serializers.IntegerField):
    def to_internal_value(self, data):
        if isinstance(data, bool):
            self.fail("invalid")
        return super().to_internal_value(data)


class BiddablePaperSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    number = serializers.IntegerField()
    title = serializers.CharField()
    abstract = serializers.CharField()
    keywords = serializers.ListField(child=serializers.CharField())
    subject_area = serializers.CharField()
    affinity = serializers.FloatField(source="my_affinity", allow_null=True)
    bid = serializers.ChoiceField(source="my_bid", choices=BidValue.choices)
    authors = serializers.SerializerMethodField()

    def get_authors(self, obj) -> list[str] | None:
        """Names of the authors; null at double-blind venues."""
        if self.context["venue"].is_double_blind:
            return None
        return [a.name for a in obj.authors.all()]


class BidListSerializer(serializers.Serializer):
    is_open = serializers.BooleanField()
    bids_made = serializers.IntegerField()
    min_bids = serializers.IntegerField()
    count = serializers.IntegerField()
    next = serializers.CharField(allow_null=True)
    previous = serializers.CharField(allow_null=True)
    results = BiddablePaperSerializer(many=True)


class VenueBidInSerializer(serializers.Serializer):
    number = serializers.IntegerField(min_value=1, max_value=NUMBER_MAX, help_text="Paper number.")
    value = serializers.ChoiceField(
        choices=BidValue.choices,
        help_text="'neutral' removes a bid; 'conflict' declares a conflict of interest.",
    )


class VenueBidOutSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    value = serializers.ChoiceField(choices=BidValue.choices)
    bids_made = serializers.IntegerField()
    min_bids = serializers.IntegerField()


class VenueBidsView(APIView):
    """The papers of a venue I may bid on, best match first, with my bid on each."""

    @extend_schema(
        parameters=[BidListQuerySerializer, OpenApiParameter("page", int)],
        responses={200: BidListSerializer},
    )
    def get(self, request, slug: str):
        venue = _venue(request, slug)
        require_perm(
            request.user, "reviews.view_bids", venue, f"Only reviewers of {venue.name} bid."
        )
        query = BidListQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        area = query.validated_data["area"].strip()
        if area and area not in (venue.subject_areas or ()):
            raise ValidationError(
                {"area": [f"“{area}” is not a subject area of {venue.name}."]}
            )
        ids = bidding_ids(venue=venue, reviewer=request.user, **query.validated_data)
        paginator = Pagination()
        page = bidding_papers(
            venue=venue,
            reviewer=request.user,
            ids=list(paginator.paginate_queryset(ids, request, view=self)),
        )
        made, minimum = bid_counts(venue=venue, reviewer=request.user)
        return Response(
            {
                "is_open": bidding_is_open(venue),
                "bids_made": made,
                "min_bids": minimum,
                "count": paginator.page.paginator.count,
                "next": paginator.get_next_link(),
                "previous": paginator.get_previous_link(),
                "results": BiddablePaperSerializer(
                    page, many=True, context={"venue": venue}
                ).data,
            }
        )

    @extend_schema(request=VenueBidInSerializer, responses={200: VenueBidOutSerializer})
    def post(self, request, slug: str):
        venue = _venue(request, slug)
        require_perm(
            request.user, "reviews.view_bids", venue, f"Only reviewers of {venue.name} bid."
        )
        serializer = VenueBidInSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        submission = venue.submissions.filter(number=data["number"]).first()
        if submission is None or submission.pk in bid_hidden_ids(request.user, venue):
            raise NotFound("No such paper.")
        bid = bid_set(submission=submission, reviewer=request.user, value=data["value"])
        made, minimum = bid_counts(venue=venue, reviewer=request.user)
        return Response(
            {
                "number": submission.number,
                "value": bid.value if bid is not None else BidValue.NEUTRAL,
                "bids_made": made,
                "min_bids": minimum,
            }
        )


class CoveragePaperSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    number = serializers.IntegerField()
    title = serializers.CharField()
    subject_area = serializers.CharField()
    positive_bids = serializers.IntegerField(source="n_positive")
    bids = serializers.IntegerField(source="n_bids")


class CoverageReviewerSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    name = serializers.CharField(source="display_name")
    email = serializers.EmailField()
    bids = serializers.IntegerField(source="n_bids")
    last_reminded = serializers.DateTimeField(allow_null=True)


class AreaCoverageSerializer(serializers.Serializer):
    area = serializers.CharField(help_text="Empty for papers without a listed area.")
    papers = serializers.IntegerField(source="n_papers")
    papers_short = serializers.IntegerField(source="n_short")


class CoverageSerializer(serializers.Serializer):
    is_open = serializers.BooleanField()
    min_bids = serializers.IntegerField()
    positive_bids_wanted = serializers.IntegerField()
    papers = serializers.IntegerField()
    papers_short = serializers.IntegerField()
    reviewers = serializers.IntegerField()
    reviewers_short = serializers.IntegerField()
    reviewers_without_bids = serializers.IntegerField()
    bids = serializers.IntegerField()
    areas = AreaCoverageSerializer(
        many=True, help_text="Per subject area, in the venue's order (empty without areas)."
    )
    short_papers = CoveragePaperSerializer(many=True)
    short_reviewers = CoverageReviewerSerializer(many=True)


class CoverageQuerySerializer(serializers.Serializer):
    sort = serializers.ChoiceField(choices=list(COVERAGE_SORTS), required=False, default="positive")
    limit = serializers.IntegerField(
        required=False, default=100, min_value=1, max_value=500, help_text="Rows of each list"
    )


def _chief(request, venue: Venue) -> None:
    if not request.user.has_perm("reviews.view_bid_coverage", venue):
        raise PermissionDenied(f"Only the program chairs of {venue.name} see its bid coverage.")


class VenueBidCoverageView(APIView):
    """For chiefs: papers with too few positive bids, reviewers below the minimum."""

    @extend_schema(parameters=[CoverageQuerySerializer], responses={200: CoverageSerializer})
    def get(self, request, slug: str):
        venue = _venue(request, slug)
        _chief(request, venue)
        query = CoverageQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        sort, limit = query.validated_data["sort"], query.validated_data["limit"]
        summary = coverage_summary(venue=venue, viewer=request.user)
        papers = coverage_papers(venue=venue, viewer=request.user, sort=sort)
        return Response(
            {
                "is_open": bidding_is_open(venue),
                "min_bids": summary.min_bids,
                "positive_bids_wanted": summary.target_positive,
                "papers": summary.n_papers,
                "papers_short": summary.n_papers_short,
                "reviewers": summary.n_reviewers,
                "reviewers_short": summary.n_reviewers_short,
                "reviewers_without_bids": summary.n_reviewers_none,
                "bids": summary.n_bids,
                "areas": AreaCoverageSerializer(
                    coverage_by_area(venue=venue, viewer=request.user), many=True
                ).data,
                "short_papers": CoveragePaperSerializer(papers[:limit], many=True).data,
                "short_reviewers": CoverageReviewerSerializer(
                    coverage_reviewers(venue=venue)[:limit], many=True
                ).data,
            }
        )


class ReminderResultSerializer(serializers.Serializer):
    sent = serializers.IntegerField()
    skipped_recent = serializers.IntegerField(
        help_text="Reviewers left out because they were reminded in the last 24 hours."
    )


class VenueBidRemindersView(APIView):
    """For chiefs: remind every reviewer below the minimum to bid (once a day at most)."""

    @extend_schema(request=None, responses={200: ReminderResultSerializer})
    def post(self, request, slug: str):
        venue = _venue(request, slug)
        _chief(request, venue)
        result = bid_reminders_send(venue=venue, actor=request.user)
        return Response({"sent": result.sent, "skipped_recent": result.skipped_recent})


class BiddingSettingsSerializer(serializers.Serializer):
    min_bids = WholeNumberField(min_value=0, max_value=MIN_BIDS_MAX, required=False)
    bid_weight = NumberField(min_value=0.0, max_value=BID_WEIGHT_MAX, required=False)
    bidding_open = StrictBooleanField(
        required=False,
        help_text="The switch of venues without a timeline; a conference with a timeline opens "
        "bidding with its bidding phase.",
    )
    is_open = serializers.BooleanField(read_only=True)


class VenueBiddingSettingsView(APIView):
    """For chiefs: the bids asked of each reviewer, the weight of a bid, the bidding switch."""

    def _answer(self, venue: Venue) -> Response:
        current = matching_settings_of(venue=venue)
        return Response(
            {
                "min_bids": current.min_bids,
                "bid_weight": current.bid_weight,
                "bidding_open": current.bidding_open,
                "is_open": bidding_is_open(venue),
            }
        )

    @extend_schema(responses={200: BiddingSettingsSerializer})
    def get(self, request, slug: str):
        venue = _venue(request, slug)
        _chief(request, venue)
        return self._answer(venue)

    @extend_schema(request=BiddingSettingsSerializer, responses={200: BiddingSettingsSerializer})
    def patch(self, request, slug: str):
        venue = _venue(request, slug)
        _chief(request, venue)
        serializer = BiddingSettingsSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        bidding_settings_update(venue=venue, actor=request.user, **serializer.validated_data)
        return self._answer(venue)
