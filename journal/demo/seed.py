"""Load the demo, or a large synthetic conference, into the database; both idempotently.

`seed_demo` goes through the real services (`submission_create`, `version_upload`, the
workflow), so its papers carry the audit trail, versions and outbox rows real use leaves.
`seed_synthetic` writes rows in bulk: it makes big venues quickly for benchmarks and does not
exercise the workflow. Rows are matched on natural keys (user e-mail, venue slug, submission
title or number, publication title per user); what exists is never changed.
"""

import hashlib
import random
import textwrap
from collections import Counter
from collections.abc import Collection, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from time import perf_counter
from typing import TextIO

from allauth.account.models import EmailAddress
from django.apps import apps
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.utils import timezone

from journal.celery import app as celery_app
from journal.demo.corpus import load_seeds
from journal.demo.history import HOUR, RESPONSE_SCENARIO, Clock, paper_history
from journal.demo.papers import PaperText
from journal.demo.pdf import make_pdf
from journal.demo.people import PersonSpec
from journal.demo.plan import DemoPlan, SubmissionSpec, UserSpec, VenueSpec, demo_plan
from journal.demo.seed_bids import seed_bids
from journal.demo.seed_reviews import DEMO_AUTHOR, ReviewSeeder
from journal.demo.snapshot import SnapshotUnusable, snapshot_load, snapshot_read
from journal.demo.synthetic import SyntheticCrowd, SyntheticPaper
from journal.demo.workflow import PATHS
from journal.enums import Anonymity, RoleKind, SubmissionState, VenueKind
from journal.errors import DomainError
from journal.models import (
    Authorship,
    BenchmarkClaim,
    Submission,
    SubmissionVersion,
    User,
    Venue,
    VenueRole,
)
from journal.services.submissions import (
    AuthorInput,
    ClaimInput,
    ConflictInput,
    submission_create,
)
from journal.services.versions import version_upload
from journal.services.workflow import submission_transition
from reviews.models import ExpertiseKeyword, Publication, ReviewForm
from reviews.selectors.conflicts import conflicts_for_pair
from reviews.services.forms import review_form_latest

S = SubmissionState
BATCH = 1000
#: Submissions created per transaction by `seed_demo` (fewer commits on SQLite).
DEMO_CHUNK = 20
#: Reviewers and papers handled per transaction by `seed_synthetic`.
SYNTHETIC_CHUNK = 2000


@dataclass
class SeedReport:
    """What a seeding run created (rows per kind), the resulting states, and the logins."""

    created: Counter = field(default_factory=Counter)
    states: dict[str, Counter] = field(default_factory=dict)
    logins: tuple[tuple[str, str], ...] = ()
    password: str = ""
    seconds: float = 0.0

    def lines(self) -> list[str]:
        """Return a short human-readable summary."""
        made = ", ".join(
            f"{n} {what[:-1] if n == 1 else what}" for what, n in sorted(self.created.items()) if n
        )
        out = [f"Created {made or 'nothing (already seeded)'} in {self.seconds:.1f} s."]
        for slug, states in self.states.items():
            parts = ", ".join(f"{state} {n}" for state, n in sorted(states.items()))
            out.append(f"  {slug}: {sum(states.values())} submissions ({parts})")
        return out


@contextmanager
def quiet_mail() -> Iterator[None]:
    """Deliver the e-mail the workflow queues in this process, into memory.

    Demo addresses are fictional (and a few sit on public providers), so nothing may leave
    the machine, and the console backend would print hundreds of messages.
    """
    previous = settings.EMAIL_BACKEND, celery_app.conf.task_always_eager
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    celery_app.conf.task_always_eager = True
    try:
        yield
    finally:
        settings.EMAIL_BACKEND, celery_app.conf.task_always_eager = previous


@contextmanager
def tfidf_affinity() -> Iterator[None]:
    """Compute the demo's affinities with TF-IDF only, as a fresh `make demo` can.

    The sentence-embedding model is an optional extra; embedding the demo's 1,400 texts
    would take minutes on a laptop, so the demo never queues them.
    """
    previous = settings.AFFINITY_EMBEDDING_MODEL
    settings.AFFINITY_EMBEDDING_MODEL = ""
    try:
        yield
    finally:
        settings.AFFINITY_EMBEDDING_MODEL = previous


