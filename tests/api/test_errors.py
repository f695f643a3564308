"""One error body everywhere, throttling, and the schema and docs endpoints."""

import pytest
from django.core.management import call_command

from tests.api.support import client_for
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_validation_error_body_names_fields():
    response = client_for(UserFactory()).post("/api/v1/submissions/", {}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["detail"] == "Some fields are not valid; see `errors`."
    assert body["errors"]["title"] == ["This field is required."]


def test_malformed_json_is_a_400():
    response = client_for(UserFactory()).generic(
        "POST", "/api/v1/submissions/", "{not json", content_type="application/json"
    )
    assert response.status_code == 400
    assert "JSON parse error" in response.json()["detail"]


def test_unknown_object_is_a_404_body():
    response = client_for(UserFactory()).get("/api/v1/submissions/123456789/")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found.", "errors": {}}


def test_method_not_allowed_body():
    response = client_for(UserFactory()).delete("/api/v1/venues/")
    assert response.status_code == 405
    assert set(response.json()) == {"detail", "errors"}


def test_throttling_answers_429(settings):
    settings.PEERLESS_API_THROTTLE_RATES = {"anon": "2/minute", "user": "3/minute"}
    anon = client_for()
    assert [anon.get("/api/v1/venues/").status_code for _ in range(3)] == [200, 200, 429]
    user = client_for(UserFactory())
    codes = [user.get("/api/v1/me/").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    body = user.get("/api/v1/me/").json()
    assert "throttled" in body["detail"].lower() and body["errors"] == {}


def test_schema_validates(tmp_path):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "s.yml"))
    assert "openapi: 3" in (tmp_path / "s.yml").read_text()


def test_schema_and_docs_are_served_without_a_cdn(client):
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert schema.status_code == 200
    assert "/api/v1/submissions/" in schema.json()["paths"]
    docs = client.get("/api/v1/docs/")
    assert docs.status_code == 200
    page = docs.content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in page
    assert "cdn" not in page.lower() and "unpkg" not in page.lower()
    redoc = client.get("/api/v1/redoc/").content.decode()
    assert "/static/drf_spectacular_sidecar/redoc/" in redoc
