"""The rows both seeds share: people with one password hash, roles, publications, forms.

Each helper creates only what is missing (matched on natural keys) and counts it in the
run's `SeedReport`.
"""

from collections import Counter
from collections.abc import Collection, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from typing import TextIO

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.db import connection
from django.utils import timezone

from journal.demo.people import PersonSpec
from journal.enums import SubmissionState
from journal.errors import DomainError
from journal.models import (
    User,
    VenueRole,
)
from reviews.models import Publication, ReviewForm
from reviews.services.forms import review_form_latest

S = SubmissionState
BATCH = 1000


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


def say(stdout: TextIO | None, message: str) -> None:
    if stdout is not None:
        stdout.write(message + "\n")


def chunks(items: Sequence, size: int) -> Iterator[Sequence]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


# --- Rows --------------------------------------------------------------------------


def ensure_users(
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


def ensure_roles(rows: list[VenueRole], *, report: SeedReport) -> None:
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


def publication_rows(user_id: int, specs) -> list[Publication]:
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


def unavailable(days: int | None):
    return timezone.localdate() + timedelta(days=days) if days else None




def review_form_of(slug: str) -> ReviewForm | None:
    """Return the newest version of the shipped form `slug`; None if it is not installed."""
    if not slug:
        return None
    try:
        return review_form_latest(slug=slug)
    except DomainError:
        return None


