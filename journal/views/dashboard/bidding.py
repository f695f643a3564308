"""Bid coverage for chiefs: papers with too few positive bids, reviewers below the minimum,
and reminding those reviewers (with a confirmation that states the counts)."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect
from django.urls import reverse
from django.views.generic import TemplateView

from journal.errors import DomainError
from journal.forms.dashboard import BiddingSettingsForm
from journal.views.dashboard.base import VenueChiefMixin, refused
from reviews.rules import bidding_is_open
from reviews.selectors.bidding import (
    COVERAGE_SORTS,
    bid_reminders_of,
    coverage_by_area,
    coverage_papers,
    coverage_reviewers,
    coverage_summary,
    reviewers_to_remind,
)
from reviews.selectors.expertise import matching_settings_of
from reviews.services.bidding import bid_reminders_send, bidding_settings_update

PER_PAGE = 50


class CountedPaginator(Paginator):
    """A paginator told its count (already computed for the page's summary): the list's
    own COUNT over every reviewer is not run again."""

    def __init__(self, object_list, per_page, *, count: int) -> None:
        super().__init__(object_list, per_page)
        self._known_count = count

    @property
    def count(self) -> int:
        return self._known_count


class BidCoverageView(VenueChiefMixin, TemplateView):
    template_name = "journal/dashboard/bids.html"
    section = "bids"

    def get_context_data(self, **kwargs):
        sort = self.request.GET.get("sort", "positive")
        sort = sort if sort in COVERAGE_SORTS else "positive"
        summary = coverage_summary(venue=self.venue, viewer=self.request.user)
        papers = CountedPaginator(
            coverage_papers(venue=self.venue, viewer=self.request.user, sort=sort),
            PER_PAGE,
            count=summary.n_papers_short,
        )
        reviewers = CountedPaginator(
            coverage_reviewers(venue=self.venue, with_reminders=False),
            PER_PAGE,
            count=summary.n_reviewers_short,
        ).get_page(self.request.GET.get("rpage"))
        bid_reminders_of(venue=self.venue, reviewers=list(reviewers.object_list))
        context = {
            **super().get_context_data(**kwargs),
            "summary": summary,
            "areas": coverage_by_area(venue=self.venue, viewer=self.request.user),
            "papers": papers.get_page(self.request.GET.get("page")),
            "reviewers": reviewers,
            "sort": sort,
            "sorts": COVERAGE_SORTS,
            "settings_form": kwargs.get("settings_form"),
            "is_open": bidding_is_open(self.venue),
        }
        if "settings_form" not in kwargs:
            current = matching_settings_of(venue=self.venue)
            context["settings_form"] = BiddingSettingsForm(
                initial={
                    "min_bids": current.min_bids,
                    "bid_weight": current.bid_weight,
                    "bidding_open": current.bidding_open,
                },
                has_timeline=self._has_timeline(),
            )
        if self.request.GET.get("confirm") == "remind":
            due, recent = reviewers_to_remind(venue=self.venue)
            context["confirm"] = {"due": len(due), "recent": recent}
        return context

    def _has_timeline(self) -> bool:
        return self.venue.is_conference and self.venue.phases.exists()

    def post(self, request, *args, **kwargs):
        here = reverse("journal:dashboard-bids", args=[self.venue.slug])
        if request.POST.get("action") == "settings":
            return self._save_settings(request, here)
        try:
            result = bid_reminders_send(venue=self.venue, actor=request.user)
        except DomainError as exc:
            return refused(request, exc, back=here)
        text = f"Reminded {result.sent} reviewer{'s' if result.sent != 1 else ''} to bid."
        if result.skipped_recent:
            text += f" {result.skipped_recent} reminded in the last 24 hours were left out."
        messages.success(request, text)
        return redirect(here)

    def _save_settings(self, request, here: str):
        form = BiddingSettingsForm(request.POST, has_timeline=self._has_timeline())
        if not form.is_valid():
            context = self.get_context_data(settings_form=form)
            return self.render_to_response(context, status=400)
        data = form.cleaned_data
        try:
            bidding_settings_update(
                venue=self.venue,
                actor=request.user,
                min_bids=data["min_bids"],
                bid_weight=data["bid_weight"],
                bidding_open=data.get("bidding_open") if "bidding_open" in form.fields else None,
            )
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            return self.render_to_response(self.get_context_data(settings_form=form), status=400)
        messages.success(request, "Bidding settings saved.")
        return redirect(here)
