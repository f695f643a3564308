"""A person's e-mail preferences, and the one-click unsubscribe page of optional e-mail."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.csrf import csrf_exempt

from journal.enums import EmailCategory
from journal.errors import DomainError
from journal.forms.email_preferences import EmailPreferencesForm
from journal.services.email_preferences import email_preferences_set
from journal.services.email_unsubscribe import (
    UnsubscribeLinkError,
    email_unsubscribe,
    unsubscribe_link_read,
)
from journal.views.portal_common import add_domain_error

PAGE = "journal/portal/email_preferences.html"
UNSUBSCRIBE = "journal/portal/unsubscribe.html"


class EmailPreferencesView(LoginRequiredMixin, View):
    """Choose, per optional category, at once, in a daily digest, or never."""

    def get(self, request):
        return render(request, PAGE, {"email_next": "page"})

    def post(self, request):
        form = EmailPreferencesForm(request.POST)
        back = "profile" if request.POST.get("next") == "profile" else "page"
        if form.is_valid():
            try:
                email_preferences_set(user=request.user, preferences=form.cleaned_data)
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, "E-mail preferences saved.")
                if back == "profile":
                    return redirect(reverse("journal:profile") + "#email-preferences")
                return redirect(reverse("journal:email-preferences"))
        return render(request, PAGE, {"email_form": form, "email_next": back}, status=400)


def _masked(address: str) -> str:
    """Return `address` with its local part hidden but its first letter (a•••@uni.edu)."""
    local, _, domain = address.partition("@")
    return f"{local[:1]}•••@{domain}"


@method_decorator(csrf_exempt, name="dispatch")
class EmailUnsubscribeView(View):
    """Turn off one kind of optional e-mail from the link in it, without signing in.

    GET shows what the link turns off and a button; POST does it (the button, or a mail
    client's RFC 8058 one-click request, which carries no cookie and no CSRF token: the
    signed link is the only authority, and it can only turn its own person's mail off).
    """

    def get(self, request, token: str):
        try:
            link = unsubscribe_link_read(token=token)
        except UnsubscribeLinkError as exc:
            return self._refused(request, exc)
        return render(request, UNSUBSCRIBE, self._context(request, link, done=False))

    def post(self, request, token: str):
        try:
            link = email_unsubscribe(token=token)
        except UnsubscribeLinkError as exc:
            return self._refused(request, exc)
        return render(request, UNSUBSCRIBE, self._context(request, link, done=True))

    def _context(self, request, link, *, done: bool) -> dict:
        signed_in = request.user.is_authenticated
        return {
            "done": done,
            "address": _masked(link.user.email),
            "labels": [EmailCategory(c).label.lower() for c in link.categories],
            "other_person": signed_in and request.user.pk != link.user.pk,
            "own": signed_in and request.user.pk == link.user.pk,
        }

    def _refused(self, request, exc: UnsubscribeLinkError):
        return render(
            request,
            UNSUBSCRIBE,
            {"refused": exc.message, "expired": exc.expired},
            status=410 if exc.expired else 400,
        )
