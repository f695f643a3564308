"""A large synthetic conference for benchmarks, written in bulk; idempotently.

`seed_synthetic` does not go through the workflow: it makes big venues quickly (10,000
papers, 15,000 reviewers) for `make bench-pages`, `make bench-load` and the fault tests.
Rows are matched on natural keys; what exists is never changed.
"""

import hashlib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from time import perf_counter
from typing import TextIO

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from journal.demo.corpus import load_seeds
from journal.demo.papers import PaperText
from journal.demo.pdf import make_pdf
from journal.demo.people import PersonSpec
from journal.demo.seed_rows import (
    BATCH,
    SeedReport,
    chunks,
    ensure_roles,
    ensure_users,
    fast_sqlite_writes,
    publication_rows,
    review_form_of,
    say,
    unavailable,
)
from journal.demo.synthetic import SyntheticCrowd, SyntheticPaper
from journal.enums import Anonymity, RoleKind, SubmissionState, VenueKind
from journal.models import (
    Authorship,
    BenchmarkClaim,
    Submission,
    SubmissionVersion,
    User,
    Venue,
    VenueRole,
)
from reviews.models import Publication
from reviews.services.editor_conflicts import editor_conflicts_scan_editors

S = SubmissionState
#: Reviewers and papers handled per transaction.
SYNTHETIC_CHUNK = 2000


def seed_synthetic(
    *, slug: str, papers: int, reviewers: int, seed: int = 0, stdout: TextIO | None = None
) -> SeedReport:
    """Create (or complete) a synthetic conference with `papers` papers and `reviewers`."""
    start = perf_counter()
    seeds = load_seeds()
    password = seeds.demo["password"]
    report = SeedReport(password=password)
    crowd = SyntheticCrowd(seeds, seed=seed, slug=slug, reviewers=reviewers)
    with fast_sqlite_writes():
        with transaction.atomic():
            venue = _synthetic_venue(slug, report=report)
            chairs = _synthetic_staff(venue, crowd, papers=papers, password=password, report=report)
        _synthetic_reviewers(venue, crowd, password=password, report=report, stdout=stdout)
        _synthetic_papers(venue, crowd, chairs, papers=papers, report=report, stdout=stdout)
    # What taking an editor's role queues in a running site: the editors' conflict scans.
    editor_conflicts_scan_editors(venue=venue)
    report.states = {slug: Counter(venue.submissions.values_list("state", flat=True))}
    report.seconds = perf_counter() - start
    return report


def _synthetic_venue(slug: str, *, report: SeedReport) -> Venue:
    venue = Venue.objects.filter(slug=slug).first()
    if venue is not None:
        return venue
    hour = timezone.now().replace(minute=0, second=0, microsecond=0)
    report.created["venues"] += 1
    return Venue.objects.create(
        slug=slug,
        name=f"Synthetic conference ({slug})",
        kind=VenueKind.CONFERENCE,
        description="Generated for benchmarks: topic-mixture papers and reviewers.",
        anonymity=Anonymity.DOUBLE_BLIND,
        reviewers_per_paper=3,
        review_period_days=21,
        submission_deadline=hour + timedelta(days=30),
        camera_ready_deadline=hour + timedelta(days=120),
        review_form=review_form_of("neurips-style"),
    )


