"""The review-form builder in the API: what the dashboard's Review forms pages do.

`/venues/{slug}/review-forms/` lists the venue's forms (and the shipped ones) with their
versions and which rounds use them, and creates a form (blank or a copy). Under
`/venues/{slug}/review-forms/{form}/` an edit of the newest version goes to a new draft
version when that one is in use or published; the answer says so (`new_version`).
"""

from django.http import Http404
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    inline_serializer,
)
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from journal.api.permissions import token_venue_id
from journal.api.visibility import require_perm
from journal.errors import DomainError
from journal.limits import REVIEW_FORM_HELP_MAX_CHARS, TITLE_MAX_CHARS
from journal.models import Venue
from reviews.api.forms import CriterionShareSerializer
from reviews.enums import CriterionAspect, FieldKind, FieldVisibility
from reviews.models import ReviewFormField
from reviews.selectors.form_builder import (
    FormFamily,
    review_form_copyable,
    review_form_with_fields,
    venue_review_form_family,
    venue_review_forms,
)
from reviews.selectors.forms import form_shares
from reviews.services.form_builder import (
    FIELD_SETTINGS,
    FormEdit,
    review_form_create,
    review_form_details_change,
    review_form_field_append,
    review_form_field_change,
    review_form_field_move,
    review_form_field_remove,
    review_form_publish,
)


class FormRoundUseSerializer(serializers.Serializer):
    number = serializers.IntegerField(help_text="The round number (1 for first reviews).")
    papers = serializers.IntegerField(help_text="Papers whose round of this number uses it.")


class FormVersionSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="form.pk")
    version = serializers.IntegerField(source="form.version")
    name = serializers.CharField(source="form.name")
    status = serializers.CharField(
        help_text="the form of new rounds, draft, published earlier or shipped."
    )
    is_current = serializers.BooleanField(help_text="The form of the venue's new rounds.")
    in_use = serializers.BooleanField()
    usage = serializers.CharField(help_text='E.g. "in use by round 1 (12 papers)".')
    rounds = serializers.SerializerMethodField()
    reviews = serializers.IntegerField(help_text="Reviews written on it at this venue.")
    published_at = serializers.DateTimeField(source="form.published_at", allow_null=True)
    created_at = serializers.DateTimeField(source="form.created_at")

    @extend_schema_field(FormRoundUseSerializer(many=True))
    def get_rounds(self, obj) -> list[dict]:
        return [{"number": n, "papers": p} for n, p in obj.rounds]


class FormFamilySerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()
    shipped = serializers.BooleanField(source="is_shipped")
    edit_note = serializers.CharField(help_text="What an edit of the newest version does.")
    versions = FormVersionSerializer(many=True, help_text="Newest first.")


class FormListSerializer(serializers.Serializer):
    forms = FormFamilySerializer(many=True, help_text="The venue's own forms.")
    shipped = FormFamilySerializer(many=True, help_text="The shipped forms, to copy.")


class BuiltFormFieldSerializer(serializers.ModelSerializer):
    class Meta:
        model = ReviewFormField
        fields = ["key", "order", *FIELD_SETTINGS]
        read_only_fields = fields


class FormDetailSerializer(serializers.Serializer):
    slug = serializers.CharField(source="family.slug")
    version = serializers.IntegerField(source="form.version")
    name = serializers.CharField(source="form.name")
    description = serializers.CharField(source="form.description")
    edit_note = serializers.CharField(source="family.edit_note")
    fields = BuiltFormFieldSerializer(source="form.fields.all", many=True)
    criteria = CriterionShareSerializer(source="shares.criteria", many=True)
    ideas_share = serializers.FloatField(source="shares.ideas_share")
    benchmark_share = serializers.FloatField(source="shares.benchmark_share")
    versions = FormVersionSerializer(source="family.versions", many=True)


class FormEditResultSerializer(serializers.Serializer):
    detail = serializers.CharField()
    new_version = serializers.BooleanField(
        help_text="The edit made a new draft version (the one edited was in use)."
    )
    form = FormDetailSerializer()


class FormCreateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    description = serializers.CharField(
        max_length=REVIEW_FORM_HELP_MAX_CHARS, required=False, allow_blank=True, default=""
    )
    copy_of = serializers.IntegerField(
        required=False,
        allow_null=True,
        default=None,
        help_text="The id of a version to copy (a shipped form or one of the venue's).",
    )


class FormDetailsSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    description = serializers.CharField(
        max_length=REVIEW_FORM_HELP_MAX_CHARS, required=False, allow_blank=True, default=""
    )


class FormOptionSerializer(serializers.Serializer):
    value = serializers.JSONField(help_text="A number for a score; text or a number otherwise.")
    label = serializers.CharField(max_length=TITLE_MAX_CHARS)


class FormFieldInputSerializer(serializers.Serializer):
    """A question's settings; the service checks them together and answers every problem."""

    key = serializers.CharField(max_length=64, help_text="Only when adding; it never changes.")
    kind = serializers.ChoiceField(choices=FieldKind.choices)
    label = serializers.CharField(max_length=TITLE_MAX_CHARS)
    help_text = serializers.CharField(
        max_length=REVIEW_FORM_HELP_MAX_CHARS, required=False, allow_blank=True
    )
    required = serializers.BooleanField(required=False)
    visibility = serializers.ChoiceField(choices=FieldVisibility.choices, required=False)
    options = FormOptionSerializer(many=True, required=False)
    weight = serializers.FloatField(required=False)
    independent = serializers.BooleanField(required=False)
    aspect = serializers.ChoiceField(choices=CriterionAspect.choices, required=False)
    min_words = serializers.IntegerField(required=False, allow_null=True)
    max_words = serializers.IntegerField(required=False, allow_null=True)


class FormFieldMoveSerializer(serializers.Serializer):
    direction = serializers.ChoiceField(choices=[("up", "Up"), ("down", "Down")])


def _venue(request, slug: str) -> Venue:
    venue = Venue.objects.filter(slug=slug).first()
    bound = token_venue_id(request)
    if venue is None or (bound is not None and bound != venue.pk):
        raise Http404("No such venue.")
    require_perm(
        request.user,
        "reviews.build_review_forms",
        venue,
        "Only the venue's chairs build its review forms.",
    )
    return venue


def _family(venue: Venue, form_slug: str) -> FormFamily:
    family = venue_review_form_family(venue=venue, slug=form_slug)
    if family is None:
        raise Http404("This venue has no such review form.")
    return family


def _detail(venue: Venue, form_slug: str, version: int | None = None) -> dict:
    family = _family(venue, form_slug)
    use = family.newest
    if version is not None:
        use = next((v for v in family.versions if v.form.version == version), None)
        if use is None:
            raise Http404("This form has no such version.")
    form = review_form_with_fields(form_id=use.form.pk)
    return {"family": family, "form": form, "shares": form_shares(form=form)}


def _edited(venue: Venue, edit: FormEdit, status: int = 200) -> Response:
    body = {"detail": edit.message, "new_version": edit.new_version}
    body["form"] = _detail(venue, edit.form.slug)
    return Response(FormEditResultSerializer(body).data, status=status)


class VenueReviewFormsView(APIView):
    """The venue's review forms with their versions and use (chairs); create one."""

    @extend_schema(operation_id="venues_review_forms_list", responses={200: FormListSerializer})
    def get(self, request, slug: str):
        own, shipped = venue_review_forms(venue=_venue(request, slug))
        return Response(FormListSerializer({"forms": own, "shipped": shipped}).data)

    @extend_schema(request=FormCreateSerializer, responses={201: FormDetailSerializer})
    def post(self, request, slug: str):
        venue = _venue(request, slug)
        data = FormCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        copy_of = None
        if data.validated_data["copy_of"] is not None:
            copy_of = review_form_copyable(venue=venue, form_id=data.validated_data["copy_of"])
            if copy_of is None:
                raise DomainError("There is no such form to copy.", field="copy_of")
        form = review_form_create(
            venue=venue,
            actor=request.user,
            name=data.validated_data["name"],
            description=data.validated_data["description"],
            copy_of=copy_of,
        )
        return Response(FormDetailSerializer(_detail(venue, form.slug)).data, status=201)


