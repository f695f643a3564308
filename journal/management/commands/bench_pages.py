"""`manage.py bench_pages`: time the editor pages on a seeded 10,000-paper venue.

Run through `make bench-pages`, which starts a throwaway PostgreSQL for it. The command
migrates, seeds a synthetic conference (papers, reviewers, authors) with
`journal.demo.seed_synthetic.seed_synthetic` (15,000 reviewers by default), adds a review
round with submitted reviews to the papers past the first look (about three reviews each,
30,000 in all), then requests, with the Django test client, as the chief: the dashboard,
the submissions table (filtered, a later page, and under each of its sorts), an editor's
paper page and the decision table (page and API); and as a reviewer the bidding page (with
the reviewer's affinities and some bids, added when the venue lacks them, and bidding
open). It prints the median and 95th percentile of the server time of each. Before the
clock starts it freezes what the process holds (`journal.memory.heap_settle`), as
gunicorn's master does before it forks the workers that serve these pages.
"""

import math
import random
import statistics
from datetime import timedelta
from time import perf_counter

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.test import Client
from django.test.utils import override_settings
from django.urls import reverse
from django.utils import timezone

from journal.demo.seed_synthetic import seed_synthetic
from journal.enums import RoleKind, SubmissionState
from journal.forms.dashboard import SubmissionFilter
from journal.memory import heap_settle
from journal.models import AuditEvent, Venue
from journal.services.scores import paper_scores_refresh
from reviews.enums import FieldKind, InvitationState, Recommendation, ReviewState
from reviews.models import (
    AffinityScore,
    Bid,
    BidValue,
    MatchingSettings,
    Review,
    ReviewerRecommendation,
    ReviewFormField,
    ReviewInvitation,
    ReviewRound,
)
from reviews.services.forms import review_form_for_venue

S = SubmissionState
REVIEWED = {
    S.UNDER_REVIEW,
    S.DECISION_PENDING,
    S.REVISION_REQUESTED,
    S.REJECTED,
    S.ACCEPTED,
    S.CAMERA_READY,
    S.PUBLISHED,
}
TARGET_P95_MS = 300.0
#: Every sort the submissions table offers, each timed newest or largest first.
TABLE_SORTS = [f"-{key}" for key in SubmissionFilter.base_filters["sort"].param_map]
BATCH = 2000


