"""The e-mail preferences section of the profile, wherever it is included."""

from django import template

from journal.email_categories import CATEGORY_HELP
from journal.enums import EmailCategory
from journal.forms.email_preferences import EmailPreferencesForm
from journal.selectors.email_preferences import email_preferences_for

register = template.Library()


@register.simple_tag
def email_preferences_form(user, form=None) -> EmailPreferencesForm:
    """Return `form` when given (a refused submission), else the person's saved choices."""
    if form:
        return form
    return EmailPreferencesForm(initial=email_preferences_for(user=user))


@register.simple_tag
def email_mandatory_categories() -> list[dict[str, str]]:
    """Return the categories always sent at once, with what they hold."""
    return [
        {"label": category.label, "help": CATEGORY_HELP[category]}
        for category in EmailCategory
        if category in EmailCategory.MANDATORY
    ]
