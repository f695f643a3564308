"""Creating and editing submissions: numbering, authors, claims, conflicts."""

import threading

import pytest
from django.db import connection

from journal.demo.workflow import drive_to_state
from journal.enums import ConflictKind, RoleKind, SubmissionState
from journal.errors import DomainError
from journal.models import AuditEvent
from journal.services.action_editors import submission_assign_action_editor
from journal.services.submissions import (
    AuthorInput,
    ClaimInput,
    ConflictInput,
    submission_create,
    submission_update,
)
from tests.factories import UserFactory, VenueFactory, VenueRoleFactory

pytestmark = pytest.mark.django_db


def create(venue, creator, **kwargs):
    return submission_create(
        venue=venue,
        creator=creator,
        title=kwargs.pop("title", "  Grokking is a phase transition  "),
        abstract="Abstract.",
        hypothesis_claim="Generalisation appears abruptly.",
        **kwargs,
    )


def test_create_numbers_per_venue():
    author = UserFactory()
    first, second = VenueFactory(), VenueFactory()
    assert [create(first, author).number for _ in range(3)] == [1, 2, 3]
    assert create(second, author).number == 1


def test_create_puts_creator_first_and_links_known_users():
    creator, known = UserFactory(), UserFactory()
    submission = create(
        VenueFactory(),
        creator,
        authors=[
            AuthorInput(name="Known", email=known.email.upper()),
            AuthorInput(name="New Person", email="new@lab.example.org"),
        ],
    )
    authors = list(submission.authors.order_by("order"))
    assert [a.email for a in authors] == [creator.email, known.email, "new@lab.example.org"]
    assert [a.user for a in authors] == [creator, known, None]
    assert authors[0].claimed_at is not None and authors[1].claimed_at is None
    assert submission.title == "Grokking is a phase transition"
    assert AuditEvent.objects.filter(submission=submission, action="submission.created").exists()


def test_create_rejects_repeated_author_email():
    creator = UserFactory()
    with pytest.raises(DomainError, match="own e-mail"):
        create(
            VenueFactory(),
            creator,
            authors=[
                AuthorInput(name="A", email="x@a.org"),
                AuthorInput(name="B", email="X@a.org"),
            ],
        )


def test_create_stores_claims_keywords_and_conflicts():
    creator, rival = UserFactory(), UserFactory()
    submission = create(
        VenueFactory(),
        creator,
        keywords=["graphs", " Graphs ", "message passing", ""],
        claims=[
            ClaimInput(dataset="ogbn-arxiv", metric="accuracy", value=73.1, best_prior_value=72.7)
        ],
        conflicts=[
            ConflictInput(kind=ConflictKind.PERSON, value=rival.email, reason="former advisor"),
            ConflictInput(kind=ConflictKind.DOMAIN, value="Lab.Example.org"),
        ],
    )
    assert submission.keywords == ["graphs", "message passing"]
    claim = submission.benchmark_claims.get()
    assert claim.improvement == pytest.approx(0.4)
    conflicts = {c.kind: c for c in submission.declared_conflicts.all()}
    assert conflicts[ConflictKind.PERSON].user == rival
    assert conflicts[ConflictKind.DOMAIN].value == "lab.example.org"


def test_update_changes_draft_and_records_fields():
    creator = UserFactory()
    submission = create(VenueFactory(), creator)
    submission_update(submission=submission, actor=creator, title="New title", abstract="Abstract.")
    event = AuditEvent.objects.filter(action="submission.updated").get()
    assert event.data == {"fields": ["title"]}


def test_update_refused_after_submission():
    venue = VenueFactory()
    chief = VenueRoleFactory(venue=venue, role=RoleKind.CHIEF).user
    creator = UserFactory()
    submission = drive_to_state(
        create(venue, creator), SubmissionState.SUBMITTED, author=creator, editor=chief, chief=chief
    )
    with pytest.raises(DomainError, match="only be changed while it is a draft"):
        submission_update(submission=submission, actor=creator, title="Sneaky")


def test_update_refuses_unknown_fields():
    creator = UserFactory()
    submission = create(VenueFactory(), creator)
    with pytest.raises(DomainError, match="state"):
        submission_update(submission=submission, actor=creator, state="accepted")


def test_assign_action_editor_requires_role_and_no_authorship():
    venue = VenueFactory()
    chief = VenueRoleFactory(venue=venue, role=RoleKind.CHIEF).user
    editor = VenueRoleFactory(venue=venue, role=RoleKind.ACTION_EDITOR).user
    creator = UserFactory()
    submission = create(venue, creator, authors=[AuthorInput(name="E", email=editor.email)])
    with pytest.raises(DomainError, match="author of this paper"):
        submission_assign_action_editor(submission=submission, editor=editor, actor=chief)
    with pytest.raises(DomainError, match="not an action editor"):
        submission_assign_action_editor(submission=submission, editor=UserFactory(), actor=chief)


@pytest.mark.django_db(transaction=True)
def test_create_concurrent_numbers_unique():
    venue, author = VenueFactory(), UserFactory()
    numbers, errors = [], []

    def worker():
        try:
            numbers.append(create(venue, author).number)
        except Exception as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(numbers) == [1, 2, 3, 4, 5, 6]
