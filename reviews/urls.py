"""Review pages: the reviewer's /reviewing/ area and the actions under a submission."""

from django.urls import path

from reviews.views import bidding, console, decisions, discussion, editor, form_builder, reviewing

app_name = "reviews"

urlpatterns = [
    path("reviewing/", reviewing.reviewing_home, name="reviewing"),
    path("reviewing/invitations/<int:pk>/", reviewing.invitation_answer, name="invitation"),
    path("reviewing/reviews/<int:pk>/", reviewing.review_edit, name="review-edit"),
    path(
        "reviewing/reviews/<int:pk>/autosave/",
        reviewing.review_autosave,
        name="review-autosave",
    ),
    path(
        "submissions/<int:pk>/reviews/",
        editor.submission_reviews_page,
        name="submission-reviews",
    ),
    path("submissions/<int:pk>/reviews/invite/", editor.invite_reviewer, name="invite"),
    path("submissions/<int:pk>/reviews/release/", editor.release_reviews, name="release"),
    path("submissions/<int:pk>/reviews/schedule/", editor.schedule_round, name="schedule"),
    path("submissions/<int:pk>/reviews/meta/", editor.write_meta_review, name="meta-review"),
    path(
        "submissions/<int:pk>/reviews/invitations/<int:invitation_pk>/withdraw/",
        editor.withdraw_invitation,
        name="withdraw",
    ),
    path("submissions/<int:pk>/reviews/<int:review_pk>/rate/", editor.rate_review, name="rate"),
    path("submissions/<int:pk>/reviews/<int:review_pk>/flag/", editor.flag_review, name="flag"),
    path(
        "submissions/<int:pk>/reviews/flags/<int:flag_pk>/resolve/",
        editor.resolve_flag,
        name="resolve-flag",
    ),
    path("submissions/<int:pk>/discussion/", discussion.discussion, name="discussion"),
    path(
        "submissions/<int:pk>/discussion/<int:comment_pk>/edit/",
        discussion.comment_edit_view,
        name="comment-edit",
    ),
    path("submissions/<int:pk>/recommendation/", discussion.recommend, name="recommend"),
    path(
        "submissions/<int:pk>/public-comments/",
        discussion.public_comment,
        name="public-comment",
    ),
    path(
        "submissions/<int:pk>/discussion/<int:comment_pk>/hide/",
        discussion.comment_hide_view,
        name="comment-hide",
    ),
    path("submissions/<int:pk>/decision/", decisions.decision_page, name="decision"),
    path("venues/<slug:slug>/decisions/", decisions.bulk_decisions, name="bulk-decisions"),
    path("venues/<slug:slug>/ac/", console.console_page, name="console"),
    path(
        "venues/<slug:slug>/ac/remind/<int:invitation_pk>/",
        console.console_remind,
        name="console-remind",
    ),
    path("venues/<slug:slug>/bids/", bidding.bidding_page, name="bids"),
    path(
        "venues/<slug:slug>/dashboard/forms/",
        form_builder.FormListView.as_view(),
        name="form-list",
    ),
    path(
        "venues/<slug:slug>/dashboard/forms/<slug:form_slug>/",
        form_builder.FormEditView.as_view(),
        name="form-edit",
    ),
    path(
        "venues/<slug:slug>/dashboard/forms/<slug:form_slug>/preview/",
        form_builder.FormPreviewView.as_view(),
        name="form-preview",
    ),
    path(
        "venues/<slug:slug>/dashboard/forms/<slug:form_slug>/v<int:version>/preview/",
        form_builder.FormPreviewView.as_view(),
        name="form-preview-version",
    ),
    path("venues/<slug:slug>/bids/<int:number>/", bidding.bid_save, name="bid"),
]
