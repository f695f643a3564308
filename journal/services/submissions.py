"""Create and edit submissions: metadata, authors, benchmark claims, declared conflicts."""

import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass, fields, replace
from datetime import UTC, datetime

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from journal.enums import AuditVisibility, BaselineSource, ConflictKind, SubmissionState
from journal.errors import DeadlineError, DomainError
from journal.limits import (
    CLAIM_COMPUTE_BUDGET_MAX_CHARS,
    CLAIM_RUNS_MAX,
    TITLE_MAX_CHARS,
    text_limits_check,
)
from journal.models import (
    Authorship,
    BenchmarkClaim,
    DeclaredConflict,
    Submission,
    User,
    Venue,
)
from journal.selectors.phases import abstracts_due_of
from journal.services.audit import audit_log
from journal.services.webhooks import webhook_emit_created
from reviews.services.editor_conflicts import editor_conflicts_paper_changed


@dataclass(frozen=True)
class AuthorInput:
    name: str
    email: str
    affiliation: str = ""
    is_corresponding: bool = False


@dataclass(frozen=True)
class ClaimInput:
    dataset: str
    metric: str
    value: float
    best_prior_value: float | None = None
    higher_is_better: bool = True
    code_url: str = ""
    runs: int | None = None
    spread: float | None = None
    compute_budget: str = ""
    baseline_source: str = ""


CLAIM_FIELDS = [f.name for f in fields(ClaimInput)]


@dataclass(frozen=True)
class ConflictInput:
    kind: str
    value: str
    reason: str = ""


_TEXT_LABELS = {
    "title": "The title",
    "abstract": "The abstract",
    "hypothesis_claim": "The hypothesis",
    "hypothesis_rationale": "Why it might be true",
    "hypothesis_refutation": "What would refute it",
}


def _check_text_limits(**texts: object) -> None:
    title = texts.pop("title", None)
    if title is not None:
        text_limits_check(limit=TITLE_MAX_CHARS, labels=_TEXT_LABELS, title=str(title))
    text_limits_check(labels=_TEXT_LABELS, **{k: str(v) for k, v in texts.items()})


def submission_create(
    *,
    venue: Venue,
    creator: User,
    title: str,
    abstract: str,
    hypothesis_claim: str,
    hypothesis_rationale: str = "",
    hypothesis_refutation: str = "",
    keywords: Sequence[str] = (),
    subject_area: str = "",
    authors: Sequence[AuthorInput] = (),
    claims: Sequence[ClaimInput] = (),
    conflicts: Sequence[ConflictInput] = (),
    reviews_public_if_rejected: bool = False,
    suggested_action_editors: Sequence[User] = (),
    now: datetime | None = None,
) -> Submission:
    """Create a draft submission with the next per-venue number.

    The creator is always an author: listed where they appear by e-mail, else first.
    `now` is the moment of creation (the clock by default).
    """
    now = now or timezone.now()
    _check_text_limits(
        title=title,
        abstract=abstract,
        hypothesis_claim=hypothesis_claim,
        hypothesis_rationale=hypothesis_rationale,
        hypothesis_refutation=hypothesis_refutation,
    )
    if venue.is_conference and venue.deadline_passed(now):
        raise DeadlineError(f"The submission deadline of {venue.name} has passed.")
    abstracts_due = abstracts_due_of(venue=venue)
    if abstracts_due is not None and now > abstracts_due:
        raise DeadlineError(
            f"The abstract deadline of {venue.name} passed on "
            f"{abstracts_due.astimezone(UTC):%d %b %Y, %H:%M} UTC: new papers can no longer be "
            "registered. Papers registered before it can be completed until the full-paper "
            "deadline."
        )
    if not venue.accepting_submissions:
        raise DomainError(f"{venue.name} is not accepting submissions at the moment.")
    subject_area = subject_area_check(venue=venue, value=subject_area)
    authors = _with_creator(list(authors), creator)
    with transaction.atomic():
        Venue.objects.select_for_update().only("pk").get(pk=venue.pk)
        last = venue.submissions.aggregate(n=Max("number"))["n"] or 0
        submission = Submission.objects.create(
            reviews_public_if_rejected=bool(reviews_public_if_rejected),
            venue=venue,
            number=last + 1,
            title=title.strip(),
            abstract=abstract.strip(),
            keywords=_clean_keywords(keywords),
            subject_area=subject_area,
            hypothesis_claim=hypothesis_claim.strip(),
            hypothesis_rationale=hypothesis_rationale.strip(),
            hypothesis_refutation=hypothesis_refutation.strip(),
            created_by=creator,
            created_at=now,
            updated_at=now,
            state_changed_at=now,
        )
        _replace_authors(submission, authors, now=now)
        _replace_claims(submission, claims)
        _replace_conflicts(submission, conflicts)
        editor_conflicts_paper_changed(submission=submission)
        _set_suggested_editors(submission, suggested_action_editors)
        audit_log(
            venue=venue,
            submission=submission,
            actor=creator,
            action="submission.created",
            to_state=submission.state,
            visibility=AuditVisibility.AUTHORS,
            at=now,
        )
        webhook_emit_created(submission=submission)
    return submission


