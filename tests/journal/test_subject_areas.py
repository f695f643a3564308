"""Subject areas: the chairs' list, the one area of each paper, renames that move papers."""

import pytest
from django.urls import reverse

from journal.demo.workflow import drive_to_state
from journal.enums import RoleKind, SubmissionState
from journal.errors import DomainError, TransitionError
from journal.limits import SUBJECT_AREA_MAX_CHARS, SUBJECT_AREAS_MAX
from journal.models import AuditEvent, Submission, Venue
from journal.services.submissions import AuthorInput, submission_create, submission_update
from journal.services.venues import venue_subject_area_rename, venue_update
from journal.services.workflow import submission_transition
from tests.factories import ConferenceFactory, UserFactory, VenueRoleFactory
from tests.journal.portal.conftest import form_data, pdf_upload, verified_user

pytestmark = pytest.mark.django_db
S = SubmissionState
AREAS = ["Computer vision", "Reinforcement learning", "Theory"]


@pytest.fixture
def conf():
    venue = ConferenceFactory(name="ICLR")
    chief = VenueRoleFactory(venue=venue, role=RoleKind.CHIEF).user
    venue = venue_update(venue=venue, actor=chief, subject_areas=AREAS)
    return venue, chief


def paper(venue, author=None, *, title="Sparse attention", area="Theory"):
    author = author or UserFactory()
    return submission_create(
        venue=venue,
        creator=author,
        title=title,
        abstract="An abstract.",
        hypothesis_claim="A claim.",
        subject_area=area,
        authors=[AuthorInput(name="Ada", email=author.email, is_corresponding=True)],
    )


def test_chairs_define_areas_cleaned_in_order_and_audited(conf):
    venue, chief = conf
    venue = venue_update(
        venue=venue, actor=chief, subject_areas=["  Theory ", "", "Optimisation   methods"]
    )
    assert Venue.objects.get(pk=venue.pk).subject_areas == ["Theory", "Optimisation methods"]
    event = AuditEvent.objects.filter(venue=venue, action="venue.updated").latest("pk")
    assert event.data["changes"]["subject_areas"] == [
        "Computer vision; Reinforcement learning; Theory",
        "Theory; Optimisation methods",
    ]


@pytest.mark.parametrize(
    "areas, message",
    [
        (["Theory", "theory"], "“theory” is listed twice"),
        (["x" * (SUBJECT_AREA_MAX_CHARS + 1)], f"at most {SUBJECT_AREA_MAX_CHARS} are allowed"),
        ([f"Area {n}" for n in range(SUBJECT_AREAS_MAX + 1)], f"at most {SUBJECT_AREAS_MAX}"),
        ("not a list", None),
    ],
)
def test_bad_area_lists_are_refused_and_nothing_changes(conf, areas, message):
    venue, chief = conf
    before = AuditEvent.objects.count()
    if areas == "not a list":
        areas = {"a": 1}
        message = "List the subject areas"
    with pytest.raises(DomainError, match=message) as refused:
        venue_update(venue=venue, actor=chief, subject_areas=areas)
    assert refused.value.field == "subject_areas"
    assert Venue.objects.get(pk=venue.pk).subject_areas == AREAS
    assert AuditEvent.objects.count() == before


def test_an_area_papers_use_cannot_be_removed_the_message_counts_them(conf):
    venue, chief = conf
    paper(venue, area="Theory")
    paper(venue, area="Theory", title="Second")
    paper(venue, area="Computer vision", title="Third")
    with pytest.raises(DomainError, match="“Theory” is the subject area of 2 papers") as refused:
        venue_update(venue=venue, actor=chief, subject_areas=["Computer vision"])
    assert "rename it" in refused.value.message
    assert Venue.objects.get(pk=venue.pk).subject_areas == AREAS
    # An unused area goes, the used ones stay.
    venue = venue_update(venue=venue, actor=chief, subject_areas=["Theory", "Computer vision"])
    assert venue.subject_areas == ["Theory", "Computer vision"]


