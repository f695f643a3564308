"""Template helpers shared by every page."""

from django import template
from django.utils.safestring import mark_safe

from journal.rendering import render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text: str) -> str:
    """Render Markdown with math to sanitised HTML."""
    return mark_safe(render_markdown(text))
