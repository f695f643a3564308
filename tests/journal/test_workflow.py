"""Every legal and illegal step of the editorial workflow, its guards and its audit trail."""

import itertools

import pytest
from django.utils import timezone

from journal.demo.workflow import drive_to_state, pdf_file
from journal.enums import RoleKind, SubmissionState, VersionKind
from journal.errors import DeadlineError, TransitionError
from journal.models import AuditEvent
from journal.services.action_editors import submission_assign_action_editor
from journal.services.submissions import AuthorInput, submission_create
from journal.services.versions import version_upload
from journal.services.workflow import RULES, allowed_targets, submission_transition
from tests.factories import ConferenceFactory, UserFactory, VenueFactory, VenueRoleFactory

S = SubmissionState
pytestmark = pytest.mark.django_db

LEGAL = {(source, target) for target, rule in RULES.items() for source in rule.sources}
ALL_PAIRS = list(itertools.product(list(S), list(S)))


@pytest.fixture
def people():
    venue = VenueFactory()
    chief = VenueRoleFactory(venue=venue, role=RoleKind.CHIEF).user
    editor = VenueRoleFactory(venue=venue, role=RoleKind.ACTION_EDITOR).user
    author = UserFactory()
    return venue, author, editor, chief


def make_paper(venue, author, **kwargs):
    return submission_create(
        venue=venue,
        creator=author,
        title=kwargs.pop("title", "Sparse attention learns long-range structure"),
        abstract="We study $O(n \\log n)$ attention.",
        hypothesis_claim="Sparse attention suffices for long-range dependencies.",
        **kwargs,
    )


def paper_in(state, people):
    venue, author, editor, chief = people
    return drive_to_state(
        make_paper(venue, author), state, author=author, editor=editor, chief=chief
    )


def satisfy_guards(submission, target, people):
    """Arrange what a legal step needs besides the state (uploads, an action editor)."""
    _venue, author, editor, chief = people
    if target == S.UNDER_REVIEW:
        submission_assign_action_editor(submission=submission, editor=editor, actor=chief)
        submission.refresh_from_db()
    if target == S.CAMERA_READY:
        version_upload(
            submission=submission, actor=author, pdf=pdf_file(), kind=VersionKind.CAMERA_READY
        )
    if target == S.SUBMITTED and submission.state == S.REVISION_REQUESTED:
        version_upload(
            submission=submission, actor=author, pdf=pdf_file(), change_summary="Addressed R2."
        )


@pytest.mark.parametrize(("source", "target"), sorted(LEGAL))
def test_transition_legal_moves_and_audits(people, source, target):
    submission = paper_in(source, people)
    satisfy_guards(submission, target, people)
    actor = people[3]
    before = AuditEvent.objects.count()

    submission_transition(submission=submission, to_state=target, actor=actor, note="a reason")

    submission.refresh_from_db()
    assert submission.state == target
    event = AuditEvent.objects.order_by("-pk").first()
    assert AuditEvent.objects.count() == before + 1
    assert (event.actor, event.from_state, event.to_state, event.note) == (
        actor,
        source,
        target,
        "a reason",
    )
    assert event.action == "submission.transition"


@pytest.mark.parametrize(("source", "target"), sorted(set(ALL_PAIRS) - LEGAL))
def test_transition_illegal_is_refused_and_changes_nothing(people, source, target):
    submission = paper_in(source, people)
    before = AuditEvent.objects.count()

    with pytest.raises(TransitionError) as info:
        submission_transition(submission=submission, to_state=target, actor=people[3], note="x")

    assert S(source).label.lower() in info.value.message
    submission.refresh_from_db()
    assert submission.state == source
    assert AuditEvent.objects.count() == before


def test_transition_unknown_state_is_refused(people):
    submission = paper_in(S.DRAFT, people)
    with pytest.raises(TransitionError, match="not a workflow state"):
        submission_transition(submission=submission, to_state="lost", actor=people[1])


def test_allowed_targets_closed_states_have_no_exit_but_retraction():
    assert allowed_targets(S.PUBLISHED) == [S.RETRACTED]
    for state in (S.REJECTED, S.DESK_REJECTED, S.WITHDRAWN, S.RETRACTED):
        assert allowed_targets(state) == []


def test_withdraw_allowed_from_every_open_state():
    sources = RULES[S.WITHDRAWN].sources
    assert S.DRAFT in sources and S.ACCEPTED in sources and S.CAMERA_READY in sources
    assert not sources & {S.REJECTED, S.PUBLISHED, S.WITHDRAWN, S.RETRACTED, S.DESK_REJECTED}


def test_submit_without_pdf_is_refused(people):
    venue, author, *_ = people
    submission = make_paper(venue, author)
    with pytest.raises(TransitionError, match="Upload the paper's PDF"):
        submission_transition(submission=submission, to_state=S.SUBMITTED, actor=author)


