"""Invitations: who may be invited, accepting and declining, expiry, numbering, access."""

import pytest
from django.utils import timezone

from journal.enums import Anonymity, LoadPeriod, RoleKind, SubmissionState
from journal.errors import DeadlineError, DomainError, TransitionError
from journal.models import OutboundEmail, VenueRole
from reviews.enums import InvitationState, ReviewState
from reviews.models import Review
from reviews.services.invitations import (
    ConflictWarning,
    invitation_accept,
    invitation_create,
    invitation_decline,
    invitation_withdraw,
    invitations_expire,
)
from reviews.services.reviews import review_submit
from reviews.services.rounds import round_open
from tests.factories import UserFactory, VenueRoleFactory, claims_assessed
from tests.reviews.workflow.world import balanced_answers, invite_all, make_world

pytestmark = pytest.mark.django_db


def test_create_emails_the_reviewer_without_author_names(django_capture_on_commit_callbacks):
    world = make_world()
    reviewer = world.reviewers[0]
    invitation = invitation_create(
        submission=world.submission, reviewer=reviewer, invited_by=world.editor, note="Please"
    )
    assert invitation.state == InvitationState.PENDING
    assert invitation.round.number == 1
    assert invitation.answer_due <= invitation.review_due
    email = OutboundEmail.objects.get(recipient=reviewer, template="reviews/emails/invitation")
    assert world.submission.title in email.body
    assert "Ada" not in email.body and "authors-lab" not in email.body
    assert f"/reviewing/invitations/{invitation.pk}/" in email.body


def test_review_due_follows_the_venue_period():
    world = make_world(review_period_days=10)
    before = timezone.now()
    invitation = invitation_create(
        submission=world.submission, reviewer=world.reviewers[0], invited_by=world.editor
    )
    days = (invitation.review_due - before).total_seconds() / 86400
    assert 9.99 < days < 10.01


def test_matching_source_recorded():
    world = make_world()
    invitation = invitation_create(
        submission=world.submission,
        reviewer=world.reviewers[0],
        invited_by=None,
        source="matching",
    )
    assert invitation.source == "matching"


@pytest.mark.parametrize("who", ["author", "stranger", "duplicate"])
def test_create_refused(who):
    world = make_world()
    person = {"author": world.author, "stranger": UserFactory(), "duplicate": world.reviewers[0]}
    if who == "duplicate":
        invitation_create(submission=world.submission, reviewer=person[who], invited_by=None)
    with pytest.raises(DomainError):
        invitation_create(submission=world.submission, reviewer=person[who], invited_by=None)


def test_create_refused_when_unavailable():
    world = make_world()
    role = VenueRole.objects.get(user=world.reviewers[0], role=RoleKind.REVIEWER)
    role.unavailable_until = timezone.localdate() + timezone.timedelta(days=3)
    role.save()
    with pytest.raises(DomainError, match="unavailable"):
        invitation_create(submission=world.submission, reviewer=world.reviewers[0], invited_by=None)


@pytest.mark.parametrize("period", [LoadPeriod.VENUE, LoadPeriod.YEAR])
def test_create_refused_at_quota(period):
    world = make_world()
    other = make_world()
    reviewer = world.reviewers[0]
    VenueRole.objects.filter(user=reviewer, role=RoleKind.REVIEWER).update(
        load_quota=1, load_period=period
    )
    # a paper at another venue does not count
    VenueRoleFactory(venue=other.venue, user=reviewer, role=RoleKind.REVIEWER)
    invitation_create(submission=other.submission, reviewer=reviewer, invited_by=None)
    invitation_create(submission=world.submission, reviewer=reviewer, invited_by=None)
    with pytest.raises(DomainError, match="quota"):
        invitation_create(
            submission=_another_paper(world), reviewer=reviewer, invited_by=world.editor
        )


