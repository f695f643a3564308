"""Decisions: the action editor drafts and submits, the editor-in-chief approves; conference
chairs decide, in bulk where useful."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render

from journal.enums import DecisionStatus
from journal.errors import DomainError
from journal.selectors.phases import decisions_held
from journal.services.decisions import decision_draft, decision_transition
from reviews.forms.editor import ApproveDecisionForm, DecisionForm
from reviews.forms.reviewing import yes_no_value
from reviews.selectors.flags import submission_upheld_flags
from reviews.views.base import load_submission, refuse

D = DecisionStatus


@login_required
def decision_page(request, pk: int):
    """Draft, submit, approve or return the decision on a submission."""
    submission = load_submission(request, pk, "reviews.decide")
    venue = submission.venue
    decision = submission.decisions.exclude(status=D.PUBLISHED).first()
    published = submission.decisions.filter(status=D.PUBLISHED).order_by("-published_at")
    may_approve = request.user.has_perm("reviews.approve_decision", submission)
    initial = None
    if decision:
        initial = {
            "outcome": decision.outcome,
            "claims_supported": {True: "yes", False: "no"}.get(decision.claims_supported),
            "audience_interested": {True: "yes", False: "no"}.get(decision.audience_interested),
            "certifications": decision.certifications,
            "comment": decision.comment,
        }
    action = request.POST.get("step", "")
    form = DecisionForm(
        request.POST if action in {"save", "submit", "publish"} else None,
        initial=initial,
        venue=venue,
    )
    approve_form = ApproveDecisionForm(
        request.POST if action == "approve" else None,
        initial={"certifications": decision.certifications if decision else []},
    )
    context = {
        "submission": submission,
        "venue": venue,
        "decision": decision,
        "published": published,
        "form": form,
        "approve_form": approve_form,
        "may_approve": may_approve,
        "held": decisions_held(venue=venue),
        "upheld_flags": submission_upheld_flags(submission=submission),
    }
    template = "reviews/decisions/decide.html"
    if request.method != "POST":
        return render(request, template, context)
    try:
        if action in {"save", "submit", "publish"}:
            if not form.is_valid():
                return render(request, template, context, status=400)
            data = form.cleaned_data
            decision = decision_draft(
                submission=submission,
                editor=request.user,
                outcome=data["outcome"],
                claims_supported=yes_no_value(data.get("claims_supported")),
                audience_interested=yes_no_value(data.get("audience_interested")),
                certifications=data["certifications"],
                comment=data["comment"],
            )
            if action == "submit":
                decision_transition(
                    decision=decision, to_status=D.AWAITING_APPROVAL, actor=request.user
                )
                messages.success(request, "The decision awaits the editor-in-chief's approval.")
            elif action == "publish":
                decision_transition(decision=decision, to_status=D.PUBLISHED, actor=request.user)
                messages.success(request, "The decision is published; the authors are told.")
            elif context["held"]:
                messages.success(
                    request,
                    "Decision recorded. The authors see it when the venue releases its decisions.",
                )
            else:
                messages.success(request, "Draft decision saved.")
        elif action == "approve" and decision is not None:
            if not may_approve:
                raise PermissionDenied("Only an editor-in-chief approves decisions.")
            if not approve_form.is_valid():
                return render(request, template, context, status=400)
            data = approve_form.cleaned_data
            if data["action"] == "approve":
                decision_transition(
                    decision=decision,
                    to_status=D.PUBLISHED,
                    actor=request.user,
                    certifications=data["certifications"],
                    note=data["note"],
                )
                messages.success(request, "Approved and published; the authors are told.")
            else:
                decision_transition(
                    decision=decision, to_status=D.DRAFT, actor=request.user, note=data["note"]
                )
                messages.success(request, "Returned to the action editor.")
        else:
            messages.error(request, "Nothing to do.")
    except DomainError as exc:
        return refuse(request, exc, template, context)
    return redirect("reviews:decision", pk=submission.pk)


def bulk_decisions(request, slug: str):
    """The old bulk-decisions address: decisions are made from the decision table."""
    return redirect("journal:dashboard-decisions", slug=slug)
