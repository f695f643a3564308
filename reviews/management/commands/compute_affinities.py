"""Compute and store a venue's paper-reviewer affinities: `compute_affinities --venue SLUG`."""

from django.core.management.base import BaseCommand, CommandError

from journal.models import Venue
from reviews.models import AffinityRun, JobStatus
from reviews.services.affinity import affinity_run_execute


class Command(BaseCommand):
    help = "Compute the affinities between a venue's papers and its reviewers."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--venue", required=True, help="The venue's slug.")

    def handle(self, *args, venue: str, **options) -> None:
        try:
            target = Venue.objects.get(slug=venue)
        except Venue.DoesNotExist:
            raise CommandError(f"No venue with the slug '{venue}'.") from None
        run = AffinityRun.objects.create(venue=target)
        run = affinity_run_execute(run_id=run.pk)
        if run.status != JobStatus.DONE:
            raise CommandError(run.message or "The computation did not finish.")
        self.stdout.write(
            f"{run.n_scores:,} affinities for {run.n_papers:,} papers and "
            f"{run.n_reviewers:,} reviewers in {run.seconds:.1f} s."
        )
