"""Run the matching of a venue and store its proposal: `run_matching --venue SLUG`."""

from django.core.management.base import BaseCommand, CommandError

from journal.errors import DomainError
from journal.models import Venue
from reviews.models import AssignmentRun, RunStatus
from reviews.services.matching import assignment_run_matching, assignment_run_parameters


class Command(BaseCommand):
    help = "Propose reviewers for every paper of a venue that needs them."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--venue", required=True, help="The venue's slug.")
        parser.add_argument("--per-paper", type=int, help="Reviewers per paper.")
        parser.add_argument("--max-load", type=int, help="Most papers per reviewer.")
        parser.add_argument("--min-load", type=int, default=0, help="Least papers per reviewer.")
        parser.add_argument(
            "--fairness", action="store_true", help="Raise the worst-served paper first."
        )
        parser.add_argument("--bids", action="store_true", default=None, help="Let bids weigh in.")
        parser.add_argument("--no-bids", action="store_false", dest="bids", help="Ignore bids.")

    def handle(self, *args, venue: str, **options) -> None:
        try:
            target = Venue.objects.get(slug=venue)
        except Venue.DoesNotExist:
            raise CommandError(f"No venue with the slug '{venue}'.") from None
        try:
            parameters = assignment_run_parameters(
                venue=target,
                per_paper=options["per_paper"],
                max_load=options["max_load"],
                min_load=options["min_load"],
                fairness=options["fairness"],
                use_bids=options["bids"],
            )
        except DomainError as exc:
            raise CommandError(exc.message) from None
        run = AssignmentRun.objects.create(venue=target, parameters=parameters)
        run = assignment_run_matching(run_id=run.pk)
        if run.status != RunStatus.PROPOSED:
            raise CommandError(run.message or "The matching did not finish.")
        self.stdout.write(
            f"Run {run.pk}: {run.n_pairs:,} pairs for {run.n_papers:,} papers and "
            f"{run.n_reviewers:,} reviewers in {run.seconds:.1f} s; objective "
            f"{run.objective:.4f}, upper bound {run.upper_bound:.4f} "
            f"({100 * (run.ratio or 0):.4f}%), lowest paper score {run.min_paper_score:.4f}."
        )
