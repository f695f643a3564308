"""Uploads in an S3-compatible bucket (MEDIA_S3_BUCKET): private objects, served by the site.

The bucket is moto's in-process stand-in for S3; the storage options are those the settings
use when MEDIA_S3_BUCKET is set (tests/deploy/test_services_settings.py checks them there).
"""

import boto3
import pytest
from moto import mock_aws

from journal.demo.workflow import pdf_file
from journal.models import SubmissionVersion
from journal.services.submissions import submission_create
from journal.services.versions import version_upload
from tests.factories import UserFactory, VenueFactory
from tests.journal.test_versions import download, file_url

pytestmark = pytest.mark.django_db
BUCKET = "peerless-media"
ALL_USERS = "http://acs.amazonaws.com/groups/global/AllUsers"


@pytest.fixture
def bucket(settings, monkeypatch):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    with mock_aws():
        s3 = boto3.client("s3", region_name="us-east-1")
        s3.create_bucket(Bucket=BUCKET)
        settings.STORAGES = {
            **settings.STORAGES,
            "default": {
                "BACKEND": "storages.backends.s3.S3Storage",
                "OPTIONS": {
                    "bucket_name": BUCKET,
                    "region_name": "us-east-1",
                    "location": "media",
                    "default_acl": "private",
                    "querystring_auth": True,
                    "querystring_expire": 300,
                    "signature_version": "s3v4",
                    "file_overwrite": False,
                    "object_parameters": {"CacheControl": "private, no-store"},
                },
            },
        }
        yield s3


def test_s3_upload_is_a_private_object_served_only_through_the_checked_view(bucket, client):
    author, stranger = UserFactory(), UserFactory()
    submission = submission_create(
        venue=VenueFactory(), creator=author, title="T", abstract="A", hypothesis_claim="H"
    )
    upload = pdf_file(pages=2)
    data = upload.read()
    upload.seek(0)
    version = version_upload(submission=submission, actor=author, pdf=upload)
    version = SubmissionVersion.objects.get(pk=version.pk)

    key = f"media/{version.pdf.name}"
    stored = bucket.get_object(Bucket=BUCKET, Key=key)
    assert stored["Body"].read() == data
    assert stored["CacheControl"] == "private, no-store"
    grants = bucket.get_object_acl(Bucket=BUCKET, Key=key)["Grants"]
    assert [g["Permission"] for g in grants] == ["FULL_CONTROL"]  # the owner only
    assert not any(g["Grantee"].get("URI") == ALL_USERS for g in grants)

    url = file_url(submission, version.number)
    client.force_login(stranger)
    refused = client.get(url)
    assert refused.status_code == 404
    assert "<h1>Not Found</h1>" in refused.content.decode()
    assert data not in refused.content
    client.force_login(author)
    response = client.get(url)
    assert response["Cache-Control"] == "private, no-store"
    assert "Location" not in response  # never a redirect to the bucket
    assert download(client, url) == data
