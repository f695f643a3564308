"""Venue settings and roles services: every change audited, bad input refused whole."""

import datetime as dt

import pytest

from journal.enums import RoleKind, SubmissionState, VenueKind
from journal.errors import DomainError
from journal.models import AuditEvent, OutboundEmail, RoleInvitation, User, VenueRole
from journal.services.role_invitations import role_invitation_accept
from journal.services.roles import (
    RolesImportError,
    venue_role_invite,
    venue_role_remove,
    venue_roles_import_csv,
)
from journal.services.venues import venue_update


def test_venue_update_saves_and_audits(world):
    venue = venue_update(
        venue=world.venue, actor=world.chief, reviewers_per_paper=4, timezone="Europe/Paris"
    )
    assert venue.reviewers_per_paper == 4
    event = AuditEvent.objects.get(venue=world.venue, action="venue.updated")
    assert event.actor == world.chief
    assert event.data["changes"]["reviewers_per_paper"] == ["2", "4"]


def test_venue_update_without_change_writes_nothing(world):
    venue_update(venue=world.venue, actor=world.chief, name=world.venue.name)
    assert not AuditEvent.objects.filter(action="venue.updated").exists()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"timezone": "Mars/Olympus"}, "not a time zone"),
        ({"long_paper_pages": 12}, "or neither"),
        ({"reviewers_per_paper": 50}, "Reviewers per paper"),
        ({"slug": "other"}, "cannot be changed here"),
        (
            {
                "submission_deadline": dt.datetime(2030, 5, 1, tzinfo=dt.UTC),
                "camera_ready_deadline": dt.datetime(2030, 4, 1, tzinfo=dt.UTC),
            },
            "after the submission deadline",
        ),
    ],
)
def test_venue_update_bad_input_saves_nothing(world, changes, message):
    before = world.venue.reviewers_per_paper
    with pytest.raises(DomainError, match=message):
        venue_update(venue=world.venue, actor=world.chief, name="Renamed", **changes)
    world.venue.refresh_from_db()
    assert world.venue.name != "Renamed" and world.venue.reviewers_per_paper == before
    assert not AuditEvent.objects.filter(action="venue.updated").exists()


def test_conference_accepting_needs_a_deadline(world):
    world.venue.kind = VenueKind.CONFERENCE
    world.venue.save()
    with pytest.raises(DomainError, match="needs a submission deadline"):
        venue_update(venue=world.venue, actor=world.chief, name="Conf", accepting_submissions=True)
    world.venue.refresh_from_db()
    assert world.venue.name != "Conf"


