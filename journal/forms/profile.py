"""Profile and publication forms."""

from django import forms

from reviews.services.publications import FORMATS


class ProfileForm(forms.Form):
    display_name = forms.CharField(
        label="Full name", max_length=200, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    affiliation = forms.CharField(
        max_length=300,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    orcid = forms.CharField(
        label="ORCID iD", max_length=40, required=False, help_text="e.g. 0000-0002-1825-0097"
    )
    email_domains = forms.CharField(
        label="Institutional e-mail domains",
        required=False,
        max_length=1000,
        help_text="Separate with commas, e.g. cs.example.edu, lab.example.org. Used to find "
        "conflicts of interest; your login address's domain counts already.",
    )

    def clean_email_domains(self) -> list[str]:
        text = self.cleaned_data.get("email_domains", "")
        return [d.strip() for d in text.replace(";", ",").split(",") if d.strip()]


class PublicationForm(forms.Form):
    title = forms.CharField(max_length=500)
    year = forms.IntegerField(min_value=1900, max_value=2100, required=False)
    venue_name = forms.CharField(label="Published in", max_length=300, required=False)
    coauthors = forms.CharField(
        label="Co-authors", required=False, help_text="Separate names with semicolons."
    )
    url = forms.URLField(label="Link", required=False, assume_scheme="https")
    abstract = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def clean_coauthors(self) -> list[str]:
        text = self.cleaned_data.get("coauthors", "")
        return [c.strip() for c in text.split(";") if c.strip()]


class PublicationImportForm(forms.Form):
    format = forms.ChoiceField(
        choices=[("bibtex", "BibTeX (.bib)"), ("csv", "CSV with a header row"), ("json", "JSON")],
        help_text="CSV and JSON use the fields title, year, venue, coauthors (separated by "
        "semicolons), url and abstract.",
    )
    file = forms.FileField(label="File to import")

    MAX_BYTES = 2 * 1024 * 1024

    def clean_file(self) -> str:
        upload = self.cleaned_data["file"]
        if upload.size > self.MAX_BYTES:
            raise forms.ValidationError("Import files may be at most 2 MB.")
        raw = upload.read()
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError:
            return raw.decode("latin-1")

    def clean_format(self) -> str:
        value = self.cleaned_data["format"]
        if value not in FORMATS:
            raise forms.ValidationError("Choose a format.")
        return value