def test_a_rename_moves_the_papers_and_a_rename_into_another_area_merges(conf):
    venue, chief = conf
    first = paper(venue, area="Theory")
    second = paper(venue, area="Computer vision", title="Second")
    moved = venue_subject_area_rename(
        venue=venue, old="Theory", new="Learning theory", actor=chief
    )
    assert moved == 1
    venue.refresh_from_db()
    assert venue.subject_areas == ["Computer vision", "Reinforcement learning", "Learning theory"]
    first.refresh_from_db()
    assert first.subject_area == "Learning theory"
    moved = venue_subject_area_rename(
        venue=venue, old="Learning theory", new="computer VISION", actor=chief
    )
    assert moved == 1
    venue.refresh_from_db()
    assert venue.subject_areas == ["Computer vision", "Reinforcement learning"]
    assert {s.subject_area for s in Submission.objects.filter(pk__in=[first.pk, second.pk])} == {
        "Computer vision"
    }
    event = AuditEvent.objects.filter(action="venue.subject_area_renamed").latest("pk")
    assert event.data == {
        "from": "Learning theory", "to": "Computer vision", "merged": True, "papers": 1
    }


def test_renaming_an_unknown_area_is_refused_and_nothing_moves(conf):
    venue, chief = conf
    first = paper(venue, area="Theory")
    with pytest.raises(DomainError, match="“Robotics” is not a subject area of ICLR"):
        venue_subject_area_rename(venue=venue, old="Robotics", new="Theory", actor=chief)
    with pytest.raises(DomainError, match="characters"):
        venue_subject_area_rename(
            venue=venue, old="Theory", new="x" * (SUBJECT_AREA_MAX_CHARS + 1), actor=chief
        )
    first.refresh_from_db()
    venue.refresh_from_db()
    assert first.subject_area == "Theory" and venue.subject_areas == AREAS
    assert not AuditEvent.objects.filter(action="venue.subject_area_renamed").exists()


def test_a_paper_names_one_of_the_venues_areas(conf):
    venue, _ = conf
    assert paper(venue, area="  theory ").subject_area == "Theory"
    count = Submission.objects.count()
    with pytest.raises(DomainError, match="Choose the paper's subject area: one of Computer"):
        paper(venue, area="")
    with pytest.raises(DomainError, match="“Robotics” is not a subject area of ICLR"):
        paper(venue, area="Robotics")
    assert Submission.objects.count() == count


def test_a_venue_without_areas_takes_none():
    venue = ConferenceFactory(name="Workshop")
    assert paper(venue, area="").subject_area == ""
    with pytest.raises(DomainError, match="Workshop has no subject areas"):
        paper(venue, area="Theory")


def test_update_checks_the_area_and_records_the_change(conf):
    venue, _ = conf
    author = UserFactory()
    draft = paper(venue, author, area="Theory")
    submission_update(submission=draft, actor=author, subject_area="Computer vision")
    draft.refresh_from_db()
    assert draft.subject_area == "Computer vision"
    event = AuditEvent.objects.filter(action="submission.updated").latest("pk")
    assert event.data == {"fields": ["subject_area"]}
    with pytest.raises(DomainError, match="not a subject area"):
        submission_update(submission=draft, actor=author, subject_area="Robotics")
    draft.refresh_from_db()
    assert draft.subject_area == "Computer vision"


def test_a_draft_from_before_the_areas_is_not_submitted_without_one():
    venue = ConferenceFactory()
    chief = VenueRoleFactory(venue=venue, role=RoleKind.CHIEF).user
    author = UserFactory()
    draft = paper(venue, author, area="")
    venue_update(venue=venue, actor=chief, subject_areas=AREAS)
    draft.refresh_from_db()
    with pytest.raises(TransitionError, match="Choose the paper's subject area"):
        submission_transition(submission=draft, to_state=S.SUBMITTED, actor=author)
    draft.refresh_from_db()
    assert draft.state == S.DRAFT


# Pages -------------------------------------------------------------------------------------


def settings_url(venue):
    return reverse("journal:dashboard-settings", kwargs={"slug": venue.slug})


def settings_post(venue, **changes):
    data = {
        "name": venue.name,
        "description": "",
        "accepting_submissions": "on",
        "anonymity": venue.anonymity,
        "timezone": "UTC",
        "submission_deadline": "2030-03-01T23:59",
        "camera_ready_deadline": "",
        "review_form": "",
        "reviewers_per_paper": "3",
        "review_period_days": "21",
        "long_paper_pages": "",
        "long_review_period_days": "",
        "page_limit": "",
        "max_pdf_mb": "20",
        "max_supplement_mb": "100",
        "authors_may_comment": "on",
        "discussion_after_own_review": "on",
        "review_publication": "none",
        "subject_areas": "\n".join(venue.subject_areas),
    }
    data.update(changes)
    return data


