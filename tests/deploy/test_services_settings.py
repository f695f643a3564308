"""Optional services read from the environment: S3 media storage and Sentry error reports."""

import json

from tests.journal.test_settings import run

STORAGE_PROBE = (
    "import json, django; from django.conf import settings; django.setup(); "
    "from django.core.files.storage import default_storage as s; "
    "print(json.dumps({'backend': settings.STORAGES['default']['BACKEND'], "
    "'class': type(s._wrapped if hasattr(s, '_wrapped') else s).__name__, "
    "'options': settings.STORAGES['default'].get('OPTIONS', {})}))"
)
SENTRY_PROBE = (
    "import json, sys, django; from django.conf import settings; django.setup(); "
    "loaded = 'sentry_sdk' in sys.modules; client = None\n"
    "if loaded:\n"
    "    import sentry_sdk; client = sentry_sdk.get_client()\n"
    "print(json.dumps({'loaded': loaded, "
    "'active': bool(client and client.is_active()), "
    "'pii': bool(client and client.options['send_default_pii']), "
    "'integrations': sorted(client.integrations) if client else []}))"
)


def probe(code: str, **env: str) -> dict:
    result = run(code, **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_media_on_local_disk_by_default():
    found = probe(STORAGE_PROBE)
    assert found["backend"] == "django.core.files.storage.FileSystemStorage"


def test_media_in_s3_bucket_when_configured_private_by_default():
    found = probe(
        STORAGE_PROBE + "; from storages.backends.s3 import S3Storage; "
        "st = S3Storage(**settings.STORAGES['default']['OPTIONS']); "
        "print(json.dumps({'acl': st.default_acl, 'signed': st.querystring_auth, "
        "'overwrite': st.file_overwrite, 'url': st.url('submissions/1/2/v1-paper.pdf')}))",
        MEDIA_S3_BUCKET="peerless-media",
        MEDIA_S3_ENDPOINT_URL="https://s3.example.org",
        MEDIA_S3_REGION="eu-west-1",
        AWS_ACCESS_KEY_ID="AKIAEXAMPLE",
        AWS_SECRET_ACCESS_KEY="secret-example",
    )
    assert found["acl"] == "private"
    assert found["signed"] is True
    assert found["overwrite"] is False
    url = found["url"]
    assert url.startswith("https://s3.example.org/peerless-media/media/submissions/1/2/")
    assert "X-Amz-Signature=" in url and "X-Amz-Expires=300" in url


def test_media_s3_settings_keep_objects_private():
    found = probe(STORAGE_PROBE, MEDIA_S3_BUCKET="peerless-media")
    assert found["backend"] == "storages.backends.s3.S3Storage"
    options = found["options"]
    assert options["default_acl"] == "private"
    assert options["querystring_auth"] is True
    assert options["file_overwrite"] is False
    assert options["location"] == "media"
    assert options["object_parameters"] == {"CacheControl": "private, no-store"}


def test_sentry_not_loaded_without_a_dsn():
    assert probe(SENTRY_PROBE) == {
        "loaded": False,
        "active": False,
        "pii": False,
        "integrations": [],
    }


def test_sentry_reports_with_django_and_celery_when_a_dsn_is_set():
    found = probe(SENTRY_PROBE, SENTRY_DSN="https://key@o0.ingest.sentry.invalid/1")
    assert found["loaded"] is True
    assert found["active"] is True
    assert found["pii"] is False  # authors' and reviewers' identities stay out of reports
    assert {"django", "celery"} <= set(found["integrations"])
