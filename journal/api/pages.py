"""The API tokens page of a person's profile: list, create (secret shown once), revoke."""

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import get_object_or_404, redirect, render
from django.views import View

from journal.errors import DomainError
from journal.models import ApiToken, Venue
from journal.models.api import TokenScope
from journal.services.api_tokens import api_token_create, api_token_revoke


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        max_length=100, help_text="What the token is for, e.g. 'camera-ready export script'."
    )
    scope = forms.ChoiceField(
        choices=TokenScope.choices,
        initial=TokenScope.READ,
        widget=forms.RadioSelect,
        help_text="Read-only tokens can never change anything.",
    )
    venue = forms.ModelChoiceField(
        queryset=Venue.objects.order_by("name"),
        required=False,
        empty_label="Every venue",
        to_field_name="slug",
        help_text="Limit the token to one venue.",
    )


class ApiTokensView(LoginRequiredMixin, View):
    template_name = "journal/api/tokens.html"

    def _render(self, request, form, *, secret=None, status=200):
        tokens = ApiToken.objects.filter(user=request.user).select_related("venue")
        context = {"form": form, "tokens": tokens, "secret": secret}
        return render(request, self.template_name, context, status=status)

    def get(self, request):
        return self._render(request, ApiTokenForm())

    def post(self, request):
        form = ApiTokenForm(request.POST)
        if not form.is_valid():
            return self._render(request, form, status=400)
        try:
            token, secret = api_token_create(user=request.user, **form.cleaned_data)
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            return self._render(request, form, status=400)
        messages.success(request, f"Token “{token.name}” created. Copy it now.")
        return self._render(request, ApiTokenForm(), secret=secret)


class ApiTokenRevokeView(LoginRequiredMixin, View):
    def post(self, request, pk: int):
        token = get_object_or_404(ApiToken, pk=pk, user=request.user)
        api_token_revoke(token=token, actor=request.user)
        messages.success(request, f"Token “{token.name}” revoked; it no longer works.")
        return redirect("api-tokens")
