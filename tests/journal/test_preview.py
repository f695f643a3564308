"""The live preview of Markdown: the site's renderer behind login, CSRF, a size limit and a rate."""

import pytest
from django.test import Client
from django.urls import reverse

from journal.limits import TEXT_MAX_CHARS
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

URL = reverse("journal:markdown-preview")
API = "/api/v1/render/"


@pytest.fixture
def person(client):
    user = UserFactory()
    client.force_login(user)
    return user


def test_preview_renders_markdown_and_math_safely(client, person):
    response = client.post(URL, {"text": "**bold** $x_1$ <img src=x onerror=alert(1)>"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<strong>bold</strong>" in html and '<span class="math">$x_1$</span>' in html
    assert "<img" not in html and "&lt;img" in html


def test_preview_of_nothing_says_so(client, person):
    assert "Nothing yet." in client.post(URL, {"text": "   "}).content.decode()


def test_preview_needs_a_login(client):
    response = client.post(URL, {"text": "x"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_preview_needs_the_csrf_token(person):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(person)
    response = strict.post(URL, {"text": "**x**"})
    assert response.status_code == 403
    assert b"<strong>x</strong>" not in response.content


def test_preview_is_post_only(client, person):
    assert client.get(URL, {"text": "**x**"}).status_code == 405


def test_preview_refuses_overlong_text_with_the_limit_in_words(client, person):
    response = client.post(URL, {"text": "a" * (TEXT_MAX_CHARS + 1)})
    html = response.content.decode()
    assert response.status_code == 400
    assert f"{TEXT_MAX_CHARS + 1:,} characters" in html and f"at most {TEXT_MAX_CHARS:,}" in html


def test_preview_at_the_limit_is_rendered(client, person):
    assert client.post(URL, {"text": "a" * TEXT_MAX_CHARS}).status_code == 200


def test_preview_rate_is_limited_per_person(client, person, settings):
    settings.PEERLESS_API_THROTTLE_RATES = {
        **settings.PEERLESS_API_THROTTLE_RATES,
        "render": "3/minute",
    }
    codes = [client.post(URL, {"text": f"try {n}"}).status_code for n in range(4)]
    assert codes == [200, 200, 200, 429]
    refused = client.post(URL, {"text": "again"})
    assert "Too many previews" in refused.content.decode() and int(refused["Retry-After"]) >= 1
    other = Client()
    other.force_login(UserFactory())
    assert other.post(URL, {"text": "mine"}).status_code == 200


def test_api_render_answers_html_and_plain_text(client, person):
    response = client.post(API, {"text": "We bound $\\mathcal{O}(n)$ **fast**"}, "application/json")
    assert response.status_code == 200
    body = response.json()
    assert (
        body["html"]
        == '<p>We bound <span class="math">$\\mathcal{O}(n)$</span> <strong>fast</strong></p>\n'
    )
    assert body["plain_text"] == "We bound fast"


def test_api_render_refuses_overlong_text_naming_the_field(client, person):
    response = client.post(API, {"text": "a" * (TEXT_MAX_CHARS + 1)}, "application/json")
    assert response.status_code == 400
    assert f"at most {TEXT_MAX_CHARS:,}" in response.json()["errors"]["text"][0]


def test_api_render_needs_a_login(client):
    assert client.post(API, {"text": "x"}, "application/json").status_code in (401, 403)


def test_api_render_shares_the_preview_rate(client, person, settings):
    settings.PEERLESS_API_THROTTLE_RATES = {
        **settings.PEERLESS_API_THROTTLE_RATES,
        "render": "2/minute",
    }
    client.post(URL, {"text": "page"})
    assert client.post(API, {"text": "api"}, "application/json").status_code == 200
    assert client.post(API, {"text": "api"}, "application/json").status_code == 429
