"""Profile and publication forms."""

from django import forms

from journal.limits import PUBLICATION_IMPORT_MAX_BYTES
from reviews.enums import FetchService
from reviews.importers import FORMAT_LABELS


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
    doi = forms.CharField(label="DOI", max_length=200, required=False)
    abstract = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def clean_coauthors(self) -> list[str]:
        text = self.cleaned_data.get("coauthors", "")
        return [c.strip() for c in text.split(";") if c.strip()]


class PublicationImportForm(forms.Form):
    format = forms.ChoiceField(
        choices=list(FORMAT_LABELS.items()),
        initial="auto",
        help_text="BibTeX, RIS, CSV, JSON or CSL-JSON (Zotero), ORCID works, a DBLP person "
        "page, OpenReview notes or Semantic Scholar author papers; what is already listed "
        "(same DOI or title) is completed, not added twice.",
    )
    file = forms.FileField(label="File to import")

    def clean_file(self) -> tuple[str, str]:
        """Return the file's (text, name)."""
        upload = self.cleaned_data["file"]
        if upload.size > PUBLICATION_IMPORT_MAX_BYTES:
            raise forms.ValidationError(
                f"Import files may be at most {PUBLICATION_IMPORT_MAX_BYTES // (1024 * 1024)} MB."
            )
        raw = upload.read()
        try:
            return raw.decode("utf-8"), upload.name
        except UnicodeDecodeError:
            return raw.decode("latin-1"), upload.name


class PublicationFetchForm(forms.Form):
    service = forms.ChoiceField(label="Fetch from", choices=FetchService.choices)
    identifier = forms.CharField(
        label="Your id there",
        max_length=200,
        help_text="An ORCID iD (0000-0002-1825-0097), a DBLP pid (123/4567) or a Semantic "
        "Scholar author id, or the address of your page there.",
    )
