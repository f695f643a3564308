"""Institution history with years: a past institution conflicts for INSTITUTION_CONFLICT_YEARS
years after one left it, on both sides of the pair, and the editors' stored conflicts follow."""

import pytest
from django.utils import timezone

from journal.enums import SubmissionState
from journal.errors import DomainError
from journal.limits import INSTITUTION_CONFLICT_YEARS
from journal.models import InstitutionAffiliation, User
from journal.services.institution_history import (
    institution_affiliation_add,
    institution_affiliation_remove,
)
from journal.services.submissions import AuthorInput, submission_create
from reviews.selectors.conflicts import conflict_mask, conflicts_for_pair
from reviews.selectors.editor_conflicts import editor_conflicted_ids
from tests.factories import UserFactory

YEAR = timezone.now().year


@pytest.fixture
def paper(world):
    world.author.affiliation = "Dept. of Physics, Univ. of Tartu"
    world.author.save()
    return world.paper(SubmissionState.SUBMITTED)


def test_a_reviewer_who_left_the_authors_institution_recently_conflicts(world, paper):
    institution_affiliation_add(
        user=world.reviewer,
        institution="University of Tartu",
        start_year=YEAR - 8,
        end_year=YEAR - INSTITUTION_CONFLICT_YEARS,
    )
    reasons = conflicts_for_pair(submission=paper, reviewer=world.reviewer)
    assert [r.rule for r in reasons] == ["institution"]
    assert "within the last 3 years" in reasons[0].message
    mask = conflict_mask(venue=world.venue, submissions=[paper], reviewers=[world.reviewer])
    assert mask.toarray().tolist() == [[True]]


def test_an_institution_left_before_the_window_does_not_conflict(world, paper):
    institution_affiliation_add(
        user=world.reviewer,
        institution="University of Tartu",
        start_year=YEAR - 12,
        end_year=YEAR - INSTITUTION_CONFLICT_YEARS - 1,
    )
    assert conflicts_for_pair(submission=paper, reviewer=world.reviewer) == []


def test_an_authors_past_institution_meets_the_reviewers_current_one(world):
    author = UserFactory(affiliation="Somewhere Else Institute")
    institution_affiliation_add(
        user=author, institution="ETH Zurich", start_year=YEAR - 5, end_year=YEAR - 1
    )
    reviewer = UserFactory(affiliation="ETH Zurich")
    paper = submission_create(
        venue=world.venue,
        creator=author,
        title="T",
        abstract="A",
        hypothesis_claim="H",
        authors=[AuthorInput(name="Past Author", email=author.email)],
    )
    reasons = conflicts_for_pair(submission=paper, reviewer=reviewer)
    assert any("ETH Zurich" in r.message and "within the last" in r.message for r in reasons)


def test_the_editors_stored_conflicts_follow_the_history(world, paper):
    assert (
        paper.pk
        not in editor_conflicted_ids(user=world.other_editor, venue_ids=[world.venue.pk])[
            world.venue.pk
        ]
    )
    entry = institution_affiliation_add(
        user=world.other_editor, institution="University of Tartu", end_year=YEAR
    )
    assert (
        paper.pk
        in editor_conflicted_ids(user=world.other_editor, venue_ids=[world.venue.pk])[
            world.venue.pk
        ]
    )
    institution_affiliation_remove(user=world.other_editor, entry_id=entry.pk)
    assert (
        paper.pk
        not in editor_conflicted_ids(user=world.other_editor, venue_ids=[world.venue.pk])[
            world.venue.pk
        ]
    )


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"institution": "  "}, "Name the institution"),
        ({"institution": "X", "start_year": 2020, "end_year": 2019}, "before the first"),
        ({"institution": "X", "start_year": 1800}, "from 1900"),
        ({"institution": "X", "end_year": YEAR + 5}, f"to {YEAR + 1}"),
    ],
)
def test_bad_history_entries_are_refused_and_nothing_is_stored(world, fields, message):
    with pytest.raises(DomainError, match=message):
        institution_affiliation_add(user=world.reviewer, **fields)
    assert not InstitutionAffiliation.objects.exists()


def test_nobody_removes_another_persons_entry(world):
    entry = institution_affiliation_add(user=world.reviewer, institution="MIT")
    with pytest.raises(DomainError, match="No such institution"):
        institution_affiliation_remove(user=world.editor, entry_id=entry.pk)
    assert InstitutionAffiliation.objects.filter(pk=entry.pk).exists()
    assert User.objects.get(pk=world.reviewer.pk).affiliation != "MIT"
