"""One error body everywhere, throttling, and the schema and docs endpoints."""

import json

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.test import RequestFactory

from journal.api.errors import server_error
from journal.models import Submission, Webhook
from journal.services.webhooks import webhook_create
from reviews.services.publications import publication_add
from tests.api.support import client_for, paper
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


# Integer query filters: out-of-range or fractional values answer 400, never reach PostgreSQL.

ID_FILTERS = [
    "/api/v1/audit-events/?submission={}",
    "/api/v1/emails/?submission={}",
    "/api/v1/decisions/?submission={}",
    "/api/v1/webhook-deliveries/?webhook={}",
    "/api/v1/webhooks/{webhook}/deliveries/?webhook={}",
]
ID_MESSAGE = "Enter a whole number from 1 to 9223372036854775807."


@pytest.mark.parametrize("url", ID_FILTERS)
@pytest.mark.parametrize(
    "value", ["99999999999999999999", "9223372036854775808", "0", "1.5", "1e3", "seven"]
)
def test_integer_overflow_in_submission_filter_is_400(world, url, value):
    webhook = webhook_create(
        venue=world.venue,
        actor=world.chief,
        url="https://hooks.example.org/peerless",
        events=["submission.state_changed"],
    )
    response = client_for(world.chief).get(url.format(value, webhook=webhook.pk))
    assert response.status_code == 400, response.content
    name = "webhook" if "webhook=" in url else "submission"
    assert response.json() == {
        "detail": "Some fields are not valid; see `errors`.",
        "errors": {name: [ID_MESSAGE]},
    }


def test_submission_filter_still_selects_the_paper(world):
    client = client_for(world.chief)
    paper(world.venue, world.author, title="Another paper")
    everything = client.get("/api/v1/audit-events/?page_size=200").json()["results"]
    assert len({row["submission"] for row in everything}) > 1
    response = client.get(f"/api/v1/audit-events/?submission={world.submission.pk}")
    assert response.status_code == 200
    rows = response.json()["results"]
    assert rows and {row["submission"] for row in rows} == {world.submission.pk}


def test_year_filter_out_of_range_is_400(world):
    client = client_for(world.chief)
    publication_add(user=world.chief, title="Earlier work", year=2020)
    assert client.get("/api/v1/publications/?year=2020").json()["count"] == 1
    response = client.get("/api/v1/publications/?year=99999999999999999999")
    assert response.status_code == 400
    assert response.json()["errors"] == {"year": ["Enter a whole number from 1900 to 2100."]}


# Bodies nested too deep to parse safely answer 400 on every endpoint.


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/submissions/",
        "/api/v1/publications/import/",
        "/api/v1/me/bids/",
        "/api/v1/webhooks/",
        "/api/v1/decisions/bulk/",
    ],
)
@pytest.mark.parametrize(
    "body",
    ["[" * 100_000, '{"title": ' + "[" * 100_000, '{"title": ' + "[" * 40 + "]" * 40 + "}"],
    ids=["deep-array", "deep-field", "forty-levels"],
)
def test_deeply_nested_json_is_400(world, url, body):
    before = (Submission.objects.count(), Webhook.objects.count())
    response = client_for(world.chief).generic("POST", url, body, content_type="application/json")
    assert response.status_code == 400, response.content
    assert response.json() == {
        "detail": "JSON parse error - arrays and objects are nested more than 32 levels deep.",
        "errors": {},
    }
    assert (Submission.objects.count(), Webhook.objects.count()) == before


def test_json_nested_a_few_levels_is_still_read(world):
    body = '{"title": "Nested", "keywords": [["a"]]}'
    response = client_for(world.author).generic(
        "POST", "/api/v1/submissions/", body, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["errors"]["keywords.0"] == ["Not a valid string."]


# Errors Django raises around the API's views answer the same JSON body; pages stay HTML.


def test_unknown_api_path_is_json_404():
    response = client_for(UserFactory()).get("/api/v1/nope/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "detail": "There is no API endpoint at this address; "
        "the endpoints are listed at /api/v1/docs/.",
        "errors": {},
    }


def test_unknown_page_is_still_html_404(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
    assert "Not Found" in response.content.decode()


def test_request_too_large_is_json_413(world, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
    client = client_for(world.author)
    title = "x" * (1024 * 1024)
    json_body = client.post(
        "/api/v1/submissions/", {"venue": world.venue.slug, "title": title}, format="json"
    )
    form_body = client.post(
        "/api/v1/submissions/", {"venue": world.venue.slug, "title": title}, format="multipart"
    )
    for response in (json_body, form_body):
        assert response.status_code == 413
        assert response.json() == {
            "detail": "The request body is larger than 1 MB, the most this server accepts "
            "(files sent as multipart/form-data do not count towards it).",
            "errors": {},
        }
    assert not Submission.objects.filter(venue=world.venue).exclude(pk=world.submission.pk)


def test_file_too_large_is_json_400(world):
    world.venue.max_pdf_mb = 1
    world.venue.save(update_fields=["max_pdf_mb"])
    big = ContentFile(b"%PDF-1.4\n" + b"0" * (1024 * 1024 + 1), name="paper.pdf")
    response = client_for(world.author).post(
        "/api/v1/submissions/",
        {"venue": world.venue.slug, "title": "Big", "abstract": "A.", "hypothesis_claim": "H."}
        | {"pdf": big},
        format="multipart",
    )
    assert response.status_code == 400
    message = f"The PDF is 1.0 MB; {world.venue.name} accepts at most 1 MB."
    assert response.json() == {"detail": message, "errors": {"pdf": [message]}}
    assert not Submission.objects.filter(title="Big").exists()


def test_server_error_under_api_is_json_500():
    factory = RequestFactory()
    api = server_error(factory.get("/api/v1/submissions/"))
    assert api.status_code == 500
    assert json.loads(api.content) == {
        "detail": "Something went wrong on our side; it has been logged. Try again later.",
        "errors": {},
    }
    page = server_error(factory.get("/submissions/"))
    assert page.status_code == 500 and page["Content-Type"].startswith("text/html")


def test_unsupported_media_type_and_not_acceptable_bodies(world):
    client = client_for(world.author)
    unsupported = client.generic("POST", "/api/v1/submissions/", "x", content_type="text/plain")
    assert unsupported.status_code == 415
    assert unsupported.json() == {
        "detail": 'Unsupported media type "text/plain" in request.',
        "errors": {},
    }
    refused = client.get("/api/v1/submissions/", HTTP_ACCEPT="image/png")
    assert refused.status_code == 406
    assert refused.json() == {
        "detail": "Could not satisfy the request Accept header.",
        "errors": {},
    }
