"""Sign-in throttling: failures count per account and client, and per client across accounts.

A stranger's wrong passwords never lock the account's owner out, and the Django admin has no
login form of its own: it sends people to the site's sign-in page, under the same limits.
Every test runs on both shared caches: the database cache and Redis.
"""

import os

import environ
import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from journal.models import User
from tests.factories import PASSWORD, UserFactory
from tests.journal.portal.conftest import verified_user
from tests.parallel import shared_cache_url

pytestmark = pytest.mark.django_db

STRANGER_IP = "203.0.113.7"
OWNER_IP = "198.51.100.20"
THROTTLED = "Too many failed login attempts from your connection. Try again in 15 minutes."


@pytest.fixture(autouse=True, params=["database", "redis"])
def rate_limit_cache(request, settings):
    """Keep the counters in the given cache, empty at the start and end of each test."""
    if request.param == "database":
        settings.CACHES = {"default": environ.Env.cache_url_config("dbcache://peerless_cache")}
    else:
        broker = os.environ.get("CELERY_BROKER_URL", "")
        if not broker.startswith("redis"):
            pytest.skip("No test Redis: run the tests through `python -m tests.servers`.")
        # A database of its own: clearing the cache must not empty the broker's queues.
        settings.CACHES = {"default": environ.Env.cache_url_config(shared_cache_url())}
    cache.clear()
    yield
    cache.clear()


def sign_in(client: Client, *, email: str, password: str, url: str | None = None):
    """Post the sign-in form (field names of both the site's and the admin's form)."""
    data = {"login": email, "username": email, "password": password}
    return client.post(url or reverse("account_login"), data)


def is_signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def test_admin_login_throttled_after_failures_from_one_client():
    staff = verified_user(is_staff=True, is_superuser=True)
    client = Client(REMOTE_ADDR=STRANGER_IP)
    login_page = client.get("/admin/", follow=True).redirect_chain[-1][0]
    for _ in range(5):
        sign_in(client, email=staff.email, password="wrong", url=login_page)
        assert not is_signed_in(client)

    response = sign_in(client, email=staff.email, password=PASSWORD, url=login_page)

    assert THROTTLED in response.content.decode()
    assert not is_signed_in(client)
    assert client.get("/admin/").status_code == 302
    staff.refresh_from_db()
    assert staff.last_login is None


def test_admin_login_form_never_signs_in_by_itself():
    staff = verified_user(is_staff=True, is_superuser=True)
    client = Client(REMOTE_ADDR=STRANGER_IP)

    response = sign_in(client, email=staff.email, password=PASSWORD, url=reverse("admin:login"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login") + "?next=")
    assert not is_signed_in(client)
    staff.refresh_from_db()
    assert staff.last_login is None


def test_admin_login_through_site_sign_in_reaches_admin_for_staff():
    staff = verified_user(is_staff=True, is_superuser=True)
    client = Client(REMOTE_ADDR=OWNER_IP)
    login_page = client.get("/admin/", follow=True).redirect_chain[-1][0]

    response = sign_in(client, email=staff.email, password=PASSWORD, url=login_page)
    assert response["Location"] == "/admin/"

    page = client.get("/admin/")
    assert page.status_code == 200
    assert "Site administration" in page.content.decode()


def test_admin_login_refuses_signed_in_person_who_is_not_staff():
    person = verified_user()
    client = Client(REMOTE_ADDR=OWNER_IP)
    sign_in(client, email=person.email, password=PASSWORD)

    response = client.get("/admin/", follow=True)

    assert response.status_code == 403
    assert "Site administration" not in response.content.decode()


def test_login_stranger_failures_do_not_lock_out_owner_from_another_ip():
    owner = verified_user()
    stranger = Client(REMOTE_ADDR=STRANGER_IP)
    for _ in range(10):
        response = sign_in(stranger, email=owner.email, password="wrong")
    assert THROTTLED in response.content.decode()

    response = sign_in(stranger, email=owner.email, password=PASSWORD)
    assert THROTTLED in response.content.decode()
    assert not is_signed_in(stranger)

    owner_client = Client(REMOTE_ADDR=OWNER_IP)
    response = sign_in(owner_client, email=owner.email, password=PASSWORD)
    assert response["Location"] == reverse("journal:my-submissions")
    assert is_signed_in(owner_client)
    page = owner_client.get(reverse("journal:my-submissions")).content.decode()
    assert owner.display_name in page


def test_login_per_ip_limit_across_many_accounts():
    accounts = UserFactory.create_batch(20)
    owner = verified_user()
    client = Client(REMOTE_ADDR=STRANGER_IP)
    for account in accounts:
        response = sign_in(client, email=account.email, password="wrong")
        assert THROTTLED not in response.content.decode()

    response = sign_in(client, email=owner.email, password=PASSWORD)

    assert THROTTLED in response.content.decode()
    assert not is_signed_in(client)
    owner.refresh_from_db()
    assert owner.last_login is None
    assert not User.objects.filter(last_login__isnull=False).exists()

    owner_client = Client(REMOTE_ADDR=OWNER_IP)
    response = sign_in(owner_client, email=owner.email, password=PASSWORD)
    assert response["Location"] == reverse("journal:my-submissions")
