"""Serializers of submissions, their authors, claims and declared conflicts."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.reverse import reverse

from journal.api.fields import FiniteFloatField, SlugRefField
from journal.enums import BaselineSource, ConflictKind, SubmissionState
from journal.limits import (
    CLAIM_COMPUTE_BUDGET_MAX_CHARS,
    CLAIM_RUNS_MAX,
    SUBJECT_AREA_MAX_CHARS,
    TEXT_MAX_CHARS,
    TITLE_MAX_CHARS,
)
from journal.models import Authorship, Submission, SubmissionVersion, User, Venue
from journal.services.submissions import AuthorInput, ClaimInput, ConflictInput


class AuthorInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    email = serializers.EmailField(max_length=254)
    affiliation = serializers.CharField(max_length=300, required=False, allow_blank=True)
    is_corresponding = serializers.BooleanField(required=False, default=False)

    def to_internal_value(self, data):
        return AuthorInput(**super().to_internal_value(data))


class ClaimSerializer(serializers.Serializer):
    dataset = serializers.CharField(max_length=200)
    metric = serializers.CharField(max_length=100)
    value = FiniteFloatField()
    best_prior_value = FiniteFloatField(required=False, allow_null=True, default=None)
    higher_is_better = serializers.BooleanField(required=False, default=True)
    runs = serializers.IntegerField(
        required=False,
        allow_null=True,
        default=None,
        min_value=1,
        max_value=CLAIM_RUNS_MAX,
        help_text="Independent runs (seeds) behind the value.",
        error_messages={"min_value": "At least one run is behind a value."},
    )
    spread = FiniteFloatField(
        required=False,
        allow_null=True,
        default=None,
        min_value=0,
        help_text="Standard deviation of the value across the runs.",
        error_messages={"min_value": "A spread is zero or more."},
    )
    compute_budget = serializers.CharField(
        max_length=CLAIM_COMPUTE_BUDGET_MAX_CHARS, required=False, allow_blank=True, default=""
    )
    baseline_source = serializers.ChoiceField(
        choices=BaselineSource.choices, required=False, allow_blank=True, default=""
    )
    code_url = serializers.URLField(max_length=200, required=False, allow_blank=True, default="")

    def to_internal_value(self, data):
        return ClaimInput(**super().to_internal_value(data))


class ConflictSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ConflictKind.choices)
    value = serializers.CharField(max_length=300)
    reason = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")

    def to_internal_value(self, data):
        return ConflictInput(**super().to_internal_value(data))


class AuthorSerializer(serializers.ModelSerializer):
    email = serializers.SerializerMethodField()
    claimed = serializers.SerializerMethodField()

    class Meta:
        model = Authorship
        fields = ["order", "name", "affiliation", "email", "is_corresponding", "claimed"]

    @extend_schema_field(serializers.EmailField(allow_null=True))
    def get_email(self, obj: Authorship) -> str | None:
        """Give the address only to the paper's authors and editors."""
        return obj.email if self.context.get("show_contacts") else None

    def get_claimed(self, obj: Authorship) -> bool:
        return obj.claimed_at is not None


class VersionSummarySerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()
    pdf_url = serializers.SerializerMethodField()

    class Meta:
        model = SubmissionVersion
        fields = ["id", "url", "number", "kind", "page_count", "pdf_url", "created_at"]

    def get_url(self, obj) -> str:
        return reverse("api:version-detail", args=[obj.pk], request=self.context.get("request"))

    def get_pdf_url(self, obj) -> str:
        return reverse("api:version-pdf", args=[obj.pk], request=self.context.get("request"))


class ClaimReadSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    dataset = serializers.CharField()
    metric = serializers.CharField()
    value = serializers.FloatField()
    best_prior_value = serializers.FloatField(allow_null=True)
    higher_is_better = serializers.BooleanField()
    runs = serializers.IntegerField(allow_null=True)
    spread = serializers.FloatField(allow_null=True)
    compute_budget = serializers.CharField()
    baseline_source = serializers.CharField()
    code_url = serializers.CharField()
    gain = serializers.FloatField(
        source="improvement",
        allow_null=True,
        help_text="Value minus best prior, signed so + is better.",
    )
    within_noise = serializers.BooleanField(
        allow_null=True, help_text="Whether |gain| is at most the spread; null when unknown."
    )


class SubmissionPermissionsSerializer(serializers.Serializer):
    change = serializers.BooleanField()
    upload_version = serializers.BooleanField()
    submit = serializers.BooleanField()
    withdraw = serializers.BooleanField()


