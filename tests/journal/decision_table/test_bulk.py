"""Bulk decisions: refusals with reasons, the override, drafts at conferences, idempotency."""

import pytest
from django.urls import reverse

from journal.enums import DecisionStatus, RoleKind, SubmissionState, VenueKind
from journal.errors import DomainError, TransitionError
from journal.models import AuditEvent, Decision, OutboundEmail
from journal.selectors.api_reviews import decisions_visible_to
from journal.services.decisions_bulk import (
    bulk_token,
    bulk_token_read,
    decisions_bulk,
    decisions_bulk_plan,
)
from tests.factories import UserFactory, VenueRoleFactory
from tests.journal.decision_table.world import make_conf
from tests.reviews.workflow.world import make_world

pytestmark = pytest.mark.django_db
S = SubmissionState


@pytest.fixture
def conf():
    """Paper 1 fully reviewed; paper 2 with one review of two; paper 3 still submitted."""
    c = make_conf(reviewers_per_paper=2)
    r1, r2, _ = c.world.reviewers
    complete = c.world.submission
    c.review(complete, r1, 7)
    c.review(complete, r2, 8)
    incomplete = c.paper("Half reviewed")
    c.review(incomplete, r1, 4)
    c.invite(incomplete, r2)
    unscreened = c.paper("Never sent to review", state=S.SUBMITTED)
    c.papers = [complete, incomplete, unscreened]
    return c


def _snapshot(venue):
    return (
        sorted(
            Decision.objects.filter(submission__venue=venue).values_list("pk", "outcome", "status")
        ),
        sorted(venue.submissions.values_list("pk", "state")),
        OutboundEmail.objects.count(),
    )


def test_incomplete_reviews_are_refused_and_nothing_changes(conf):
    _, incomplete, unscreened = conf.papers
    outcomes = {incomplete.pk: "poster", unscreened.pk: "oral"}
    before = _snapshot(conf.venue)
    plan = decisions_bulk(venue=conf.venue, actor=conf.chief, outcomes=outcomes)
    assert plan.decided == [] and plan.outcomes == {}
    reasons = {r.submission_id: r.reason for r in plan.refused}
    assert "incomplete: 1 of 2 submitted" in reasons[incomplete.pk]
    assert "only a paper under review can be decided" in reasons[unscreened.pk]
    assert _snapshot(conf.venue) == before


def test_the_plan_states_counts_and_changes_nothing(conf):
    complete, incomplete, unscreened = conf.papers
    before = _snapshot(conf.venue)
    plan = decisions_bulk_plan(
        venue=conf.venue,
        actor=conf.chief,
        outcomes={complete.pk: "oral", incomplete.pk: "oral", unscreened.pk: "oral", 10**9: "oral"},
    )
    assert plan.counts == {"oral": 1}
    assert plan.count_labels == [("oral", "Accept (oral)", 1)]
    assert {r.submission_id for r in plan.refused} == {incomplete.pk, unscreened.pk, 10**9}
    assert "No such paper" in next(r.reason for r in plan.refused if r.submission_id == 10**9)
    assert _snapshot(conf.venue) == before


def test_override_decides_incomplete_papers_and_is_audited(conf):
    complete, incomplete, _ = conf.papers
    plan = decisions_bulk(
        venue=conf.venue,
        actor=conf.chief,
        outcomes={complete.pk: "spotlight", incomplete.pk: "reject"},
        override_incomplete=True,
    )
    assert plan.counts == {"spotlight": 1, "reject": 1}
    assert plan.overridden == {incomplete.pk: (1, 2)}
    event = AuditEvent.objects.get(action="decision.override_incomplete")
    assert event.submission_id == incomplete.pk and event.actor == conf.chief
    assert event.data == {"submitted": 1, "required": 2}
    summary = AuditEvent.objects.get(action="decision.bulk")
    assert summary.data["override_incomplete"] is True
    assert summary.data["overridden"] == [incomplete.pk]