def test_invite_a_new_person(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        role = venue_role_invite(
            venue=world.venue,
            actor=world.chief,
            email=" New.Person@Example.org ",
            role=RoleKind.REVIEWER,
            display_name="New Person",
            load_quota=3,
        )
    user = User.objects.get(email="new.person@example.org")
    assert role.user == user and role.load_quota == 3 and not user.has_usable_password()
    email = OutboundEmail.objects.get(to="new.person@example.org")
    assert "password/reset" in email.body and world.venue.name in email.subject
    assert AuditEvent.objects.filter(action="role.invited", actor=world.chief).exists()


def test_invite_an_existing_account_keeps_it(world):
    invitation = venue_role_invite(
        venue=world.venue, actor=world.chief, email=world.author.email, role=RoleKind.REVIEWER
    )
    assert invitation.user == world.author
    assert not VenueRole.objects.filter(user=world.author, role=RoleKind.REVIEWER).exists()
    body = OutboundEmail.objects.get(to=world.author.email).body
    assert f"/invitations/roles/{invitation.pk}/" in body and "password/reset" not in body
    role_invitation_accept(invitation=invitation, actor=world.author)
    assert VenueRole.objects.filter(user=world.author, role=RoleKind.REVIEWER).exists()


@pytest.mark.parametrize(
    ("email", "role", "message"),
    [
        ("not-an-address", RoleKind.REVIEWER, "not an e-mail address"),
        ("", RoleKind.REVIEWER, "required"),
        ("x@example.org", "emperor", "not a role"),
    ],
)
def test_invite_bad_input(world, email, role, message):
    with pytest.raises(DomainError, match=message):
        venue_role_invite(venue=world.venue, actor=world.chief, email=email, role=role)
    assert not OutboundEmail.objects.exists()


def test_invite_twice_is_refused(world):
    with pytest.raises(DomainError, match="already"):
        venue_role_invite(
            venue=world.venue, actor=world.chief, email=world.reviewer.email, role="reviewer"
        )


def test_remove_role(world):
    role = VenueRole.objects.get(venue=world.venue, user=world.reviewer)
    venue_role_remove(venue=world.venue, actor=world.chief, role_id=role.pk)
    assert not VenueRole.objects.filter(pk=role.pk).exists()
    assert AuditEvent.objects.filter(action="role.removed").exists()


def test_last_chief_stays(world):
    role = VenueRole.objects.get(venue=world.venue, user=world.chief)
    with pytest.raises(DomainError, match="at least one editor-in-chief"):
        venue_role_remove(venue=world.venue, actor=world.chief, role_id=role.pk)


def test_editor_with_open_papers_stays(world):
    world.paper(SubmissionState.UNDER_REVIEW)
    role = VenueRole.objects.get(venue=world.venue, user=world.editor)
    with pytest.raises(DomainError, match="still handles 1 open paper"):
        venue_role_remove(venue=world.venue, actor=world.chief, role_id=role.pk)


def test_import_csv_adds_and_skips(world):
    content = (
        "Email,Name,Affiliation,load_quota\n"
        "a@example.org,Ann A,Uni A,4\n"
        f"{world.reviewer.email},Already There,,\n"
        "\n"
        "b@example.org,,,\n"
    ).encode()
    report = venue_roles_import_csv(venue=world.venue, actor=world.chief, content=content)
    assert sorted(r.user.email for r in report.added) == ["a@example.org", "b@example.org"]
    assert [p.line for p in report.skipped] == [3]
    ann = RoleInvitation.objects.get(user__email="a@example.org")
    assert ann.load_quota == 4 and ann.user.display_name == "Ann A"
    assert ann.user.affiliation == "Uni A"
    assert not VenueRole.objects.filter(user__email="a@example.org").exists()
    role_invitation_accept(invitation=ann, actor=ann.user)
    assert VenueRole.objects.get(user__email="a@example.org").load_quota == 4


def test_import_csv_reports_every_bad_row_and_imports_nothing(world):
    content = (
        "email,name,load_quota\n"
        "good@example.org,Good,2\n"
        "broken,Broken,\n"
        "good@example.org,Again,\n"
        "c@example.org,C,many\n"
    )
    with pytest.raises(RolesImportError) as caught:
        venue_roles_import_csv(venue=world.venue, actor=world.chief, content=content)
    assert [(p.line, p.message[:20]) for p in caught.value.problems] == [
        (3, "“broken” is not an e"),
        (4, "Listed twice (first "),
        (5, "load_quota “many” is"),
    ]
    assert not User.objects.filter(email="good@example.org").exists()
    assert not OutboundEmail.objects.exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"name,affiliation\nAnn,Uni\n", "including “email”"),
        (b"email\n", "lists nobody"),
        ("email\nä@example.org\n".encode("latin-1"), "not UTF-8"),
    ],
)
def test_import_csv_unreadable_files(world, content, message):
    with pytest.raises(DomainError, match=message):
        venue_roles_import_csv(venue=world.venue, actor=world.chief, content=content)


def test_role_update_load_and_absence(world):
    from journal.services.roles import venue_role_update

    role = VenueRole.objects.get(venue=world.venue, user=world.reviewer)
    venue_role_update(
        venue=world.venue,
        actor=world.chief,
        role_id=role.pk,
        load_quota=5,
        unavailable_until=dt.date(2030, 1, 31),
    )
    role.refresh_from_db()
    assert role.load_quota == 5 and role.unavailable_until == dt.date(2030, 1, 31)
    event = AuditEvent.objects.get(action="role.updated")
    assert event.data["load_quota"] == [None, 5]
    with pytest.raises(DomainError, match="from 1 to 1000"):
        venue_role_update(venue=world.venue, actor=world.chief, role_id=role.pk, load_quota=0)
    other = VenueRole.objects.exclude(venue=world.venue).first()
    with pytest.raises(DomainError, match="does not exist"):
        venue_role_update(
            venue=world.venue,
            actor=world.chief,
            role_id=(other.pk if other else 0) + 10**6,
            load_quota=None,
        )
