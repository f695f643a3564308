"""Read what authors see of their papers: next steps, version diffs, timeline, warnings."""

import logging
from dataclasses import dataclass
from difflib import SequenceMatcher

from django.db.models import Prefetch, QuerySet
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from journal.enums import AuditVisibility, DecisionStatus, SubmissionState, VersionKind
from journal.models import (
    AuditEvent,
    Authorship,
    Decision,
    Submission,
    SubmissionVersion,
    User,
    Venue,
)
from journal.selectors.anonymity import files_identity_findings, submission_identity

logger = logging.getLogger(__name__)
S = SubmissionState

#: What the authors must (or may) do next, by state.
NEXT_STEPS = {
    S.DRAFT: "Finish the details, upload the PDF and submit.",
    S.SUBMITTED: "Nothing to do: the editors are checking the paper.",
    S.UNDER_REVIEW: "Nothing to do: reviewers are reading the paper.",
    S.DECISION_PENDING: "Nothing to do: the editors are deciding.",
    S.REVISION_REQUESTED: "Upload a revised version and resubmit.",
    S.ACCEPTED: "Upload the camera-ready (de-anonymised) PDF.",
    S.CAMERA_READY: "Nothing to do: the paper is being published.",
    S.PUBLISHED: "Published. Share the public page.",
    S.DESK_REJECTED: "Closed: the paper was not sent to review.",
    S.REJECTED: "Closed: the paper was not accepted.",
    S.WITHDRAWN: "Closed: you withdrew the paper.",
    S.RETRACTED: "Closed: the paper was retracted.",
}

_DIFF_LABELS = {
    "title": "Title",
    "abstract": "Abstract",
    "keywords": "Keywords",
    "subject_area": "Subject area",
    "hypothesis_claim": "Central hypothesis",
    "hypothesis_rationale": "Why it might be true",
    "hypothesis_refutation": "What would refute it",
    "benchmark_claims": "Benchmark claims",
    "authors": "Authors",
}


def author_next_step(submission: Submission) -> str:
    return NEXT_STEPS.get(submission.state, "")


def submissions_for_author(*, user: User) -> QuerySet[Submission]:
    """Return every paper `user` is an author of (co-authors included), newest first."""
    return (
        Submission.objects.filter(authors__user=user)
        .select_related("venue")
        .prefetch_related(Prefetch("authors", queryset=Authorship.objects.order_by("order")))
        .order_by("-updated_at", "-pk")
        .distinct()
    )


def venues_open_for_submission() -> list[Venue]:
    """Return the venues that take new papers now (accepting, and before any deadline)."""
    return [
        venue
        for venue in Venue.objects.filter(accepting_submissions=True).order_by("name")
        if not (venue.is_conference and venue.deadline_passed())
    ]


def published_decisions(*, submission: Submission) -> list[Decision]:
    """Return the decisions on `submission` that were sent to the authors, newest first."""
    return list(
        submission.decisions.filter(status=DecisionStatus.PUBLISHED).order_by(
            "-published_at", "-pk"
        )
    )


def latest_version(submission: Submission, kind: str = VersionKind.SUBMISSION):
    """Return the newest version of `kind` from the (prefetched) versions, or None."""
    versions = [v for v in submission.versions.all() if v.kind == kind]
    return max(versions, key=lambda v: v.number) if versions else None


def submission_anonymity_warnings(*, submission: Submission) -> list[str]:
    """Return what in the latest PDF and supplement identifies the authors: what submitting
    the paper would be refused for. Only double-blind venues check; a file that cannot be
    read yields no warning (it was checked on upload)."""
    if not submission.venue.is_double_blind:
        return []
    version = latest_version(submission)
    if version is None:
        return []
    identity = submission_identity(submission=submission)
    try:
        with version.pdf.open("rb") as pdf:
            if version.supplement:
                with version.supplement.open("rb") as supplement:
                    findings = files_identity_findings(
                        identity=identity, pdf=pdf, supplement=supplement
                    )
            else:
                findings = files_identity_findings(identity=identity, pdf=pdf)
    except OSError as exc:
        logger.warning("Could not re-read %s: %s", version, exc)
        return []
    return [f.text for f in findings if f.blocking]