def _another_paper(world):
    from journal.demo.workflow import drive_to_state
    from journal.services.submissions import submission_create

    paper = submission_create(
        venue=world.venue,
        creator=world.author,
        title="Another",
        abstract="A",
        hypothesis_claim="H",
    )
    return drive_to_state(
        paper,
        SubmissionState.UNDER_REVIEW,
        author=world.author,
        editor=world.editor,
        chief=world.chief,
    )


def test_create_refused_for_draft_paper():
    world = make_world(state=SubmissionState.DRAFT)
    with pytest.raises(TransitionError):
        invitation_create(submission=world.submission, reviewer=world.reviewers[0], invited_by=None)


def test_accept_creates_draft_review_and_numbers_reviewers():
    world = make_world()
    invitations = invite_all(world)
    assert [i.reviewer_number for i in invitations] == [1, 2, 3]
    review = Review.objects.get(invitation=invitations[0])
    assert review.state == ReviewState.DRAFT and review.form == invitations[0].round.form


def test_numbering_is_stable_across_rounds():
    world = make_world()
    invitations = invite_all(world)
    later = round_open(submission=world.submission, actor=world.editor)
    again = invitation_create(
        submission=world.submission, reviewer=world.reviewers[2], invited_by=world.editor
    )
    assert again.round == later
    invitation_accept(invitation=again, actor=world.reviewers[2])
    assert again.reviewer_number == invitations[2].reviewer_number == 3


def test_only_the_invitee_answers():
    world = make_world()
    invitation = invitation_create(
        submission=world.submission, reviewer=world.reviewers[0], invited_by=world.editor
    )
    with pytest.raises(TransitionError):
        invitation_accept(invitation=invitation, actor=world.reviewers[1])


def test_accept_after_answer_deadline_refused():
    world = make_world()
    invitation = invitation_create(
        submission=world.submission,
        reviewer=world.reviewers[0],
        invited_by=world.editor,
        answer_due=timezone.now() - timezone.timedelta(minutes=1),
    )
    with pytest.raises(DeadlineError):
        invitation_accept(invitation=invitation, actor=world.reviewers[0])


def test_decline_needs_reason_and_tells_editor_with_suggestions():
    world = make_world(n_reviewers=4)
    invitation = invitation_create(
        submission=world.submission, reviewer=world.reviewers[0], invited_by=world.editor
    )
    with pytest.raises(TransitionError, match="why"):
        invitation_decline(invitation=invitation, actor=world.reviewers[0], reason=" ")
    invitation_decline(invitation=invitation, actor=world.reviewers[0], reason="Out of my area")
    email = OutboundEmail.objects.get(
        recipient=world.editor, template="reviews/emails/invitation_declined"
    )
    assert "Out of my area" in email.body
    for suggested in world.reviewers[1:]:
        assert suggested.display_name in email.body
    assert world.reviewers[0].display_name not in email.body.split("ask next")[1]


def test_expiry_tells_editor_and_is_idempotent():
    world = make_world()
    invitation_create(
        submission=world.submission,
        reviewer=world.reviewers[0],
        invited_by=world.editor,
        answer_due=timezone.now() - timezone.timedelta(hours=1),
    )
    assert invitations_expire() == 1
    assert invitations_expire() == 0
    assert (
        OutboundEmail.objects.filter(
            recipient=world.editor, template="reviews/emails/invitation_declined"
        ).count()
        == 1
    )


def test_withdraw_refused_after_review_submitted():
    world = make_world(reviewers_per_paper=5)
    invitation = invite_all(world)[0]
    review = Review.objects.get(invitation=invitation)
    review_submit(
        review=review,
        actor=world.reviewers[0],
        raw=balanced_answers(),
        claims=claims_assessed(review),
    )
    with pytest.raises(TransitionError, match="submitted"):
        invitation_withdraw(invitation=invitation, actor=world.editor)
    other = world.invitations[1]
    invitation_withdraw(invitation=other, actor=world.editor)
    assert other.state == InvitationState.WITHDRAWN


