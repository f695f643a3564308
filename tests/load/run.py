"""Seed the venue, start gunicorn and a worker as the image does, run the load, check, report."""

import asyncio
import json
import os
import statistics
import tempfile
import time
from pathlib import Path

import httpx
from django.core.management import call_command
from django.db import connection
from django.db.models import Count
from django.test import Client
from django.urls import reverse

from journal.demo.seed_synthetic import seed_synthetic
from journal.demo.workflow import pdf_file
from journal.enums import RoleKind, SubmissionState
from journal.management.commands.bench_pages import _add_reviews
from journal.models import Submission, User, Venue
from reviews.enums import ReviewState
from reviews.models import Review
from tests.api.support import token_for
from tests.deploy import stack
from tests.load.traffic import Budget, Results, author, browse, percentile
from tests.parallel import shared_cache_url

SLUG = "bench-load"
CHAIRS, EDITORS, REVIEWERS, AUTHORS = 1, 4, 15, 5


def _session(user) -> str:
    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value


def _people(venue: Venue) -> list[tuple[str, object, list[tuple[str, str]]]]:
    """(role, user, pages) of the 20 browsing users."""
    slug = venue.slug
    table = reverse("journal:dashboard-submissions", kwargs={"slug": slug})
    dashboard = reverse("journal:venue-dashboard", kwargs={"slug": slug})
    api = f"/api/v1/submissions/?venue={slug}"

    def paper_page(number: int) -> str:
        return reverse("journal:dashboard-paper", kwargs={"slug": slug, "number": number})

    reviewed = list(
        venue.submissions.filter(state=SubmissionState.UNDER_REVIEW)
        .order_by("number")
        .values_list("number", flat=True)[:200]
    )
    chief = venue.roles.filter(role=RoleKind.CHIEF).select_related("user").first().user
    chair_pages = [
        ("dashboard", dashboard),
        ("table filtered", f"{table}?state=under_review&state=decision_pending&q=learning"),
        ("table page 20", f"{table}?page=20"),
        ("table by score", f"{table}?state=under_review&score_min=0.6&sort=-score"),
        *[("paper page", paper_page(n)) for n in reviewed[:50]],
        ("API submissions", api),
        ("API submissions page 10", f"{api}&page=10"),
        ("API reviews", f"/api/v1/reviews/?venue={slug}"),
    ]
    people = [("chair", chief, chair_pages)]
    editors = (
        venue.roles.filter(role=RoleKind.ACTION_EDITOR, user__edited_submissions__venue=venue)
        .select_related("user")
        .distinct()[:EDITORS]
    )
    for role in editors:
        mine = list(
            venue.submissions.filter(action_editor=role.user)
            .exclude(state=SubmissionState.DRAFT)
            .values_list("number", flat=True)[:20]
        )
        pages = [
            ("dashboard", dashboard),
            ("table filtered", f"{table}?state=under_review"),
            *[("paper page", paper_page(n)) for n in mine],
            ("API submissions", api),
        ]
        people.append(("area chair", role.user, pages))
    reviews = (
        Review.objects.filter(submission__venue=venue, state=ReviewState.SUBMITTED)
        .select_related("reviewer")
        .order_by("reviewer_id")
        .distinct("reviewer_id")[:REVIEWERS]
    )
    for review in reviews:
        pages = [
            ("reviewing home", reverse("reviews:reviewing")),
            ("review form", reverse("reviews:review-edit", kwargs={"pk": review.pk})),
            ("API reviews", "/api/v1/reviews/"),
            ("API invitations", "/api/v1/invitations/"),
        ]
        people.append(("reviewer", review.reviewer, pages))
    return people


async def _load(base: str, venue: Venue, people, authors, args, results: Results) -> None:
    budget = Budget(seconds=args.seconds, max_requests=args.max_requests)
    headers = {"Host": stack.HOST, "X-Forwarded-Proto": "https"}
    limits = httpx.Limits(max_connections=len(people) + len(authors))
    timeout = httpx.Timeout(60)
    pdf = pdf_file(pages=8).read()
    clients = []
    jobs = []
    for n, (_role, _user, pages, session) in enumerate(people):
        client = httpx.AsyncClient(
            base_url=base,
            headers={**headers, "Cookie": f"sessionid={session}"},
            limits=limits,
            timeout=timeout,
        )
        clients.append(client)
        jobs.append(browse(client, pages, budget, results, seed=n, think=args.think))
    for n, token in enumerate(authors):
        client = httpx.AsyncClient(
            base_url=base,
            headers={**headers, "Authorization": f"Bearer {token}"},
            limits=limits,
            timeout=timeout,
        )
        clients.append(client)
        jobs.append(author(client, venue.slug, pdf, budget, results, n, think=args.think))
    try:
        await asyncio.gather(*jobs)
    finally:
        for client in clients:
            await client.aclose()


def _check_pages(base: str, people) -> list:
    """Check every page of the mix before the clock starts; return the people's usable pages.

    Each must answer 200 (a 302 would be a lost session), except a chair's paper page,
    which the rules close on a conflict of interest: those are left out of the mix.
    """
    headers = {"Host": stack.HOST, "X-Forwarded-Proto": "https"}
    checked, closed = [], 0
    for role, user, pages, session in people:
        usable = []
        for label, url in pages:
            response = httpx.get(
                base + url, headers={**headers, "Cookie": f"sessionid={session}"}, timeout=120
            )
            if response.status_code == 200:
                usable.append((label, url))
            elif label == "paper page" and response.status_code == 403:
                closed += 1
            else:
                raise SystemExit(f"{role} {label} {url} answered {response.status_code}")
        checked.append((role, user, usable, session))
    if closed:
        print(f"Left out {closed} paper pages closed to a chair by a conflict of interest.")
    return checked


