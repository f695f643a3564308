"""Template helpers shared by every page."""

import datetime as dt

from django import template
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from journal.evidence import NOISE_RULE
from journal.rendering import render_markdown
from journal.time_zones import format_deadline, format_moment, time_zone_names

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text: str) -> str:
    """Render Markdown with math to sanitised HTML."""
    return mark_safe(render_markdown(text))


@register.filter(name="when")
def when_filter(value, style: str = "datetime") -> str:
    """Show a moment in the viewer's zone, the zone named: `{{ review.submitted_at|when }}`
    gives `<time datetime="2026-12-03T13:00:00+00:00">3 Dec 2026, 14:00 CET</time>`;
    `|when:"date"` gives the day only. A date (not a moment) is shown as its day."""
    if value in (None, ""):
        return ""
    if not isinstance(value, dt.datetime):
        if not isinstance(value, dt.date):
            return str(value)
        return format_html(
            '<time datetime="{}">{} {}</time>', value.isoformat(), value.day, f"{value:%b %Y}"
        )
    if timezone.is_naive(value):
        value = timezone.make_aware(value, dt.UTC)
    zone = timezone.get_current_timezone()
    text = format_moment(value, zone, with_time=style != "date")
    return format_html(
        '<time datetime="{}" title="{}" data-when="{}">{}</time>',
        value.astimezone(dt.UTC).isoformat(),
        format_moment(value, dt.UTC),
        "date" if style == "date" else "datetime",
        text,
    )


@register.simple_tag
def deadline(value, venue=None) -> str:
    """Show a deadline in the viewer's zone, and first in AoE where the venue states its
    deadlines so: `{% deadline venue.submission_deadline venue %}` gives
    "15 May 2027, 23:59 AoE (16 May, 13:59 CEST)"."""
    if not isinstance(value, dt.datetime):
        return when_filter(value)
    aoe = venue is not None and getattr(venue, "uses_aoe", False)
    main, local = format_deadline(value, timezone.get_current_timezone(), aoe=aoe)
    iso = value.astimezone(dt.UTC).isoformat()
    if not local:  # in the viewer's zone (or AoE, which is theirs)
        return format_html('<time datetime="{}" data-when="datetime">{}</time>', iso, main)
    return format_html(
        '<time datetime="{}">{}</time> <span class="muted local-time">'
        '(<time datetime="{}" data-when="datetime">{}</time>)</span>',
        iso,
        main,
        iso,
        local,
    )


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


@register.simple_tag
def time_zone_choices() -> tuple[str, ...]:
    """Return every IANA zone name: `{% time_zone_choices as zones %}`."""
    return time_zone_names()
