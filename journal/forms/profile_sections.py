"""Forms of the profile's self-service sections: availability, institutions, keywords,
declared conflicts, one's own roles (load, subject areas) and role invitations."""

from django import forms
from django.utils import timezone

from journal.enums import ConflictKind
from journal.limits import LOAD_QUOTA_MAX, REASON_MAX_CHARS
from journal.models import Venue, VenueRole

_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class AvailabilityPeriodForm(forms.Form):
    starts_on = forms.DateField(label="Away from", widget=_DATE)
    ends_on = forms.DateField(label="Away until (last day)", widget=_DATE)
    venue = forms.ModelChoiceField(
        queryset=Venue.objects.none(),
        required=False,
        empty_label="Every venue",
        help_text="Where you take no new papers then.",
    )
    reason = forms.CharField(max_length=200, required=False, help_text="Only editors read it.")

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, prefix="away", **kwargs)
        if user is not None:
            self.fields["venue"].queryset = Venue.objects.filter(roles__user=user).distinct()


class InstitutionForm(forms.Form):
    institution = forms.CharField(max_length=300)
    start_year = forms.IntegerField(label="From (year)", required=False, min_value=1900)
    end_year = forms.IntegerField(
        label="Until (year)",
        required=False,
        min_value=1900,
        help_text="Empty: you are still there.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="inst", **kwargs)
        this_year = timezone.now().year
        for name in ("start_year", "end_year"):
            self.fields[name].max_value = this_year + 1
            self.fields[name].widget.attrs["max"] = this_year + 1


class KeywordsForm(forms.Form):
    keywords = forms.CharField(
        label="Expertise keywords",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Separate with commas, e.g. causal inference, graph neural networks.",
    )

    def clean_keywords(self) -> list[str]:
        text = self.cleaned_data.get("keywords", "")
        return [k.strip() for k in text.replace(";", ",").replace("\n", ",").split(",")]


class DeclaredConflictForm(forms.Form):
    kind = forms.ChoiceField(label="Conflict with", choices=ConflictKind.choices)
    value = forms.CharField(
        label="Who or what",
        max_length=300,
        help_text="A person's e-mail or full name, an institution, or an e-mail domain.",
    )
    reason = forms.CharField(max_length=300, required=False, help_text="e.g. PhD advisor.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="coi", **kwargs)


class OwnRoleForm(forms.Form):
    """The load and subject areas of one of the person's roles."""

    load_quota = forms.IntegerField(
        label="Most papers at once", required=False, min_value=1, max_value=LOAD_QUOTA_MAX
    )
    subject_areas = forms.MultipleChoiceField(
        required=False, widget=forms.CheckboxSelectMultiple, label="Subject areas"
    )

    def __init__(self, *args, venue_role: VenueRole, **kwargs):
        kwargs.setdefault(
            "initial",
            {"load_quota": venue_role.load_quota, "subject_areas": venue_role.subject_areas},
        )
        super().__init__(*args, prefix=f"role-{venue_role.pk}", **kwargs)
        self.venue_role = venue_role
        venue = venue_role.venue
        self.fields["load_quota"].max_value = venue.max_load_quota or LOAD_QUOTA_MAX
        self.fields["load_quota"].widget.attrs["max"] = venue.max_load_quota or LOAD_QUOTA_MAX
        if venue.max_load_quota:
            self.fields["load_quota"].required = True
            self.fields["load_quota"].help_text = f"At most {venue.max_load_quota} here."
        else:
            self.fields["load_quota"].help_text = "Empty: no limit."
        self.fields["subject_areas"].choices = [(a, a) for a in venue.subject_areas or ()]


class RoleInvitationDeclineForm(forms.Form):
    reason = forms.CharField(
        label="Why you decline (optional; the chairs read it)",
        required=False,
        max_length=REASON_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
