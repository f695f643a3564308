"""Matching for chiefs: compute affinities, start a run, follow it, judge and deploy it."""

from django.contrib import messages
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.generic import TemplateView, View

from journal.analytics.charts import column_chart
from journal.errors import DomainError
from journal.forms.dashboard import MatchingRunForm
from journal.selectors.matching_quality import proposal_quality
from journal.views.dashboard.base import VenueChiefMixin, refused
from reviews.models import AffinityRun, AssignmentRun, JobStatus, RunStatus
from reviews.selectors.matching import affinity_run_latest, assignment_runs_of
from reviews.services.affinity import affinity_run_create
from reviews.services.matching import assignment_run_create, assignment_run_deploy

ACTIVE = {RunStatus.QUEUED, RunStatus.RUNNING, JobStatus.QUEUED, JobStatus.RUNNING}


class MatchingView(VenueChiefMixin, TemplateView):
    template_name = "journal/dashboard/matching.html"
    section = "matching"

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", MatchingRunForm())
        affinity = affinity_run_latest(venue=self.venue)
        return {
            **super().get_context_data(**kwargs),
            "runs": assignment_runs_of(venue=self.venue)[:10],
            "affinity": affinity,
            "affinity_active": affinity is not None and affinity.status in ACTIVE,
        }

    def post(self, request, *args, **kwargs):
        here = reverse("journal:dashboard-matching", args=[self.venue.slug])
        if request.POST.get("action") == "affinities":
            affinity_run_create(venue=self.venue, actor=request.user)
            messages.success(request, "Computing the affinities.")
            return redirect(here)
        form = MatchingRunForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        try:
            run = assignment_run_create(venue=self.venue, actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            return self.render_to_response(self.get_context_data(form=form), status=400)
        return redirect(reverse("journal:dashboard-matching-run", args=[self.venue.slug, run.pk]))


class MatchingRunView(VenueChiefMixin, TemplateView):
    template_name = "journal/dashboard/matching_run.html"
    section = "matching"

    def get_run(self) -> AssignmentRun:
        return get_object_or_404(AssignmentRun, venue=self.venue, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        run = self.get_run()
        context = {**super().get_context_data(**kwargs), "run": run, "active": run.status in ACTIVE}
        if run.status in {RunStatus.PROPOSED, RunStatus.DEPLOYED}:
            quality = proposal_quality(run=run)
            context["quality"] = quality
            context["affinity_chart"] = mark_safe(
                column_chart(
                    columns=quality.affinity_histogram,
                    title="Assigned affinities",
                    every_label=1,
                )
            )
            context["load_chart"] = mark_safe(
                column_chart(
                    columns=quality.load_distribution,
                    title="Reviewers by number of papers",
                    every_label=1,
                )
            )
        return context

    def post(self, request, *args, **kwargs):
        run = self.get_run()
        back = reverse("journal:dashboard-matching-run", args=[self.venue.slug, run.pk])
        try:
            invited = assignment_run_deploy(run=run, actor=request.user)
        except DomainError as exc:
            return refused(request, exc, back=back)
        messages.success(request, f"Deployed: {invited} invitation(s) sent.")
        return redirect(back)


class JobStatusView(VenueChiefMixin, View):
    """The state of a matching run or affinity computation, for the progress bar."""

    def get(self, request, *args, **kwargs):
        model = {"runs": AssignmentRun, "affinities": AffinityRun}.get(kwargs["kind"])
        if model is None:
            raise Http404("No such job.")
        job = get_object_or_404(model, venue=self.venue, pk=kwargs["pk"])
        return JsonResponse(
            {
                "status": job.status,
                "progress": job.progress,
                "label": f"{job.get_status_display()} · {job.progress}%",
                "done": job.status not in ACTIVE,
                "message": job.message,
            }
        )
