"""gunicorn settings for the site: `gunicorn -c gunicorn.conf.py journal.wsgi`.

Every value can be changed from the environment: PORT (or GUNICORN_BIND), WEB_CONCURRENCY
(worker processes; default two per CPU plus one), WEB_THREADS (threads per worker),
WEB_TIMEOUT (seconds a request may take before its worker is restarted) and LOG_LEVEL.
The application is loaded once in the master before the workers fork, so a site that cannot
start (no static files manifest, bad settings) stops gunicorn with the reason instead of
answering 500s.
"""

import os


def _cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


bind = os.environ.get("GUNICORN_BIND") or f"0.0.0.0:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY") or 2 * _cpus() + 1)
worker_class = "gthread"
threads = int(os.environ.get("WEB_THREADS", "2"))
timeout = int(os.environ.get("WEB_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
# A worker is replaced after this many requests, so a slow leak never grows without bound.
max_requests = 2000
max_requests_jitter = 200
preload_app = True
# Heartbeat files in memory: a container's disk may be slow or read-only.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
control_socket_disable = True

# Behind the compose stack's proxy: trust its X-Forwarded-* headers (Django reads
# X-Forwarded-Proto itself through SECURE_PROXY_SSL_HEADER).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# One JSON object a line on standard output, access lines with the request id.
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
logger_class = "journal.logs.GunicornLogger"


def when_ready(server) -> None:
    """The application is loaded (preload_app) and no worker is forked yet: freeze what it
    loaded, so the workers' full garbage collections skip it."""
    from journal.memory import heap_settle  # the application's folder is on the path by now

    heap_settle()
