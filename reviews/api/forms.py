"""The review form a venue's next rounds use, with each criterion's share of the overall
score: what the settings and phase pages show a chair before the rounds open."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from journal.api.visibility import require_perm
from journal.models import Venue
from reviews.enums import CriterionAspect
from reviews.selectors.forms import form_shares_of
from reviews.services.forms import review_form_for_venue, review_form_latest


class CriterionShareSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    aspect = serializers.ChoiceField(choices=CriterionAspect.choices)
    weight = serializers.FloatField()
    share = serializers.FloatField(help_text="Weight / sum of the weights of the scored criteria.")


class FormSharesSerializer(serializers.Serializer):
    slug = serializers.CharField(source="form.slug")
    version = serializers.IntegerField(source="form.version")
    name = serializers.CharField(source="form.name")
    in_use = serializers.SerializerMethodField()
    criteria = CriterionShareSerializer(many=True)
    ideas_share = serializers.FloatField()
    benchmark_share = serializers.FloatField()
    numbers_outweigh_ideas = serializers.BooleanField()
    warning = serializers.CharField(help_text="Empty unless the numbers outweigh the ideas.")

    def get_in_use(self, obj) -> bool:
        """Whether the venue's new rounds use this form."""
        return self.context["in_use"]


class VenueReviewFormView(APIView):
    """The venue's review form and its criterion shares (chiefs); `?form=<slug>` previews
    the newest version of another form."""

    @extend_schema(
        parameters=[OpenApiParameter("form", str, required=False)],
        responses={200: FormSharesSerializer},
    )
    def get(self, request, slug: str):
        venue = Venue.objects.filter(slug=slug).first()
        if venue is None:
            raise NotFound("No such venue.")
        require_perm(
            request.user,
            "journal.manage_venue",
            venue,
            "Only the venue's chiefs see how its review form weighs the criteria.",
        )
        other = request.query_params.get("form") or None
        form = (
            review_form_latest(slug=other, venue=venue)
            if other
            else review_form_for_venue(venue=venue)
        )
        shares = form_shares_of(form=form)
        in_use = other is None or venue.review_form_id == shares.form.pk
        return Response(FormSharesSerializer(shares, context={"in_use": in_use}).data)
