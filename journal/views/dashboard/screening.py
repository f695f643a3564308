"""The screening queue: chairs and area chairs pass or desk-reject submitted papers."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.views.generic import TemplateView

from journal.errors import DomainError
from journal.forms.phases import ScreeningActionForm, ScreeningPassAllForm
from journal.rules import recused_ids
from journal.selectors.phases import screening_queue, screening_required, screening_rows
from journal.services.screening import (
    submission_screen_pass,
    submission_screen_reject,
    submissions_screen_pass_all,
)
from journal.views.dashboard.base import VenueDashboardMixin, refused

#: Most papers the queue page lists at once (the bulk action covers them all).
QUEUE_PAGE = 200


class ScreeningView(VenueDashboardMixin, TemplateView):
    template_name = "journal/dashboard/screening.html"
    section = "screening"

    def queue_filters(self) -> dict:
        recused = recused_ids(self.request.user, self.venue)
        editor = None if self.scope.is_chief else self.request.user
        return {"exclude_ids": recused, "action_editor": editor}

    def get_context_data(self, **kwargs):
        filters = self.queue_filters()
        waiting = screening_queue(venue=self.venue, exclude_ids=filters["exclude_ids"])
        if filters["action_editor"] is not None:
            waiting = waiting.filter(action_editor=filters["action_editor"])
        total = waiting.count()
        return {
            **super().get_context_data(**kwargs),
            "rows": screening_rows(venue=self.venue, limit=QUEUE_PAGE, **filters),
            "total": total,
            "required": screening_required(venue=self.venue),
            "page_limit": self.venue.page_limit,
        }

    def post(self, request, *args, **kwargs):
        here = reverse("journal:dashboard-screening", args=[self.venue.slug])
        if request.POST.get("action") == "pass_all":
            form = ScreeningPassAllForm(request.POST)
            if not form.is_valid():
                return refused(request, DomainError("Confirm the number of papers."), back=here)
            try:
                passed = submissions_screen_pass_all(
                    venue=self.venue,
                    actor=request.user,
                    expected=form.cleaned_data["expected"],
                    exclude_ids=self.queue_filters()["exclude_ids"],
                )
            except DomainError as exc:
                return refused(request, exc, back=here)
            if passed:
                messages.success(request, f"Passed {passed} paper(s) through screening.")
            else:
                messages.info(request, "Nothing was left to pass; the queue is empty.")
            return redirect(here)
        form = ScreeningActionForm(request.POST)
        if not form.is_valid():
            return refused(request, DomainError("Choose a paper and an action."), back=here)
        paper = (
            self.venue.submissions.exclude(pk__in=self.queue_filters()["exclude_ids"])
            .filter(number=form.cleaned_data["number"])
            .first()
        )
        if paper is None:
            raise Http404("No such paper.")
        try:
            if form.cleaned_data["action"] == "pass":
                done = submission_screen_pass(submission=paper, actor=request.user)
                text = f"Paper #{paper.number} passed screening."
                if not done:
                    text = f"Paper #{paper.number} had already passed screening."
            else:
                submission_screen_reject(
                    submission=paper, actor=request.user, reason=form.cleaned_data["reason"]
                )
                text = f"Paper #{paper.number} was desk-rejected."
        except DomainError as exc:
            return refused(request, exc, back=here)
        messages.success(request, text)
        return redirect(here)
