"""Two requests at once (a double click that reaches the server twice) make one submission."""

import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from journal.enums import SubmissionState
from journal.models import Submission
from tests.journal.portal.conftest import form_data, pdf_upload


@pytest.mark.django_db(transaction=True)
def test_concurrent_identical_posts_create_one_submission(venue, author):
    url = reverse("journal:submit", kwargs={"slug": venue.slug})
    data = form_data(token="raced", action="submit", authors=[("Grace Hopper", author.email)])
    start = threading.Barrier(2)
    statuses = []

    def post():
        try:
            client = Client()
            client.force_login(author)
            start.wait(timeout=10)
            statuses.append(client.post(url, {**data, "pdf": pdf_upload()}).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=post) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert statuses == [302, 302]
    submission = Submission.objects.get()
    assert submission.state == SubmissionState.SUBMITTED
    assert submission.versions.count() == 1
