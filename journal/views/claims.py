"""Claim an authorship from an invitation link."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import redirect, render
from django.views import View

from journal.errors import DomainError
from journal.services.claims import authorship_claim, claim_authorship

TEMPLATE = "journal/portal/claim.html"


class ClaimView(LoginRequiredMixin, View):
    """Show whose authorship the link offers; claim it on POST."""

    def get(self, request, token: str):
        try:
            authorship = claim_authorship(token=token)
        except DomainError as exc:
            return render(request, TEMPLATE, {"error": exc.message}, status=exc.status_code)
        context = {
            "authorship": authorship,
            "submission": authorship.submission,
            "already_yours": authorship.user_id == request.user.pk,
        }
        return render(request, TEMPLATE, context)

    def post(self, request, token: str):
        try:
            authorship = authorship_claim(token=token, user=request.user)
        except DomainError as exc:
            return render(request, TEMPLATE, {"error": exc.message}, status=exc.status_code)
        messages.success(request, "The paper is now listed under your account.")
        return redirect(authorship.submission.get_absolute_url())
