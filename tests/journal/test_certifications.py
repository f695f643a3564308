"""Who may grant each of TMLR's certifications, by role, on the decision and at approval."""

import pytest
from django.urls import reverse

from journal.enums import Certification, DecisionOutcome, DecisionStatus, RoleKind
from journal.errors import DomainError
from journal.models import AuditEvent, Decision
from journal.rules import CERTIFICATION_PERMISSIONS
from journal.services.decisions import decision_draft, decision_transition
from tests.factories import UserFactory, VenueRoleFactory
from tests.reviews.workflow.world import make_world

pytestmark = pytest.mark.django_db
C = Certification
EDITORS_GRANT = {C.FEATURED, C.REPRODUCIBILITY, C.SURVEY}


def _people(world):
    return {
        "chief": world.chief,
        "action editor": world.editor,
        "other action editor": VenueRoleFactory(
            venue=world.venue, role=RoleKind.ACTION_EDITOR
        ).user,
        "reviewer": world.reviewers[0],
        "author": world.author,
        "stranger": UserFactory(),
    }


def _make_expert(world):
    """Make one of the paper's authors an expert reviewer of the venue."""
    VenueRoleFactory(venue=world.venue, role=RoleKind.REVIEWER, user=world.author, is_expert=True)


@pytest.mark.parametrize("expert_author", [False, True])
def test_certification_grant_rules_per_role(expert_author):
    world = make_world()
    if expert_author:
        _make_expert(world)
    people = _people(world)
    expected = {
        "chief": EDITORS_GRANT | {C.OUTSTANDING} | ({C.EXPERT} if expert_author else set()),
        "action editor": EDITORS_GRANT | ({C.EXPERT} if expert_author else set()),
        "other action editor": set(),
        "reviewer": set(),
        "author": set(),
        "stranger": set(),
    }
    for who, person in people.items():
        granted = {
            c
            for c, perm in CERTIFICATION_PERMISSIONS.items()
            if person.has_perm(perm, world.submission)
        }
        assert granted == expected[who], who


def _draft(world, certs, editor=None):
    return decision_draft(
        submission=world.submission,
        editor=editor or world.editor,
        outcome=DecisionOutcome.ACCEPT,
        claims_supported=True,
        audience_interested=True,
        certifications=certs,
        comment="Clear evidence for the claims.",
    )


def test_expert_certification_refused_unless_an_author_is_an_expert_reviewer():
    world = make_world()
    events = AuditEvent.objects.count()
    with pytest.raises(DomainError, match="Expert certification is given only by"):
        _draft(world, [C.EXPERT])
    assert not Decision.objects.exists() and AuditEvent.objects.count() == events
    _make_expert(world)
    assert _draft(world, [C.EXPERT, C.SURVEY]).certifications == ["expert", "survey"]


def test_expert_author_matched_by_email_of_an_unclaimed_authorship():
    world = make_world()
    coauthor = UserFactory(email="basil.underwood@authors-lab.example.org")
    VenueRoleFactory(venue=world.venue, role=RoleKind.REVIEWER, user=coauthor, is_expert=True)
    assert _draft(world, [C.EXPERT]).certifications == ["expert"]


def test_action_editor_cannot_give_outstanding_and_nothing_is_drafted():
    world = make_world()
    with pytest.raises(DomainError, match="Outstanding certification is given only by an editor"):
        _draft(world, [C.FEATURED, C.OUTSTANDING])
    assert not Decision.objects.exists()


def test_chief_approval_refuses_expert_for_a_paper_without_expert_authors():
    world = make_world()
    decision = _draft(world, [C.FEATURED])
    decision_transition(
        decision=decision, to_status=DecisionStatus.AWAITING_APPROVAL, actor=world.editor
    )
    with pytest.raises(DomainError, match="Expert"):
        decision_transition(
            decision=decision,
            to_status=DecisionStatus.PUBLISHED,
            actor=world.chief,
            certifications=[C.FEATURED, C.EXPERT],
        )
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.AWAITING_APPROVAL
    assert decision.certifications == ["featured"]
    world.submission.refresh_from_db()
    assert world.submission.state == "decision_pending"
    decision_transition(
        decision=decision,
        to_status=DecisionStatus.PUBLISHED,
        actor=world.chief,
        certifications=[C.FEATURED, C.OUTSTANDING],
    )
    assert decision.certifications == ["featured", "outstanding"]


def test_chief_marks_an_expert_reviewer_on_the_roles_page(client):
    world = make_world()
    role = VenueRoleFactory(venue=world.venue, role=RoleKind.REVIEWER, user=world.author)
    url = reverse("journal:dashboard-roles", args=[world.venue.slug])
    client.force_login(world.chief)
    answer = client.post(url, {"action": "expert", "role_id": role.pk, "is_expert": "1"})
    assert answer.status_code == 302
    assert "Expert reviewer</span>" in client.get(url).content.decode()
    role.refresh_from_db()
    assert role.is_expert
    assert AuditEvent.objects.filter(action="role.expert", actor=world.chief).exists()
    assert world.editor.has_perm(CERTIFICATION_PERMISSIONS[C.EXPERT], world.submission)


def test_only_reviewers_become_expert_reviewers_and_nothing_changes(client):
    world = make_world()
    editor_role = world.venue.roles.get(user=world.editor)
    client.force_login(world.chief)
    url = reverse("journal:dashboard-roles", args=[world.venue.slug])
    answer = client.post(url, {"action": "expert", "role_id": editor_role.pk, "is_expert": "1"})
    assert answer.status_code == 400
    assert "Only reviewers can be expert reviewers." in answer.content.decode()
    editor_role.refresh_from_db()
    assert not editor_role.is_expert
    assert not AuditEvent.objects.filter(action="role.expert").exists()