def _set_suggested_editors(submission: Submission, editors: Sequence[User]) -> None:
    """Keep the authors' suggestions of action editors, refusing anyone who is not one."""
    from journal.enums import RoleKind

    ids = {user.pk for user in editors}
    known = set(
        submission.venue.roles.filter(user_id__in=ids, role=RoleKind.ACTION_EDITOR).values_list(
            "user_id", flat=True
        )
    )
    if ids - known:
        raise DomainError(
            "Suggest only action editors of this venue.", field="suggested_action_editors"
        )
    submission.suggested_action_editors.set(list(ids))


def submission_delete_draft(*, submission: Submission, actor: User) -> None:
    """Delete a draft that was never submitted, keeping an audit record of it."""
    with transaction.atomic():
        locked = Submission.objects.select_for_update().get(pk=submission.pk)
        if locked.state != SubmissionState.DRAFT:
            raise DomainError("Only a draft that was never submitted can be deleted.")
        audit_log(
            venue=locked.venue,
            submission=None,
            actor=actor,
            action="submission.draft_deleted",
            data={"submission": locked.pk, "number": locked.number, "title": locked.title},
        )
        locked.delete()


def submission_update(
    *,
    submission: Submission,
    actor: User,
    authors: Sequence[AuthorInput] | None = None,
    claims: Sequence[ClaimInput] | None = None,
    conflicts: Sequence[ConflictInput] | None = None,
    suggested_action_editors: Sequence[User] | None = None,
    now: datetime | None = None,
    **fields: object,
) -> Submission:
    """Change a draft's (or a paper under revision's) metadata; record what changed."""
    allowed = {
        "title",
        "abstract",
        "keywords",
        "subject_area",
        "hypothesis_claim",
        "hypothesis_rationale",
        "hypothesis_refutation",
        "reviews_public_if_rejected",
    }
    unknown = set(fields) - allowed
    if unknown:
        raise DomainError(f"These fields cannot be changed here: {', '.join(sorted(unknown))}.")
    _check_text_limits(
        **{
            k: v
            for k, v in fields.items()
            if k not in {"keywords", "subject_area", "reviews_public_if_rejected"}
        }
    )
    with transaction.atomic():
        locked = Submission.objects.select_for_update().get(pk=submission.pk)
        if locked.state not in SubmissionState.AUTHOR_EDITABLE:
            raise DomainError(
                "The paper's details can only be changed while it is a draft or a revision "
                f"has been requested; it is {locked.get_state_display().lower()}."
            )
        changed = []
        for name, value in fields.items():
            if name == "keywords":
                value = _clean_keywords(value)
            elif name == "subject_area":
                value = subject_area_check(venue=locked.venue, value=value)
            elif name == "reviews_public_if_rejected":
                value = bool(value)
            else:
                value = str(value).strip()
            if getattr(locked, name) != value:
                setattr(locked, name, value)
                changed.append(name)
        if authors is not None:
            _replace_authors(locked, _with_creator(list(authors), locked.created_by), now=now)
            changed.append("authors")
        if claims is not None:
            _replace_claims(locked, claims)
            changed.append("benchmark_claims")
        if conflicts is not None:
            _replace_conflicts(locked, conflicts)
            changed.append("declared_conflicts")
        if authors is not None or conflicts is not None:
            editor_conflicts_paper_changed(submission=locked)
        if suggested_action_editors is not None:
            before = set(locked.suggested_action_editors.values_list("pk", flat=True))
            _set_suggested_editors(locked, suggested_action_editors)
            if before != {u.pk for u in suggested_action_editors}:
                changed.append("suggested_action_editors")
        if changed:
            locked.updated_at = now or timezone.now()
            locked.save()
            audit_log(
                venue=locked.venue,
                submission=locked,
                actor=actor,
                action="submission.updated",
                data={"fields": changed},
                visibility=AuditVisibility.AUTHORS,
                at=locked.updated_at,
            )
    return locked