@contextmanager
def fast_sqlite_writes() -> Iterator[None]:
    """On SQLite, do not wait for the disk at every commit while seeding.

    Seeding commits thousands of times (every queued e-mail is delivered in its own
    transaction); the data can always be seeded again, so this connection skips the fsync.
    """
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA synchronous")
        previous = cursor.fetchone()[0]
        cursor.execute("PRAGMA synchronous = OFF")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA synchronous = {int(previous)}")


def _say(stdout: TextIO | None, message: str) -> None:
    if stdout is not None:
        stdout.write(message + "\n")


def _chunks(items: Sequence, size: int) -> Iterator[Sequence]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


# --- Shared rows --------------------------------------------------------------------------


def _ensure_users(
    people: Sequence[PersonSpec],
    *,
    password: str,
    report: SeedReport,
    admins: Collection[str] = (),
) -> dict[str, int]:
    """Create the people who have no account yet; return e-mail -> user id for all."""
    emails = [p.email for p in people]
    known = dict(User.objects.filter(email__in=emails).values_list("email", "pk"))
    new = [p for p in people if p.email not in known]
    if not new:
        return known
    hashed = make_password(password)  # one hash for all: hashing per user would take minutes
    now = timezone.now()
    rows = [
        User(
            email=p.email,
            display_name=p.name,
            affiliation=p.affiliation,
            email_domains=list(p.email_domains),
            password=hashed,
            is_staff=p.email in admins,
            is_superuser=p.email in admins,
            date_joined=now,
        )
        for p in new
    ]
    User.objects.bulk_create(rows, batch_size=BATCH)
    report.created["users"] += len(rows)
    ids = dict(User.objects.filter(email__in=emails).values_list("email", "pk"))
    # Demo addresses count as confirmed, so the demo logins work on the login page.
    EmailAddress.objects.bulk_create(
        [
            EmailAddress(user_id=ids[p.email], email=p.email, verified=True, primary=True)
            for p in new
        ],
        batch_size=BATCH,
        ignore_conflicts=True,
    )
    return ids


def _ensure_roles(rows: list[VenueRole], *, report: SeedReport) -> None:
    """Create the roles among `rows` that do not exist yet."""
    if not rows:
        return
    venues = {row.venue_id for row in rows}
    have = set(
        VenueRole.objects.filter(
            venue_id__in=venues, user_id__in={row.user_id for row in rows}
        ).values_list("venue_id", "user_id", "role")
    )
    new = [row for row in rows if (row.venue_id, row.user_id, row.role) not in have]
    VenueRole.objects.bulk_create(new, batch_size=BATCH)
    report.created["venue roles"] += len(new)


def _publication_rows(user_id: int, specs) -> list[Publication]:
    return [
        Publication(
            user_id=user_id,
            title=p.title,
            abstract=p.abstract,
            year=p.year,
            venue_name=p.venue_name,
            coauthors=list(p.coauthors),
            url=p.url,
        )
        for p in specs
    ]


def _unavailable(days: int | None):
    return timezone.localdate() + timedelta(days=days) if days else None


# --- The demo -----------------------------------------------------------------------------


class Progress:
    """Print numbered steps ("[2/5] submissions ...") and, within a step, a count."""

    def __init__(self, stdout: TextIO | None, total: int) -> None:
        self.stdout, self.total, self.step = stdout, total, 0
        self.started = perf_counter()

    def __call__(self, what: str) -> None:
        self.step += 1
        _say(self.stdout, f"[{self.step}/{self.total}] {what}")

    def detail(self, what: str) -> None:
        _say(self.stdout, f"      {what}")


def seed_demo(*, stdout: TextIO | None = None, snapshot: bool = True) -> SeedReport:
    """Load the demo venues, people, publications and submissions; skip what exists.

    A fresh database gets the snapshot of a run through the services (seconds), unless it
    is out of date or `snapshot` is False; otherwise the services replay the demo (minutes),
    completing what a partial demo lacks.
    """
    start = perf_counter()
    plan = demo_plan()
    report = SeedReport(logins=plan.logins, password=plan.password)
    slugs = [v.slug for v in plan.venues]
    if snapshot and not Venue.objects.filter(slug__in=slugs).exists():
        try:
            _seed_from_snapshot(report, stdout=stdout)
        except SnapshotUnusable as exc:
            _say(stdout, f"Not using the snapshot: {exc.message}; seeding through the services.")
        else:
            return _finish_report(report, slugs, start)
    seed_demo_live(plan, report=report, stdout=stdout)
    return _finish_report(report, slugs, start)