def test_submit_conference_after_deadline_is_refused(people):
    _, author, *_ = people
    venue = ConferenceFactory()
    submission = make_paper(venue, author)
    version_upload(submission=submission, actor=author, pdf=pdf_file())
    later = timezone.now() + timezone.timedelta(days=8)
    with pytest.raises(DeadlineError, match="deadline"):
        submission_transition(submission=submission, to_state=S.SUBMITTED, actor=author, now=later)
    submission_transition(submission=submission, to_state=S.SUBMITTED, actor=author)
    assert submission.state == S.SUBMITTED


def test_create_conference_after_deadline_is_refused(people):
    _, author, *_ = people
    venue = ConferenceFactory(submission_deadline=timezone.now() - timezone.timedelta(minutes=1))
    with pytest.raises(DeadlineError):
        make_paper(venue, author)


def test_under_review_journal_needs_action_editor(people):
    venue, author, *_ = people
    submission = make_paper(venue, author)
    version_upload(submission=submission, actor=author, pdf=pdf_file())
    submission_transition(submission=submission, to_state=S.SUBMITTED, actor=author)
    with pytest.raises(TransitionError, match="action editor"):
        submission_transition(submission=submission, to_state=S.UNDER_REVIEW, actor=people[3])


@pytest.mark.parametrize(
    ("source", "target"), [(S.SUBMITTED, S.DESK_REJECTED), (S.PUBLISHED, S.RETRACTED)]
)
def test_reason_required(people, source, target):
    submission = paper_in(source, people)
    with pytest.raises(TransitionError, match="Give a reason"):
        submission_transition(submission=submission, to_state=target, actor=people[3], note="  ")


def test_resubmit_needs_new_version(people):
    submission = paper_in(S.REVISION_REQUESTED, people)
    with pytest.raises(TransitionError, match="revised PDF"):
        submission_transition(submission=submission, to_state=S.SUBMITTED, actor=people[1])


def test_camera_ready_needs_upload_and_deadline(people):
    submission = paper_in(S.ACCEPTED, people)
    with pytest.raises(TransitionError, match="camera-ready"):
        submission_transition(submission=submission, to_state=S.CAMERA_READY, actor=people[1])
    version_upload(
        submission=submission, actor=people[1], pdf=pdf_file(), kind=VersionKind.CAMERA_READY
    )
    venue = submission.venue
    venue.camera_ready_deadline = timezone.now() - timezone.timedelta(hours=1)
    venue.save()
    with pytest.raises(DeadlineError):
        submission_transition(submission=submission, to_state=S.CAMERA_READY, actor=people[1])


def test_transition_timestamps_set(people):
    submission = paper_in(S.PUBLISHED, people)
    submission.refresh_from_db()
    assert submission.submitted_at and submission.decided_at and submission.published_at


def test_resubmission_keeps_first_submitted_at(people):
    submission = paper_in(S.REVISION_REQUESTED, people)
    first = submission.submitted_at
    version_upload(submission=submission, actor=people[1], pdf=pdf_file(), change_summary="v2")
    submission_transition(submission=submission, to_state=S.SUBMITTED, actor=people[1])
    submission.refresh_from_db()
    assert submission.submitted_at == first


def test_transition_sends_emails_on_commit(people, outbox, django_capture_on_commit_callbacks):
    venue, author, _editor, chief = people
    coauthor = UserFactory()
    submission = make_paper(
        venue, author, authors=[AuthorInput(name="Co Author", email=coauthor.email)]
    )
    version_upload(submission=submission, actor=author, pdf=pdf_file())

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        submission_transition(submission=submission, to_state=S.SUBMITTED, actor=author)
        assert outbox == []  # nothing leaves before the commit

    assert callbacks
    recipients = sorted(m.to[0] for m in outbox)
    assert recipients == sorted([author.email, coauthor.email, chief.email])
    author_mail = next(m for m in outbox if m.to == [author.email])
    assert "Submission received" in author_mail.subject
    assert submission.title in author_mail.body
    assert "&" not in author_mail.subject or "&amp;" not in author_mail.subject


def test_failed_transition_sends_nothing(people, outbox, django_capture_on_commit_callbacks):
    venue, author, *_ = people
    submission = make_paper(venue, author)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(TransitionError):
        submission_transition(submission=submission, to_state=S.SUBMITTED, actor=author)
    assert outbox == []
    assert not submission.emails.exists()


def test_decision_email_carries_note(people, outbox, django_capture_on_commit_callbacks):
    submission = paper_in(S.DECISION_PENDING, people)
    with django_capture_on_commit_callbacks(execute=True):
        submission_transition(
            submission=submission, to_state=S.REJECTED, actor=people[2], note="Claims unsupported."
        )
    assert [m.to[0] for m in outbox] == [people[1].email]
    assert "Rejected" in outbox[0].subject
    assert "Claims unsupported." in outbox[0].body
