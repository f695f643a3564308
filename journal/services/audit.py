"""Write audit events. Every state change and sensitive action leaves one."""

from datetime import datetime
from typing import Any

from django.utils import timezone

from journal.enums import AuditVisibility
from journal.models import AuditEvent, Submission, User, Venue


def audit_log(
    *,
    venue: Venue,
    actor: User | None,
    action: str,
    submission: Submission | None = None,
    from_state: str = "",
    to_state: str = "",
    note: str = "",
    data: dict[str, Any] | None = None,
    visibility: str = AuditVisibility.EDITORS,
    at: datetime | None = None,
) -> AuditEvent:
    """Record that `actor` (None for the system) did `action`."""
    return AuditEvent.objects.create(
        venue=venue,
        submission=submission,
        actor=actor,
        action=action,
        from_state=from_state,
        to_state=to_state,
        note=note,
        data=data or {},
        visibility=visibility,
        created_at=at or timezone.now(),
    )
