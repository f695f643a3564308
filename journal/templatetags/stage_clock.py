"""`{% paper_clock submission %}`: the stage deadlines of a paper on its editor page."""

from django import template
from django.utils import timezone

from journal.rules import EXTEND_PERMISSIONS
from journal.selectors.deadlines import OWED_BY, submission_clock

register = template.Library()


@register.inclusion_tag("journal/dashboard/includes/stage_clock.html", takes_context=True)
def paper_clock(context, submission):
    """Show each stage of the paper's current cycle: started, ended, due, extensions."""
    user = context["request"].user
    now = timezone.now()
    clock = submission_clock(submission=submission, now=now)
    rows = []
    if clock is not None:
        for stage in clock.stages:
            rows.append(
                {
                    "clock": stage,
                    "owed_by": OWED_BY[stage.stage],
                    "late": stage.is_late(now),
                    "current": clock.current is not None and clock.current.stage == stage.stage,
                    "can_extend": stage.ended is None
                    and submission.is_open
                    and user.has_perm(EXTEND_PERMISSIONS[stage.stage], submission),
                }
            )
    extensions = (
        submission.stage_extensions.filter(cycle=clock.cycle).select_related("granted_by")
        if clock is not None
        else []
    )
    return {
        "venue": context["venue"],
        "submission": submission,
        "clock": clock,
        "rows": rows,
        "extensions": extensions,
    }
