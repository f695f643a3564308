"""Personal API tokens: hashed storage, scopes, venue binding, revocation and the page."""

import hashlib

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from journal.errors import DomainError
from journal.models import ApiToken
from journal.services.api_tokens import api_token_create, api_token_revoke
from tests.api.support import client_for, paper
from tests.factories import PASSWORD, UserFactory, VenueFactory

pytestmark = pytest.mark.django_db


def bearer(secret: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return client


def test_token_is_stored_as_sha256_only():
    user = UserFactory()
    token, secret = api_token_create(user=user, name="CI")
    assert secret.startswith("plss_") and len(secret) > 40
    stored = ApiToken.objects.get(pk=token.pk)
    assert stored.secret_sha256 == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in {getattr(stored, f.attname) for f in ApiToken._meta.fields}
    assert stored.prefix == secret[:9]


def test_token_authenticates_and_records_use():
    user = UserFactory()
    token, secret = api_token_create(user=user, name="CI")
    response = bearer(secret).get("/api/v1/me/")
    assert response.status_code == 200
    body = response.json()
    assert body["email"] == user.email
    assert body["token"]["name"] == "CI" and body["token"]["scope"] == "read"
    token.refresh_from_db()
    assert token.last_used_at is not None


@pytest.mark.parametrize("header", ["Bearer plss_wrong", "Bearer", "Bearer a b", "Bearer \u00e9"])
def test_bad_tokens_are_refused(header):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=header)
    response = client.get("/api/v1/me/")
    assert response.status_code == 401
    assert set(response.json()) == {"detail", "errors"}
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_revoked_token_stops_working():
    user = UserFactory()
    token, secret = api_token_create(user=user, name="CI")
    api_token_revoke(token=token, actor=user)
    assert bearer(secret).get("/api/v1/me/").status_code == 401


def test_inactive_user_token_stops_working():
    user = UserFactory()
    _, secret = api_token_create(user=user, name="CI")
    user.is_active = False
    user.save()
    assert bearer(secret).get("/api/v1/me/").status_code == 401


def test_revoke_only_own_token():
    owner, other = UserFactory(), UserFactory()
    token, _ = api_token_create(user=owner, name="CI")
    with pytest.raises(DomainError):
        api_token_revoke(token=token, actor=other)


def test_create_refuses_blank_name_and_bad_scope():
    with pytest.raises(DomainError, match="Name the token"):
        api_token_create(user=UserFactory(), name="  ")
    with pytest.raises(DomainError, match="scope"):
        api_token_create(user=UserFactory(), name="x", scope="admin")


def test_read_only_token_cannot_write():
    venue = VenueFactory()
    client = client_for(UserFactory(), scope="read")
    response = client.post(
        "/api/v1/submissions/",
        {"venue": venue.slug, "title": "T", "abstract": "A", "hypothesis_claim": "H"},
        format="json",
    )
    assert response.status_code == 403
    assert "read-only" in response.json()["detail"]
    assert client.get("/api/v1/submissions/").status_code == 200


def test_venue_bound_token_sees_and_writes_only_that_venue():
    author = UserFactory()
    here, there = VenueFactory(), VenueFactory()
    mine_here, mine_there = paper(here, author), paper(there, author)
    client = client_for(author, venue=here)
    listed = {r["id"] for r in client.get("/api/v1/submissions/").json()["results"]}
    assert listed == {mine_here.pk}
    assert client.get(f"/api/v1/submissions/{mine_there.pk}/").status_code == 404
    response = client.post(
        "/api/v1/submissions/",
        {"venue": there.slug, "title": "T", "abstract": "A", "hypothesis_claim": "H"},
        format="json",
    )
    assert response.status_code == 403


def test_session_authentication_still_works(client):
    user = UserFactory()
    client.force_login(user)
    assert client.get("/api/v1/me/").json()["token"] is None


def test_tokens_page_creates_shows_once_and_revokes(client):
    user = UserFactory()
    client.login(email=user.email, password=PASSWORD)
    url = reverse("api-tokens")
    assert client.get(url).status_code == 200
    response = client.post(url, {"name": "Export", "scope": "write", "venue": ""})
    assert response.status_code == 200
    secret = response.context["secret"]
    assert secret.startswith("plss_") and secret in response.content.decode()
    listing = client.get(url).content.decode()
    assert "Export" in listing and secret not in listing
    token = ApiToken.objects.get(user=user)
    assert token.scope == "write"
    revoke = client.post(reverse("api-token-revoke", args=[token.pk]))
    assert revoke.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_tokens_page_rejects_blank_name(client):
    client.force_login(UserFactory())
    response = client.post(reverse("api-tokens"), {"name": "", "scope": "read"})
    assert response.status_code == 400
    assert not ApiToken.objects.exists()


def test_tokens_page_cannot_revoke_another_persons_token(client):
    token, _ = api_token_create(user=UserFactory(), name="Theirs")
    client.force_login(UserFactory())
    assert client.post(reverse("api-token-revoke", args=[token.pk])).status_code == 404


def test_tokens_page_requires_login(client):
    response = client.get(reverse("api-tokens"))
    assert response.status_code == 302


def test_profile_update_through_me_needs_if_match():
    user = UserFactory()
    client = client_for(user)
    etag = client.get("/api/v1/me/").headers["ETag"]
    body = {"affiliation": "New Lab", "email_domains": ["lab.example.org"]}
    assert client.patch("/api/v1/me/", body, format="json").status_code == 428
    stale = client.patch("/api/v1/me/", body, format="json", HTTP_IF_MATCH='"x"')
    assert stale.status_code == 412
    done = client.patch("/api/v1/me/", body, format="json", HTTP_IF_MATCH=etag)
    assert done.status_code == 200, done.content
    assert done.json()["affiliation"] == "New Lab"
    assert done.json()["email_domains"] == ["lab.example.org"]
    bad = client.patch(
        "/api/v1/me/",
        {"orcid": "nope"},
        format="json",
        HTTP_IF_MATCH=done.headers["ETag"],
    )
    assert bad.status_code == 400 and "orcid" in bad.json()["errors"]


def test_profile_update_refused_to_read_only_and_venue_bound_tokens():
    user = UserFactory()
    body = {"affiliation": "X"}
    read_only = client_for(user, scope="read")
    assert read_only.patch("/api/v1/me/", body, format="json", HTTP_IF_MATCH="*").status_code == 403
    bound = client_for(user, venue=VenueFactory())
    assert bound.patch("/api/v1/me/", body, format="json", HTTP_IF_MATCH="*").status_code == 403
