"""Faults of a running stack: Redis stopping, a worker killed mid-job, a task delivered twice.

Each runs the real processes (gunicorn, Celery workers, Redis) as the containers would, on the
test database, and checks that nothing is lost or done twice.
"""

import json
import os
import signal
import subprocess
import time
from pathlib import Path

import httpx
import pytest

from journal.demo.seed_synthetic import seed_synthetic
from journal.demo.workflow import pdf_file
from journal.enums import EmailStatus, RoleKind, SubmissionState
from journal.models import AuditEvent, OutboundEmail, Submission, Venue
from reviews.models import AssignmentRun, ProposedAssignment, RunStatus
from reviews.services.affinity import affinities_compute
from reviews.services.matching import assignment_run_create
from reviews.tasks import assignment_run_task
from tests.api.support import token_for
from tests.deploy import stack
from tests.deploy.conftest import tasks_queued, worker_env
from tests.factories import UserFactory, VenueFactory

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]
SITE = {"Host": stack.HOST, "X-Forwarded-Proto": "https"}
FINISHED = {RunStatus.PROPOSED, RunStatus.FAILED}
FLUSH, NOW = "journal.tasks.email_flush_queue", '{"older_than_seconds": 0}'


def wait_until(check, *, seconds: float, what: str, every: float = 0.1):
    deadline = time.monotonic() + seconds
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"Timed out waiting for {what}.")
        time.sleep(every)


def sent_messages(folder: Path) -> list[str]:
    """Messages the file e-mail backend wrote (one file per connection, messages joined)."""
    if not folder.exists():
        return []
    text = "".join(path.read_text() for path in sorted(folder.iterdir()))
    return [part for part in text.split("-" * 79) if "Subject:" in part]


def test_redis_stopped_during_a_submission_stores_it_and_mails_after_redis_returns(
    collected_static, tmp_path
):
    venue = VenueFactory()
    author = UserFactory()
    token = token_for(author)
    redis = stack.RedisServer(tmp_path / "redis")
    redis.start()
    mail_dir = tmp_path / "mail"
    env = stack.production_env(
        static_root=collected_static,
        media_root=tmp_path / "media",
        broker_url=redis.url(0),
        cache_url=redis.url(1),
        EMAIL_URL=f"filemail:///{mail_dir}",  # an absolute path after the third slash
    )
    api = {**SITE, "Authorization": f"Bearer {token}"}
    try:
        with stack.gunicorn(env, log=tmp_path / "gunicorn.log") as web:
            draft = httpx.post(
                f"{web.url}/api/v1/submissions/",
                headers=api,
                data={
                    "venue": venue.slug,
                    "title": "Stored while Redis was down",
                    "abstract": "A.",
                    "hypothesis_claim": "H.",
                },
                files={"pdf": ("paper.pdf", pdf_file(pages=2).read(), "application/pdf")},
                timeout=60,
            )
            assert draft.status_code == 201, draft.text
            redis.stop()
            started = time.monotonic()
            submitted = httpx.post(
                f"{web.url}/api/v1/submissions/{draft.json()['id']}/submit/",
                headers=api,
                timeout=60,
            )
            seconds = time.monotonic() - started
            print(f"figure: submitted with Redis stopped in {seconds:.2f} s")
            ready = httpx.get(f"{web.url}/readyz")
        assert submitted.status_code == 200, submitted.text
        assert seconds < 15, f"the submission waited {seconds:.1f} s for Redis"
        assert ready.status_code == 503 and ready.json()["checks"]["broker"].startswith("failed")

        stored = Submission.objects.filter(title="Stored while Redis was down")
        assert stored.count() == 1
        assert stored.get().state == SubmissionState.SUBMITTED
        queued = OutboundEmail.objects.filter(submission=stored.get())
        assert queued.exists()
        assert set(queued.values_list("status", flat=True)) == {EmailStatus.QUEUED}
        assert sent_messages(mail_dir) == []

        redis.start()  # back, empty: what was queued during the outage never reached it
        with stack.celery_worker(
            {**env, "CACHE_URL": redis.url(1)}, log=tmp_path / "worker.log"
        ) as worker:
            # What beat does every 5 minutes, at once (and for messages of any age).
            flushed = time.monotonic()
            subprocess.run(
                stack.command(["celery", "-A", "journal", "call", FLUSH, "--kwargs", NOW]),
                cwd=stack.ROOT,
                env=env,
                check=True,
                capture_output=True,
                timeout=120,
            )
            wait_until(
                lambda: not queued.filter(status=EmailStatus.QUEUED).exists(),
                seconds=60,
                what=f"the queued e-mails to go out:\n{worker.output()}",
            )
            print(f"figure: e-mails sent {time.monotonic() - flushed:.1f} s after the flush began")
        assert set(queued.values_list("status", flat=True)) == {EmailStatus.SENT}
        messages = sent_messages(mail_dir)
        assert len(messages) == queued.count()
        assert any(author.email in message for message in messages)
    finally:
        redis.stop()


