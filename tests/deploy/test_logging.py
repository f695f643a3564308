"""Structured logs: one JSON object a line, with the request id carried into Celery tasks."""

import json
import logging
import time
import uuid

import pytest

from journal.logs import JsonFormatter, logging_config
from reviews.models import AffinityRun, JobStatus
from tests.api.support import client_for
from tests.deploy import stack
from tests.deploy.conftest import worker_env
from tests.reviews.assignment.venue import small_venue


def json_lines(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines() if line.startswith("{")]


def test_log_record_is_one_json_object_with_its_request_id():
    config = logging_config(level="INFO", json=True)
    assert config["handlers"]["console"]["formatter"] == "json"
    record = logging.LogRecord("journal.x", logging.WARNING, __file__, 1, "Paper %s", (7,), None)
    record.request_id = "5f0c1e0b8f6d4c1e9a3b2d7e6f5a4c3b"
    line = json.loads(JsonFormatter().format(record))
    assert line["message"] == "Paper 7"
    assert line["level"] == "WARNING"
    assert line["logger"] == "journal.x"
    assert line["request_id"] == record.request_id
    assert "time" in line


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_request_id_reaches_the_task_the_request_queued(broker_url, queued_tasks, tmp_path):
    small = small_venue(paper_topics=["graphs", "bandits"], reviewer_topics=["graphs", "bandits"])
    request_id = uuid.uuid4().hex
    env = worker_env(tmp_path, broker_url)
    with stack.celery_worker(env, log=tmp_path / "worker.log") as worker:
        response = client_for(small.chief).post(
            "/api/v1/affinity-runs/",
            {"venue": small.venue.slug},
            format="json",
            headers={"Correlation-ID": request_id},
        )
        assert response.status_code == 202, response.content
        assert response["Correlation-ID"] == request_id
        run = AffinityRun.objects.get(pk=response.json()["id"])
        deadline = time.monotonic() + 60
        while run.status not in {JobStatus.DONE, JobStatus.FAILED}:
            assert time.monotonic() < deadline, worker.output()
            time.sleep(0.2)
            run.refresh_from_db()
        time.sleep(0.5)  # the success line follows the result
        lines = json_lines(worker.output())
    assert run.status == JobStatus.DONE
    task = "reviews.tasks.affinity_compute_task"
    mine = [line for line in lines if line.get("request_id") == request_id]
    events = {line.get("event"): line for line in mine}
    assert events["task.started"]["task"] == task
    assert events["task.succeeded"]["task"] == task
    assert events["task.succeeded"]["task_id"] == events["task.started"]["task_id"]
    assert events["task.succeeded"]["duration_ms"] >= 0
    assert all(line["level"] in {"INFO", "WARNING", "ERROR"} for line in lines)