def metadata_snapshot(submission: Submission) -> dict:
    """Return the submission's metadata as plain data, for a version's record and diffs."""
    return {
        "title": submission.title,
        "abstract": submission.abstract,
        "keywords": list(submission.keywords),
        "subject_area": submission.subject_area,
        "hypothesis_claim": submission.hypothesis_claim,
        "hypothesis_rationale": submission.hypothesis_rationale,
        "hypothesis_refutation": submission.hypothesis_refutation,
        "benchmark_claims": [
            {
                "dataset": c.dataset,
                "metric": c.metric,
                "value": c.value,
                "best_prior_value": c.best_prior_value,
                "higher_is_better": c.higher_is_better,
                "runs": c.runs,
                "spread": c.spread,
                "compute_budget": c.compute_budget,
                "baseline_source": c.baseline_source,
                "code_url": c.code_url,
            }
            for c in submission.benchmark_claims.all()
        ],
        "authors": [
            {"name": a.name, "email": a.email, "affiliation": a.affiliation}
            for a in submission.authors.all()
        ],
    }


def subject_area_check(*, venue: Venue, value: object) -> str:
    """Return `value` as one of the venue's subject areas, refusing anything else.

    A venue that defines areas needs one on every paper; one that defines none takes none.
    """
    area = " ".join(str(value or "").split())
    areas = list(venue.subject_areas or ())
    if not areas:
        if area:
            raise DomainError(
                f"{venue.name} has no subject areas; leave the area empty.", field="subject_area"
            )
        return ""
    listed = ", ".join(areas) if len(areas) <= 8 else f"its {len(areas)} areas"
    if not area:
        raise DomainError(
            f"Choose the paper's subject area: one of {listed}.", field="subject_area"
        )
    for known in areas:
        if known.casefold() == area.casefold():
            return known
    raise DomainError(
        f"“{area[:100]}” is not a subject area of {venue.name}; choose one of {listed}.",
        field="subject_area",
    )


def _clean_keywords(value: object) -> list[str]:
    if isinstance(value, str):
        value = value.split(",")
    seen: dict[str, None] = {}
    for item in value or ():
        word = " ".join(str(item).split())
        if word and word.lower() not in {k.lower() for k in seen}:
            seen[word] = None
    return list(seen)


def _with_creator(authors: list[AuthorInput], creator: User) -> list[AuthorInput]:
    if not authors or all(a.email.lower() != creator.email.lower() for a in authors):
        me = AuthorInput(
            name=creator.display_name or creator.email,
            email=creator.email,
            affiliation=creator.affiliation,
            is_corresponding=not any(a.is_corresponding for a in authors),
        )
        authors = [me, *authors]
    emails = [a.email.lower() for a in authors]
    duplicates = {e for e in emails if emails.count(e) > 1}
    if duplicates:
        raise DomainError(
            "Each author needs their own e-mail address; repeated: "
            f"{', '.join(sorted(duplicates))}.",
            field="authors",
        )
    return authors


