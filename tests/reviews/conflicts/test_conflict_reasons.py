"""One pass explains the conflicts of many people with one paper (the chief's AE suggestions)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from journal.enums import RoleKind
from journal.services.submissions import AuthorInput, submission_create
from reviews.selectors.conflicts import conflict_reasons, conflicts_for_pair
from reviews.selectors.editor_suggestions import submission_editor_suggestions
from reviews.services.publications import publication_add
from tests.factories import UserFactory, VenueFactory, VenueRoleFactory

pytestmark = pytest.mark.django_db


def _paper(venue):
    return submission_create(
        venue=venue,
        creator=UserFactory(),
        title="Sparse attention",
        abstract="An abstract.",
        hypothesis_claim="A claim.",
        authors=[AuthorInput(name="Ann Author", email="ann@lab.example.org", affiliation="Lab")],
    )


def test_each_person_gets_their_own_reasons():
    venue = VenueFactory()
    paper = _paper(venue)
    colleague = UserFactory(email="bo@lab.example.org")
    coauthor = UserFactory()
    publication_add(user=coauthor, title="Joint work", year=2026, coauthors=["Ann Author"])
    stranger = UserFactory()
    reasons = conflict_reasons(submission=paper, people=[colleague, stranger, coauthor])
    assert [r.rule for r in reasons[0]] == ["email_domain"]
    assert reasons[1] == []
    assert [r.rule for r in reasons[2]] == ["coauthor"]
    assert "Ann Author" in reasons[2][0].message
    for person, expected in zip([colleague, stranger, coauthor], reasons, strict=True):
        assert conflicts_for_pair(submission=paper, reviewer=person) == expected


def _editors(venue, n):
    for i in range(n):
        VenueRoleFactory(
            venue=venue,
            role=RoleKind.ACTION_EDITOR,
            user=UserFactory(email=f"editor{i}.{venue.slug}@lab.example.org"),
        )


def _queries(paper) -> tuple[int, list]:
    with CaptureQueriesContext(connection) as ctx:
        rows = submission_editor_suggestions(submission=paper)
    return len(ctx.captured_queries), rows


def test_suggestions_cost_the_same_for_two_or_eight_conflicted_editors():
    small, large = VenueFactory(), VenueFactory()
    _editors(small, 2)
    _editors(large, 8)
    few, few_rows = _queries(_paper(small))
    many, many_rows = _queries(_paper(large))
    assert few == many
    assert all(row.conflicts and not row.eligible for row in many_rows)
    assert len(many_rows) == 8 and len(few_rows) == 2
