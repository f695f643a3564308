"""Checks that stop the site at start-up, loudly, instead of answering 500 on every page."""

from django.conf import settings
from django.contrib.staticfiles.storage import ManifestFilesMixin, staticfiles_storage
from django.core import checks
from django.core.exceptions import ImproperlyConfigured

MISSING_MANIFEST = (
    "The static files manifest {path} is missing, so every page would fail. Run "
    "`python manage.py collectstatic --noinput` (with the same settings) before starting the site."
)


def static_manifest_problem() -> str | None:
    """Return why the static files cannot be served, or None when they can."""
    storage = staticfiles_storage
    if not isinstance(storage, ManifestFilesMixin):
        return None
    if storage.manifest_storage.exists(storage.manifest_name):
        return None
    return MISSING_MANIFEST.format(path=f"{settings.STATIC_ROOT}/{storage.manifest_name}")


def require_static_manifest() -> None:
    """Raise ImproperlyConfigured when the static files manifest the site needs is missing."""
    problem = static_manifest_problem()
    if problem:
        raise ImproperlyConfigured(problem)


@checks.register(deploy=True)
def check_static_manifest(app_configs, **kwargs) -> list[checks.CheckMessage]:
    """`manage.py check --deploy` reports a missing manifest as an error."""
    problem = static_manifest_problem()
    return [checks.Error(problem, id="peerless.E001")] if problem else []