def _seed_from_snapshot(report: SeedReport, *, stdout: TextIO | None) -> None:
    progress = Progress(stdout, 2)
    progress("reading the snapshot of a seeding run")
    document = snapshot_read()
    progress(f"inserting {len(document['rows'])} rows and {len(document['files'])} files")
    counts = snapshot_load(document=document)
    for label, n in counts.items():
        report.created[apps.get_model(label)._meta.verbose_name_plural] += n


def _finish_report(report: SeedReport, slugs: Sequence[str], start: float) -> SeedReport:
    venues = Venue.objects.filter(slug__in=slugs).order_by("pk")
    report.states = {
        venue.slug: Counter(venue.submissions.values_list("state", flat=True)) for venue in venues
    }
    report.seconds = perf_counter() - start
    return report


def seed_demo_live(
    plan: DemoPlan | None = None, *, report: SeedReport | None = None, stdout=None
) -> SeedReport:
    """Seed the demo through the real services, skipping what exists."""
    start = perf_counter()
    plan = plan or demo_plan()
    report = report or SeedReport(logins=plan.logins, password=plan.password)
    progress = Progress(stdout, 4)
    with quiet_mail(), fast_sqlite_writes(), tfidf_affinity():
        progress("venues, people, roles and publications")
        with transaction.atomic():
            venues = _ensure_venues(plan.venues, report=report)
            users = _ensure_demo_people(plan.users, venues, password=plan.password, report=report)
            _ensure_senior_chairs(venues)
        progress("submissions and their reviewing, one paper's history at a time")
        reviews = _ensure_submissions(plan, venues, users, report=report, progress=progress)
        progress("affinities and a matching proposal at the conference")
        chiefs = {v.slug: users[v.chief] for v in plan.venues}
        reviews.finish(chiefs=chiefs)
        report.created.update(reviews.created)
        progress("bids")
        with transaction.atomic():
            report.created["bids"] += seed_bids(venues=venues)
    report.seconds = perf_counter() - start
    return report


def _ensure_senior_chairs(venues: dict[str, Venue]) -> None:
    """Put each venue's area chairs without one under its senior area chairs, in turn."""
    for venue in venues.values():
        seniors = list(
            VenueRole.objects.filter(venue=venue, role=RoleKind.SENIOR_AREA_CHAIR)
            .order_by("user_id")
            .values_list("user_id", flat=True)
        )
        if not seniors:
            continue
        chairs = VenueRole.objects.filter(
            venue=venue, role=RoleKind.ACTION_EDITOR, senior=None
        ).order_by("user_id")
        for k, role in enumerate(chairs):
            role.senior_id = seniors[k % len(seniors)]
            role.save(update_fields=["senior"])


def _ensure_venues(specs: Sequence[VenueSpec], *, report: SeedReport) -> dict[str, Venue]:
    venues = {}
    for spec in specs:
        venue = Venue.objects.filter(slug=spec.slug).first()
        if venue is None:
            # Deadlines are fixed when the venue is created and never moved afterwards.
            hour = timezone.now().replace(minute=0, second=0, microsecond=0)
            venue = Venue.objects.create(
                slug=spec.slug,
                name=spec.name,
                kind=spec.kind,
                description=spec.description,
                anonymity=spec.anonymity,
                reviewers_per_paper=spec.reviewers_per_paper,
                review_period_days=spec.review_period_days,
                long_paper_pages=spec.long_paper_pages,
                long_review_period_days=spec.long_review_period_days,
                submission_deadline=_days_after(hour, spec.deadline_in_days),
                camera_ready_deadline=_days_after(hour, spec.camera_ready_in_days),
                review_form=_review_form(spec.review_form),
                review_publication=spec.review_publication,
                publish_recommendations=spec.publish_recommendations,
                **dict(spec.stage_days),
            )
            report.created["venues"] += 1
        venues[spec.slug] = venue
    return venues