def test_conference_decisions_are_recorded_as_drafts_authors_see_nothing(conf):
    complete = conf.papers[0]
    mails = OutboundEmail.objects.count()
    plan = decisions_bulk(venue=conf.venue, actor=conf.chief, outcomes={complete.pk: "oral"})
    decision = plan.decided[0]
    assert decision.status == DecisionStatus.DRAFT and decision.outcome == "oral"
    complete.refresh_from_db()
    assert complete.state == S.UNDER_REVIEW
    assert OutboundEmail.objects.count() == mails
    assert not decisions_visible_to(user=conf.world.author).filter(submission=complete).exists()


def test_double_submit_creates_no_duplicates(conf):
    complete, incomplete, _ = conf.papers
    outcomes = {complete.pk: "poster", incomplete.pk: "poster"}
    first = decisions_bulk(
        venue=conf.venue, actor=conf.chief, outcomes=outcomes, override_incomplete=True
    )
    again = decisions_bulk(
        venue=conf.venue, actor=conf.chief, outcomes=outcomes, override_incomplete=True
    )
    assert len(first.decided) == 2
    assert again.decided == [] and sorted(again.unchanged) == sorted(outcomes)
    assert Decision.objects.filter(submission__venue=conf.venue).count() == 2
    assert AuditEvent.objects.filter(action="decision.draft").count() == 2
    changed = decisions_bulk(venue=conf.venue, actor=conf.chief, outcomes={complete.pk: "oral"})
    assert changed.counts == {"oral": 1}
    assert Decision.objects.get(submission=complete).outcome == "oral"


def test_released_decisions_are_unchanged_or_refused(conf):
    from journal.services.decisions import decision_transition

    complete = conf.papers[0]
    plan = decisions_bulk(venue=conf.venue, actor=conf.chief, outcomes={complete.pk: "oral"})
    decision_transition(
        decision=plan.decided[0], to_status=DecisionStatus.PUBLISHED, actor=conf.chief
    )
    same = decisions_bulk_plan(venue=conf.venue, actor=conf.chief, outcomes={complete.pk: "oral"})
    assert same.unchanged == [complete.pk]
    other = decisions_bulk_plan(
        venue=conf.venue, actor=conf.chief, outcomes={complete.pk: "reject"}
    )
    assert "already released" in other.refused[0].reason


def test_recused_chief_and_non_chiefs_are_refused(conf):
    complete = conf.papers[0]
    other = VenueRoleFactory(venue=conf.venue, role=RoleKind.CHIEF, user=UserFactory()).user
    conf.venue.submissions.get(pk=complete.pk).authors.create(
        order=9, name="Other", email=other.email
    )
    plan = decisions_bulk(venue=conf.venue, actor=other, outcomes={complete.pk: "oral"})
    assert plan.decided == [] and "another chair decides it" in plan.refused[0].reason
    with pytest.raises(TransitionError):
        decisions_bulk(venue=conf.venue, actor=conf.world.editor, outcomes={complete.pk: "oral"})
    journal = make_world()
    with pytest.raises(DomainError, match="for conferences"):
        decisions_bulk(
            venue=journal.venue, actor=journal.chief, outcomes={journal.submission.pk: "accept"}
        )
    assert not Decision.objects.filter(submission=complete).exists()


def test_a_journal_outcome_is_refused_at_a_conference(conf):
    plan = decisions_bulk_plan(
        venue=conf.venue, actor=conf.chief, outcomes={conf.papers[0].pk: "accept"}
    )
    assert "a decision is one of: accept (oral)" in plan.refused[0].reason


