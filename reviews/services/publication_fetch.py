"""Fetch a person's publications from ORCID, DBLP or Semantic Scholar, as a background job.

`publication_fetch_start` records the request and queues the task once it commits (asking
again while one runs returns that one); `publication_fetch_run` (the task's body, safe to
run twice) fetches, reads the answer with the same readers as an uploaded file, and stores
the publications and the job's outcome in one transaction, so a failure leaves the list as
it was and the job saying why.
"""

from __future__ import annotations

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from journal.errors import DomainError
from journal.limits import (
    PUBLICATION_FETCH_MAX_BYTES,
    PUBLICATION_FETCH_TIMEOUT_SECONDS,
    PUBLICATION_IMPORT_MAX_RECORDS,
)
from journal.models import User
from reviews.enums import FetchService
from reviews.importers import ImportFormatError, parse
from reviews.importers.fetch import FetchError, clean_identifier, fetch_publications
from reviews.models import JobStatus, PublicationFetch
from reviews.services.publications import publications_store


def publication_fetch_start(*, user: User, service: str, identifier: str) -> PublicationFetch:
    """Queue a fetch of `user`'s publications at `service`; return it (or the running one)."""
    if service not in FetchService.values:
        raise DomainError("Choose ORCID, DBLP or Semantic Scholar.", field="service")
    try:
        cleaned = clean_identifier(service, identifier)
    except FetchError as exc:
        raise DomainError(exc.message, field="identifier") from None
    running = PublicationFetch.objects.filter(
        user=user, service=service, status__in=JobStatus.ACTIVE
    ).first()
    if running is not None:
        return running
    try:
        with transaction.atomic():
            fetch = PublicationFetch.objects.create(
                user=user, service=service, identifier=cleaned
            )
    except IntegrityError:  # the same request, submitted twice at once
        return PublicationFetch.objects.get(
            user=user, service=service, status__in=JobStatus.ACTIVE
        )
    from reviews.tasks import publication_fetch_task

    transaction.on_commit(lambda: publication_fetch_task.delay(fetch.pk))
    return fetch


def _finish(fetch: PublicationFetch, *, status: str, message: str, **counts: int) -> None:
    fetch.status = status
    fetch.message = message
    fetch.progress = 100
    fetch.finished_at = timezone.now()
    for name, value in counts.items():
        setattr(fetch, name, value)
    fetch.save(
        update_fields=["status", "message", "progress", "finished_at", *counts]
    )


def publication_fetch_run(*, fetch_id: int) -> str:
    """Run the fetch `fetch_id` unless it already finished; return its status."""
    with transaction.atomic():
        fetch = (
            PublicationFetch.objects.select_for_update()
            .select_related("user")
            .filter(pk=fetch_id)
            .first()
        )
        if fetch is None or fetch.status not in JobStatus.ACTIVE:
            return fetch.status if fetch else "missing"
        fetch.status = JobStatus.RUNNING
        fetch.started_at = timezone.now()
        fetch.progress = 10
        fetch.message = "Asking the service…"
        fetch.save(update_fields=["status", "started_at", "progress", "message"])
    try:
        answer = fetch_publications(
            service=fetch.service,
            identifier=fetch.identifier,
            base_url=settings.PEERLESS_PUBLICATION_FETCH_URLS[fetch.service],
            timeout=PUBLICATION_FETCH_TIMEOUT_SECONDS,
            max_bytes=PUBLICATION_FETCH_MAX_BYTES,
            max_records=PUBLICATION_IMPORT_MAX_RECORDS,
        )
        pages = answer.content if isinstance(answer.content, list) else [answer.content]
        works, problems, seen = [], [], set()
        for page in pages:
            parsed = parse(page, fmt=answer.fmt)
            for work in parsed.works:
                # ORCID's full works and their summaries both come: each work once.
                code = work.source_ids.get("orcid_put_code")
                if code is None or code not in seen:
                    works.append(work)
                seen.add(code)
            problems.extend(parsed.problems)
    except (FetchError, ImportFormatError) as exc:
        with transaction.atomic():
            _finish(fetch, status=JobStatus.FAILED, message=exc.message)
        return JobStatus.FAILED
    works = works[:PUBLICATION_IMPORT_MAX_RECORDS]
    with transaction.atomic():
        locked = PublicationFetch.objects.select_for_update().get(pk=fetch.pk)
        if locked.status != JobStatus.RUNNING:
            return locked.status
        result = publications_store(user=fetch.user, works=works, source=answer.fmt)
        _finish(
            locked,
            status=JobStatus.DONE,
            message=result.summary(),
            added=result.created,
            updated=result.updated,
            duplicates=result.duplicates,
            skipped=len(problems),
        )
    return JobStatus.DONE