def _review_form(slug: str) -> ReviewForm | None:
    """Return the newest version of the shipped form `slug`; None if it is not installed."""
    if not slug:
        return None
    try:
        return review_form_latest(slug=slug)
    except DomainError:
        return None


def _days_after(moment, days: int | None):
    return None if days is None else moment + timedelta(days=days)


def _ensure_demo_people(
    specs: Sequence[UserSpec], venues: dict[str, Venue], *, password: str, report: SeedReport
) -> dict[str, User]:
    admins = {s.person.email for s in specs if s.is_superuser}
    ids = _ensure_users([s.person for s in specs], password=password, report=report, admins=admins)
    roles = [
        VenueRole(
            venue=venues[role.venue],
            user_id=ids[spec.person.email],
            role=role.role,
            load_quota=role.load_quota,
            unavailable_until=_unavailable(role.unavailable_days),
        )
        for spec in specs
        for role in spec.roles
    ]
    _ensure_roles(roles, report=report)
    have = set(Publication.objects.filter(user_id__in=ids.values()).values_list("user_id", "title"))
    rows = [
        row
        for spec in specs
        for row in _publication_rows(ids[spec.person.email], spec.publications)
        if (row.user_id, row.title) not in have
    ]
    Publication.objects.bulk_create(rows, batch_size=BATCH)
    report.created["publications"] += len(rows)
    known = set(
        ExpertiseKeyword.objects.filter(user_id__in=ids.values()).values_list("user_id", "keyword")
    )
    keywords = [
        ExpertiseKeyword(user_id=ids[spec.person.email], keyword=word)
        for spec in specs
        for word in spec.keywords
        if (ids[spec.person.email], word) not in known
    ]
    ExpertiseKeyword.objects.bulk_create(keywords, batch_size=BATCH)
    report.created["expertise keywords"] += len(keywords)
    return User.objects.in_bulk(list(ids), field_name="email")


def _ensure_submissions(
    plan: DemoPlan,
    venues: dict[str, Venue],
    users: dict[str, User],
    *,
    report: SeedReport,
    progress: Progress,
) -> ReviewSeeder:
    have = set(
        Submission.objects.filter(venue__in=venues.values()).values_list("venue__slug", "title")
    )
    todo = [s for s in plan.submissions if (s.venue, s.text.title) not in have]
    chiefs = {v.slug: users[v.chief] for v in plan.venues}
    reviews = ReviewSeeder(venues)
    for n, chunk in enumerate(_chunks(todo, DEMO_CHUNK)):
        with transaction.atomic():
            for spec in chunk:
                _demo_submission(spec, venues[spec.venue], users, reviews, chief=chiefs[spec.venue])
        report.created["submissions"] += len(chunk)
        progress.detail(f"{min((n + 1) * DEMO_CHUNK, len(todo))}/{len(todo)} papers")
    return reviews


def _demo_submission(
    spec: SubmissionSpec,
    venue: Venue,
    users: dict[str, User],
    reviews: ReviewSeeder,
    *,
    chief: User,
) -> Submission:
    text, creator, editor = spec.text, users[spec.creator], users[spec.editor]
    history = paper_history(
        state=spec.state,
        review_days=venue.review_period_for(spec.pages),
        revised=bool(spec.change_summary),
        rng=random.Random(f"history:{venue.slug}:{text.title}"),
        now=reviews.now,
        conference=venue.is_conference,
        # the demo author's conference paper under review awaits their response
        scenario=RESPONSE_SCENARIO if DEMO_AUTHOR in {a.email for a in spec.authors} else "",
    )
    clock = Clock(history)
    submission = submission_create(
        venue=venue,
        creator=creator,
        title=text.title,
        abstract=text.abstract,
        hypothesis_claim=text.hypothesis_claim,
        hypothesis_rationale=text.hypothesis_rationale,
        hypothesis_refutation=text.hypothesis_refutation,
        keywords=text.keywords,
        authors=[
            AuthorInput(a.name, a.email, a.affiliation, a.is_corresponding) for a in spec.authors
        ],
        claims=[
            ClaimInput(
                c.dataset,
                c.metric,
                c.value,
                c.best_prior_value,
                c.higher_is_better,
                c.code_url,
                runs=c.runs,
                spread=c.spread,
                baseline_source=c.baseline_source,
            )
            for c in text.claims
        ],
        conflicts=[ConflictInput(c.kind, c.value, c.reason) for c in spec.conflicts],
        now=history.created,
    )
    version_upload(
        submission=submission,
        actor=creator,
        pdf=paper_pdf(text, pages=spec.pages),
        now=history.uploaded,
    )
    editor = _unconflicted_editor(submission, editor)
    people = {"author": creator, "editor": editor, "chief": chief, "clock": clock}
    if not spec.change_summary:
        return reviews.drive(submission, spec.state, **people)
    # One round of revision first: request it, upload v2, resubmit, go on to the target.
    steps = PATHS[spec.state]
    if S.CAMERA_READY in steps or S.SUBMITTED not in steps:
        raise ValueError(f"A revised demo paper cannot end up {spec.state}.")
    reviews.drive(submission, S.REVISION_REQUESTED, **people)
    resubmitted = clock.move(S.SUBMITTED)
    version_upload(
        submission=submission,
        actor=creator,
        pdf=paper_pdf(text, pages=spec.pages + 1, name="paper-v2.pdf"),
        change_summary=spec.change_summary,
        now=resubmitted - 3 * HOUR,
    )
    submission_transition(
        submission=submission, to_state=S.SUBMITTED, actor=creator, now=resubmitted
    )
    return reviews.drive(submission, spec.state, **people)


