"""The two ends of deploying a matching run, shared by every target (reviewers, area chairs,
senior area chairs): lock the run, and mark it deployed with the audit of what was done."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils import timezone

from journal.errors import TransitionError
from journal.models import User
from journal.services.audit import audit_log
from reviews.models import AssignmentRun, RunStatus


def assignment_run_lock_for_deploy(*, run: AssignmentRun) -> AssignmentRun | None:
    """Lock `run` for deployment inside the caller's transaction.

    Return None when it is deployed already (a double submission); refuse a run that is not
    a finished proposal, or one older than a proposal of the same target deployed since.
    """
    run = AssignmentRun.objects.select_for_update().select_related("venue").get(pk=run.pk)
    if run.status == RunStatus.DEPLOYED:
        return None
    if run.status != RunStatus.PROPOSED:
        raise TransitionError("Only a finished proposal can be deployed.")
    newer = AssignmentRun.objects.filter(
        venue=run.venue,
        target=run.target,
        status=RunStatus.DEPLOYED,
        created_at__gt=run.created_at,
    )
    if newer.exists():
        raise TransitionError("A newer proposal has been deployed since this one was made.")
    return run


def assignment_run_mark_deployed(
    *, run: AssignmentRun, actor: User, pair_ids: Sequence[int], data: dict
) -> None:
    """Mark the deployed pairs and `run` itself deployed by `actor`; audit with `data`."""
    now = timezone.now()
    run.pairs.filter(pk__in=list(pair_ids)).update(deployed_at=now)
    run.status = RunStatus.DEPLOYED
    run.deployed_by = actor
    run.deployed_at = now
    run.save(update_fields=["status", "deployed_by", "deployed_at"])
    audit_log(
        venue=run.venue, actor=actor, action="matching.deployed", data={"run": run.pk, **data}
    )
