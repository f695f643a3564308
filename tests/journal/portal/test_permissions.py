"""An author never sees another paper's private data; co-authors see everything authors do."""

import pytest
from django.urls import reverse

from journal.demo.workflow import drive_to_state
from journal.enums import SubmissionState
from journal.services.submissions import AuthorInput
from tests.factories import UserFactory
from tests.journal.portal.conftest import draft, form_data, pdf_upload

pytestmark = pytest.mark.django_db
S = SubmissionState


@pytest.fixture
def papers(venue, chief, author):
    """Two papers: one by `author` (with a co-author), one by a stranger."""
    coauthor = UserFactory()
    mine = drive_to_state(
        draft(
            venue, author, title="Mine", coauthors=[AuthorInput(name="Co", email=coauthor.email)]
        ),
        S.UNDER_REVIEW,
        author=author,
        editor=chief,
        chief=chief,
    )
    stranger = UserFactory(display_name="Stranger Danger")
    theirs = drive_to_state(
        draft(venue, stranger, title="Their secret paper"),
        S.SUBMITTED,
        author=stranger,
        editor=chief,
        chief=chief,
    )
    return {"mine": mine, "theirs": theirs, "coauthor": coauthor, "stranger": stranger}


def urls_of(submission):
    pk = submission.pk
    return [
        submission.get_absolute_url(),
        reverse("journal:submission-edit", kwargs={"pk": pk}),
        reverse("journal:submission-revise", kwargs={"pk": pk}),
        reverse("journal:submission-withdraw", kwargs={"pk": pk}),
        reverse("journal:submission-camera-ready", kwargs={"pk": pk}),
        reverse("journal:version-file", kwargs={"pk": pk, "number": 1, "part": "pdf"}),
    ]


def test_author_cannot_open_another_paper(client, author, papers):
    client.force_login(author)
    for url in urls_of(papers["theirs"]):
        response = client.get(url)
        assert response.status_code == 404, url
        assert b"Their secret paper" not in response.content
        assert b"Stranger Danger" not in response.content


def test_author_cannot_change_another_paper(client, author, papers):
    theirs = papers["theirs"]
    client.force_login(author)
    pk = theirs.pk
    posts = {
        reverse("journal:submission-withdraw", kwargs={"pk": pk}): {"confirm": "on"},
        reverse("journal:submission-revise", kwargs={"pk": pk}): {
            "form_token": "x",
            "pdf": pdf_upload(),
            "change_summary": "Mine now.",
        },
        reverse("journal:submission-edit", kwargs={"pk": pk}): form_data(),
    }
    for url, data in posts.items():
        assert client.post(url, data).status_code == 404, url
    theirs.refresh_from_db()
    assert theirs.state == S.SUBMITTED and theirs.versions.count() == 1


def test_anonymous_gets_404_for_private_papers(client, papers):
    for url in urls_of(papers["theirs"]):
        assert client.get(url).status_code in {302, 404}, url
    assert client.get(papers["theirs"].get_absolute_url()).status_code == 404


def test_list_shows_only_own_papers(client, author, papers):
    client.force_login(author)
    page = client.get(reverse("journal:my-submissions")).content.decode()
    assert "Mine" in page and "Their secret paper" not in page


def test_coauthor_sees_everything_authors_see(client, papers):
    mine = papers["mine"]
    client.force_login(papers["coauthor"])
    page = client.get(mine.get_absolute_url()).content.decode()
    assert "Mine" in page and "Version 1" in page and "Timeline" in page
    file_url = reverse("journal:version-file", kwargs={"pk": mine.pk, "number": 1, "part": "pdf"})
    assert client.get(file_url).status_code == 200
    revise = reverse("journal:submission-revise", kwargs={"pk": mine.pk})
    assert client.get(revise).status_code == 200


def test_editor_page_has_no_author_actions(client, chief, papers):
    client.force_login(chief)
    page = client.get(papers["mine"].get_absolute_url()).content.decode()
    assert "Version 1" in page
    assert reverse("journal:submission-withdraw", kwargs={"pk": papers["mine"].pk}) not in page


def test_camera_ready_hidden_from_those_who_may_not_see_authors(client, venue, chief, author):
    submission = drive_to_state(
        draft(venue, author, title="Accepted"),
        S.CAMERA_READY,
        author=author,
        editor=chief,
        chief=chief,
    )
    camera = submission.versions.order_by("-number").first()
    url = reverse(
        "journal:version-file", kwargs={"pk": submission.pk, "number": camera.number, "part": "pdf"}
    )
    client.force_login(author)
    assert client.get(url).status_code == 200
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404
