"""What a reviewer tells the venue about themself: expertise keywords, bids on papers and
the conflicts they declare. Each person reads and changes only their own."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from journal.api.permissions import token_venue_id
from journal.api.visibility import scope_to_token
from journal.enums import ConflictKind
from journal.models import Submission
from journal.rules import is_venue_reviewer
from reviews.models import Bid, BidValue, ExpertiseKeyword, ReviewerConflict
from reviews.services.expertise import (
    MAX_KEYWORDS,
    bid_set,
    expertise_keywords_set,
    reviewer_conflict_declare,
    reviewer_conflict_remove,
)

ID_MAX = 2**62


def _refuse_venue_token(request) -> None:
    if token_venue_id(request) is not None:
        raise PermissionDenied("A token limited to one venue cannot change your profile.")


def _paper_to_review(request, pk: int) -> Submission:
    """Return a paper at a venue where the caller reviews; 404 for any other."""
    queryset = scope_to_token(request, Submission.objects.select_related("venue"))
    submission = queryset.filter(pk=pk).first()
    if submission is None or not is_venue_reviewer.test(request.user, submission):
        raise NotFound("No such submission.")
    return submission


class KeywordsSerializer(serializers.Serializer):
    keywords = serializers.ListField(
        child=serializers.CharField(max_length=100),
        max_length=MAX_KEYWORDS,
        help_text="Topics of your expertise, in your order; they replace the earlier ones.",
    )


class ExpertiseKeywordsView(APIView):
    """Your expertise keywords (they add terms to your reviewer profile)."""

    @extend_schema(responses={200: KeywordsSerializer})
    def get(self, request):
        rows = ExpertiseKeyword.objects.filter(user=request.user).order_by("pk")
        return Response({"keywords": [row.keyword for row in rows]})

    @extend_schema(request=KeywordsSerializer, responses={200: KeywordsSerializer})
    def put(self, request):
        _refuse_venue_token(request)
        serializer = KeywordsSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        keywords = expertise_keywords_set(
            user=request.user, keywords=serializer.validated_data["keywords"]
        )
        return Response({"keywords": keywords})


class BidSerializer(serializers.Serializer):
    submission = serializers.IntegerField(source="submission_id")
    venue = serializers.CharField(source="submission.venue.slug")
    title = serializers.CharField(source="submission.title")
    value = serializers.ChoiceField(choices=BidValue.choices)
    updated_at = serializers.DateTimeField()


class BidInSerializer(serializers.Serializer):
    submission = serializers.IntegerField(min_value=1, max_value=ID_MAX)
    value = serializers.ChoiceField(
        choices=BidValue.choices, help_text="'neutral' removes an earlier bid."
    )


class BidOutSerializer(serializers.Serializer):
    submission = serializers.IntegerField()
    value = serializers.ChoiceField(choices=BidValue.choices)


class MyBidsView(APIView):
    """Your bids on papers at venues where bidding is open and you review."""

    @extend_schema(responses={200: BidSerializer(many=True)})
    def get(self, request):
        bids = (
            Bid.objects.filter(reviewer=request.user)
            .select_related("submission__venue")
            .order_by("submission__venue__slug", "submission__number")
        )
        bids = scope_to_token(request, bids, "submission__venue_id")
        return Response(BidSerializer(bids, many=True).data)

    @extend_schema(request=BidInSerializer, responses={200: BidOutSerializer})
    def post(self, request):
        serializer = BidInSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        submission = _paper_to_review(request, data["submission"])
        bid = bid_set(submission=submission, reviewer=request.user, value=data["value"])
        value = bid.value if bid is not None else BidValue.NEUTRAL
        return Response({"submission": submission.pk, "value": value})


class ConflictSerializer(serializers.ModelSerializer):
    class Meta:
        model = ReviewerConflict
        fields = ["id", "submission", "kind", "value", "reason", "created_at"]
        read_only_fields = fields


class ConflictInSerializer(serializers.Serializer):
    """Either a paper (`submission`), or a `kind` with its `value`."""

    submission = serializers.IntegerField(
        min_value=1, max_value=ID_MAX, required=False, allow_null=True, default=None
    )
    kind = serializers.ChoiceField(choices=ConflictKind.choices, required=False, allow_blank=True)
    value = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    reason = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")

    def validate(self, attrs):
        if attrs["submission"] is None and not attrs.get("kind"):
            raise serializers.ValidationError(
                {"kind": ["Name a paper, or say whether it is a person, institution or domain."]}
            )
        return attrs


class MyConflictsView(APIView):
    """The conflicts of interest you declared; they keep you from being matched."""

    @extend_schema(responses={200: ConflictSerializer(many=True)})
    def get(self, request):
        rows = ReviewerConflict.objects.filter(reviewer=request.user).order_by("pk")
        return Response(ConflictSerializer(rows, many=True).data)

    @extend_schema(request=ConflictInSerializer, responses={201: ConflictSerializer})
    def post(self, request):
        serializer = ConflictInSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        submission = None
        if data["submission"] is not None:
            submission = _paper_to_review(request, data["submission"])
        else:
            _refuse_venue_token(request)
        conflict = reviewer_conflict_declare(
            reviewer=request.user,
            submission=submission,
            kind=data.get("kind", ""),
            value=data["value"],
            reason=data["reason"],
        )
        return Response(ConflictSerializer(conflict).data, status=status.HTTP_201_CREATED)


class MyConflictView(APIView):
    """Withdraw one of your declared conflicts."""

    @extend_schema(request=None, responses={204: None})
    def delete(self, request, conflict_pk: int):
        _refuse_venue_token(request)
        if not ReviewerConflict.objects.filter(pk=conflict_pk, reviewer=request.user).exists():
            raise NotFound("No such conflict on your list.")
        reviewer_conflict_remove(reviewer=request.user, conflict_id=conflict_pk)
        return Response(status=status.HTTP_204_NO_CONTENT)