def finished(worker: stack.Process, task: str) -> set[str]:
    """Ids of the deliveries of `task` the worker finished (its JSON log lines)."""
    lines = [json.loads(line) for line in worker.output().splitlines() if line.startswith("{")]
    return {
        line["task_id"]
        for line in lines
        if line.get("task") == task and line.get("event") == "task.succeeded"
    }


@pytest.fixture(autouse=True)
def _tfidf_only(settings):
    """Text affinity without sentence embeddings: these tests are about the processes."""
    settings.AFFINITY_EMBEDDING_MODEL = ""


def _venue_to_match(slug: str, *, papers: int, reviewers: int) -> Venue:
    seed_synthetic(slug=slug, papers=papers, reviewers=reviewers)
    venue = Venue.objects.get(slug=slug)
    affinities_compute(venue=venue)
    return venue


def _proposal(run: AssignmentRun) -> set[tuple[int, int, float]]:
    return set(
        ProposedAssignment.objects.filter(run=run).values_list(
            "submission_id", "reviewer_id", "affinity"
        )
    )


def test_worker_killed_during_a_matching_run_resumes_it_and_a_retry_succeeds(
    broker_url, tmp_path
):
    venue = _venue_to_match("killed-worker", papers=600, reviewers=900)
    chief = venue.roles.filter(role=RoleKind.CHIEF).first().user
    previous = assignment_run_create(venue=venue, actor=chief)  # run here, at once
    previous.refresh_from_db()
    assert previous.status == RunStatus.PROPOSED, previous.message
    kept = _proposal(previous)

    env = worker_env(tmp_path, broker_url, AFFINITY_EMBEDDING_MODEL="")
    with tasks_queued(), stack.celery_worker(env, log=tmp_path / "worker.log") as worker:
        run = assignment_run_create(venue=venue, actor=chief)
        running = wait_until(
            lambda: AssignmentRun.objects.filter(pk=run.pk, status=RunStatus.RUNNING).first(),
            seconds=60,
            every=0.005,
            what=f"the run to start:\n{worker.output()[-3000:]}",
        )
        (pool_process,) = stack.children(worker.proc.pid)
        os.kill(pool_process, signal.SIGKILL)
        killed = time.monotonic()
        run = wait_until(
            lambda: AssignmentRun.objects.filter(pk=run.pk, status__in=FINISHED).first(),
            seconds=120,
            what=f"the run to finish:\n{worker.output()}",
        )
        print(f"figure: pool process killed, run proposed {time.monotonic() - killed:.1f} s later")
        assert run.status == RunStatus.PROPOSED, run.message
        assert run.started_at > running.started_at  # it ran again after the kill
        assert "SIGKILL" in worker.output()

        retry = assignment_run_create(venue=venue, actor=chief)
        retry = wait_until(
            lambda: AssignmentRun.objects.filter(pk=retry.pk, status__in=FINISHED).first(),
            seconds=120,
            what="the retry to finish",
        )
    assert retry.status == RunStatus.PROPOSED, retry.message
    assert _proposal(previous) == kept  # the earlier proposal untouched
    assert ProposedAssignment.objects.filter(run=run).count() == run.n_pairs == len(_proposal(run))
    assert _proposal(retry) == _proposal(run)


