"""`{% paper_clock submission %}`: the stage deadlines of a paper on its editor page."""

from django import template

from journal.selectors.deadlines import paper_deadlines

register = template.Library()


@register.inclusion_tag("journal/dashboard/includes/stage_clock.html", takes_context=True)
def paper_clock(context, submission):
    """Show each stage of the paper's current cycle: started, ended, due, extensions."""
    deadlines = paper_deadlines(submission=submission, user=context["request"].user)
    return {
        "venue": context["venue"],
        "submission": submission,
        "clock": deadlines.clock if deadlines else None,
        "rows": deadlines.rows if deadlines else [],
        "extensions": deadlines.extensions if deadlines else [],
    }
