"""Django admin for the reviews app.

Workflow states (invitations, reviews, flags, runs) are shown read-only: they change only
through their transition services, which lock, guard, audit and notify. Review forms are read
only too: they are versioned, and only the form builder's services make a new version.
"""

from django.contrib import admin

from reviews.models import (
    AffinityRun,
    AssignmentRun,
    Bid,
    Comment,
    CommentRevision,
    ExpertiseKeyword,
    MatchingSettings,
    ProposedAssignment,
    Publication,
    Review,
    ReviewerConflict,
    ReviewFlag,
    ReviewForm,
    ReviewFormField,
    ReviewInvitation,
    ReviewRound,
    ReviewVersion,
)


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ReviewFormFieldInline(ReadOnlyInline):
    model = ReviewFormField
    fields = [
        "order",
        "key",
        "kind",
        "label",
        "required",
        "visibility",
        "weight",
        "independent",
        "aspect",
        "min_words",
        "max_words",
    ]
    readonly_fields = fields


@admin.register(ReviewForm)
class ReviewFormAdmin(admin.ModelAdmin):
    """Review forms, read only: chairs build and version them on the dashboard (Review
    forms), where an edit to a form in use makes a new version instead of changing it."""

    list_display = ["slug", "version", "name", "venue", "published_at", "created_at"]
    list_filter = ["venue"]
    search_fields = ["slug", "name"]
    readonly_fields = [
        "slug",
        "version",
        "name",
        "description",
        "venue",
        "copied_from",
        "created_by",
        "published_at",
        "created_at",
    ]
    inlines = [ReviewFormFieldInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ReviewRound)
class ReviewRoundAdmin(admin.ModelAdmin):
    list_display = ["submission", "number", "form", "review_due", "release_at", "released_at"]
    raw_id_fields = ["submission"]
    readonly_fields = ["form"]


@admin.register(ReviewInvitation)
class ReviewInvitationAdmin(admin.ModelAdmin):
    list_display = ["submission", "reviewer", "state", "source", "answer_due", "review_due"]
    list_filter = ["state", "source"]
    search_fields = ["reviewer__email", "reviewer__display_name", "submission__title"]
    raw_id_fields = ["round", "submission", "reviewer", "invited_by"]
    readonly_fields = ["state", "responded_at"]


class ReviewVersionInline(ReadOnlyInline):
    model = ReviewVersion
    fields = ["number", "submitted_at", "is_late", "answers"]
    readonly_fields = fields


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin):
    list_display = ["submission", "reviewer", "state", "is_late", "rating", "submitted_at"]
    list_filter = ["state", "is_late", "rating"]
    raw_id_fields = ["invitation", "round", "submission", "reviewer", "form", "rated_by"]
    inlines = [ReviewVersionInline]
    readonly_fields = ["state", "submitted_at"]


@admin.register(ReviewFlag)
class ReviewFlagAdmin(admin.ModelAdmin):
    list_display = ["review", "flagged_by", "state", "created_at"]
    list_filter = ["state"]
    raw_id_fields = ["review", "flagged_by", "resolved_by"]
    readonly_fields = ["state", "outcome"]


class CommentRevisionInline(ReadOnlyInline):
    model = CommentRevision
    fields = ["created_at", "edited_by", "body"]
    readonly_fields = fields


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ["submission", "author", "role", "audience", "created_at", "edited_at"]
    list_filter = ["role", "audience"]
    raw_id_fields = ["submission", "round", "parent", "author"]
    inlines = [CommentRevisionInline]


@admin.register(Publication)
class PublicationAdmin(admin.ModelAdmin):
    list_display = ["title", "user", "year", "venue_name", "doi", "source"]
    search_fields = ["title", "doi", "user__email", "user__display_name"]
    list_filter = ["source", "year"]
    autocomplete_fields = ["user"]


@admin.register(ExpertiseKeyword)
class ExpertiseKeywordAdmin(admin.ModelAdmin):
    list_display = ["keyword", "user"]
    search_fields = ["keyword", "user__email", "user__display_name"]
    raw_id_fields = ["user"]


@admin.register(Bid)
class BidAdmin(admin.ModelAdmin):
    list_display = ["submission", "reviewer", "value", "updated_at"]
    list_filter = ["value"]
    raw_id_fields = ["submission", "reviewer"]


@admin.register(ReviewerConflict)
class ReviewerConflictAdmin(admin.ModelAdmin):
    list_display = ["reviewer", "submission", "kind", "value", "created_at"]
    list_filter = ["kind"]
    search_fields = ["value", "reviewer__email"]
    raw_id_fields = ["reviewer", "submission"]


@admin.register(MatchingSettings)
class MatchingSettingsAdmin(admin.ModelAdmin):
    list_display = ["venue", "bidding_open", "bid_weight", "candidates_per_paper"]


@admin.register(AffinityRun)
class AffinityRunAdmin(admin.ModelAdmin):
    list_display = ["venue", "status", "progress", "n_scores", "seconds", "created_at"]
    list_filter = ["status"]
    readonly_fields = ["status", "progress", "created_at", "finished_at"]


class ProposedAssignmentInline(ReadOnlyInline):
    model = ProposedAssignment
    fields = ["submission", "reviewer", "affinity", "is_existing", "deployed_at"]
    readonly_fields = fields


@admin.register(AssignmentRun)
class AssignmentRunAdmin(admin.ModelAdmin):
    list_display = [
        "venue",
        "status",
        "progress",
        "objective",
        "upper_bound",
        "min_paper_score",
        "created_by",
        "created_at",
    ]
    list_filter = ["status"]
    readonly_fields = [
        "status",
        "progress",
        "created_at",
        "started_at",
        "finished_at",
        "deployed_at",
    ]
    raw_id_fields = ["created_by", "deployed_by"]
