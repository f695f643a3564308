"""How a person gets each optional category of e-mail, one choice per category."""

from django import forms

from journal.email_categories import CATEGORY_HELP
from journal.enums import EmailCategory, EmailDelivery


class EmailPreferencesForm(forms.Form):
    """One radio group per optional category; mandatory categories are not choices."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for category in EmailCategory.OPTIONAL:
            self.fields[category] = forms.ChoiceField(
                label=EmailCategory(category).label,
                choices=EmailDelivery.choices,
                widget=forms.RadioSelect,
                help_text=CATEGORY_HELP[category],
                error_messages={
                    "required": "Choose how you get these e-mails.",
                    "invalid_choice": "Choose at once, in a daily digest, or never.",
                },
            )
