"""Editors' conflicts are kept as data: the stored answer always equals the rules' answer.

Each test changes one piece of conflict evidence through the service a person would use and
checks that `conflicted_ids` (what every editor page reads) follows without a full rescan.
"""

import time

import pytest

from journal.enums import RoleKind
from journal.models import EditorConflict, EditorConflictScan, User
from journal.rules import conflicted_ids
from journal.services.claims import authorship_claim, claim_token
from journal.services.profile import profile_update
from journal.services.role_invitations import role_invitation_accept
from journal.services.roles import venue_role_invite
from journal.services.submissions import AuthorInput, submission_create, submission_update
from reviews.selectors.conflicts import conflicted_submission_ids
from reviews.selectors.editor_conflicts import editor_conflicted_ids
from reviews.services.editor_conflicts import (
    editor_conflicts_rebuild,
    editor_conflicts_rebuild_all,
    editor_conflicts_scan_editors,
)
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


def _editors_world(venue, chief):
    """Papers by the chief's colleague and by strangers; two area chairs, one at the lab."""
    colleague = AuthorInput(name="Ann Colleague", email="ann@lab.example.org")
    by_colleague = _paper(venue, title="By a colleague", authors=[colleague])
    by_stranger = _paper(
        venue, title="By a stranger", authors=[AuthorInput(name="Sam", email="sam@far.example")]
    )
    lab_editor = UserFactory(email="ed@lab.example.org")
    far_editor = UserFactory(email="ed@elsewhere.example.net")
    for user in (lab_editor, far_editor):
        VenueRoleFactory(venue=venue, user=user, role=RoleKind.ACTION_EDITOR)
    VenueRoleFactory(venue=venue, role=RoleKind.REVIEWER)  # reviewers are scanned by bidding
    return by_colleague, by_stranger, [chief, lab_editor, far_editor]


def test_one_pass_stores_every_editors_scan_as_their_own_would(
    venue, chief, django_assert_max_num_queries
):
    by_colleague, by_stranger, editors = _editors_world(venue, chief)
    assert editor_conflicts_scan_editors(venue=venue) == 3
    for editor in editors:
        expected = conflicted_submission_ids(venue_ids=[venue.pk], person=editor)[venue.pk]
        stored = set(
            EditorConflict.objects.filter(user=editor, venue=venue).values_list(
                "submission_id", flat=True
            )
        )
        assert stored == expected
    assert by_colleague.pk in expected_for(editors[0], venue)
    assert by_stranger.pk not in expected_for(editors[0], venue)
    assert EditorConflictScan.objects.filter(venue=venue).count() == 3  # not the reviewer
    # A second pass scans nobody and changes nothing; a first visit reads rows, no scan.
    rows = list(EditorConflict.objects.order_by("pk").values_list("pk", flat=True))
    assert editor_conflicts_scan_editors(venue=venue) == 0
    assert list(EditorConflict.objects.order_by("pk").values_list("pk", flat=True)) == rows
    # the person, their scan, its rows, the chairs' waivers: no pass over the papers
    with django_assert_max_num_queries(4):
        assert _ids(editors[1], venue) == {by_colleague.pk}


def expected_for(user, venue) -> set[int]:
    return set(
        EditorConflict.objects.filter(user=user, venue=venue).values_list(
            "submission_id", flat=True
        )
    )


def test_the_nightly_pass_scans_editors_nobody_scanned_yet(venue, chief):
    by_colleague, _, _ = _editors_world(venue, chief)
    editor_conflicts_rebuild_all()
    assert EditorConflictScan.objects.filter(venue=venue).count() == 3
    assert expected_for(chief, venue) == {by_colleague.pk}


def test_accepting_an_area_chair_role_scans_them_in_the_worker(venue, chief, celery_worker):
    """The real worker stores the new area chair's scan before their first dashboard."""
    by_colleague = _paper(
        venue,
        title="By a colleague",
        authors=[AuthorInput(name="Ann Colleague", email="ann@lab.example.org")],
    )
    invitation = venue_role_invite(
        venue=venue, actor=chief, email="new.ac@lab.example.org", role=RoleKind.ACTION_EDITOR
    )
    accepted = role_invitation_accept(invitation=invitation, actor=invitation.user)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if EditorConflictScan.objects.filter(venue=venue, user=accepted.user).exists():
            break
        time.sleep(0.1)
    assert expected_for(accepted.user, venue) == {by_colleague.pk}
    # The chief, who never opened a dashboard, was scanned in the same pass.
    assert expected_for(chief, venue) == {by_colleague.pk}


def test_a_reviewer_role_queues_no_editor_scan(venue, chief, django_capture_on_commit_callbacks):
    invitation = venue_role_invite(
        venue=venue, actor=chief, email="rev@lab.example.org", role=RoleKind.REVIEWER
    )
    with django_capture_on_commit_callbacks(execute=True):
        role_invitation_accept(invitation=invitation, actor=invitation.user)
    assert not EditorConflictScan.objects.exists()
