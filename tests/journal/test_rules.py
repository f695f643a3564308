"""Who may see and do what with a submission, for every role."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils.functional import SimpleLazyObject

from journal.demo.workflow import drive_to_state
from journal.enums import Anonymity, RoleKind, SubmissionState
from journal.models import User
from journal.rules import forget_access, recused_ids_everywhere, roles_at
from journal.services.submissions import AuthorInput, submission_create
from tests.factories import UserFactory, VenueFactory, VenueRoleFactory

S = SubmissionState
pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "stranger",
    "author",
    "coauthor",
    "venue_reviewer",
    "handling_editor",
    "other_editor",
    "chief",
    "chief_author",
]

# permission -> roles that hold it on an under-review paper
EXPECTED_UNDER_REVIEW = {
    "journal.view_submission": {"author", "coauthor", "handling_editor", "chief", "chief_author"},
    "journal.view_submission_authors": {
        "author",
        "coauthor",
        "handling_editor",
        "chief",
        "chief_author",
    },
    "journal.upload_version": {"author", "coauthor", "chief_author"},
    "journal.withdraw_submission": {"author", "coauthor", "chief_author"},
    "journal.change_submission": set(),
    "journal.desk_reject_submission": {"handling_editor", "chief"},
    "journal.decide_submission": {"handling_editor", "chief"},
    "journal.assign_action_editor": {"chief"},
    "journal.publish_submission": {"chief"},
    "journal.view_editor_audit": {"handling_editor", "chief"},
    "journal.view_dashboard": {"handling_editor", "other_editor", "chief", "chief_author"},
    "journal.manage_venue": {"chief", "chief_author"},
}


@pytest.fixture
def world():
    venue = VenueFactory(anonymity=Anonymity.DOUBLE_BLIND)
    people = {"anonymous": AnonymousUser(), "stranger": UserFactory()}
    for name, role in [
        ("venue_reviewer", RoleKind.REVIEWER),
        ("handling_editor", RoleKind.ACTION_EDITOR),
        ("other_editor", RoleKind.ACTION_EDITOR),
        ("chief", RoleKind.CHIEF),
        ("chief_author", RoleKind.CHIEF),
    ]:
        people[name] = VenueRoleFactory(venue=venue, role=role).user
    people["author"] = UserFactory()
    people["coauthor"] = UserFactory()
    submission = submission_create(
        venue=venue,
        creator=people["author"],
        title="Contrastive pretraining transfers to tabular data",
        abstract="Abstract.",
        hypothesis_claim="Claim.",
        authors=[
            AuthorInput(name="A", email=people["author"].email),
            AuthorInput(name="B", email=people["coauthor"].email),
            AuthorInput(name="C", email=people["chief_author"].email),
        ],
    )
    drive_to_state(
        submission,
        S.UNDER_REVIEW,
        author=people["author"],
        editor=people["handling_editor"],
        chief=people["chief"],
    )
    submission.refresh_from_db()
    return submission, people


@pytest.mark.parametrize("perm", sorted(EXPECTED_UNDER_REVIEW))
@pytest.mark.parametrize("role", ROLES)
def test_permission_per_role_under_review(world, perm, role):
    submission, people = world
    target = (
        submission.venue
        if perm in {"journal.view_dashboard", "journal.manage_venue"}
        else (submission)
    )
    assert people[role].has_perm(perm, target) is (role in EXPECTED_UNDER_REVIEW[perm])


@pytest.mark.parametrize("role", ROLES)
def test_published_paper_visible_to_everyone(world, role):
    submission, people = world
    drive_to_state(
        submission,
        S.PUBLISHED,
        author=people["author"],
        editor=people["handling_editor"],
        chief=people["chief"],
    )
    assert people[role].has_perm("journal.view_submission", submission)
    assert people[role].has_perm("journal.view_submission_authors", submission)


def test_change_submission_only_while_editable(world):
    submission, people = world
    author = people["author"]
    assert not author.has_perm("journal.change_submission", submission)
    drive_to_state(
        submission,
        S.REVISION_REQUESTED,
        author=author,
        editor=people["handling_editor"],
        chief=people["chief"],
    )
    author = type(author).objects.get(pk=author.pk)  # fresh per-request caches
    assert author.has_perm("journal.change_submission", submission)


def test_a_lazy_request_user_and_the_user_behind_it_share_what_the_rules_read(
    world, django_assert_num_queries
):
    """A page reads the chief's roles and conflicts once; `has_perm` gets the real user."""
    submission, people = world
    chief = User.objects.get(pk=people["chief"].pk)
    lazy = SimpleLazyObject(lambda: chief)
    # What a list of papers does first: the roles at the venue, the papers to leave out.
    roles_at(lazy, submission.venue)
    recused_ids_everywhere(lazy)
    with django_assert_num_queries(0):
        assert lazy.has_perm("journal.view_submission_authors", submission) is True
        assert lazy.has_perm("journal.decide_submission", submission) is True
    forget_access(lazy, "_peerless_roles")
    with django_assert_num_queries(1):
        assert lazy.has_perm("journal.decide_submission", submission) is True
