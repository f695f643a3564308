"""Role invitations: the person accepts (the role is theirs, only then) or declines with a
reason; the chairs are told and see the counts; refusals change nothing."""

import pytest

from journal.enums import RoleInvitationState, RoleKind
from journal.errors import DomainError, TransitionError
from journal.models import AuditEvent, OutboundEmail, RoleInvitation, VenueRole
from journal.selectors.role_invitations import role_invitation_counts
from journal.services.role_invitations import (
    role_invitation_accept,
    role_invitation_decline,
    role_invitation_withdraw,
)
from journal.services.roles import venue_role_invite
from reviews.selectors.expertise import reviewer_slots

S = RoleInvitationState


@pytest.fixture
def invitation(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return venue_role_invite(
            venue=world.venue,
            actor=world.chief,
            email="new.reviewer@lab.example.org",
            role=RoleKind.REVIEWER,
            display_name="New Reviewer",
            load_quota=3,
        )


def test_an_invitation_gives_no_role_until_accepted(world, invitation):
    assert invitation.state == S.PENDING
    assert not VenueRole.objects.filter(user=invitation.user).exists()
    assert invitation.user not in [s.user for s in reviewer_slots(venue=world.venue)]
    email = OutboundEmail.objects.get(to="new.reviewer@lab.example.org")
    assert f"/invitations/roles/{invitation.pk}/" in email.body
    assert "password/reset" in email.body


def test_accepting_gives_the_role_with_the_load_and_tells_the_chair(
    world, invitation, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        accepted = role_invitation_accept(invitation=invitation, actor=invitation.user)
    assert accepted.state == S.ACCEPTED and accepted.responded_at is not None
    role = VenueRole.objects.get(venue=world.venue, user=invitation.user, role=RoleKind.REVIEWER)
    assert role.load_quota == 3 and accepted.venue_role == role
    assert invitation.user in [s.user for s in reviewer_slots(venue=world.venue)]
    told = OutboundEmail.objects.get(to=world.chief.email)
    assert "New Reviewer accepted" in told.subject
    assert AuditEvent.objects.filter(
        action="role.invitation_accepted", actor=invitation.user, to_state="accepted"
    ).exists()


def test_declining_keeps_the_reason_for_the_chairs(world, invitation):
    declined = role_invitation_decline(
        invitation=invitation, actor=invitation.user, reason="  On leave this year. "
    )
    assert declined.state == S.DECLINED and declined.decline_reason == "On leave this year."
    assert not VenueRole.objects.filter(user=invitation.user).exists()
    told = OutboundEmail.objects.get(to=world.chief.email)
    assert "declined" in told.subject and "On leave this year." in told.body


@pytest.mark.parametrize("answer", ["accept", "decline"])
def test_only_the_invited_person_answers(world, invitation, answer):
    with pytest.raises(DomainError, match="another account"):
        if answer == "accept":
            role_invitation_accept(invitation=invitation, actor=world.chief)
        else:
            role_invitation_decline(invitation=invitation, actor=world.reviewer)
    invitation.refresh_from_db()
    assert invitation.state == S.PENDING and invitation.responded_at is None
    assert not VenueRole.objects.filter(user=invitation.user).exists()


def test_an_answered_invitation_is_not_answered_again(world, invitation):
    role_invitation_decline(invitation=invitation, actor=invitation.user)
    with pytest.raises(TransitionError, match="declined already"):
        role_invitation_accept(invitation=invitation, actor=invitation.user)
    invitation.refresh_from_db()
    assert invitation.state == S.DECLINED
    assert not VenueRole.objects.filter(user=invitation.user).exists()


def test_a_withdrawn_invitation_cannot_be_accepted(world, invitation):
    role_invitation_withdraw(venue=world.venue, actor=world.chief, invitation_id=invitation.pk)
    with pytest.raises(TransitionError, match="withdrawn"):
        role_invitation_accept(invitation=invitation, actor=invitation.user)
    assert not VenueRole.objects.filter(user=invitation.user).exists()


def test_only_chiefs_withdraw(world, invitation):
    with pytest.raises(DomainError, match="Only the venue's chairs"):
        role_invitation_withdraw(venue=world.venue, actor=world.editor, invitation_id=invitation.pk)
    invitation.refresh_from_db()
    assert invitation.state == S.PENDING


def test_a_second_invitation_while_one_is_pending_is_refused(world, invitation):
    with pytest.raises(DomainError, match="has not answered yet"):
        venue_role_invite(
            venue=world.venue, actor=world.chief, email=invitation.user.email, role="reviewer"
        )
    assert RoleInvitation.objects.count() == 1


def test_after_a_decline_the_chair_may_invite_again(world, invitation):
    role_invitation_decline(invitation=invitation, actor=invitation.user)
    again = venue_role_invite(
        venue=world.venue, actor=world.chief, email=invitation.user.email, role="reviewer"
    )
    assert again.state == S.PENDING


def test_the_counts_cover_every_answer(world, invitation):
    for n in range(2):
        other = venue_role_invite(
            venue=world.venue, actor=world.chief, email=f"p{n}@example.org", role="reviewer"
        )
        role_invitation_accept(invitation=other, actor=other.user)
    role_invitation_decline(invitation=invitation, actor=invitation.user)
    venue_role_invite(venue=world.venue, actor=world.chief, email="p9@example.org", role="reviewer")
    counts = role_invitation_counts(venue=world.venue)
    assert counts == {"pending": 1, "accepted": 2, "declined": 1, "withdrawn": 0}
