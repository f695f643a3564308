"""Template helpers shared by every page."""

from django import template
from django.utils.safestring import mark_safe

from journal.evidence import NOISE_RULE
from journal.rendering import render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text: str) -> str:
    """Render Markdown with math to sanitised HTML."""
    return mark_safe(render_markdown(text))


@register.filter(name="role_label")
def role_label_filter(venue, role: str) -> str:
    """Return what `role` is called at `venue`: `{{ venue|role_label:"action_editor" }}`."""
    return venue.role_label(role) if venue is not None else str(role)


@register.filter(name="role_title")
def role_title_filter(venue, role: str) -> str:
    """Return `role_label` with a capital, for headings and table cells."""
    return venue.role_label(role, title=True) if venue is not None else str(role)


@register.simple_tag
def noise_rule() -> str:
    """Return, in words, when a claim's gain counts as within noise."""
    return NOISE_RULE


@register.simple_tag
def abstracts_due(venue):
    """Return the conference's abstract deadline, if its timeline has one:
    `{% abstracts_due venue as due %}`."""
    from journal.selectors.phases import abstracts_due_of

    return abstracts_due_of(venue=venue) if venue is not None else None
