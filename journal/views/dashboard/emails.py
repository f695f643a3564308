"""Chief pages: reword the venue's outgoing e-mails, preview them, go back to the default."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.views.generic import TemplateView

from journal.email_wording import ALLOWED_FILTERS, ALLOWED_TAGS, EMAIL_NAMES
from journal.errors import DomainError
from journal.forms.dashboard import EmailTemplateForm
from journal.models import EmailTemplateKey
from journal.selectors.venue_admin import venue_email_templates
from journal.services.email import email_template_source
from journal.services.venues import (
    email_template_preview,
    venue_email_template_reset,
    venue_email_template_save,
)
from journal.views.dashboard.base import VenueChiefMixin


def _key_of(slug: str) -> EmailTemplateKey:
    """Return the template named by `slug` in the URL (the choice's name, in lower case)."""
    try:
        return EmailTemplateKey[slug.upper()]
    except KeyError:
        raise Http404("No such e-mail.") from None


class EmailTemplatesView(VenueChiefMixin, TemplateView):
    template_name = "journal/dashboard/email_templates.html"
    section = "settings"

    def get_context_data(self, **kwargs):
        own = venue_email_templates(venue=self.venue)
        rows = [
            {"key": key, "slug": key.name.lower(), "own": own.get(key.value)}
            for key in EmailTemplateKey
        ]
        return {**super().get_context_data(**kwargs), "rows": rows}


class EmailTemplateEditView(VenueChiefMixin, TemplateView):
    template_name = "journal/dashboard/email_template_edit.html"
    section = "settings"

    def get_context_data(self, **kwargs):
        key = _key_of(self.kwargs["key"])
        own = venue_email_templates(venue=self.venue).get(key.value)
        if "form" not in kwargs:
            if own is not None:
                initial = {"subject": own.subject, "body": own.body}
            else:
                subject, body = email_template_source(template=key.value)
                initial = {"subject": subject, "body": body}
            kwargs["form"] = EmailTemplateForm(initial=initial)
            kwargs.setdefault(
                "preview",
                email_template_preview(venue=self.venue, template=key.value, **initial),
            )
        return {
            **super().get_context_data(**kwargs),
            "key": key,
            "own": own,
            "names": EMAIL_NAMES[key.value],
            "filters": ALLOWED_FILTERS,
            "tags": ALLOWED_TAGS,
        }

    def post(self, request, *args, **kwargs):
        key = _key_of(self.kwargs["key"])
        here = reverse("journal:dashboard-email-template", args=[self.venue.slug, kwargs["key"]])
        action = request.POST.get("action", "save")
        if action == "reset":
            if venue_email_template_reset(venue=self.venue, template=key.value, actor=request.user):
                messages.success(request, f"“{key.label}” uses the default wording again.")
            return redirect(here)
        form = EmailTemplateForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        data = form.cleaned_data
        try:
            if action == "preview":
                preview = email_template_preview(venue=self.venue, template=key.value, **data)
                return self.render_to_response(self.get_context_data(form=form, preview=preview))
            venue_email_template_save(
                venue=self.venue, template=key.value, actor=request.user, **data
            )
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            return self.render_to_response(self.get_context_data(form=form), status=400)
        messages.success(request, f"“{key.label}” saved; the venue's e-mails use it from now on.")
        return redirect(here)