def _synthetic_staff(
    venue: Venue, crowd: SyntheticCrowd, *, papers: int, password: str, report: SeedReport
) -> list[int]:
    """Ensure the chief and one area chair per 40 papers; return the chairs' user ids."""
    chief = crowd.person(0, kind="chief")
    chairs = [crowd.person(i, kind="chair") for i in range(max(1, papers // 40))]
    ids = ensure_users([chief, *chairs], password=password, report=report)
    roles = [VenueRole(venue=venue, user_id=ids[chief.email], role=RoleKind.CHIEF)]
    roles += [
        VenueRole(venue=venue, user_id=ids[p.email], role=RoleKind.ACTION_EDITOR) for p in chairs
    ]
    ensure_roles(roles, report=report)
    return [ids[p.email] for p in chairs]


def _synthetic_reviewers(
    venue: Venue, crowd: SyntheticCrowd, *, password: str, report: SeedReport, stdout
) -> None:
    total = crowd.reviewers
    if venue.roles.filter(role=RoleKind.REVIEWER).count() >= total:
        return
    for start in range(0, total, SYNTHETIC_CHUNK):
        indices = range(start, min(start + SYNTHETIC_CHUNK, total))
        with transaction.atomic():
            people = [crowd.person(i) for i in indices]
            before = report.created["users"]
            known = set(
                User.objects.filter(email__in=[p.email for p in people]).values_list(
                    "email", flat=True
                )
            )
            ids = ensure_users(people, password=password, report=report)
            rows, publications = [], []
            for i, person in zip(indices, people, strict=True):
                if person.email in known:
                    rows.append(
                        VenueRole(venue=venue, user_id=ids[person.email], role=RoleKind.REVIEWER)
                    )
                    continue
                spec = crowd.reviewer(i)
                rows.append(
                    VenueRole(
                        venue=venue,
                        user_id=ids[person.email],
                        role=RoleKind.REVIEWER,
                        load_quota=spec.load_quota,
                        unavailable_until=unavailable(spec.unavailable_days),
                    )
                )
                publications += publication_rows(ids[person.email], spec.publications)
            ensure_roles(rows, report=report)
            Publication.objects.bulk_create(publications, batch_size=BATCH)
            report.created["publications"] += len(publications)
        made = report.created["users"] - before
        say(stdout, f"  reviewers {indices[-1] + 1}/{total} ({made} new)")


def _synthetic_papers(
    venue: Venue, crowd: SyntheticCrowd, chairs: list[int], *, papers: int, report, stdout
) -> None:
    have = set(venue.submissions.values_list("number", flat=True))
    if len(have) >= papers:
        return
    pdf = _shared_pdf(venue.slug)
    reviewer_ids = dict(
        venue.roles.filter(role=RoleKind.REVIEWER).values_list("user__email", "user_id")
    )
    numbers = [n for n in range(1, papers + 1) if n not in have]
    for chunk in chunks(numbers, SYNTHETIC_CHUNK):
        specs = [crowd.paper(n) for n in chunk]
        with transaction.atomic():
            _synthetic_paper_rows(venue, crowd, specs, chairs, reviewer_ids, pdf)
        report.created["submissions"] += len(specs)
        say(stdout, f"  papers up to #{chunk[-1]} of {papers}")


@dataclass(frozen=True)
class _SharedPdf:
    name: str
    sha256: str
    size: int
    pages: int


def _shared_pdf(slug: str) -> _SharedPdf:
    """Store one PDF for all papers of a synthetic venue (once); describe it."""
    pages = [["Synthetic submission", "Anonymous authors", "Abstract"]]
    pages += [[f"Page {i}"] for i in range(2, 10)]
    data = make_pdf(pages)
    name = f"synthetic/{slug}/paper.pdf"
    if not default_storage.exists(name):
        name = default_storage.save(name, ContentFile(data))
    return _SharedPdf(name, hashlib.sha256(data).hexdigest(), len(data), len(pages))


_DECIDED = {S.DESK_REJECTED, S.REVISION_REQUESTED, S.REJECTED}
_WITH_EDITOR = {S.UNDER_REVIEW, S.DECISION_PENDING, S.REVISION_REQUESTED, S.REJECTED}


def _synthetic_paper_rows(
    venue: Venue,
    crowd: SyntheticCrowd,
    specs: Sequence[SyntheticPaper],
    chairs: list[int],
    reviewer_ids: dict[str, int],
    pdf: _SharedPdf,
) -> None:
    now = timezone.now()
    people = [
        [crowd.person(a) if isinstance(a, int) else a for a in spec.authors] for spec in specs
    ]
    submissions = []
    for spec, authors in zip(specs, people, strict=True):
        text = spec.text
        submissions.append(
            Submission(
                venue=venue,
                number=spec.number,
                title=text.title,
                abstract=text.abstract,
                keywords=list(text.keywords),
                hypothesis_claim=text.hypothesis_claim,
                hypothesis_rationale=text.hypothesis_rationale,
                hypothesis_refutation=text.hypothesis_refutation,
                state=spec.state,
                action_editor_id=(
                    chairs[spec.number % len(chairs)] if spec.state in _WITH_EDITOR else None
                ),
                created_by_id=reviewer_ids[authors[0].email],
                created_at=now,
                updated_at=now,
                state_changed_at=now,
                submitted_at=None if spec.state == S.DRAFT else now,
                decided_at=now if spec.state in _DECIDED else None,
            )
        )
    Submission.objects.bulk_create(submissions, batch_size=BATCH)
    if any(s.pk is None for s in submissions):
        ids = dict(
            venue.submissions.filter(number__in=[s.number for s in specs]).values_list(
                "number", "pk"
            )
        )
        for submission in submissions:
            submission.pk = ids[submission.number]
    authorships, claims, versions = [], [], []
    for submission, spec, authors in zip(submissions, specs, people, strict=True):
        for order, (ref, person) in enumerate(zip(spec.authors, authors, strict=True), start=1):
            user_id = reviewer_ids.get(person.email) if isinstance(ref, int) else None
            authorships.append(
                Authorship(
                    submission_id=submission.pk,
                    order=order,
                    user_id=user_id,
                    name=person.name,
                    email=person.email,
                    affiliation=person.affiliation,
                    is_corresponding=order == 1,
                    claimed_at=now if order == 1 else None,
                )
            )
        claims += [
            BenchmarkClaim(
                submission_id=submission.pk,
                order=order,
                dataset=c.dataset,
                metric=c.metric,
                value=c.value,
                best_prior_value=c.best_prior_value,
                higher_is_better=c.higher_is_better,
                runs=c.runs,
                spread=c.spread,
                baseline_source=c.baseline_source,
                code_url=c.code_url,
            )
            for order, c in enumerate(spec.text.claims)
        ]
        versions.append(
            SubmissionVersion(
                submission_id=submission.pk,
                number=1,
                pdf=pdf.name,
                pdf_sha256=pdf.sha256,
                pdf_size=pdf.size,
                page_count=pdf.pages,
                metadata=_snapshot(spec.text, authors),
                created_by_id=submission.created_by_id,
                created_at=now,
                submitted_at=submission.submitted_at,
            )
        )
    Authorship.objects.bulk_create(authorships, batch_size=BATCH)
    BenchmarkClaim.objects.bulk_create(claims, batch_size=BATCH)
    SubmissionVersion.objects.bulk_create(versions, batch_size=BATCH)


def _snapshot(text: PaperText, authors: Sequence[PersonSpec]) -> dict:
    """Return what `metadata_snapshot` would record for this paper at upload."""
    return {
        "title": text.title,
        "abstract": text.abstract,
        "keywords": list(text.keywords),
        "hypothesis_claim": text.hypothesis_claim,
        "hypothesis_rationale": text.hypothesis_rationale,
        "hypothesis_refutation": text.hypothesis_refutation,
        "benchmark_claims": [
            {
                "dataset": c.dataset,
                "metric": c.metric,
                "value": c.value,
                "best_prior_value": c.best_prior_value,
                "higher_is_better": c.higher_is_better,
                "runs": c.runs,
                "spread": c.spread,
                "compute_budget": "",
                "baseline_source": c.baseline_source,
                "code_url": c.code_url,
            }
            for c in text.claims
        ],
        "authors": [
            {"name": a.name, "email": a.email, "affiliation": a.affiliation} for a in authors
        ],
    }