def test_tasks_delivered_twice_have_their_effect_once(broker_url, tmp_path):
    from journal.tasks import email_send

    venue = _venue_to_match("twice", papers=300, reviewers=450)
    chief = venue.roles.filter(role=RoleKind.CHIEF).first().user
    mail_dir = tmp_path / "mail"
    env = worker_env(
        tmp_path,
        broker_url,
        AFFINITY_EMBEDDING_MODEL="",
        EMAIL_URL=f"filemail:///{mail_dir}",  # an absolute path after the third slash
    )
    with (
        tasks_queued(),
        stack.celery_worker(env, log=tmp_path / "worker.log", concurrency=2) as worker,
    ):
        run = assignment_run_create(venue=venue, actor=chief)  # queued once on commit
        assignment_run_task.delay(run.pk)  # and delivered a second time
        email = OutboundEmail.objects.create(
            to="ada@uni.example.edu", subject="Your review is due", body="Please.", template="x"
        )
        email_send.delay(email.pk)
        email_send.delay(email.pk)
        run = wait_until(
            lambda: AssignmentRun.objects.filter(pk=run.pk, status__in=FINISHED).first(),
            seconds=120,
            what=f"the run to finish:\n{worker.output()}",
        )
        wait_until(
            lambda: OutboundEmail.objects.filter(pk=email.pk, status=EmailStatus.SENT).exists(),
            seconds=60,
            what="the e-mail",
        )
        wait_until(
            lambda: len(finished(worker, "reviews.tasks.assignment_run_task")) == 2
            and len(finished(worker, "journal.tasks.email_send")) == 2,
            seconds=60,
            what=f"both deliveries of each task:\n{worker.output()}",
        )
    assert run.status == RunStatus.PROPOSED, run.message
    assert ProposedAssignment.objects.filter(run=run).count() == run.n_pairs
    proposed = AuditEvent.objects.filter(action="matching.proposed", data__run=run.pk)
    assert proposed.count() == 1
    messages = [m for m in sent_messages(mail_dir) if "Your review is due" in m]
    assert len(messages) == 1
    email.refresh_from_db()
    assert email.attempts == 1


def test_whole_worker_killed_its_run_is_delivered_again_to_the_next_worker(broker_url, tmp_path):
    venue = _venue_to_match("killed-container", papers=600, reviewers=900)
    chief = venue.roles.filter(role=RoleKind.CHIEF).first().user
    # A killed container leaves its task unacknowledged; after the visibility timeout the
    # next worker to start takes it again.
    env = worker_env(
        tmp_path, broker_url, AFFINITY_EMBEDDING_MODEL="", CELERY_VISIBILITY_TIMEOUT="5"
    )
    with tasks_queued():
        with stack.celery_worker(env, log=tmp_path / "first.log") as first:
            run = assignment_run_create(venue=venue, actor=chief)
            running = wait_until(
                lambda: AssignmentRun.objects.filter(pk=run.pk, status=RunStatus.RUNNING).first(),
                seconds=60,
                every=0.005,
                what=f"the run to start:\n{first.output()[-3000:]}",
            )
            for pid in [first.proc.pid, *stack.children(first.proc.pid)]:
                os.kill(pid, signal.SIGKILL)
            first.proc.wait(timeout=10)
            killed = time.monotonic()
        assert AssignmentRun.objects.get(pk=run.pk).status == RunStatus.RUNNING
        time.sleep(6)  # the visibility timeout passes while no worker runs
        with stack.celery_worker(env, log=tmp_path / "second.log") as second:
            run = wait_until(
                lambda: AssignmentRun.objects.filter(pk=run.pk, status__in=FINISHED).first(),
                seconds=120,
                what=f"the run to finish:\n{second.output()}",
            )
    print(f"figure: worker killed, run proposed {time.monotonic() - killed:.1f} s later")
    assert run.status == RunStatus.PROPOSED, run.message
    assert run.started_at > running.started_at
    assert ProposedAssignment.objects.filter(run=run).count() == run.n_pairs == len(_proposal(run))
