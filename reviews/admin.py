"""Django admin for the reviews app."""

from django.contrib import admin

from reviews.models import Publication, ReviewForm


@admin.register(ReviewForm)
class ReviewFormAdmin(admin.ModelAdmin):
    list_display = ["slug", "version", "name", "created_at"]
    search_fields = ["slug", "name"]


@admin.register(Publication)
class PublicationAdmin(admin.ModelAdmin):
    list_display = ["title", "user", "year", "venue_name"]
    search_fields = ["title", "user__email", "user__display_name"]
    list_filter = ["year"]
    autocomplete_fields = ["user"]
