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
from journal.models import Submission, User
from journal.rules import recused_ids
from journal.selectors.matching_quality import proposal_paper_pairs, proposal_quality
from journal.views.dashboard.base import VenueChiefMixin, refused
from reviews.models import AffinityRun, AssignmentRun, JobStatus, MatchingTarget, RunStatus
from reviews.selectors.matching import affinity_run_latest, assignment_runs_of
from reviews.selectors.suggestions import submission_reviewer_suggestions
from reviews.services.affinity import affinity_run_create
from reviews.services.matching import (
    assignment_run_create,
    assignment_run_deploy,
    assignment_run_deploy_preview,
)
from reviews.services.proposals import proposal_pair_add, proposal_pair_remove

ACTIVE = RunStatus.ACTIVE | JobStatus.ACTIVE


class MatchingView(VenueChiefMixin, TemplateView):
    template_name = "journal/dashboard/matching.html"
    section = "matching"

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", MatchingRunForm(venue=self.venue))
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
        form = MatchingRunForm(request.POST, venue=self.venue)
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
        if run.status in RunStatus.HAS_PROPOSAL:
            quality = proposal_quality(run=run, user=self.request.user)
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
        context["senior_pairs"] = (
            run.pairs.select_related("area_chair", "reviewer").order_by("area_chair_id")
            if run.target == MatchingTarget.SENIOR_AREA_CHAIRS
            else None
        )
        if run.status == RunStatus.PROPOSED and run.is_reviewer_run:
            context.update(self.edit_context(run))
            context["deploy"] = assignment_run_deploy_preview(run=run)
        return context

    def edit_context(self, run: AssignmentRun) -> dict:
        """Return the paper being edited by hand, its pairs and reviewers worth adding."""
        number = self.request.GET.get("paper", "")
        paper = self.paper_of(number)
        if paper is None:
            return {"edit_number": number, "edit_missing": bool(number)}
        pairs = proposal_paper_pairs(run=run, submission=paper)
        proposed = {pair.reviewer_id for pair in pairs}
        suggestions = [
            s
            for s in submission_reviewer_suggestions(submission=paper, limit=12)
            if s.reviewer.pk not in proposed
        ][:8]
        return {
            "edit_number": number,
            "edit_paper": paper,
            "edit_pairs": pairs,
            "edit_suggestions": suggestions,
        }

    def paper_of(self, number: str) -> Submission | None:
        if not number.isdigit():
            return None
        recused = recused_ids(self.request.user, self.venue)
        return self.venue.submissions.exclude(pk__in=recused).filter(number=int(number)).first()

    def post(self, request, *args, **kwargs):
        run = self.get_run()
        back = reverse("journal:dashboard-matching-run", args=[self.venue.slug, run.pk])
        action = request.POST.get("action", "deploy")
        if action in {"add", "remove"}:
            if not run.is_reviewer_run:
                raise Http404("Only a run of reviewers is edited by hand.")
            return self.edit(request, run, action, back)
        try:
            preview = assignment_run_deploy_preview(run=run)
            invited = assignment_run_deploy(run=run, actor=request.user)
        except DomainError as exc:
            return refused(request, exc, back=back)
        if run.is_reviewer_run:
            skipped = ""
            if preview.skipped_papers:
                skipped = (
                    f" {preview.skipped_papers} paper(s) not screened or no longer under "
                    "review were skipped."
                )
            messages.success(request, f"Deployed: {invited} invitation(s) sent.{skipped}")
        else:
            messages.success(request, f"Deployed: {invited} assignment(s) made.")
        return redirect(back)

    def edit(self, request, run: AssignmentRun, action: str, back: str):
        """Add a reviewer to a paper of the proposal, or take a pair out."""
        number = request.POST.get("paper", "")
        paper = self.paper_of(number)
        if paper is None:
            raise Http404("No such paper.")
        back = f"{back}?paper={paper.number}#edit"
        raw = request.POST.get("reviewer" if action == "add" else "pair", "")
        if not raw.isdigit():
            raise Http404("Choose a reviewer or a pair.")
        try:
            if action == "add":
                reviewer = get_object_or_404(User, pk=int(raw))
                edit = proposal_pair_add(
                    run=run, submission=paper, reviewer=reviewer, actor=request.user
                )
                done = f"Added {reviewer.display_name or reviewer.email} to paper #{paper.number}."
            else:
                edit = proposal_pair_remove(run=run, pair_id=int(raw), actor=request.user)
                who = edit.pair.reviewer
                done = f"Removed {who.display_name or who.email} from paper #{paper.number}."
        except DomainError as exc:
            return refused(request, exc, back=back)
        messages.success(request, done)
        for warning in edit.warnings:
            messages.warning(request, warning)
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
