"""Extend one stage deadline of a paper from its editor page."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.views.generic import View

from journal.enums import Stage
from journal.errors import DomainError
from journal.forms.deadlines import StageExtensionForm
from journal.rules import EXTEND_PERMISSIONS
from journal.services.deadlines import stage_extend
from journal.views.dashboard.base import refused
from journal.views.dashboard.paper import PaperMixin


class PaperExtendView(PaperMixin, View):
    def post(self, request, *args, **kwargs):
        submission = self.load_paper()
        back = self.paper_url() + "#deadlines"
        form = StageExtensionForm(request.POST)
        if not form.is_valid():
            problems = "; ".join(
                f"{form.fields[name].label or name}: {' '.join(errors)}"
                for name, errors in form.errors.items()
            )
            error = DomainError(f"The extension was not given. {problems}")
            return refused(request, error, back=back)
        stage = Stage(form.cleaned_data["stage"])
        if not request.user.has_perm(EXTEND_PERMISSIONS[stage], submission):
            raise PermissionDenied(f"You may not extend the {stage.label.lower()} of this paper.")
        try:
            stage_extend(
                submission=submission,
                stage=stage,
                days=form.cleaned_data["days"],
                reason=form.cleaned_data["reason"],
                actor=request.user,
            )
        except DomainError as exc:
            return refused(request, exc, back=back)
        days = form.cleaned_data["days"]
        messages.success(request, f"{stage.label} extended by {days} day{'s' if days > 1 else ''}.")
        return redirect(back)
