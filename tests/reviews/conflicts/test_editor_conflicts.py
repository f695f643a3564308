"""Editors' conflicts are kept as data: the stored answer always equals the rules' answer.

Each test changes one piece of conflict evidence through the service a person would use and
checks that `conflicted_ids` (what every editor page reads) follows without a full rescan.
"""

import pytest

from journal.enums import RoleKind
from journal.models import EditorConflict, EditorConflictScan, User
from journal.rules import conflicted_ids
from journal.services.claims import authorship_claim, claim_token
from journal.services.profile import profile_update
from journal.services.submissions import AuthorInput, submission_create, submission_update
from reviews.selectors.conflicts import conflicted_submission_ids
from reviews.selectors.editor_conflicts import editor_conflicted_ids
from reviews.services.editor_conflicts import editor_conflicts_rebuild
from reviews.services.expertise import reviewer_conflict_declare, reviewer_conflict_remove
from reviews.services.publications import publication_add
from tests.factories import UserFactory, VenueFactory, VenueRoleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def venue():
    return VenueFactory()


@pytest.fixture
def chief(venue):
    user = UserFactory(email="chief@lab.example.org", affiliation="Lab of Examples")
    VenueRoleFactory(venue=venue, user=user, role=RoleKind.CHIEF)
    return user


def _paper(venue, *, title="A paper", authors=()):
    creator = UserFactory()
    return submission_create(
        venue=venue,
        creator=creator,
        title=title,
        abstract="An abstract.",
        hypothesis_claim="A claim.",
        authors=list(authors),
    )


def _fresh(user: User) -> User:
    """The same person as a new request sees them (nothing cached on the object)."""
    return User.objects.get(pk=user.pk)


def _ids(user, venue) -> set[int]:
    return set(conflicted_ids(_fresh(user), venue))


def test_first_read_scans_and_stores_then_reads_rows(venue, chief, django_assert_num_queries):
    colleague = AuthorInput(name="Ann Colleague", email="ann@lab.example.org")
    conflicted = _paper(venue, title="By a colleague", authors=[colleague])
    _paper(venue, title="By strangers")
    assert _ids(chief, venue) == {conflicted.pk}
    assert EditorConflictScan.objects.filter(user=chief, venue=venue).exists()
    assert list(EditorConflict.objects.values_list("submission_id", flat=True)) == [conflicted.pk]
    with django_assert_num_queries(2):
        found = editor_conflicted_ids(user=chief, venue_ids=[venue.pk])
    assert found == {venue.pk: {conflicted.pk}}


def test_paper_submitted_after_the_scan_is_stored_as_conflicted(venue, chief):
    assert _ids(chief, venue) == set()
    later = _paper(venue, authors=[AuthorInput(name="Bo", email="bo@lab.example.org")])
    assert _ids(chief, venue) == {later.pk}


def test_authors_edited_to_a_colleague_and_back(venue, chief):
    paper = _paper(venue)
    assert _ids(chief, venue) == set()
    colleague = AuthorInput(name="Cy", email="cy@lab.example.org")
    submission_update(submission=paper, actor=paper.created_by, authors=[colleague])
    assert _ids(chief, venue) == {paper.pk}
    submission_update(submission=paper, actor=paper.created_by, authors=[])
    assert _ids(chief, venue) == set()


def test_editor_moving_institution_is_rescanned(venue, chief):
    paper = _paper(venue, authors=[AuthorInput(name="Di", email="di@elsewhere.example.net",
                                               affiliation="Institute of Elsewhere")])
    assert _ids(chief, venue) == set()
    profile_update(user=_fresh(chief), display_name="The Chief",
                   affiliation="Institute of Elsewhere")
    assert not EditorConflictScan.objects.filter(user=chief).exists()
    assert _ids(chief, venue) == {paper.pk}


def test_editor_publication_with_an_author_makes_a_conflict(venue, chief):
    paper = _paper(venue, authors=[AuthorInput(name="Eva Coauthor", email="eva@far.example.net")])
    assert _ids(chief, venue) == set()
    publication_add(user=_fresh(chief), title="Our joint work", year=2026,
                    coauthors=["Eva Coauthor"])
    assert _ids(chief, venue) == {paper.pk}


def test_editor_declared_conflict_added_and_removed(venue, chief):
    paper = _paper(venue, authors=[AuthorInput(name="Fay", email="fay@far.example.net")])
    assert _ids(chief, venue) == set()
    declared = reviewer_conflict_declare(reviewer=_fresh(chief), kind="person",
                                         value="fay@far.example.net")
    assert _ids(chief, venue) == {paper.pk}
    reviewer_conflict_remove(reviewer=_fresh(chief), conflict_id=declared.pk)
    assert _ids(chief, venue) == set()


def test_author_moving_to_the_editors_institution_updates_their_papers(venue, chief):
    author = UserFactory(email="gus@far.example.net", affiliation="Far University")
    paper = _paper(venue, authors=[AuthorInput(name="Gus", email=author.email)])
    assert _ids(chief, venue) == set()
    profile_update(user=author, display_name="Gus", affiliation="Lab of Examples")
    assert _ids(chief, venue) == {paper.pk}
    assert EditorConflictScan.objects.filter(user=chief).exists()  # no rescan was needed


def test_claimed_authorship_brings_the_account_evidence(venue, chief):
    account = UserFactory(email="hal@far.example.net", affiliation="Lab of Examples")
    paper = _paper(venue, authors=[AuthorInput(name="Hal", email="hal.old@far.example.net")])
    assert _ids(chief, venue) == set()
    token = claim_token(submission=paper, email="hal.old@far.example.net")
    authorship_claim(token=token, user=account)
    assert _ids(chief, venue) == {paper.pk}


def test_rebuild_equals_the_rules_for_every_scanned_editor(venue, chief):
    editor = UserFactory(email="ivy@far.example.net")
    VenueRoleFactory(venue=venue, user=editor, role=RoleKind.ACTION_EDITOR)
    _paper(venue, authors=[AuthorInput(name="J", email="j@lab.example.org")])
    _paper(venue, authors=[AuthorInput(name="K", email="k@far.example.net")])
    _paper(venue)
    _ids(chief, venue), _ids(editor, venue)
    EditorConflict.objects.all().delete()  # stale rows: the nightly pass must restore them
    made = editor_conflicts_rebuild(venue=venue)
    assert made == 2
    for person in (chief, editor):
        live = conflicted_submission_ids(venue_ids=[venue.pk], person=person)[venue.pk]
        assert _ids(person, venue) == live
        assert len(live) == 1