@dataclass(frozen=True)
class FieldChange:
    label: str
    diff: SafeString


@dataclass(frozen=True)
class VersionRow:
    version: SubmissionVersion
    changes: list[FieldChange]


def _as_text(name: str, value) -> str:
    if name == "keywords":
        return ", ".join(value or [])
    if name == "authors":
        return "; ".join(
            a.get("name", "") + (f" ({a['affiliation']})" if a.get("affiliation") else "")
            for a in value or []
        )
    if name == "benchmark_claims":
        return "; ".join(
            f"{c.get('dataset')} {c.get('metric')} = {c.get('value')}"
            + (f" ± {c['spread']}" if c.get("spread") is not None else "")
            + (f" over {c['runs']} runs" if c.get("runs") else "")
            + (f" (prior {c['best_prior_value']})" if c.get("best_prior_value") is not None else "")
            for c in value or []
        )
    return str(value or "")


def word_diff(old: str, new: str) -> SafeString:
    """Return `new` as HTML with the words removed from `old` in <del> and added in <ins>."""
    a, b = old.split(), new.split()
    parts = []
    for op, i1, i2, j1, j2 in SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            parts.append(escape(" ".join(a[i1:i2])))
            continue
        if op in {"delete", "replace"}:
            parts.append(f"<del>{escape(' '.join(a[i1:i2]))}</del>")
        if op in {"insert", "replace"}:
            parts.append(f"<ins>{escape(' '.join(b[j1:j2]))}</ins>")
    # Every piece is escaped above.
    return mark_safe(" ".join(parts))


def version_rows(*, versions: list[SubmissionVersion], show_authors: bool) -> list[VersionRow]:
    """Return the versions, oldest first, each with its metadata changes from the one before.

    Author changes are left out for people who may not see the authors.
    """
    rows = []
    previous = None
    for version in sorted(versions, key=lambda v: v.number):
        changes = []
        if previous is not None:
            for name, label in _DIFF_LABELS.items():
                if name == "authors" and not show_authors:
                    continue
                before = _as_text(name, previous.metadata.get(name))
                after = _as_text(name, version.metadata.get(name))
                if before != after:
                    changes.append(FieldChange(label=label, diff=word_diff(before, after)))
        rows.append(VersionRow(version=version, changes=changes))
        previous = version
    return rows


@dataclass(frozen=True)
class TimelineEntry:
    event: AuditEvent
    who: str
    what: str


def _describe(event: AuditEvent) -> str:
    if event.action == "submission.transition":
        return f"{SubmissionState(event.to_state).label}"
    if event.action == "submission.created":
        return "Draft created"
    if event.action == "submission.updated":
        return "Details changed"
    if event.action == "version.uploaded":
        kind = event.data.get("kind")
        label = "Camera-ready PDF" if kind == VersionKind.CAMERA_READY else "PDF"
        return f"{label} uploaded (version {event.data.get('number')})"
    if event.action == "version.discarded":
        numbers = ", ".join(str(n) for n in event.data.get("numbers", []))
        return f"Replaced upload deleted (version {numbers})"
    if event.action == "authorship.claimed":
        return "Authorship claimed"
    return event.action.replace(".", " ").replace("_", " ").capitalize()


def author_timeline(*, submission: Submission) -> list[TimelineEntry]:
    """Return the audit events authors may read, newest first.

    People other than the paper's own authors are shown by role only ("Editors"), so the
    timeline never names a reviewer or an editor an author should not know.
    """
    author_ids = {a.user_id for a in submission.authors.all() if a.user_id}
    events = (
        submission.audit_events.filter(visibility=AuditVisibility.AUTHORS)
        .select_related("actor")
        .order_by("-created_at", "-pk")
    )
    entries = []
    for event in events:
        if event.actor is None:
            who = "Peerless"
        elif event.actor_id in author_ids:
            who = str(event.actor)
        else:
            who = "Editors"
        entries.append(TimelineEntry(event=event, who=who, what=_describe(event)))
    return entries