def _unconflicted_editor(submission: Submission, planned: User) -> User:
    """Return the planned action editor, or (when they have a conflict of interest with the
    paper, which the chief would be warned of) the venue's first editor who has none."""
    if not conflicts_for_pair(submission=submission, reviewer=planned):
        return planned
    editors = User.objects.filter(
        venue_roles__venue=submission.venue, venue_roles__role=RoleKind.ACTION_EDITOR
    ).order_by("email")
    for editor in editors:
        if editor.pk != planned.pk and not conflicts_for_pair(
            submission=submission, reviewer=editor
        ):
            return editor
    return planned


def paper_pdf(text: PaperText, *, pages: int, name: str = "paper.pdf") -> ContentFile:
    """Return an anonymous PDF whose first page shows the title and abstract."""
    first = [*textwrap.wrap(text.title, 80), "Anonymous authors", "", "Abstract"]
    first += textwrap.wrap(text.abstract, 95)
    rest = [[f"{i}", "(body text omitted in the demo)"] for i in range(2, pages + 1)]
    return ContentFile(make_pdf([first, *rest]), name=name)


# --- Synthetic venues ---------------------------------------------------------------------


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
        review_form=_review_form("neurips-style"),
    )


def _synthetic_staff(
    venue: Venue, crowd: SyntheticCrowd, *, papers: int, password: str, report: SeedReport
) -> list[int]:
    """Ensure the chief and one area chair per 40 papers; return the chairs' user ids."""
    chief = crowd.person(0, kind="chief")
    chairs = [crowd.person(i, kind="chair") for i in range(max(1, papers // 40))]
    ids = _ensure_users([chief, *chairs], password=password, report=report)
    roles = [VenueRole(venue=venue, user_id=ids[chief.email], role=RoleKind.CHIEF)]
    roles += [
        VenueRole(venue=venue, user_id=ids[p.email], role=RoleKind.ACTION_EDITOR) for p in chairs
    ]
    _ensure_roles(roles, report=report)
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
            ids = _ensure_users(people, password=password, report=report)
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
                        unavailable_until=_unavailable(spec.unavailable_days),
                    )
                )
                publications += _publication_rows(ids[person.email], spec.publications)
            _ensure_roles(rows, report=report)
            Publication.objects.bulk_create(publications, batch_size=BATCH)
            report.created["publications"] += len(publications)
        made = report.created["users"] - before
        _say(stdout, f"  reviewers {indices[-1] + 1}/{total} ({made} new)")


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
    for chunk in _chunks(numbers, SYNTHETIC_CHUNK):
        specs = [crowd.paper(n) for n in chunk]
        with transaction.atomic():
            _synthetic_paper_rows(venue, crowd, specs, chairs, reviewer_ids, pdf)
        report.created["submissions"] += len(specs)
        _say(stdout, f"  papers up to #{chunk[-1]} of {papers}")


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
