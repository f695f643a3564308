"""`manage.py bench_phases`: time the venue-wide phase work on a seeded 10,000-paper venue.

Run through `make bench-phases`, which starts a throwaway PostgreSQL for it. The command
migrates, seeds a synthetic conference with `journal.demo.seed_synthetic.seed_synthetic`, gives it a
timeline, passes every submitted paper through screening and puts it in the bidding phase.
It then enters the reviewing phase (a review round for every screened paper) and the
author-response phase (the response window, and every round released to its authors with
their e-mails), running each job in the foreground, and prints for each the wall time, the
number of batches and the most and the mean queries per batch.
"""

from datetime import timedelta
from time import perf_counter

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from journal.celery import app as celery_app
from journal.demo.seed_synthetic import seed_synthetic
from journal.enums import Phase, RoleKind, SubmissionState
from journal.models import Submission, Venue
from journal.services.phase_jobs import phase_job_execute
from journal.services.phase_steps import BATCH
from journal.services.phases import PlannedPhase, venue_phase_enter, venue_timeline_set


class Command(BaseCommand):
    help = "Seed a 10,000-paper venue and time entering reviewing and releasing the reviews."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--papers", type=int, default=10_000)
        parser.add_argument("--reviewers", type=int, default=3_000)
        parser.add_argument("--batch", type=int, default=BATCH)
        parser.add_argument("--slug", default="bench-phases")

    def handle(self, *args, papers, reviewers, batch, slug, **options) -> None:
        # The jobs run here, in the foreground, to be measured: queue their tasks nowhere.
        celery_app.conf.task_always_eager = False
        celery_app.conf.broker_url = "memory://"
        call_command("migrate", verbosity=0, interactive=False)
        started = perf_counter()
        seed_synthetic(slug=slug, papers=papers, reviewers=reviewers)
        venue = Venue.objects.get(slug=slug)
        chief = venue.roles.filter(role=RoleKind.CHIEF).select_related("user").first().user
        _prepare(venue, chief)
        self.stdout.write(
            f"Seeded {venue.submissions.count()} papers "
            f"({venue.submissions.filter(screened_at__isnull=False).count()} screened) in "
            f"{perf_counter() - started:.0f} s on {connection.vendor}."
        )
        for phase, what in (
            (Phase.REVIEWING, "enter reviewing (open rounds)"),
            (Phase.AUTHOR_RESPONSE, "release reviews (and window)"),
        ):
            venue.refresh_from_db()
            job = venue_phase_enter(venue=venue, phase=phase, actor=chief)
            per_batch: list[int] = []
            with CaptureQueriesContext(connection) as queries:
                mark = [0]

                def count(step, chunk, mark=mark, queries=queries, per_batch=per_batch):
                    per_batch.append(len(queries.captured_queries) - mark[0])
                    mark[0] = len(queries.captured_queries)

                start = perf_counter()
                job = phase_job_execute(job_id=job.pk, batch=batch, on_batch=count)
                seconds = perf_counter() - start
            counts = {k: v for k, v in job.counts.items() if isinstance(v, int)}
            mean = sum(per_batch) / len(per_batch) if per_batch else 0
            self.stdout.write(
                f"{what:<30} {seconds:7.1f} s   {len(per_batch)} batches of ≤{batch}   "
                f"queries per batch: max {max(per_batch, default=0)}, mean {mean:.1f}   "
                f"total {len(queries.captured_queries)}   {counts}   [{job.status}]"
            )


def _prepare(venue: Venue, chief) -> None:
    """A timeline around now (bidding under way), every reviewable paper screened."""
    start = timezone.now() - timedelta(days=14)
    plan = [
        PlannedPhase(
            phase=phase,
            starts_at=start + timedelta(days=7 * i),
            ends_at=start + timedelta(days=7 * (i + 1)),
        )
        for i, phase in enumerate(Phase)
    ]
    venue_timeline_set(venue=venue, actor=chief, phases=plan)
    Submission.objects.filter(
        venue=venue, state__in=SubmissionState.REVIEWABLE, screened_at__isnull=True
    ).update(screened_at=timezone.now(), screened_by=chief)
    Venue.objects.filter(pk=venue.pk).update(phase=Phase.BIDDING, accepting_submissions=False)
    venue.phase_jobs.all().delete()
