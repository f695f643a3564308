"""The venue report in the API (chiefs): does the venue reward ideas or numbers? The same
figures as the report page and its CSV."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from journal.api.visibility import require_perm
from journal.models import Venue
from journal.selectors.dashboard import dashboard_scope
from journal.selectors.influence import CAVEAT, venue_report


class RateBinSerializer(serializers.Serializer):
    label = serializers.CharField()
    accepted = serializers.IntegerField()
    decided = serializers.IntegerField()
    rate = serializers.FloatField(allow_null=True)


class CriterionInfluenceSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    aspect = serializers.CharField()
    on_recommendation = serializers.FloatField(allow_null=True)
    on_meta_review = serializers.FloatField(allow_null=True)
    on_decision = serializers.FloatField(allow_null=True, source="on_outcome")


class IdeasVsNumbersSerializer(serializers.Serializer):
    ideas_median = serializers.FloatField(allow_null=True)
    gain_median = serializers.FloatField(allow_null=True, help_text="Relative gain, percent.")
    high_ideas_modest_gain = RateBinSerializer()
    modest_ideas_high_gain = RateBinSerializer()


class CountsSerializer(serializers.Serializer):
    submitted = serializers.IntegerField()
    reviewed = serializers.IntegerField()
    decided = serializers.IntegerField()
    accepted = serializers.IntegerField()


class FitRowsSerializer(serializers.Serializer):
    on_recommendation = serializers.IntegerField(help_text="Reviews with a recommendation.")
    on_meta_review = serializers.IntegerField(help_text="Papers with a meta-review.")
    on_decision = serializers.IntegerField(help_text="Decided papers.")


class VenueReportSerializer(serializers.Serializer):
    caveat = serializers.CharField()
    min_rows = serializers.IntegerField(help_text="Fewer rows than this: no coefficients.")
    enough_decisions = serializers.BooleanField()
    counts = CountsSerializer()
    rows = FitRowsSerializer()
    criteria = CriterionInfluenceSerializer(many=True)
    gain_bins = RateBinSerializer(many=True)
    noise = RateBinSerializer(many=True)
    ratio_bins = RateBinSerializer(many=True)
    ideas_vs_numbers = IdeasVsNumbersSerializer()


class VenueReportView(APIView):
    """The end-of-cycle report of a venue for its chiefs: each criterion's standardised
    influence on recommendations, meta-reviews and decisions, acceptance by claimed gain and
    noise, and strong ideas with modest gains against the reverse. Descriptive, not causal."""

    @extend_schema(responses={200: VenueReportSerializer})
    def get(self, request, slug: str):
        venue = Venue.objects.filter(slug=slug).first()
        if venue is None:
            raise NotFound("No such venue.")
        require_perm(
            request.user,
            "journal.view_venue_report",
            venue,
            "Only the venue's chiefs read its report.",
        )
        report = venue_report(scope=dashboard_scope(user=request.user, venue=venue))
        r = report.result
        body = {
            "caveat": CAVEAT,
            "min_rows": r.min_rows,
            "enough_decisions": r.enough_decisions,
            "counts": {
                "submitted": report.submitted,
                "reviewed": report.influence.papers,
                "decided": r.decided,
                "accepted": r.accepted,
            },
            "rows": {
                "on_recommendation": r.on_recommendation.rows,
                "on_meta_review": r.on_meta_review.rows,
                "on_decision": r.on_outcome.rows,
            },
            "criteria": report.influence.rows(),
            "gain_bins": r.gain_bins,
            "noise": r.noise,
            "ratio_bins": r.ratio_bins,
            "ideas_vs_numbers": r.ideas_vs_numbers,
        }
        return Response(VenueReportSerializer(body).data)
