"""Extra fields asked for at sign-up."""

from django import forms


class SignupForm(forms.Form):
    """Ask a new person for the name reviewers and editors will see, and their affiliation."""

    display_name = forms.CharField(
        label="Full name",
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        help_text="As it should appear on papers, e.g. Ada Lovelace.",
    )
    affiliation = forms.CharField(
        max_length=300,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
        help_text="Your university, lab or company.",
    )

    def signup(self, request, user) -> None:
        """Store the extra fields on the new account (called by the sign-up view)."""
        user.display_name = self.cleaned_data["display_name"].strip()
        user.affiliation = self.cleaned_data.get("affiliation", "").strip()
        user.save(update_fields=["display_name", "affiliation"])