def run(args) -> int:
    call_command("migrate", verbosity=0, interactive=False)
    started = time.perf_counter()
    seed_synthetic(slug=SLUG, papers=args.papers, reviewers=args.reviewers)
    venue = Venue.objects.get(slug=SLUG)
    venue.accepting_submissions = True
    venue.save(update_fields=["accepting_submissions"])
    _add_reviews(venue, target=args.reviews)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    print(
        f"Seeded {venue.submissions.count():,} papers and "
        f"{Review.objects.filter(submission__venue=venue).count():,} reviews "
        f"in {time.perf_counter() - started:.0f} s.",
        flush=True,
    )
    people = [(*person, _session(person[1])) for person in _people(venue)]
    writers = [
        User.objects.get_or_create(
            email=f"load-author-{n}@uni.example.edu",
            defaults={"display_name": f"Load Author {n}", "affiliation": f"Load Lab {n}"},
        )[0]
        for n in range(AUTHORS)
    ]
    authors = [token_for(user) for user in writers]
    before_titles = set(venue.submissions.values_list("title", flat=True))
    broker = os.environ["CELERY_BROKER_URL"]
    with tempfile.TemporaryDirectory(prefix="peerless-load-") as tmp:
        work = Path(tmp)
        env = stack.production_env(
            static_root=work / "static",
            media_root=work / "media",
            broker_url=broker,
            cache_url=shared_cache_url(),
            LOG_LEVEL="WARNING",
        )
        env.pop("AFFINITY_EMBEDDING_MODEL")
        stack.collectstatic(env)
        workers = int(os.environ.get("WEB_CONCURRENCY", "5"))  # the default on 2 CPUs
        with (
            stack.gunicorn(env, log=work / "gunicorn.log", workers=workers) as web,
            stack.celery_worker(env, log=work / "worker.log", concurrency=1),
        ):
            people = _check_pages(web.url, people)
            results = Results()
            load_before = os.getloadavg()
            clock = time.perf_counter()
            asyncio.run(_load(web.url, venue, people, authors, args, results))
            elapsed = time.perf_counter() - clock
            load_after = os.getloadavg()
    report = _report(
        results, elapsed=elapsed, load=(load_before, load_after), people=people, think=args.think
    )
    lost = _verify(venue, results, before_titles)
    report["stored"] = lost
    print(json.dumps(report["summary"], indent=2))
    if args.json:
        args.json.write_text(json.dumps(report, indent=2))
    failed = results.errors or lost["missing"] or lost["duplicated"] or lost["unexpected"]
    return 1 if failed else 0


def _verify(venue: Venue, results: Results, before: set[str]) -> dict:
    """Every 2xx submission stored exactly once, refused ones not at all, none other."""
    counts = {}
    for title, n in (
        Submission.objects.filter(venue=venue)
        .exclude(title__in=before)
        .values_list("title")
        .annotate(n=Count("id"))
    ):
        counts[title] = n
    created = set(results.created)
    found = {
        "answered_201": len(results.created),
        "submitted_200": len(results.submitted),
        "missing": sorted(t for t in created if counts.get(t, 0) == 0),
        "duplicated": sorted(t for t, n in counts.items() if n > 1),
        "unexpected": sorted(t for t in counts if t not in created),
        "not_submitted": Submission.objects.filter(pk__in=results.submitted)
        .exclude(state=SubmissionState.SUBMITTED)
        .count(),
    }
    print(
        f"Submissions: {found['answered_201']} created (201), {found['submitted_200']} submitted"
        f" (200); missing {len(found['missing'])}, duplicated {len(found['duplicated'])}, "
        f"stored without a 201 {len(found['unexpected'])}.",
        flush=True,
    )
    return found


def _report(results: Results, *, elapsed: float, load, people, think: float) -> dict:
    every = [ms for values in results.latencies.values() for ms in values]
    rows = {}
    for label, values in sorted(results.latencies.items()):
        rows[label] = {
            "requests": len(values),
            "p50_ms": round(statistics.median(values), 1),
            "p95_ms": round(percentile(values, 0.95), 1),
            "p99_ms": round(percentile(values, 0.99), 1),
        }
    roles = {}
    for role, *_ in people:
        roles[role] = roles.get(role, 0) + 1
    summary = {
        "users": {**roles, "author (API)": AUTHORS},
        "seconds": round(elapsed, 1),
        "think_seconds": think,
        "requests": results.count,
        "throughput_rps": round(results.count / elapsed, 1),
        "p50_ms": round(statistics.median(every), 1) if every else None,
        "p95_ms": round(percentile(every, 0.95), 1) if every else None,
        "p99_ms": round(percentile(every, 0.99), 1) if every else None,
        "errors": sum(results.errors.values()),
        "errors_by_kind": dict(results.errors),
        "load_average_before": [round(x, 2) for x in load[0]],
        "load_average_after": [round(x, 2) for x in load[1]],
        "cpus": os.cpu_count(),
    }
    width = max(len(label) for label in rows) if rows else 10
    for label, row in rows.items():
        print(
            f"{label:<{width}}  {row['requests']:>6}  p50 {row['p50_ms']:7.1f} ms  "
            f"p95 {row['p95_ms']:7.1f} ms  p99 {row['p99_ms']:7.1f} ms"
        )
    return {"summary": summary, "pages": rows}