def test_the_token_carries_the_plan_and_the_comment(conf):
    outcomes = {conf.papers[0].pk: "oral"}
    token = bulk_token(
        venue=conf.venue,
        actor=conf.chief,
        outcomes=outcomes,
        override_incomplete=True,
        comment="Hi",
    )
    assert bulk_token_read(token=token, venue=conf.venue, actor=conf.chief, comment="Hi") == (
        outcomes,
        True,
    )
    with pytest.raises(DomainError, match="comment changed"):
        bulk_token_read(token=token, venue=conf.venue, actor=conf.chief, comment="Other")
    with pytest.raises(DomainError, match="another venue or person"):
        bulk_token_read(token=token, venue=conf.venue, actor=conf.world.editor, comment="Hi")
    with pytest.raises(DomainError, match="not valid"):
        bulk_token_read(token=token + "x", venue=conf.venue, actor=conf.chief, comment="Hi")


def _confirm_url(conf):
    return reverse("journal:dashboard-decisions-confirm", kwargs={"slug": conf.venue.slug})


def test_page_flow_confirm_then_record_twice(conf, client):
    complete, incomplete, unscreened = conf.papers
    client.force_login(conf.chief)
    form = {
        "step": "review",
        "outcome": "poster",
        "scope": "chosen",
        "paper": [complete.pk, incomplete.pk, unscreened.pk],
        "comment": "Well done.",
    }
    before = _snapshot(conf.venue)
    response = client.post(_confirm_url(conf), form)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Confirm decisions" in html and "Accept (poster)" in html
    assert "Refused: 2 papers" in html and "1 of 2 submitted" in html
    assert "Never sent to review" in html
    assert _snapshot(conf.venue) == before
    token = response.context["token"]
    record = {"step": "record", "token": token, "comment": "Well done."}
    first = client.post(_confirm_url(conf), record)
    assert "1 decision recorded" in first.content.decode()
    second = client.post(_confirm_url(conf), record)
    assert "0 decisions recorded, 1 unchanged" in second.content.decode()
    decision = Decision.objects.get(submission=complete)
    assert decision.status == DecisionStatus.DRAFT and decision.comment == "Well done."
    assert Decision.objects.filter(submission__venue=conf.venue).count() == 1


def test_page_all_filtered_with_override(conf, client):
    complete, incomplete, _ = conf.papers
    client.force_login(conf.chief)
    response = client.post(
        _confirm_url(conf),
        {
            "step": "review",
            "outcome": "reject",
            "scope": "filtered",
            "filters": "state=under_review",
            "override_incomplete": "on",
        },
    )
    assert response.context["plan"].counts == {"reject": 2}
    assert "with incomplete reviews, decided by your override" in response.content.decode()
    client.post(
        _confirm_url(conf), {"step": "record", "token": response.context["token"], "comment": ""}
    )
    assert set(
        Decision.objects.filter(submission__venue=conf.venue).values_list(
            "submission_id", flat=True
        )
    ) == {complete.pk, incomplete.pk}
    assert AuditEvent.objects.filter(action="decision.override_incomplete").count() == 1


def test_page_refusals_say_why(conf, client):
    client.force_login(conf.chief)
    response = client.post(
        _confirm_url(conf), {"step": "review", "outcome": "oral", "scope": "chosen"}
    )
    assert response.status_code == 400 and "Tick at least one paper" in response.content.decode()
    response = client.post(_confirm_url(conf), {"step": "record", "token": "forged", "comment": ""})
    assert response.status_code == 400 and "not valid" in response.content.decode()
    client.force_login(conf.world.editor)
    response = client.post(
        _confirm_url(conf),
        {"step": "review", "outcome": "oral", "scope": "chosen", "paper": [conf.papers[0].pk]},
    )
    assert response.status_code == 403 and "Only the program chairs" in response.content.decode()
    assert not Decision.objects.filter(submission__venue=conf.venue).exists()


def test_journal_chief_reads_the_table_without_bulk_controls(client):
    journal = make_world(kind=VenueKind.JOURNAL)
    client.force_login(journal.chief)
    url = reverse("journal:dashboard-decisions", kwargs={"slug": journal.venue.slug})
    html = client.get(url).content.decode()
    assert journal.submission.title in html and "Decide in bulk" not in html