class Command(BaseCommand):
    help = "Seed a 10,000-paper venue and time the dashboard, the tables and a paper page."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--papers", type=int, default=10_000)
        parser.add_argument("--reviewers", type=int, default=15_000)
        parser.add_argument("--reviews", type=int, default=30_000)
        parser.add_argument("--requests", type=int, default=50)
        parser.add_argument("--slug", default="bench-pages")
        parser.add_argument(
            "--only", default="", help="Time only the pages whose name contains this text."
        )

    def handle(self, *args, papers, reviewers, reviews, requests, slug, only, **options) -> None:
        call_command("migrate", verbosity=0, interactive=False)
        started = perf_counter()
        seed_synthetic(slug=slug, papers=papers, reviewers=reviewers)
        venue = Venue.objects.get(slug=slug)
        made = _add_reviews(venue, target=reviews)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                # What autovacuum does in a running site: statistics and the visibility map.
                cursor.execute("VACUUM ANALYZE")
        self.stdout.write(
            f"Seeded {venue.submissions.count()} papers, "
            f"{Review.objects.filter(submission__venue=venue).count()} reviews "
            f"({made} new) in {perf_counter() - started:.0f} s on {connection.vendor}."
        )
        chief = venue.roles.filter(role=RoleKind.CHIEF).select_related("user").first().user
        paper = (
            venue.submissions.filter(state=S.UNDER_REVIEW, reviews__state=ReviewState.SUBMITTED)
            .order_by("number")
            .first()
        )
        table = reverse("journal:dashboard-submissions", kwargs={"slug": slug})
        pages = {
            "dashboard": reverse("journal:venue-dashboard", kwargs={"slug": slug}),
            "table (filtered)": f"{table}?state=under_review&state=decision_pending"
            "&q=learning&sort=-since",
            "table (page 20)": f"{table}?page=20",
            "table (by score)": f"{table}?state=under_review&score_min=0.6&sort=-score",
            **{f"table (sort {key})": f"{table}?sort={key}" for key in TABLE_SORTS},
            "paper page": reverse(
                "journal:dashboard-paper", kwargs={"slug": slug, "number": paper.number}
            ),
            "decision table": reverse("journal:dashboard-decisions", kwargs={"slug": slug}),
            "decisions (filter)": reverse("journal:dashboard-decisions", kwargs={"slug": slug})
            + "?state=under_review&state=decision_pending&completeness=complete"
            "&sort=-calibrated&page=3",
            "decisions (API)": reverse("api:venue-decision-table", kwargs={"slug": slug})
            + "?sort=-spread&score_min=0.4",
        }
        editor = venue.roles.filter(role=RoleKind.ACTION_EDITOR).select_related("user").first().user
        reviewer = _bidding_reviewer(venue)
        bids = reverse("reviews:bids", kwargs={"slug": slug})
        client = Client()
        client.force_login(chief)
        editor_client = Client()
        editor_client.force_login(editor)
        reviewer_client = Client()
        reviewer_client.force_login(reviewer)
        failed = False
        heap_settle()  # as gunicorn's master does before forking its workers
        with override_settings(DEBUG=False):
            runs = [(name, url, client) for name, url in pages.items()]
            runs.insert(1, ("dashboard (AE)", pages["dashboard"], editor_client))
            runs += [
                ("bidding page", bids, reviewer_client),
                ("bidding (search)", f"{bids}?q=learning", reviewer_client),
                ("bidding (page 20)", f"{bids}?page=20&sort=number", reviewer_client),
                (
                    "bid coverage",
                    reverse("journal:dashboard-bids", kwargs={"slug": slug}),
                    client,
                ),
            ]
            width = max(len(name) for name, _, _ in runs)
            for name, url, who in runs:
                if only not in name:
                    continue
                times = _time(who, url, requests=requests)
                median, p95 = statistics.median(times), _p95(times)
                verdict = "ok" if p95 < TARGET_P95_MS else "SLOW"
                failed |= p95 >= TARGET_P95_MS
                self.stdout.write(
                    f"{name:<{width}} median {median:7.1f} ms   p95 {p95:7.1f} ms   [{verdict}]"
                )
        self.stdout.write(
            f"Target: p95 under {TARGET_P95_MS:.0f} ms; {requests} requests per page after "
            "warm-up, Django test client (server time, no network)."
        )
        if failed:
            self.stderr.write("Some page missed the target.")