@pytest.mark.parametrize(
    ("anonymity", "sees_authors"),
    [(Anonymity.DOUBLE_BLIND, False), (Anonymity.SINGLE_BLIND, True), (Anonymity.OPEN, True)],
)
def test_accepted_reviewer_sees_paper_and_authors_only_when_not_double_blind(
    anonymity, sees_authors
):
    world = make_world(anonymity=anonymity)
    reviewer = world.reviewers[0]
    invitation = invitation_create(
        submission=world.submission, reviewer=reviewer, invited_by=world.editor
    )
    assert not reviewer.has_perm("journal.view_submission", world.submission)
    invitation_accept(invitation=invitation, actor=reviewer)
    fresh = type(reviewer).objects.get(pk=reviewer.pk)
    assert fresh.has_perm("journal.view_submission", world.submission)
    assert fresh.has_perm("journal.view_submission_authors", world.submission) is sees_authors
    assert not fresh.has_perm("reviews.view_reviewer_identity", world.submission) or (
        anonymity == Anonymity.OPEN
    )


def _colleague(world):
    colleague = UserFactory(display_name="Cole League", email="cole@authors-lab.example.org")
    VenueRoleFactory(venue=world.venue, user=colleague, role=RoleKind.REVIEWER)
    return colleague


def test_manual_invitation_warns_of_conflict_and_may_proceed():
    world = make_world()
    colleague = _colleague(world)
    with pytest.raises(ConflictWarning) as exc:
        invitation_create(submission=world.submission, reviewer=colleague, invited_by=world.editor)
    assert "authors-lab.example.org" in exc.value.message
    invitation = invitation_create(
        submission=world.submission,
        reviewer=colleague,
        invited_by=world.editor,
        allow_conflict=True,
    )
    assert invitation.conflict_rules == ["email_domain"]
    assert "authors-lab" in invitation.conflict_warning
    notes = invitation.conflict_notes_for_reviewer()
    assert notes == ["You may share an e-mail domain with an author."]


def test_matching_invitations_are_not_rechecked():
    world = make_world()
    invitation = invitation_create(
        submission=world.submission, reviewer=_colleague(world), invited_by=None, source="matching"
    )
    assert invitation.conflict_rules == []


@pytest.mark.parametrize(
    ("anonymity", "shows_domain"), [(Anonymity.DOUBLE_BLIND, False), (Anonymity.SINGLE_BLIND, True)]
)
def test_reviewer_sees_conflict_warning_without_names_under_double_blind(
    client, anonymity, shows_domain
):
    world = make_world(anonymity=anonymity)
    colleague = _colleague(world)
    invitation = invitation_create(
        submission=world.submission,
        reviewer=colleague,
        invited_by=world.editor,
        allow_conflict=True,
    )
    client.force_login(colleague)
    html = client.get(f"/reviewing/invitations/{invitation.pk}/").content.decode()
    assert "Possible conflict of interest" in html
    assert ("authors-lab.example.org" in html) is shows_domain
    assert ("Quillfeather" in html) is shows_domain


def test_a_coauthor_listed_by_email_is_neither_invited_nor_made_action_editor():
    from journal.models import Authorship
    from journal.services.action_editors import submission_assign_action_editor

    world = make_world()
    coauthor = world.reviewers[0]
    Authorship.objects.create(
        submission=world.submission, order=5, name="Co Author", email=coauthor.email.lower()
    )
    VenueRoleFactory(venue=world.venue, user=coauthor, role=RoleKind.ACTION_EDITOR)
    with pytest.raises(DomainError, match="is an author of this paper"):
        invitation_create(submission=world.submission, reviewer=coauthor, invited_by=world.editor)
    with pytest.raises(DomainError, match="is an author of this paper"):
        submission_assign_action_editor(
            submission=world.submission, editor=coauthor, actor=world.chief
        )
    assert not world.submission.review_invitations.filter(reviewer=coauthor).exists()
    world.submission.refresh_from_db()
    assert world.submission.action_editor_id != coauthor.pk
