"""`manage.py seed_demo`: load the demo data, or a large synthetic conference for benchmarks."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from journal.demo.seed import seed_demo, seed_demo_live
from journal.demo.seed_rows import SeedReport
from journal.demo.seed_synthetic import seed_synthetic
from journal.demo.snapshot import SNAPSHOT_PATH, snapshot_baseline, snapshot_write
from journal.models import Venue


class Command(BaseCommand):
    help = (
        "Load the demo venues, people and submissions (idempotent: a second run changes "
        "nothing). A fresh database gets the snapshot of a run through the services; --live "
        "replays it through the services, --write-snapshot regenerates the snapshot. With "
        "--papers and --reviewers, create a synthetic conference instead."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--papers", type=int, help="Papers of the synthetic conference.")
        parser.add_argument("--reviewers", type=int, help="Reviewers of the synthetic conference.")
        parser.add_argument(
            "--slug", default="conf-synthetic", help="Slug of the synthetic conference."
        )
        parser.add_argument("--seed", type=int, default=0, help="Seed of the synthetic text.")
        parser.add_argument(
            "--live", action="store_true", help="Seed through the services, not the snapshot."
        )
        parser.add_argument(
            "--write-snapshot",
            action="store_true",
            help=f"Seed through the services on an empty database and write {SNAPSHOT_PATH.name}.",
        )

    def handle(self, *args, papers=None, reviewers=None, slug="", seed=0, **options) -> None:
        if options["write_snapshot"]:
            self._write_snapshot()
            return
        if papers is None and reviewers is None:
            self.stdout.write("Seeding the demo…")
            report = seed_demo(stdout=self.stdout, snapshot=not options["live"])
            self._summary(report)
            self._logins(report)
            return
        if papers is None or reviewers is None or papers < 1 or reviewers < 1:
            raise CommandError("Give both --papers and --reviewers, each at least 1.")
        self.stdout.write(f"Seeding {slug}: {papers} papers, {reviewers} reviewers…")
        report = seed_synthetic(
            slug=slug, papers=papers, reviewers=reviewers, seed=seed, stdout=self.stdout
        )
        self._summary(report)
        self.stdout.write(f"Every synthetic account's password is: {report.password}")

    def _write_snapshot(self) -> None:
        if Venue.objects.exists():
            raise CommandError(
                "Write the snapshot from an empty, migrated database (make demo-snapshot)."
            )
        started = timezone.now()
        baseline = snapshot_baseline()
        report = seed_demo_live(stdout=self.stdout)
        with transaction.atomic():
            rows = snapshot_write(baseline=baseline, started=started)
        self._summary(report)
        self.stdout.write(f"Wrote {rows} rows to {SNAPSHOT_PATH}.")

    def _summary(self, report: SeedReport) -> None:
        for line in report.lines():
            self.stdout.write(line)

    def _logins(self, report: SeedReport) -> None:
        site = settings.SITE_URL.rstrip("/")
        by_email = dict(report.logins)
        self.stdout.write("")
        self.stdout.write(self.style.MIGRATE_HEADING(f"The demo: {site}/"))
        self.stdout.write(
            f"Sign in at {site}{settings.LOGIN_URL} with any address below; "
            f"the password of every demo account is {report.password}"
        )
        width = max(len(email) for email, _ in report.logins)
        for role, emails, tries in TOUR:
            shown = [email for email in emails if email in by_email]
            if not shown:
                continue
            self.stdout.write("")
            self.stdout.write(self.style.SUCCESS(role))
            for email in shown:
                self.stdout.write(f"  {email:<{width}}  {by_email[email]}")
            for path, what in tries:
                self.stdout.write(f"  try: {site}{path}  {what}")


#: Who to sign in as, and what to try first: (role, logins, [(path, what to do there)]).
TOUR = (
    (
        "Authors",
        ["author@demo.example.edu"],
        [
            (
                "/submissions/",
                "your papers at both venues: reviews to answer in conf-demo's open response "
                "window, a revision, drafts",
            ),
            ("/venues/tmlr-demo/submit/", "submit a paper (live preview, PDF checks)"),
        ],
    ),
    (
        "Reviewers",
        ["reviewer@demo.example.edu"],
        [
            ("/reviewing/", "a pending invitation to answer, a draft review due soon"),
            ("/venues/conf-demo/bids/", "bid on the conference's papers (keys 1-6)"),
        ],
    ),
    (
        "Journal editors (tmlr-demo)",
        [
            "chief@tmlr-demo.example.org",
            "editor1@tmlr-demo.example.org",
            "editor2@tmlr-demo.example.org",
            "editor3@tmlr-demo.example.org",
        ],
        [
            ("/venues/tmlr-demo/dashboard/", "needs you now: overdue reviews, decisions"),
            ("/venues/tmlr-demo/dashboard/analytics/", "analytics and score calibration"),
        ],
    ),
    (
        "Conference chairs (conf-demo)",
        [
            "chair@conf-demo.example.org",
            "sac@conf-demo.example.org",
            "ac1@conf-demo.example.org",
            "ac2@conf-demo.example.org",
            "ac3@conf-demo.example.org",
        ],
        [
            ("/venues/conf-demo/dashboard/decisions/", "the program chair's decision table"),
            ("/venues/conf-demo/ac/", "the area chairs' console (as an area chair)"),
        ],
    ),
    (
        "Site administration",
        ["admin@peerless.example.org"],
        [("/admin/", "the admin site")],
    ),
)