def _replace_authors(
    submission: Submission, authors: Sequence[AuthorInput], *, now: datetime | None = None
) -> None:
    """Rewrite the author list; an author who claimed the paper stays linked to their account
    even when they claimed it under another address than the one listed."""
    previous = {a.email.lower(): a for a in submission.authors.all()}
    submission.authors.all().delete()
    user_ids = dict(
        User.objects.filter(email__in=[a.email.strip().lower() for a in authors]).values_list(
            "email", "pk"
        )
    )
    now = now or timezone.now()
    rows = []
    for order, author in enumerate(authors, start=1):
        email = author.email.strip().lower()
        before = previous.get(email)
        user_id = user_ids.get(email) or (before.user_id if before else None)
        claimed_at = before.claimed_at if before else None
        if claimed_at is None and user_id is not None and user_id == submission.created_by_id:
            claimed_at = now
        rows.append(
            Authorship(
                submission=submission,
                order=order,
                user_id=user_id,
                name=author.name.strip(),
                email=email,
                affiliation=author.affiliation.strip(),
                is_corresponding=author.is_corresponding,
                claimed_at=claimed_at,
            )
        )
    Authorship.objects.bulk_create(rows)


def _claim_check(claim: ClaimInput, row: int) -> ClaimInput:
    """Refuse a claim whose evidence cannot be right, naming the row; return it cleaned."""
    where = f"Claim {row} ({claim.dataset} {claim.metric})"
    if claim.runs is not None and not 1 <= claim.runs <= CLAIM_RUNS_MAX:
        raise DomainError(
            f"{where}: the number of runs must be between 1 and {CLAIM_RUNS_MAX:,}.",
            field="runs",
        )
    if claim.spread is not None and not 0 <= claim.spread < math.inf:
        raise DomainError(f"{where}: the spread must be zero or more.", field="spread")
    if len(claim.compute_budget) > CLAIM_COMPUTE_BUDGET_MAX_CHARS:
        raise DomainError(
            f"{where}: the compute budget has {len(claim.compute_budget):,} characters; "
            f"at most {CLAIM_COMPUTE_BUDGET_MAX_CHARS:,} are allowed.",
            field="compute_budget",
        )
    if claim.baseline_source and claim.baseline_source not in BaselineSource.values:
        raise DomainError(
            f"{where}: the best prior value is either reported or re-run.",
            field="baseline_source",
        )
    return replace(claim, compute_budget=claim.compute_budget.strip())


def _replace_claims(submission: Submission, claims: Sequence[ClaimInput]) -> None:
    """Rewrite the claims table, keeping each row's identity by position, so what reviewers
    wrote about claim 2 stays with claim 2 when the authors revise."""
    cleaned = [_claim_check(claim, row) for row, claim in enumerate(claims, start=1)]
    existing = list(submission.benchmark_claims.order_by("order", "pk"))
    keep, extra = existing[: len(cleaned)], existing[len(cleaned) :]
    if extra:
        BenchmarkClaim.objects.filter(pk__in=[c.pk for c in extra]).delete()
    for order, (row, claim) in enumerate(zip(keep, cleaned, strict=False)):
        for name, value in asdict(claim).items():
            setattr(row, name, value)
        row.order = order
    if keep:
        BenchmarkClaim.objects.bulk_update(keep, ["order", *CLAIM_FIELDS])
    BenchmarkClaim.objects.bulk_create(
        BenchmarkClaim(submission=submission, order=order, **asdict(claim))
        for order, claim in enumerate(cleaned[len(keep) :], start=len(keep))
    )


def _replace_conflicts(submission: Submission, conflicts: Sequence[ConflictInput]) -> None:
    submission.declared_conflicts.all().delete()
    rows = {}
    for conflict in conflicts:
        kind = ConflictKind(conflict.kind)
        value = (
            conflict.value.strip().lower()
            if kind != ConflictKind.INSTITUTION
            else (" ".join(conflict.value.split()))
        )
        if value:
            rows[(kind, value.lower())] = DeclaredConflict(
                submission=submission, kind=kind, value=value, reason=conflict.reason.strip()
            )
    if rows:
        emails = [r.value for r in rows.values() if r.kind == ConflictKind.PERSON]
        users = {u.email: u for u in User.objects.filter(email__in=emails)}
        for row in rows.values():
            row.user = users.get(row.value) if row.kind == ConflictKind.PERSON else None
        DeclaredConflict.objects.bulk_create(rows.values())
