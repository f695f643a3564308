"""Reminding a reviewer by hand from the editor's paper page."""

from datetime import timedelta

import pytest
from django.urls import reverse

from journal.enums import SubmissionState
from journal.errors import DomainError, TransitionError
from journal.models import AuditEvent, OutboundEmail
from reviews.services.invitations import invitation_accept, invitation_decline
from reviews.services.reminders import reminder_send_manual
from tests.journal.dashboard.conftest import add_review

S = SubmissionState


def remind_url(world, submission):
    return reverse("journal:dashboard-paper-remind", args=[world.venue.slug, submission.number])


def paper_url(world, submission):
    return reverse("journal:dashboard-paper", args=[world.venue.slug, submission.number])


def test_reminder_to_a_pending_invitation_is_queued_and_audited(world):
    submission = world.paper(S.UNDER_REVIEW)
    invitation = add_review(world, submission, submit=False)
    email = reminder_send_manual(invitation=invitation, actor=world.editor)
    assert email.recipient == invitation.reviewer
    assert email.template == "reviews/emails/reminder_invitation"
    assert f"#{submission.number}" in email.body
    event = AuditEvent.objects.get(action="reminder.sent")
    assert event.actor == world.editor and event.data["invitation"] == invitation.pk


def test_reminder_for_an_overdue_review_says_it_is_late(world):
    submission = world.paper(S.UNDER_REVIEW)
    invitation = add_review(world, submission, submit=False)
    invitation_accept(invitation=invitation, actor=invitation.reviewer)
    invitation.refresh_from_db()
    invitation.review_due = invitation.created_at - timedelta(days=1)
    invitation.save(update_fields=["review_due"])
    email = reminder_send_manual(invitation=invitation, actor=world.editor)
    assert email.template == "reviews/emails/reminder_review"
    assert "was due" in email.body


def test_reminder_not_twice_within_an_hour(world):
    submission = world.paper(S.UNDER_REVIEW)
    invitation = add_review(world, submission, submit=False)
    reminder_send_manual(invitation=invitation, actor=world.editor)
    with pytest.raises(DomainError, match="less than an hour ago"):
        reminder_send_manual(invitation=invitation, actor=world.chief)
    assert OutboundEmail.objects.filter(template__contains="reminder").count() == 1


def test_reminder_again_after_an_hour(world):
    submission = world.paper(S.UNDER_REVIEW)
    invitation = add_review(world, submission, submit=False)
    first = reminder_send_manual(invitation=invitation, actor=world.editor)
    first.created_at -= timedelta(hours=2)
    first.dedupe_key = first.dedupe_key + "-earlier"
    first.save(update_fields=["created_at", "dedupe_key"])
    assert reminder_send_manual(invitation=invitation, actor=world.editor).pk != first.pk


def test_reminder_refused_for_declined_invitation(world):
    submission = world.paper(S.UNDER_REVIEW)
    invitation = add_review(world, submission, submit=False)
    invitation_decline(invitation=invitation, actor=invitation.reviewer, reason="Too busy.")
    invitation.refresh_from_db()
    with pytest.raises(TransitionError, match="nothing to remind"):
        reminder_send_manual(invitation=invitation, actor=world.editor)


def test_reminder_refused_for_submitted_review(world):
    submission = world.paper(S.UNDER_REVIEW)
    invitation = add_review(world, submission)
    with pytest.raises(TransitionError, match="already submitted"):
        reminder_send_manual(invitation=invitation, actor=world.editor)


def test_remind_button_on_paper_page_queues_a_reminder(client, world):
    submission = world.paper(S.UNDER_REVIEW)
    invitation = add_review(world, submission, submit=False)
    done = add_review(world, submission)
    client.force_login(world.editor)
    page = client.get(paper_url(world, submission))
    assert page.context["remindable"] == {invitation.pk}
    assert f'value="{invitation.pk}"' in page.content.decode()
    assert f'value="{done.pk}"' not in page.content.decode()
    response = client.post(remind_url(world, submission), {"invitation": invitation.pk})
    assert response.status_code == 302
    assert OutboundEmail.objects.filter(recipient=invitation.reviewer).exists()
    again = client.post(remind_url(world, submission), {"invitation": invitation.pk})
    assert again.status_code == 400
    assert "less than an hour ago" in again.content.decode()


def test_remind_refused_to_other_editors_and_unknown_invitations(client, world):
    submission = world.paper(S.UNDER_REVIEW)
    invitation = add_review(world, submission, submit=False)
    client.force_login(world.other_editor)
    assert client.post(
        remind_url(world, submission), {"invitation": invitation.pk}
    ).status_code in (
        403,
        404,
    )
    client.force_login(world.editor)
    assert client.post(remind_url(world, submission), {"invitation": "0"}).status_code == 404
    assert client.post(remind_url(world, submission), {"invitation": "x"}).status_code == 404
    assert not OutboundEmail.objects.filter(template__contains="reminder").exists()
