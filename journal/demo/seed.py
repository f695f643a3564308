"""Load the demo into the database, idempotently.

`seed_demo` goes through the real services (`submission_create`, `version_upload`, the
workflow), so its papers carry the audit trail, versions and outbox rows real use leaves
(`journal.demo.seed_synthetic` writes large synthetic venues in bulk instead). Rows are
matched on natural keys (user e-mail, venue slug, submission title or number, publication
title per user); what exists is never changed.
"""

import random
import textwrap
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import timedelta
from time import perf_counter
from typing import TextIO

from django.apps import apps
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from journal.celery import app as celery_app
from journal.demo.history import HOUR, RESPONSE_SCENARIO, Clock, paper_history
from journal.demo.papers import PaperText
from journal.demo.pdf import make_pdf
from journal.demo.plan import DemoPlan, SubmissionSpec, UserSpec, VenueSpec, demo_plan
from journal.demo.seed_bids import seed_bids
from journal.demo.seed_reviews import DEMO_AUTHOR, ReviewSeeder
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
from journal.demo.snapshot import SnapshotUnusable, snapshot_load, snapshot_read
from journal.demo.workflow import PATHS
from journal.enums import EmailStatus, RoleKind, SubmissionState
from journal.models import (
    OutboundEmail,
    Submission,
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
from reviews.models import ExpertiseKeyword, Publication
from reviews.selectors.conflicts import conflicts_for_pair

S = SubmissionState
#: Submissions created per transaction by `seed_demo` (fewer commits on SQLite).
DEMO_CHUNK = 20


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


# --- The demo -----------------------------------------------------------------------------


class Progress:
    """Print numbered steps ("[2/5] submissions ...") and, within a step, a count."""

    def __init__(self, stdout: TextIO | None, total: int) -> None:
        self.stdout, self.total, self.step = stdout, total, 0
        self.started = perf_counter()

    def __call__(self, what: str) -> None:
        self.step += 1
        say(self.stdout, f"[{self.step}/{self.total}] {what}")

    def detail(self, what: str) -> None:
        say(self.stdout, f"      {what}")


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
            say(stdout, f"Not using the snapshot: {exc.message}; seeding through the services.")
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
            _sent_when_queued()
    report.seconds = perf_counter() - start
    return report


def _sent_when_queued() -> None:
    """Record each demo e-mail as sent when the replayed action queued it.

    The demo delivers its mail into memory at once (`quiet_mail`), so a message went out
    the moment its action happened in the demo's history, not when this run delivered it.
    """
    OutboundEmail.objects.filter(status=EmailStatus.SENT).exclude(
        sent_at=F("created_at")
    ).update(sent_at=F("created_at"))


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
                review_form=review_form_of(spec.review_form),
                review_publication=spec.review_publication,
                publish_recommendations=spec.publish_recommendations,
                **dict(spec.stage_days),
            )
            report.created["venues"] += 1
        venues[spec.slug] = venue
    return venues


def _days_after(moment, days: int | None):
    return None if days is None else moment + timedelta(days=days)


def _ensure_demo_people(
    specs: Sequence[UserSpec], venues: dict[str, Venue], *, password: str, report: SeedReport
) -> dict[str, User]:
    admins = {s.person.email for s in specs if s.is_superuser}
    ids = ensure_users([s.person for s in specs], password=password, report=report, admins=admins)
    roles = [
        VenueRole(
            venue=venues[role.venue],
            user_id=ids[spec.person.email],
            role=role.role,
            load_quota=role.load_quota,
            unavailable_until=unavailable(role.unavailable_days),
        )
        for spec in specs
        for role in spec.roles
    ]
    ensure_roles(roles, report=report)
    have = set(Publication.objects.filter(user_id__in=ids.values()).values_list("user_id", "title"))
    rows = [
        row
        for spec in specs
        for row in publication_rows(ids[spec.person.email], spec.publications)
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
    for n, chunk in enumerate(chunks(todo, DEMO_CHUNK)):
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