def test_settings_page_edits_the_areas_and_the_call_for_papers_lists_them(client, conf):
    venue, chief = conf
    client.force_login(chief)
    page = client.get(settings_url(venue)).content.decode()
    assert "Computer vision\nReinforcement learning\nTheory</textarea>" in page
    response = client.post(
        settings_url(venue), settings_post(venue, subject_areas="Theory\r\nRobotics\r\n\r\n")
    )
    assert response.status_code == 302
    assert Venue.objects.get(pk=venue.pk).subject_areas == ["Theory", "Robotics"]
    public = client.get(venue.get_absolute_url()).content.decode()
    assert '<ul class="subject-areas" id="subject-areas"><li>Theory</li><li>Robotics</li>' in public


def test_settings_page_refuses_removing_a_used_area_with_its_count(client, conf):
    venue, chief = conf
    paper(venue, area="Theory")
    client.force_login(chief)
    response = client.post(settings_url(venue), settings_post(venue, subject_areas="Robotics"))
    assert response.status_code == 400
    assert "“Theory” is the subject area of 1 paper." in response.content.decode()
    assert Venue.objects.get(pk=venue.pk).subject_areas == AREAS


def test_settings_page_renames_an_area_with_its_papers(client, conf):
    venue, chief = conf
    first = paper(venue, area="Theory")
    client.force_login(chief)
    data = {"action": "rename_area", "old": "Theory", "new": "Learning theory"}
    response = client.post(settings_url(venue), data, follow=True)
    assert "“Theory” is now “Learning theory”; 1 paper moved." in response.content.decode()
    first.refresh_from_db()
    assert first.subject_area == "Learning theory"
    bad = client.post(settings_url(venue), {"action": "rename_area", "old": "Nope", "new": "X"})
    assert bad.status_code == 400
    assert Venue.objects.get(pk=venue.pk).subject_areas[-1] == "Learning theory"


def test_settings_page_is_refused_to_non_chiefs_and_nothing_changes(client, conf):
    venue, _ = conf
    editor = VenueRoleFactory(venue=venue, role=RoleKind.ACTION_EDITOR).user
    client.force_login(editor)
    response = client.post(settings_url(venue), settings_post(venue, subject_areas="Robotics"))
    assert response.status_code == 403
    response = client.post(
        settings_url(venue), {"action": "rename_area", "old": "Theory", "new": "X"}
    )
    assert response.status_code == 403
    assert Venue.objects.get(pk=venue.pk).subject_areas == AREAS


def test_submit_form_offers_the_areas_and_the_service_requires_one(client, conf):
    venue, _ = conf
    author = verified_user(display_name="Grace Hopper")
    client.force_login(author)
    url = reverse("journal:submit", kwargs={"slug": venue.slug})
    page = client.get(url).content.decode()
    assert '<option value="Reinforcement learning">Reinforcement learning</option>' in page
    data = form_data(authors=[("Grace Hopper", author.email)])
    response = client.post(url, {**data, "pdf": pdf_upload()})
    assert response.status_code == 400
    body = response.content.decode()
    assert "Choose the paper&#x27;s subject area: one of Computer vision" in body
    assert not Submission.objects.exists()
    response = client.post(url, {**data, "subject_area": "Theory", "pdf": pdf_upload()})
    assert response.status_code == 302
    submission = Submission.objects.get()
    assert submission.subject_area == "Theory"
    detail = client.get(submission.get_absolute_url()).content.decode()
    assert "Subject area: Theory" in detail


def test_submit_form_has_no_area_where_the_venue_defines_none(client):
    venue = ConferenceFactory()
    client.force_login(verified_user())
    page = client.get(reverse("journal:submit", kwargs={"slug": venue.slug})).content.decode()
    assert "Subject area" not in page


def test_editor_paper_page_shows_the_area(client, conf):
    venue, chief = conf
    author = UserFactory()
    submission = paper(venue, author, area="Reinforcement learning")
    drive_to_state(submission, S.SUBMITTED, author=author, editor=chief, chief=chief)
    client.force_login(chief)
    url = reverse(
        "journal:dashboard-paper", kwargs={"slug": venue.slug, "number": submission.number}
    )
    assert "Subject area: Reinforcement learning" in client.get(url).content.decode()
