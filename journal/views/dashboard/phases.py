"""A conference's timeline for its chairs: edit the phases, enter one, follow its job."""

from django.contrib import messages
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.generic import TemplateView, View

from journal.enums import Phase, PhaseJobStatus
from journal.errors import DomainError
from journal.forms.phases import PhaseEnterForm, TimelineForm, zone_choices, zone_of
from journal.models import PhaseJob
from journal.selectors.phases import (
    phase_job_active,
    phase_jobs_of,
    phase_next,
    phase_position,
    timeline_rows,
    venue_timeline,
)
from journal.services.phase_jobs import phase_job_preview, phase_job_retry
from journal.services.phases import (
    PhaseJumpError,
    phase_move_check,
    venue_phase_enter,
    venue_timeline_set,
)
from journal.views.dashboard.base import VenueChiefMixin, refused
from reviews.selectors.forms import form_shares_of
from reviews.services.forms import review_form_for_venue

ACTIVE = {PhaseJobStatus.QUEUED, PhaseJobStatus.RUNNING}


class ConferenceOnlyMixin:
    """Journals have no phases: their chiefs get a page saying so."""

    def refuse_journal(self, request):
        back = reverse("journal:venue-dashboard", args=[self.venue.slug])
        return refused(
            request,
            DomainError(
                f"{self.venue.name} is a journal: it reviews papers as they come, so it has no "
                "timeline of phases."
            ),
            back=back,
        )


class TimelineView(ConferenceOnlyMixin, VenueChiefMixin, TemplateView):
    template_name = "journal/dashboard/timeline.html"
    section = "timeline"

    def get(self, request, *args, **kwargs):
        if not self.venue.is_conference:
            return self.refuse_journal(request)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        timeline = venue_timeline(venue=self.venue)
        zone = zone_of(self.request.GET.get("zone", ""), self.venue)
        kwargs.setdefault("form", TimelineForm(venue=self.venue, timeline=timeline))
        following = phase_next(venue=self.venue, timeline=timeline)
        here = phase_position(self.venue.phase)
        return {
            **super().get_context_data(**kwargs),
            "rows": timeline_rows(venue=self.venue, timeline=timeline),
            "zone": zone,
            "zones": zone_choices(self.venue),
            "next_phase": following,
            "later_phases": [p for p in Phase if p.position > here and p != following],
            "active_job": phase_job_active(venue=self.venue),
            "jobs": phase_jobs_of(venue=self.venue)[:10],
            "current": Phase(self.venue.phase) if self.venue.phase else None,
        }

    def post(self, request, *args, **kwargs):
        if not self.venue.is_conference:
            return self.refuse_journal(request)
        timeline = venue_timeline(venue=self.venue)
        form = TimelineForm(request.POST, venue=self.venue, timeline=timeline)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        try:
            venue_timeline_set(
                venue=self.venue, actor=request.user, phases=form.cleaned_data["phases"]
            )
        except DomainError as exc:
            field = f"{exc.field}-starts_at" if exc.field else None
            form.add_error(field if field in form.fields else None, exc.message)
            return self.render_to_response(self.get_context_data(form=form), status=400)
        messages.success(request, "Timeline saved.")
        return redirect(reverse("journal:dashboard-timeline", args=[self.venue.slug]))


class PhaseEnterView(ConferenceOnlyMixin, VenueChiefMixin, TemplateView):
    """Confirm a phase change with what it will do (counts), then make it."""

    template_name = "journal/dashboard/phase_enter.html"
    section = "timeline"

    def target(self) -> Phase:
        raw = self.request.POST.get("phase") or self.request.GET.get("phase", "")
        try:
            return Phase(raw)
        except ValueError:
            raise Http404("No such phase.") from None

    def get(self, request, *args, **kwargs):
        if not self.venue.is_conference:
            return self.refuse_journal(request)
        try:
            phase_move_check(venue=self.venue, phase=self.target(), confirm=True)
        except DomainError as exc:
            back = reverse("journal:dashboard-timeline", args=[self.venue.slug])
            return refused(request, exc, back=back)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        target = self.target()
        following = phase_next(venue=self.venue)
        return {
            **super().get_context_data(**kwargs),
            "target": target,
            "current": Phase(self.venue.phase) if self.venue.phase else None,
            "is_jump": following is not None and target != following,
            "next_phase": following,
            "steps": phase_job_preview(venue=self.venue, to_phase=target),
            # Entering reviewing opens the rounds: show how their form weighs the criteria.
            "form_shares": (
                form_shares_of(form=review_form_for_venue(venue=self.venue))
                if target == Phase.REVIEWING else None
            ),
        }

    def post(self, request, *args, **kwargs):
        back = reverse("journal:dashboard-timeline", args=[self.venue.slug])
        if not self.venue.is_conference:
            return self.refuse_journal(request)
        form = PhaseEnterForm(request.POST)
        if not form.is_valid():
            return refused(request, DomainError("Choose a phase to enter."), back=back)
        try:
            job = venue_phase_enter(
                venue=self.venue,
                phase=form.cleaned_data["phase"],
                actor=request.user,
                confirm=form.cleaned_data["confirm"],
            )
        except PhaseJumpError as exc:
            return refused(request, exc, back=f"{request.path}?phase={self.target().value}")
        except DomainError as exc:
            return refused(request, exc, back=back)
        messages.success(
            request, f"{self.venue.name} is now in the {Phase(job.phase).label.lower()} phase."
        )
        return redirect(back)


class PhaseJobStatusView(VenueChiefMixin, View):
    """The state of a phase job, for the progress bar."""

    def get(self, request, *args, **kwargs):
        job = get_object_or_404(PhaseJob, venue=self.venue, pk=kwargs["pk"])
        return JsonResponse(
            {
                "status": job.status,
                "progress": job.progress,
                "label": f"{job.get_status_display()} · {job.progress}%",
                "done": job.status not in ACTIVE,
                "message": job.message,
            }
        )

    def post(self, request, *args, **kwargs):
        job = get_object_or_404(PhaseJob, venue=self.venue, pk=kwargs["pk"])
        phase_job_retry(job=job, actor=request.user)
        messages.success(request, "The phase's work is queued again; it skips what was done.")
        return redirect(reverse("journal:dashboard-timeline", args=[self.venue.slug]))
