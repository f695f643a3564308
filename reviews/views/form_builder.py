"""The review-form builder in the editor dashboard: the venue's forms and their versions, a
form's questions (edited through a new version when the form is in use), and a preview as
reviewers see it."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.views.generic import TemplateView

from journal.errors import DomainError, FieldErrors
from journal.views.dashboard.base import VenueDashboardMixin, refused
from reviews.forms.form_builder import FieldForm, FormCreateForm, FormDetailsForm
from reviews.forms.reviewing import ReviewAnswersForm
from reviews.selectors.form_builder import (
    review_form_copyable,
    review_form_with_fields,
    venue_review_form_family,
    venue_review_forms,
)
from reviews.selectors.forms import form_shares
from reviews.services.form_builder import (
    review_form_create,
    review_form_details_change,
    review_form_field_append,
    review_form_field_change,
    review_form_field_move,
    review_form_field_remove,
    review_form_publish,
)


class FormBuilderMixin(VenueDashboardMixin):
    permission = "reviews.build_review_forms"
    section = "forms"

    def family_or_404(self, slug: str):
        family = venue_review_form_family(venue=self.venue, slug=slug)
        if family is None:
            raise Http404("This venue has no such review form.")
        return family

    def edit_url(self, slug: str) -> str:
        return reverse("reviews:form-edit", args=[self.venue.slug, slug])


class FormListView(FormBuilderMixin, TemplateView):
    """The venue's forms with their versions and rounds, the shipped ones, and a new form."""

    template_name = "reviews/form_builder/list.html"

    def get_context_data(self, **kwargs):
        own, shipped = venue_review_forms(venue=self.venue)
        kwargs.setdefault("create_form", FormCreateForm(own=own, shipped=shipped))
        return super().get_context_data(own=own, shipped=shipped, **kwargs)

    def post(self, request, *args, **kwargs):
        own, shipped = venue_review_forms(venue=self.venue)
        form = FormCreateForm(request.POST, own=own, shipped=shipped)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(create_form=form), status=400)
        copy_of = None
        if form.cleaned_data["copy_of"]:
            copy_of = review_form_copyable(venue=self.venue, form_id=form.cleaned_data["copy_of"])
        try:
            created = review_form_create(
                venue=self.venue,
                actor=request.user,
                name=form.cleaned_data["name"],
                description=form.cleaned_data["description"],
                copy_of=copy_of,
            )
        except DomainError as exc:
            _add_errors(form, exc)
            return self.render_to_response(self.get_context_data(create_form=form), status=400)
        copied = f", a copy of {copy_of.name} v{copy_of.version}" if copy_of else ""
        messages.success(
            request, f"{created.name} v1 is created{copied}: a draft until you publish it."
        )
        return redirect(self.edit_url(created.slug))


class FormEditView(FormBuilderMixin, TemplateView):
    """A form's newest version: its questions, what an edit does, publishing."""

    template_name = "reviews/form_builder/edit.html"

    def get_context_data(self, **kwargs):
        family = kwargs.get("family") or self.family_or_404(self.kwargs["form_slug"])
        form = review_form_with_fields(form_id=family.newest.form.pk)
        fields = list(form.fields.all())
        bound = kwargs.pop("bound", {})
        kwargs.update(
            family=family,
            form=form,
            rows=[(f, bound.get(f.key) or FieldForm.for_field(f)) for f in fields],
            details_form=kwargs.get("details_form")
            or FormDetailsForm(initial={"name": form.name, "description": form.description}),
            add_form=kwargs.get("add_form") or FieldForm(prefix="new"),
            shares=form_shares(form=form),
        )
        return super().get_context_data(**kwargs)

    def post(self, request, *args, **kwargs):
        family = self.family_or_404(kwargs["form_slug"])
        form = family.newest.form
        action = request.POST.get("action", "")
        key = request.POST.get("key", "")
        try:
            if action == "details":
                details = FormDetailsForm(request.POST)
                if not details.is_valid():
                    return self._again(family, status=400, details_form=details)
                edit = review_form_details_change(
                    form=form, actor=request.user, **details.cleaned_data
                )
            elif action == "add":
                add = FieldForm(request.POST, prefix="new")
                if not add.is_valid():
                    return self._again(family, status=400, add_form=add)
                try:
                    edit = review_form_field_append(form=form, actor=request.user, **add.settings())
                except DomainError as exc:
                    _add_errors(add, exc)
                    return self._again(family, status=400, add_form=add)
            elif action == "change":
                change = FieldForm(request.POST, adding=False, prefix=f"f-{key}")
                if not change.is_valid():
                    return self._again(family, status=400, bound={key: change})
                try:
                    edit = review_form_field_change(
                        form=form, key=key, actor=request.user, **change.settings()
                    )
                except FieldErrors as exc:
                    _add_errors(change, exc)
                    return self._again(family, status=400, bound={key: change})
            elif action == "remove":
                edit = review_form_field_remove(form=form, key=key, actor=request.user)
            elif action in {"up", "down"}:
                edit = review_form_field_move(
                    form=form, key=key, actor=request.user, up=action == "up"
                )
            elif action == "publish":
                published = review_form_publish(form=form, actor=request.user)
                messages.success(
                    request,
                    f"{published.name} v{published.version} is published: new rounds use it; "
                    "running rounds keep theirs.",
                )
                return redirect(self.edit_url(published.slug))
            else:
                raise DomainError("Choose what to do with the form.")
        except DomainError as exc:
            return refused(request, exc, back=self.edit_url(form.slug), status=exc.status_code)
        messages.success(request, edit.message)
        anchor = f"#q-{edit.field.key}" if edit.field is not None else ""
        return redirect(self.edit_url(form.slug) + anchor)

    def _again(self, family, *, status: int, **forms):
        return self.render_to_response(self.get_context_data(family=family, **forms), status=status)


class FormPreviewView(FormBuilderMixin, TemplateView):
    """A version of the form as reviewers see it, with each aspect's share of the score."""

    template_name = "reviews/form_builder/preview.html"

    def get_context_data(self, **kwargs):
        family = self.family_or_404(self.kwargs["form_slug"])
        version = self.kwargs.get("version") or family.newest.form.version
        use = next((v for v in family.versions if v.form.version == version), None)
        if use is None:
            raise Http404("This form has no such version.")
        form = review_form_with_fields(form_id=use.form.pk)
        fields = list(form.fields.all())
        return super().get_context_data(
            family=family,
            use=use,
            form=form,
            answers=ReviewAnswersForm(form_fields=fields, auto_id="preview_%s"),
            shares=form_shares(form=form),
            **kwargs,
        )


def _add_errors(form, exc: DomainError) -> None:
    """Put the service's messages beside the fields they are about (else at the top)."""
    errors = getattr(exc, "errors", None) or {exc.field: [exc.message]}
    for name, messages_ in errors.items():
        target = name if name in form.fields else None
        for message in messages_:
            form.add_error(target, message)
