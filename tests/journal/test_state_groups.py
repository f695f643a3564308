"""The groups of states declared once on the enums."""

from journal.enums import SubmissionState as S
from journal.services.workflow import RULES, allowed_targets
from reviews.enums import InvitationState
from reviews.models import JobStatus, RunStatus


def test_groups_are_not_members_and_the_choices_stay_the_states():
    assert len(S) == 12
    assert [value for value, _ in S.choices][:2] == ["draft", "submitted"]
    assert "OPEN" not in S.__members__ and "REVIEWABLE" not in S.__members__


def test_open_and_closed_split_the_states_and_only_a_retraction_follows_a_closed_one():
    assert set(S) == S.OPEN | S.CLOSED and not S.OPEN & S.CLOSED
    for state in S.CLOSED:
        assert set(allowed_targets(state)) <= {S.RETRACTED}


def test_groups_nest_as_the_workflow_reads():
    assert S.REVIEWABLE < S.REVIEWING < S.IN_PROGRESS < S.OPEN
    assert S.IN_REVIEW < S.REVIEWING
    assert S.REVISABLE < S.UPLOADABLE and S.DRAFT in S.UPLOADABLE - S.REVISABLE
    assert S.WAS_REJECTED < S.DECIDED | S.CLOSED
    assert S.PUBLIC <= S.WAS_ACCEPTED
    # Authors edit where they may submit from: a draft or a revision.
    assert RULES[S.SUBMITTED].sources == S.AUTHOR_EDITABLE


def test_invitation_and_job_groups():
    assert {InvitationState.PENDING, InvitationState.ACCEPTED} == InvitationState.ACTIVE
    assert {RunStatus.QUEUED, RunStatus.RUNNING} == RunStatus.ACTIVE
    assert {RunStatus.PROPOSED, RunStatus.DEPLOYED} == RunStatus.HAS_PROPOSAL
    assert {JobStatus.QUEUED, JobStatus.RUNNING} == JobStatus.ACTIVE
