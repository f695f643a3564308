"""Django admin for every journal model; audit events and versions are read-only."""

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from journal.errors import DomainError
from journal.models import (
    ApiToken,
    AuditEvent,
    Authorship,
    BenchmarkClaim,
    Decision,
    DeclaredConflict,
    OutboundEmail,
    Submission,
    SubmissionVersion,
    User,
    Venue,
    VenueEmailTemplate,
    VenueRole,
    Webhook,
    WebhookDelivery,
)
from journal.services.webhooks import webhook_url_check


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records that are written by the application only: viewable, never editable."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "display_name", "affiliation", "is_staff", "is_active"]
    search_fields = ["email", "display_name", "affiliation", "orcid"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Profile", {"fields": ["display_name", "affiliation", "orcid", "email_domains"]}),
        ("Permissions", {"fields": ["is_active", "is_staff", "is_superuser", "groups"]}),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (
            None,
            {"classes": ["wide"], "fields": ["email", "display_name", "password1", "password2"]},
        ),
    ]
    filter_horizontal = ["groups"]
    list_filter = ["is_staff", "is_active"]


class VenueRoleInline(admin.TabularInline):
    model = VenueRole
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Venue)
class VenueAdmin(admin.ModelAdmin):
    list_display = [
        "slug",
        "name",
        "kind",
        "anonymity",
        "submission_deadline",
        "accepting_submissions",
    ]
    list_filter = ["kind", "anonymity"]
    search_fields = ["slug", "name"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [VenueRoleInline]
    #: The phase moves through the phase service only (with its steps and audit).
    readonly_fields = ["phase"]

    def get_changeform_initial_data(self, request):
        """Offer Peerless balanced, the default review form, for a new venue."""
        from reviews.services.forms import review_form_default

        initial = super().get_changeform_initial_data(request)
        return {"review_form": review_form_default().pk, **initial}


@admin.register(VenueRole)
class VenueRoleAdmin(admin.ModelAdmin):
    list_display = ["user", "venue", "role", "load_quota", "unavailable_until"]
    list_filter = ["venue", "role"]
    search_fields = ["user__email", "user__display_name"]
    autocomplete_fields = ["user"]


class AuthorshipInline(admin.TabularInline):
    model = Authorship
    extra = 0
    autocomplete_fields = ["user"]


class BenchmarkClaimInline(admin.TabularInline):
    model = BenchmarkClaim
    extra = 0


class DeclaredConflictInline(admin.TabularInline):
    model = DeclaredConflict
    extra = 0
    autocomplete_fields = ["user"]


class VersionInline(admin.TabularInline):
    model = SubmissionVersion
    extra = 0
    can_delete = False
    fields = ["number", "kind", "pdf", "pdf_sha256", "pdf_size", "page_count", "created_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Submission)
class SubmissionAdmin(admin.ModelAdmin):
    list_display = ["number", "title", "venue", "state", "action_editor", "submitted_at"]
    list_filter = ["venue", "state"]
    search_fields = ["title", "abstract", "=number"]
    list_select_related = ["venue", "action_editor"]
    autocomplete_fields = ["action_editor", "created_by"]
    readonly_fields = ["state", "created_at", "submitted_at", "decided_at", "published_at"]
    inlines = [AuthorshipInline, BenchmarkClaimInline, DeclaredConflictInline, VersionInline]

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(SubmissionVersion)
class SubmissionVersionAdmin(ReadOnlyAdmin):
    list_display = ["submission", "number", "kind", "page_count", "pdf_size", "created_at"]
    list_filter = ["kind"]
    list_select_related = ["submission"]


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = [
        "created_at",
        "venue",
        "submission",
        "actor",
        "action",
        "from_state",
        "to_state",
    ]
    list_filter = ["venue", "action", "visibility"]
    search_fields = ["note", "action"]
    list_select_related = ["venue", "submission", "actor"]
    date_hierarchy = "created_at"


@admin.register(OutboundEmail)
class OutboundEmailAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "to", "subject", "status", "attempts", "sent_at"]
    list_filter = ["status", "venue", "template"]
    search_fields = ["to", "subject", "body"]
    date_hierarchy = "created_at"


@admin.register(VenueEmailTemplate)
class VenueEmailTemplateAdmin(ReadOnlyAdmin):
    """Written from the venue's settings, where the template is checked before saving."""

    list_display = ["venue", "template", "subject", "updated_at", "updated_by"]
    list_filter = ["template"]
    list_select_related = ["venue", "updated_by"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens can be looked at and revoked here, never created (the secret is not stored)."""

    list_display = ["name", "user", "prefix", "scope", "venue", "last_used_at", "revoked_at"]
    list_filter = ["scope"]
    search_fields = ["name", "prefix", "user__email"]
    list_select_related = ["user", "venue"]
    fields = list_display
    readonly_fields = ["name", "user", "prefix", "scope", "venue", "last_used_at"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class WebhookAdminForm(forms.ModelForm):
    """The admin's webhook form, refusing the URLs the API refuses."""

    url = forms.URLField(max_length=500, assume_scheme="https")

    class Meta:
        model = Webhook
        fields = ["venue", "url", "events", "active"]

    def clean_url(self) -> str:
        try:
            return webhook_url_check(self.cleaned_data["url"])
        except DomainError as exc:
            raise forms.ValidationError(exc.message) from None


@admin.register(Webhook)
class WebhookAdmin(admin.ModelAdmin):
    form = WebhookAdminForm
    list_display = ["url", "venue", "active", "created_at"]
    list_filter = ["active", "venue"]
    readonly_fields = ["secret", "created_by", "created_at", "updated_at"]


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "event", "webhook", "status", "attempts", "response_code"]
    list_filter = ["status", "event"]
    list_select_related = ["webhook"]


@admin.register(Decision)
class DecisionAdmin(ReadOnlyAdmin):
    """Decisions change only through the workflow (draft, approval, publication)."""

    list_display = ["submission", "outcome", "status", "decided_by", "approved_by", "published_at"]
    list_filter = ["status", "outcome"]
    list_select_related = ["submission", "decided_by", "approved_by"]