def _bidding_reviewer(venue: Venue, *, seed: int = 0):
    """Return a reviewer of `venue` with stored affinities and a few bids; open bidding.

    A reviewer keeps about `candidates_per_paper` times papers over reviewers affinity rows after a
    real computation; a venue seeded without one gets that many, on random papers.
    """
    rng = random.Random(seed)
    role = venue.roles.filter(role=RoleKind.REVIEWER).select_related("user").order_by("pk")
    reviewer = role.first().user
    MatchingSettings.objects.update_or_create(venue=venue, defaults={"bidding_open": True})
    papers = list(venue.submissions.filter(state__in=[S.SUBMITTED, S.UNDER_REVIEW]).values_list(
        "pk", flat=True
    ))
    if not AffinityScore.objects.filter(venue=venue, reviewer=reviewer).exists():
        n_reviewers = max(1, venue.roles.filter(role=RoleKind.REVIEWER).count())
        share = min(len(papers), max(50, 100 * len(papers) // n_reviewers))
        AffinityScore.objects.bulk_create(
            [
                AffinityScore(
                    venue=venue, submission_id=pk, reviewer=reviewer,
                    score=rng.random(), rank=rng.randint(1, 100),
                )
                for pk in rng.sample(papers, share)
            ],
            ignore_conflicts=True,
        )
    if not Bid.objects.filter(reviewer=reviewer, submission__venue=venue).exists():
        levels = [BidValue.VERY_HIGH, BidValue.HIGH, BidValue.LOW, BidValue.VERY_LOW]
        Bid.objects.bulk_create(
            [
                Bid(submission_id=pk, reviewer=reviewer, value=rng.choice(levels))
                for pk in rng.sample(papers, min(40, len(papers)))
            ],
            ignore_conflicts=True,
        )
    return reviewer


def _time(client: Client, url: str, *, requests: int) -> list[float]:
    for _ in range(3):
        response = client.get(url)
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")
    times = []
    for _ in range(requests):
        start = perf_counter()
        client.get(url)
        times.append((perf_counter() - start) * 1000)
    return times


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def _add_reviews(venue: Venue, *, target: int, seed: int = 0) -> int:
    """Give papers past the first look a round with submitted reviews (three or more), in bulk.

    Also record when each paper entered its state, as the workflow would have. Papers that
    already have a round are left alone, so a second run adds nothing.
    """
    rng = random.Random(seed)
    form = venue.review_form or review_form_for_venue(venue=venue)
    fields = list(ReviewFormField.objects.filter(form=form))
    reviewer_ids = list(
        venue.roles.filter(role=RoleKind.REVIEWER).values_list("user_id", flat=True)
    )
    papers = list(
        venue.submissions.filter(state__in=REVIEWED)
        .exclude(review_rounds__isnull=False)
        .values_list("pk", "state", "created_by_id")
        .order_by("number")
    )
    per_paper = min(6, max(3, math.ceil(target / max(1, len(papers)))))
    now = timezone.now()
    made = 0
    for start in range(0, len(papers), BATCH):
        chunk = papers[start : start + BATCH]
        with transaction.atomic():
            rounds = ReviewRound.objects.bulk_create(
                ReviewRound(
                    submission_id=pk,
                    number=1,
                    form=form,
                    review_due=now + timedelta(days=rng.randint(-10, 20)),
                    decision_due=now + timedelta(days=rng.randint(-5, 40)),
                )
                for pk, _, _ in chunk
            )
            invitations = []
            for review_round, (pk, _, author) in zip(rounds, chunk, strict=True):
                chosen = [r for r in rng.sample(reviewer_ids, per_paper + 1) if r != author]
                chosen = chosen[:per_paper]
                for number, reviewer in enumerate(chosen, start=1):
                    asked = now - timedelta(days=rng.randint(10, 60))
                    invitations.append(
                        ReviewInvitation(
                            round=review_round,
                            submission_id=pk,
                            reviewer_id=reviewer,
                            state=InvitationState.ACCEPTED,
                            answer_due=asked + timedelta(days=3),
                            review_due=review_round.review_due,
                            reviewer_number=number,
                            created_at=asked,
                            responded_at=asked + timedelta(days=1),
                        )
                    )
            ReviewInvitation.objects.bulk_create(invitations, batch_size=BATCH)
            reviews, recommendations = [], []
            for invitation in invitations:
                answers = _answers(fields, rng)
                done = invitation.created_at + timedelta(days=rng.randint(3, 30))
                reviews.append(
                    Review(
                        invitation=invitation,
                        round=invitation.round,
                        submission_id=invitation.submission_id,
                        reviewer_id=invitation.reviewer_id,
                        form=form,
                        state=ReviewState.SUBMITTED,
                        answers=answers,
                        submitted_answers=answers,
                        submitted_at=done,
                        last_submitted_at=done,
                        is_late=done > invitation.review_due,
                    )
                )
                recommendations.append(
                    ReviewerRecommendation(
                        round=invitation.round,
                        reviewer_id=invitation.reviewer_id,
                        recommendation=rng.choice(list(Recommendation)),
                    )
                )
            Review.objects.bulk_create(reviews, batch_size=BATCH)
            ReviewerRecommendation.objects.bulk_create(recommendations, batch_size=BATCH)
            made += len(reviews)
    _record_states(venue, now, rng)
    paper_scores_refresh(venue=venue)  # what review submission keeps, done once in bulk
    return made


def _record_states(venue: Venue, now, rng: random.Random) -> None:
    """Write the audit event of each paper's entry into its current state, if missing."""
    missing = (
        venue.submissions.exclude(state=S.DRAFT)
        .exclude(audit_events__action="submission.transition")
        .values_list("pk", "state")
    )
    events = [
        AuditEvent(
            venue=venue,
            submission_id=pk,
            action="submission.transition",
            to_state=state,
            created_at=now - timedelta(days=rng.randint(0, 90), hours=rng.randint(0, 23)),
        )
        for pk, state in missing
    ]
    AuditEvent.objects.bulk_create(events, batch_size=BATCH)


def _answers(fields: list[ReviewFormField], rng: random.Random) -> dict:
    answers = {}
    for field in fields:
        values = field.option_values()
        if field.kind in {FieldKind.SCORE, FieldKind.SINGLE_CHOICE} and values:
            answers[field.key] = rng.choice(values)
        elif field.kind == FieldKind.MULTIPLE_CHOICE and values:
            answers[field.key] = values[:1]
        elif field.kind == FieldKind.YES_NO:
            answers[field.key] = rng.random() < 0.7
        elif field.kind == FieldKind.TEXT:
            answers[field.key] = "The evidence supports the central claim in part. " * 3
    return answers
