"""The served process freezes what it loaded before forking its workers."""

import gc
import runpy

from django.urls import get_resolver

from tests.deploy.files import ROOT


def test_gunicorn_freezes_the_loaded_application_before_it_forks_the_workers():
    config = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    get_resolver().url_patterns  # loaded as in a preloaded master  # noqa: B018
    gc.unfreeze()
    try:
        config["when_ready"](None)  # gunicorn calls it once the application is loaded

        frozen, left = gc.get_freeze_count(), len(gc.get_objects(generation=2))
        # the apps, models, URL conf and settings a worker inherits: out of the collector's
        # reach, so a full collection walks next to nothing of them
        assert frozen > 50_000
        assert left < frozen / 100
    finally:
        gc.unfreeze()