class VenueReviewFormView(APIView):
    """A form's newest version (or `?version=`) with its questions, each aspect's share of
    the overall score and every version's use; rename it."""

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "version", int, required=False, description="An older version (the preview)."
            )
        ],
        responses={200: FormDetailSerializer},
    )
    def get(self, request, slug: str, form_slug: str):
        venue = _venue(request, slug)
        raw = request.query_params.get("version", "")
        if raw and not (raw.isdigit() and len(raw) < 6):
            raise DomainError("A version is a number (e.g. 2).", field="version")
        version = int(raw) if raw else None
        return Response(FormDetailSerializer(_detail(venue, form_slug, version)).data)

    @extend_schema(request=FormDetailsSerializer, responses={200: FormEditResultSerializer})
    def patch(self, request, slug: str, form_slug: str):
        venue = _venue(request, slug)
        form = _family(venue, form_slug).newest.form
        current = {"name": form.name, "description": form.description}
        data = FormDetailsSerializer(data={**current, **request.data})
        data.is_valid(raise_exception=True)
        edit = review_form_details_change(form=form, actor=request.user, **data.validated_data)
        return _edited(venue, edit)


class ReviewFormFieldsView(APIView):
    """Add a question at the end of the form."""

    @extend_schema(request=FormFieldInputSerializer, responses={201: FormEditResultSerializer})
    def post(self, request, slug: str, form_slug: str):
        venue = _venue(request, slug)
        form = _family(venue, form_slug).newest.form
        data = FormFieldInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        spec = dict(data.validated_data)
        edit = review_form_field_append(form=form, actor=request.user, **spec)
        return _edited(venue, edit, status=201)


class ReviewFormFieldView(APIView):
    """Change or remove one question (of a new version when the form is in use)."""

    @extend_schema(request=FormFieldInputSerializer, responses={200: FormEditResultSerializer})
    def patch(self, request, slug: str, form_slug: str, key: str):
        venue = _venue(request, slug)
        form = _family(venue, form_slug).newest.form
        data = FormFieldInputSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        changes = dict(data.validated_data)
        if "key" in changes and changes.pop("key") != key:
            raise DomainError("A question's key never changes: add a new question.", field="key")
        edit = review_form_field_change(form=form, key=key, actor=request.user, **changes)
        return _edited(venue, edit)

    @extend_schema(request=None, responses={200: FormEditResultSerializer})
    def delete(self, request, slug: str, form_slug: str, key: str):
        venue = _venue(request, slug)
        form = _family(venue, form_slug).newest.form
        return _edited(venue, review_form_field_remove(form=form, key=key, actor=request.user))


class ReviewFormFieldMoveView(APIView):
    """Move a question one place up or down."""

    @extend_schema(request=FormFieldMoveSerializer, responses={200: FormEditResultSerializer})
    def post(self, request, slug: str, form_slug: str, key: str):
        venue = _venue(request, slug)
        form = _family(venue, form_slug).newest.form
        data = FormFieldMoveSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        up = data.validated_data["direction"] == "up"
        edit = review_form_field_move(form=form, key=key, actor=request.user, up=up)
        return _edited(venue, edit)


class ReviewFormPublishView(APIView):
    """Make the newest version the venue's form for new rounds (running rounds keep theirs)."""

    @extend_schema(
        request=None,
        responses={
            200: inline_serializer(
                "ReviewFormPublished",
                {"detail": serializers.CharField(), "form": FormDetailSerializer()},
            )
        },
    )
    def post(self, request, slug: str, form_slug: str):
        venue = _venue(request, slug)
        form = review_form_publish(form=_family(venue, form_slug).newest.form, actor=request.user)
        detail = (
            f"{form.name} v{form.version} is published: new rounds use it; running rounds keep "
            "theirs."
        )
        venue.refresh_from_db(fields=["review_form"])
        body = FormDetailSerializer(_detail(venue, form.slug)).data
        return Response({"detail": detail, "form": body})
