"""Reminders at configured offsets, escalation, and never the same reminder twice."""

import threading

import pytest
from django.db import close_old_connections, connection
from django.utils import timezone

from journal.models import OutboundEmail
from reviews.services.invitations import invitation_create
from reviews.services.reminders import reminders_send
from reviews.services.rounds import round_schedule
from reviews.tasks import reviews_periodic
from tests.reviews.workflow.world import invite_all, make_world, submit_review

HOUR = timezone.timedelta(hours=1)


def _reminders(template):
    return OutboundEmail.objects.filter(template=f"reviews/emails/{template}")


@pytest.mark.django_db
def test_review_reminders_follow_the_offsets(settings):
    settings.PEERLESS_REMINDER_OFFSETS = {"review": [-48, 24]}
    world = make_world(n_reviewers=1, reviewers_per_paper=1)
    now = timezone.now()
    invite_all(world, due=now + 72 * HOUR)
    assert reminders_send(now=now) == 0
    assert reminders_send(now=now + 25 * HOUR) == 1
    assert reminders_send(now=now + 30 * HOUR) == 0
    assert reminders_send(now=now + 97 * HOUR) == 1
    emails = list(_reminders("reminder_review").order_by("pk"))
    assert [e.dedupe_key.split(":")[3] for e in emails] == ["-48", "24"]
    assert "Overdue" in emails[1].subject


@pytest.mark.django_db
def test_submitted_review_gets_no_reminder():
    world = make_world(n_reviewers=1, reviewers_per_paper=1)
    now = timezone.now()
    invite_all(world, due=now + HOUR)
    submit_review(world, world.reviewers[0])
    assert reminders_send(now=now + 2 * HOUR) == 0


@pytest.mark.django_db
def test_invitation_recommendation_and_decision_reminders():
    world = make_world(n_reviewers=2, reviewers_per_paper=2)
    now = timezone.now()
    pending = invitation_create(
        submission=world.submission,
        reviewer=world.reviewers[0],
        invited_by=world.editor,
        answer_due=now + 12 * HOUR,
    )
    reminders_send(now=now)
    assert _reminders("reminder_invitation").get().recipient == pending.reviewer
    review_round = pending.round
    round_schedule(
        review_round=review_round,
        actor=world.editor,
        recommendation_due=now + 2 * HOUR,
        decision_due=now + 3 * HOUR,
    )
    reminders_send(now=now)
    assert _reminders("reminder_decision").get().recipient == world.editor
    assert not _reminders("reminder_recommendation").exists()


@pytest.mark.django_db
def test_overdue_review_escalates_to_chief_once(settings):
    settings.PEERLESS_ESCALATE_AFTER_HOURS = {"review": 48}
    world = make_world(n_reviewers=1, reviewers_per_paper=1)
    now = timezone.now()
    invite_all(world, due=now + HOUR)
    reminders_send(now=now + 50 * HOUR)
    reminders_send(now=now + 60 * HOUR)
    escalation = _reminders("escalation").get()
    assert escalation.recipient == world.chief
    assert world.reviewers[0].display_name in escalation.body


@pytest.mark.django_db
def test_periodic_task_twice_sends_nothing_new():
    world = make_world(n_reviewers=1, reviewers_per_paper=1)
    invite_all(world, due=timezone.now() + HOUR)
    first = reviews_periodic.delay().get()
    second = reviews_periodic.delay().get()
    assert first["reminders"] == 1 and second["reminders"] == 0
    assert _reminders("reminder_review").count() == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_runs_never_send_twice():
    world = make_world(n_reviewers=3, reviewers_per_paper=3)
    invite_all(world, due=timezone.now() + HOUR)
    barrier = threading.Barrier(4)
    results, errors = [], []

    def run():
        try:
            barrier.wait()
            results.append(reminders_send())
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sum(results) == 3
    assert _reminders("reminder_review").count() == 3
    keys = list(_reminders("reminder_review").values_list("dedupe_key", flat=True))
    assert len(set(keys)) == 3


@pytest.mark.django_db
def test_recommendation_reminder_only_to_those_who_owe_one():
    from reviews.services.assessments import recommendation_submit

    world = make_world(n_reviewers=2, reviewers_per_paper=2)
    now = timezone.now()
    invite_all(world)
    for reviewer in world.reviewers:
        submit_review(world, reviewer)
    review_round = world.invitations[0].round
    round_schedule(review_round=review_round, actor=world.editor, recommendation_due=now + HOUR)
    recommendation_submit(
        review_round=review_round, reviewer=world.reviewers[0], recommendation="accept"
    )
    reminders_send(now=now)
    reminded = _reminders("reminder_recommendation").get()
    assert reminded.recipient == world.reviewers[1]