class SubmissionSerializer(serializers.ModelSerializer):
    """A submission as the caller may see it: authors only where the rules allow."""

    url = serializers.SerializerMethodField()
    html_url = serializers.SerializerMethodField()
    venue = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    authors = serializers.SerializerMethodField()
    benchmark_claims = ClaimReadSerializer(many=True, read_only=True)
    latest_version = serializers.SerializerMethodField()
    permissions = serializers.SerializerMethodField()

    class Meta:
        model = Submission
        fields = [
            "id",
            "url",
            "html_url",
            "venue",
            "number",
            "title",
            "abstract",
            "keywords",
            "subject_area",
            "hypothesis_claim",
            "hypothesis_rationale",
            "hypothesis_refutation",
            "reviews_public_if_rejected",
            "state",
            "authors",
            "benchmark_claims",
            "latest_version",
            "created_at",
            "updated_at",
            "submitted_at",
            "decided_at",
            "published_at",
            "permissions",
        ]
        read_only_fields = fields

    def _user(self):
        return self.context["request"].user

    def _nested(self, serializer_class, **context):
        """One instance of a nested serializer per context for the whole list: a list of
        papers builds each nested serializer's fields once, not once a row."""
        key = (serializer_class, tuple(sorted(context.items())))
        made = self.__dict__.setdefault("_nested_serializers", {})
        if key not in made:
            made[key] = serializer_class(context={**self.context, **context})
        return made[key]

    def get_url(self, obj) -> str:
        return reverse("api:submission-detail", args=[obj.pk], request=self.context["request"])

    def get_html_url(self, obj) -> str:
        return self.context["request"].build_absolute_uri(obj.get_absolute_url())

    @extend_schema_field(AuthorSerializer(many=True, allow_null=True))
    def get_authors(self, obj) -> list | None:
        """Return the authors, or null where the caller may not know them (double-blind)."""
        user = self._user()
        if not user.has_perm("journal.view_submission_authors", obj):
            return None
        serializer = self._nested(
            AuthorSerializer, show_contacts=user.has_perm("journal.view_author_contacts", obj)
        )
        return [serializer.to_representation(author) for author in obj.authors.all()]

    @extend_schema_field(VersionSummarySerializer(allow_null=True))
    def get_latest_version(self, obj) -> dict | None:
        user = self._user()
        versions = [v for v in obj.versions.all() if user.has_perm("journal.view_version", v)]
        if not versions:
            return None
        latest = max(versions, key=lambda v: v.number)
        return self._nested(VersionSummarySerializer).to_representation(latest)

    @extend_schema_field(SubmissionPermissionsSerializer)
    def get_permissions(self, obj) -> dict:
        user = self._user()
        return {
            "change": user.has_perm("journal.change_submission", obj),
            "upload_version": user.has_perm("journal.upload_version", obj),
            "submit": user.has_perm("journal.submit_submission", obj),
            "withdraw": user.has_perm("journal.withdraw_submission", obj),
        }


class _MetadataFields(serializers.Serializer):
    title = serializers.CharField(max_length=TITLE_MAX_CHARS)
    abstract = serializers.CharField(max_length=TEXT_MAX_CHARS)
    hypothesis_claim = serializers.CharField(max_length=TEXT_MAX_CHARS)
    hypothesis_rationale = serializers.CharField(
        max_length=TEXT_MAX_CHARS, required=False, allow_blank=True
    )
    hypothesis_refutation = serializers.CharField(
        max_length=TEXT_MAX_CHARS, required=False, allow_blank=True
    )
    keywords = serializers.ListField(
        child=serializers.CharField(max_length=100), max_length=30, required=False
    )
    subject_area = serializers.CharField(
        max_length=SUBJECT_AREA_MAX_CHARS,
        required=False,
        allow_blank=True,
        help_text="One of the venue's `subject_areas` (required where it has any).",
    )
    reviews_public_if_rejected = serializers.BooleanField(
        required=False,
        help_text="If rejected, publish the paper with its reviews (where the venue allows).",
    )
    suggested_action_editors = serializers.PrimaryKeyRelatedField(
        many=True,
        required=False,
        queryset=User.objects.filter(is_active=True),
        help_text="Ids of action editors of the venue the authors suggest.",
    )
    authors = AuthorInputSerializer(many=True, required=False, max_length=100)
    benchmark_claims = ClaimSerializer(many=True, required=False, max_length=100)
    conflicts = ConflictSerializer(many=True, required=False, max_length=200)


class SubmissionCreateSerializer(_MetadataFields):
    """A new draft; send as multipart with `pdf` (and `supplement`) to upload at once."""

    venue = SlugRefField(slug_field="slug", queryset=Venue.objects.all())
    pdf = serializers.FileField(required=False, help_text="The anonymised paper (PDF).")
    supplement = serializers.FileField(required=False, help_text="Supplementary archive.")


class SubmissionUpdateSerializer(_MetadataFields):
    """Metadata to change; send only what changes. Lists replace the stored list."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = False


class TransitionSerializer(serializers.Serializer):
    to_state = serializers.ChoiceField(choices=SubmissionState.choices)
    note = serializers.CharField(
        max_length=TEXT_MAX_CHARS, required=False, allow_blank=True, default=""
    )


class ActionEditorSerializer(serializers.Serializer):
    editor = serializers.IntegerField(
        allow_null=True, min_value=1, max_value=2**62, help_text="A user id, or null."
    )
    allow_conflict = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Assign despite a conflict of interest (answered 409 with the reasons).",
    )
    override_note = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=300,
        help_text="Why the editor handles the paper despite the conflict; recorded.",
    )


class EditorSuggestionSerializer(serializers.Serializer):
    editor = serializers.IntegerField(source="editor.pk")
    name = serializers.CharField(source="editor.display_name")
    affinity = serializers.FloatField()
    load = serializers.IntegerField(help_text="Open papers the editor handles.")
    quota = serializers.IntegerField(allow_null=True)
    available = serializers.BooleanField()
    unavailable_until = serializers.DateField(allow_null=True)
    conflicts = serializers.ListField(child=serializers.CharField())
    suggested_by_authors = serializers.BooleanField()
    eligible = serializers.BooleanField()
    closest_publication = serializers.CharField()
    shared_terms = serializers.ListField(child=serializers.CharField())


class NoteSerializer(serializers.Serializer):
    note = serializers.CharField(
        max_length=TEXT_MAX_CHARS, required=False, allow_blank=True, default=""
    )


class SubmitSerializer(serializers.Serializer):
    acknowledge_anonymity = serializers.BooleanField(
        required=False,
        default=False,
        help_text="At a double-blind venue, confirm that what the check found in the files "
        "(listed when submitting is refused) does not identify the authors.",
    )


class DeclaredConflictSerializer(serializers.Serializer):
    kind = serializers.CharField()
    value = serializers.CharField()
    reason = serializers.CharField()
