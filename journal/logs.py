"""Structured logging: one JSON object a line, each with the request id it belongs to.

The request id comes from django-guid: read from the `Correlation-ID` request header when it
is a valid UUID, else made up, returned in the response's `Correlation-ID` header, and passed
with every Celery task queued while handling the request, so a task's lines carry the id of
the request that queued it. gunicorn's access log uses the same format (`GunicornLogger`).
"""

import logging
import time

from celery import current_task, signals
from gunicorn.glogging import Logger
from pythonjsonlogger.json import JsonFormatter as _JsonFormatter

FIELDS = ["asctime", "levelname", "name", "message"]
RENAMED = {"asctime": "time", "levelname": "level", "name": "logger"}


class JsonFormatter(_JsonFormatter):
    """A log record as one JSON object: time, level, logger, message and the extra fields."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("fmt", FIELDS)
        kwargs.setdefault("rename_fields", RENAMED)
        kwargs.setdefault("datefmt", "%Y-%m-%dT%H:%M:%S%z")
        super().__init__(*args, **kwargs)


class TaskFilter(logging.Filter):
    """Add the running Celery task's name and id to records logged inside a task."""

    def filter(self, record: logging.LogRecord) -> bool:
        task = current_task
        request = getattr(task, "request", None) if task else None
        if request is not None and getattr(request, "id", None):
            record.task = task.name
            record.task_id = request.id
        return True


def logging_config(*, level: str, json: bool) -> dict:
    """Return the `LOGGING` setting: console output, JSON lines when `json`."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {
            "request_id": {
                "()": "django_guid.log_filters.CorrelationId",
                "correlation_id_field": "request_id",
            },
            "task": {"()": "journal.logs.TaskFilter"},
        },
        "formatters": {
            "json": {"()": "journal.logs.JsonFormatter"},
            "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        },
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "filters": ["request_id", "task"],
                "formatter": "json" if json else "text",
            }
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            # Its own bookkeeping ("Setting GUID ...") on every request and task is noise.
            "django_guid": {"level": "WARNING"},
            "journal": {"level": level},
            "reviews": {"level": level},
        },
    }


class GunicornLogger(Logger):
    """gunicorn's logger with its error and access lines as JSON, like the site's own.

    Each access line has the method, path, status, bytes, duration and the request id the
    site returned, so it can be joined with the lines the request and its tasks wrote.
    """

    def setup(self, cfg) -> None:
        super().setup(cfg)
        formatter = JsonFormatter()
        for log in (self.error_log, self.access_log):
            for handler in log.handlers:
                handler.setFormatter(formatter)

    def access(self, resp, req, environ, request_time) -> None:
        if not self.access_log_enabled:
            return
        status = resp.status.split(None, 1)[0] if isinstance(resp.status, str) else resp.status
        headers = dict((key.lower(), value) for key, value in (resp.headers or []))
        duration_ms = request_time.seconds * 1000 + request_time.microseconds / 1000
        self.access_log.info(
            "%s %s %s",
            environ.get("REQUEST_METHOD"),
            environ.get("PATH_INFO"),
            status,
            extra={
                "event": "http.request",
                "method": environ.get("REQUEST_METHOD"),
                "path": environ.get("PATH_INFO"),
                "query": environ.get("QUERY_STRING", ""),
                "status": int(status),
                "bytes": getattr(resp, "sent", None),
                "duration_ms": round(duration_ms, 1),
                "remote": environ.get("REMOTE_ADDR"),
                "user_agent": environ.get("HTTP_USER_AGENT", ""),
                "request_id": headers.get("correlation-id", ""),
            },
        )


task_logger = logging.getLogger("journal.tasks")
_started: dict[str, float] = {}


def _task_started(sender=None, task_id=None, task=None, **kwargs) -> None:
    _started[task_id] = time.monotonic()
    task_logger.info("Task %s started", task.name, extra={"event": "task.started"})


def _task_ended(sender, *, outcome: str, **kwargs) -> None:
    request = getattr(sender, "request", None)
    started = _started.pop(getattr(request, "id", None), None)
    extra = {"event": f"task.{outcome}"}
    if started is not None:
        extra["duration_ms"] = round((time.monotonic() - started) * 1000, 1)
    level = logging.INFO if outcome == "succeeded" else logging.WARNING
    task_logger.log(level, "Task %s %s", sender.name, outcome, extra=extra)


def _task_succeeded(sender=None, **kwargs) -> None:
    _task_ended(sender, outcome="succeeded")


def _task_failed(sender=None, **kwargs) -> None:
    _task_ended(sender, outcome="failed")


def _task_retried(sender=None, **kwargs) -> None:
    _task_ended(sender, outcome="retried")


def connect_task_logs() -> None:
    """Log each task's start and end (with its duration), after django-guid set the id."""
    signals.task_prerun.connect(_task_started, weak=False)
    signals.task_success.connect(_task_succeeded, weak=False)
    signals.task_failure.connect(_task_failed, weak=False)
    signals.task_retry.connect(_task_retried, weak=False)
