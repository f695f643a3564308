"""`manage.py health`: the readiness checks of `/readyz`, for containers that serve no HTTP.

    python manage.py health                      # database, migrations, broker, cache
    python manage.py health --beat-within 900    # and beat queued a periodic task lately

Prints one JSON object and exits 1 when a check fails, so it can be a container health check
of the Celery worker and beat.
"""

import json
from datetime import timedelta

from django.core.management.base import BaseCommand
from django.utils import timezone

from journal.health import readiness


class Command(BaseCommand):
    help = "Check the database, migrations, broker and cache (and beat); exit 1 on failure."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--beat-within",
            type=int,
            default=None,
            metavar="SECONDS",
            help="also fail unless beat queued a periodic task in the last SECONDS",
        )

    def handle(self, *args, beat_within: int | None, **options) -> None:
        ok, answers = readiness()
        if beat_within is not None and answers.get("database") == "ok":
            answers["beat"] = _beat_answer(seconds=beat_within)
            ok = ok and answers["beat"] == "ok"
        self.stdout.write(json.dumps({"status": "ok" if ok else "unavailable", "checks": answers}))
        if not ok:
            raise SystemExit(1)


def _beat_answer(*, seconds: int) -> str:
    from django_celery_beat.models import PeriodicTask

    latest = (
        PeriodicTask.objects.filter(enabled=True, last_run_at__isnull=False)
        .order_by("-last_run_at")
        .values_list("last_run_at", flat=True)
        .first()
    )
    if latest is None:
        return "failed: no periodic task queued yet"
    if latest < timezone.now() - timedelta(seconds=seconds):
        return f"failed: nothing queued since {latest.isoformat()}"
    return "ok"
