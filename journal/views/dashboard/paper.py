"""The editor's page of one paper: everything in one place, and the editorial actions."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.views.generic import TemplateView, View

from journal.enums import SubmissionState
from journal.errors import DomainError
from journal.forms.dashboard import UNASSIGNED, AssignEditorForm, TransitionForm
from journal.models import Submission, User
from journal.selectors.analytics import paper_calibration
from journal.selectors.dashboard import venue_editors
from journal.selectors.editor_paper import (
    editor_paper,
    editor_paper_decisions,
    editor_paper_discussion,
    editor_paper_emails,
    editor_paper_rounds,
    editor_paper_timeline,
)
from journal.services.action_editors import submission_assign_action_editor
from journal.services.workflow import (
    allowed_targets,
    submission_transition,
    transition_permission,
)
from journal.views.dashboard.base import VenueDashboardMixin, refused
from reviews.enums import InvitationState, ReviewState
from reviews.selectors.claim_assessments import claim_assessment_table
from reviews.selectors.editor_suggestions import submission_editor_suggestions
from reviews.services.reminders import reminder_send_manual

S = SubmissionState
#: Action editor suggestions shown (the best ranked); the page links to all of them.
EDITORS_SHOWN = 20
#: `?editors=` values that ask for the ranking on a paper that has an editor already.
EDITORS_ASKED = {"suggest", "all"}

#: Workflow steps taken from this page: their label and whether they need a note. The
#: permission each needs is the workflow table's (`transition_permission`). Decisions to
#: accept, reject or ask for a revision go through the decision (drafted, then approved).
EDITOR_STEPS: dict[str, tuple[str, bool]] = {
    S.UNDER_REVIEW: ("Send to review", False),
    S.DESK_REJECTED: ("Desk reject", True),
    S.DECISION_PENDING: ("Close reviews: ready for decision", False),
    S.PUBLISHED: ("Publish", False),
}


class PaperMixin(VenueDashboardMixin):
    """Load the paper named in the URL; only its editors (chiefs, its action editor) get in."""

    section = "submissions"

    def load_paper(self) -> Submission:
        try:
            submission = editor_paper(venue=self.venue, number=self.kwargs["number"])
        except Submission.DoesNotExist:
            raise Http404("No such paper.") from None
        if not self.request.user.has_perm("journal.view_editor_audit", submission):
            raise PermissionDenied("You do not handle this paper.")
        return submission

    def paper_url(self) -> str:
        return reverse(
            "journal:dashboard-paper",
            kwargs={"slug": self.venue.slug, "number": self.kwargs["number"]},
        )


class PaperView(PaperMixin, TemplateView):
    template_name = "journal/dashboard/paper.html"

    def get_context_data(self, **kwargs):
        submission = self.load_paper()
        user = self.request.user
        steps = [
            {"state": target, "label": label, "needs_note": needs_note}
            for target in allowed_targets(submission.state)
            if target in EDITOR_STEPS
            for label, needs_note in [EDITOR_STEPS[target]]
            if user.has_perm(transition_permission(to_state=target), submission)
        ]
        can_assign = user.has_perm("journal.assign_action_editor", submission)
        shown = self.request.GET.get("editors")
        all_editors = shown == "all"
        # Ranking every action editor of the venue against the paper is the page's dearest
        # part: done at once while the paper has no editor, on request once it has one.
        ranked = can_assign and (submission.action_editor_id is None or shown in EDITORS_ASKED)
        editor_suggestions = (
            submission_editor_suggestions(
                submission=submission, explain=None if all_editors else EDITORS_SHOWN
            )
            if ranked
            else []
        )
        can_invite = user.has_perm("reviews.invite_reviewer", submission)
        rounds = editor_paper_rounds(submission=submission, chief=self.scope.is_chief)
        return {
            **super().get_context_data(**kwargs),
            "submission": submission,
            "show_authors": user.has_perm("journal.view_submission_authors", submission),
            "versions": [
                v for v in submission.versions.all() if user.has_perm("journal.view_version", v)
            ],
            "rounds": rounds,
            "assessment_table": claim_assessment_table(submission=submission, viewer=user),
            "remindable": _remindable(rounds) if can_invite else set(),
            "calibration": paper_calibration(submission=submission),
            "timeline": editor_paper_timeline(submission=submission),
            "emails": editor_paper_emails(submission=submission),
            "discussion": editor_paper_discussion(submission=submission),
            "decisions": editor_paper_decisions(submission=submission),
            "steps": steps,
            "can_invite": can_invite,
            "editor_suggestions": (
                editor_suggestions if all_editors else editor_suggestions[:EDITORS_SHOWN]
            ),
            "editors_ranked": ranked,
            "editors_hidden": 0 if all_editors else max(0, len(editor_suggestions) - EDITORS_SHOWN),
            "suggested_editors": list(submission.suggested_action_editors.all()),
            "assign_form": (
                AssignEditorForm(
                    venue=self.venue,
                    initial={"editor": submission.action_editor_id or UNASSIGNED},
                )
                if can_assign
                else None
            ),
        }


class PaperAssignView(PaperMixin, View):
    def post(self, request, *args, **kwargs):
        submission = self.load_paper()
        if not request.user.has_perm("journal.assign_action_editor", submission):
            raise PermissionDenied("Only the editors-in-chief assign action editors.")
        form = AssignEditorForm(request.POST, venue=self.venue)
        if not form.is_valid():
            messages.error(request, "Choose an action editor from the list.")
            return redirect(self.paper_url())
        choice = form.cleaned_data["editor"]
        editor = None
        if choice != UNASSIGNED:
            editor = venue_editors(venue=self.venue).filter(pk=int(choice)).first()
            if editor is None:
                messages.error(request, "Choose an action editor from the list.")
                return redirect(self.paper_url())
        try:
            submission_assign_action_editor(
                submission=submission,
                editor=editor,
                actor=request.user,
                allow_conflict=form.cleaned_data["allow_conflict"],
                override_note=form.cleaned_data["override_note"],
            )
        except DomainError as exc:
            return refused(request, exc, back=self.paper_url() + "#editor-suggestions")
        messages.success(request, _assigned_message(editor))
        return redirect(self.paper_url())


def _remindable(rounds) -> set[int]:
    """Return the ids of invitations whose reviewer owes an answer or a review."""
    return {
        row.invitation.pk
        for r in rounds
        for row in r.rows
        if row.invitation.state == InvitationState.PENDING
        or (
            row.invitation.state == InvitationState.ACCEPTED
            and row.review is not None
            and row.review.state == ReviewState.DRAFT
        )
    }


class PaperRemindView(PaperMixin, View):
    def post(self, request, *args, **kwargs):
        submission = self.load_paper()
        if not request.user.has_perm("reviews.invite_reviewer", submission):
            raise PermissionDenied("You may not remind the reviewers of this paper.")
        raw = request.POST.get("invitation", "")
        invitations = submission.review_invitations.select_related("reviewer", "submission__venue")
        invitation = invitations.filter(pk=int(raw)).first() if raw.isdigit() else None
        if invitation is None:
            raise Http404("No such invitation on this paper.")
        try:
            reminder_send_manual(invitation=invitation, actor=request.user)
        except DomainError as exc:
            return refused(request, exc, back=self.paper_url())
        who = invitation.reviewer.display_name or invitation.reviewer.email
        messages.success(request, f"Reminder queued to {who}.")
        return redirect(self.paper_url())


def _assigned_message(editor: User | None) -> str:
    if editor is None:
        return "The paper has no action editor now."
    return f"{editor.display_name or editor.email} handles the paper now."


class PaperTransitionView(PaperMixin, View):
    def post(self, request, *args, **kwargs):
        submission = self.load_paper()
        form = TransitionForm(request.POST)
        if not form.is_valid() or form.cleaned_data["to_state"] not in EDITOR_STEPS:
            messages.error(request, "This step cannot be taken from this page.")
            return redirect(self.paper_url())
        target = form.cleaned_data["to_state"]
        label, _ = EDITOR_STEPS[target]
        if not request.user.has_perm(transition_permission(to_state=target), submission):
            raise PermissionDenied("You may not take this step on this paper.")
        try:
            submission_transition(
                submission=submission,
                to_state=target,
                actor=request.user,
                note=form.cleaned_data["note"],
            )
        except DomainError as exc:
            return refused(request, exc, back=self.paper_url())
        messages.success(request, f"Done: {label.lower()}.")
        return redirect(self.paper_url())
