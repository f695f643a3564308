"""`make bench-load`: 20 staff and reviewers and 5 submitting authors against gunicorn.

    python -m tests.servers python -m tests.load [--seconds 180] [--max-requests 200000]

Seeds a 10,000-paper conference with 30,000 reviews on the PostgreSQL that `tests.servers`
started, collects the static files and starts gunicorn (production settings, the image's
command) and one Celery worker on its Redis, on 127.0.0.1 only. Then, for `--seconds` (and at
most `--max-requests` requests), 1 program chair, 4 area chairs and 15 reviewers load their
pages and API lists in a closed loop (with no pause, or `--think` seconds on average between
a person's requests, as people reading pages), while 5 authors create papers with a PDF
through the API and submit them. It reports throughput, the 50th/95th/99th latency
percentiles, every error, the machine's load average, and checks that every submission
answered 2xx is stored exactly once (and no other). Exits 1 on any error or loss.
"""

import argparse
import os
import sys
from pathlib import Path

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "journal.settings")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=180)
    parser.add_argument("--max-requests", type=int, default=200_000)
    parser.add_argument("--papers", type=int, default=10_000)
    parser.add_argument("--reviewers", type=int, default=15_000)
    parser.add_argument("--reviews", type=int, default=30_000)
    parser.add_argument(
        "--think",
        type=float,
        default=0.0,
        help="each user's mean pause between requests, in seconds (0: a closed loop, no pause)",
    )
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args(argv)
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        raise SystemExit("Run through `make bench-load` (it starts PostgreSQL and Redis).")
    if args.seconds > 600 or args.max_requests > 1_000_000:
        raise SystemExit("The load is bounded: at most 600 s and 1,000,000 requests.")
    # Sessions made here must be valid in gunicorn: the same key signs them.
    from tests.deploy.stack import SECRET_KEY

    os.environ["SECRET_KEY"] = SECRET_KEY
    # Seed without queuing sentence embeddings of 10,000 papers for the worker: the load is
    # the people's. The site and the worker keep their default (embeddings on).
    os.environ["AFFINITY_EMBEDDING_MODEL"] = ""
    django.setup()
    from tests.load.run import run

    return run(args)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
