"""Crawl a double-blind journal and conference as every role and look for what must not show.

Besides the usual roles (authors must not learn who reviews, reviewers must not learn who
wrote the paper), two roles the audit found holes for: a chief who is also an author of a
paper under review, and an action editor conflicted with a paper they were assigned. Neither
may read anything of that paper's reviewing: reviewer names and addresses, review text, the
invitation e-mails in the outbox, proposed reviewers in a matching run, CSV exports. Each
forbidden text has a positive control (a text the same person must read), so the crawl is
known to reach the places it checks.
"""

import pytest
from django.test import Client

from journal.enums import RoleKind, SubmissionState, VenueKind
from journal.models import User
from journal.services.submissions import AuthorInput, submission_create
from journal.services.versions import version_upload
from reviews.models import Review
from reviews.services.affinity import affinities_compute
from reviews.services.invitations import invitation_accept, invitation_create
from reviews.services.matching import assignment_run_create
from reviews.services.publications import publication_add
from reviews.services.reviews import review_submit
from tests.factories import UserFactory, VenueRoleFactory, claims_assessed
from tests.integration.crawler import assert_absent, assert_never_together, crawl
from tests.integration.flow import AUTHOR_MARKERS, reviewer_markers
from tests.pdfs import pdf_upload
from tests.reviews.workflow.world import (
    AUTHOR_NAME,
    COAUTHOR_NAME,
    balanced_answers,
    invite_all,
    make_world,
)

S = SubmissionState
pytestmark = [pytest.mark.slow, pytest.mark.django_db]


def _paper(world, *, title: str, author: User, state: str = S.UNDER_REVIEW, editor=None):
    from journal.demo.workflow import drive_to_state

    submission = submission_create(
        venue=world.venue,
        creator=author,
        title=title,
        abstract=f"We study {title.lower()}.",
        hypothesis_claim="It holds.",
        authors=[AuthorInput(name=author.display_name, email=author.email)],
    )
    return drive_to_state(
        submission, state, author=author, editor=editor or world.editor, chief=world.chief
    )


def _reviewed(world, submission, reviewer: User, text: str) -> None:
    invitation = invitation_create(submission=submission, reviewer=reviewer, invited_by=world.chief)
    invitation_accept(invitation=invitation, actor=reviewer)
    review = Review.objects.get(invitation=invitation)
    review_submit(
        review=review,
        actor=reviewer,
        raw=balanced_answers(strengths=text),
        claims=claims_assessed(review),
    )


def _starts(venue) -> list[str]:
    slug = venue.slug
    return [
        "/",
        "/dashboard/",
        f"/venues/{slug}/",
        f"/venues/{slug}/dashboard/",
        f"/venues/{slug}/dashboard/submissions/",
        f"/venues/{slug}/dashboard/outbox/",
        f"/venues/{slug}/dashboard/matching/",
        f"/venues/{slug}/dashboard/analytics/",
        f"/venues/{slug}/dashboard/settings/emails/",
        "/reviewing/",
        "/submissions/",
        "/api/v1/submissions/",
        "/api/v1/reviews/",
        "/api/v1/invitations/",
        "/api/v1/comments/",
        "/api/v1/emails/",
        "/api/v1/audit-events/",
        "/api/v1/matching-runs/",
    ]


def _read_as(user: User, venue, extra: list[str] = ()):
    client = Client()
    client.force_login(user)
    return crawl(client, [*_starts(venue), *extra])


@pytest.fixture(params=[VenueKind.JOURNAL, VenueKind.CONFERENCE])
def venue_world(request, django_capture_on_commit_callbacks):
    """A double-blind venue with the usual paper plus the authoring chief's and the
    conflicted editor's papers, reviewed, and (at the conference) a matching proposal."""
    world = make_world(kind=request.param, n_reviewers=3)
    # A revision whose text is anonymous but whose metadata names the authors: reviewers
    # must download it without that metadata.
    version_upload(
        submission=world.submission,
        actor=world.author,
        pdf=pdf_upload(
            [["Sparse attention learns compositional rules", "Anonymous authors"]],
            info={"/Author": AUTHOR_NAME, "/Creator": COAUTHOR_NAME},
            xmp_creators=[AUTHOR_NAME],
        ),
        change_summary="Tables fixed.",
        acknowledge_anonymity=True,
    )
    invite_all(world)
    for i, reviewer in enumerate(world.reviewers):
        review = Review.objects.get(submission=world.submission, reviewer=reviewer)
        review_submit(
            review=review,
            actor=reviewer,
            raw=balanced_answers(strengths=f"VISIBLE-{i}"),
            claims=claims_assessed(review),
        )
    authoring_chief = VenueRoleFactory(
        venue=world.venue,
        role=RoleKind.CHIEF,
        user=UserFactory(display_name="Priya Chairauthor", affiliation="Chair Institute"),
    ).user
    own = _paper(world, title="Chair-authored paper on sparse attention", author=authoring_chief)
    secret_reviewer = VenueRoleFactory(
        venue=world.venue,
        role=RoleKind.REVIEWER,
        user=UserFactory(display_name="Sasha Secretreviewer", email="sasha@hidden.example.net"),
    ).user
    _reviewed(world, own, secret_reviewer, "SECRET-OWN-REVIEW")
    outsider = UserFactory(display_name="Olga Outlab", email="olga@far-lab.example.org")
    lab_author = UserFactory(display_name="Lars Labmate", email="lars@shared-lab.example.org")
    conflicted_ae = VenueRoleFactory(
        venue=world.venue,
        role=RoleKind.ACTION_EDITOR,
        user=UserFactory(display_name="Cora Conflicted", email="cora@editors-home.example.org"),
    ).user
    conflicted = _paper(
        world, title="Paper from the editor's own lab", author=lab_author, editor=conflicted_ae
    )
    conflicted_reviewer = VenueRoleFactory(
        venue=world.venue,
        role=RoleKind.REVIEWER,
        user=UserFactory(display_name="Quentin Quietreviewer", email="quentin@hidden.example.net"),
    ).user
    _reviewed(world, conflicted, conflicted_reviewer, "SECRET-CONFLICTED-REVIEW")
    handled = _paper(
        world, title="Paper the editor may handle", author=outsider, editor=conflicted_ae
    )
    _reviewed(world, handled, world.reviewers[2], "VISIBLE-HANDLED-REVIEW")
    # The conflict arises after the assignment: the editor moves to the authors' lab.
    conflicted_ae.email = "cora@shared-lab.example.org"
    conflicted_ae.save(update_fields=["email"])
    proposal = None
    if request.param == VenueKind.CONFERENCE:
        pending = _paper(
            world,
            title="Chair-authored paper on graph networks",
            author=authoring_chief,
            state=S.SUBMITTED,
        )
        matcher = VenueRoleFactory(
            venue=world.venue,
            role=RoleKind.REVIEWER,
            user=UserFactory(display_name="Gideon Graphmatch", email="gideon@match.example.net"),
        ).user
        publication_add(user=matcher, title="Graph networks", abstract="On graph networks.")
        for reviewer in world.reviewers:
            publication_add(user=reviewer, title="Attention", abstract="On sparse attention.")
        affinities_compute(venue=world.venue)
        with django_capture_on_commit_callbacks(execute=True):
            proposal = assignment_run_create(
                venue=world.venue, actor=world.chief, per_paper=1, max_load=9
            )
        proposal.refresh_from_db()
        assert proposal.pairs.filter(submission=pending, reviewer=matcher).exists()
    return {
        "world": world,
        "authoring_chief": authoring_chief,
        "own": own,
        "secret_reviewer": secret_reviewer,
        "conflicted_ae": conflicted_ae,
        "conflicted": conflicted,
        "proposal": proposal,
    }


def test_leak_crawler_authoring_chief_reads_nothing_of_own_papers_reviewing(venue_world):
    world, chief = venue_world["world"], venue_world["authoring_chief"]
    extra = []
    proposal = venue_world["proposal"]
    if proposal is not None:
        base = f"/venues/{world.venue.slug}/dashboard/matching/runs/{proposal.pk}/"
        numbers = world.venue.submissions.values_list("number", flat=True)
        extra = [base, *(f"{base}?paper={n}" for n in numbers)]
        extra.append(f"/api/v1/matching-runs/{proposal.pk}/pairs/")
    read = _read_as(chief, world.venue, extra)
    secret = venue_world["secret_reviewer"]
    checked = assert_absent(read, ["SECRET-OWN-REVIEW"], who="the authoring chief")
    own_titles = ["Chair-authored paper on sparse attention"]
    people = [secret.display_name, secret.email]
    if proposal is not None:
        own_titles.append("Chair-authored paper on graph networks")
        people += ["Gideon Graphmatch", "gideon@match.example.net"]
        other = _read_as(world.chief, world.venue, extra)
        assert any(
            "Gideon Graphmatch" in t and "on graph networks" in t for t in other.texts.values()
        )  # a chief who is not the author sees the proposed reviewer with the paper
    assert_never_together(read, own_titles, people, who="the authoring chief")
    everything = "\n".join(text for _, text in read.everything())
    assert "VISIBLE-0" in everything  # the crawl reaches other papers' reviews
    assert "SECRET-CONFLICTED-REVIEW" in everything  # and the chief is not conflicted there
    assert any(url.endswith(".csv") for url in read.files)  # the export was read too
    assert checked > 40


def test_leak_crawler_conflicted_editor_reads_nothing_of_the_conflicted_paper(venue_world):
    world, editor = venue_world["world"], venue_world["conflicted_ae"]
    read = _read_as(editor, world.venue)
    assert_absent(read, ["SECRET-CONFLICTED-REVIEW", "editor&#x27;s own lab"], who="the editor")
    everything = "\n".join(text for _, text in read.everything())
    assert "VISIBLE-HANDLED-REVIEW" in everything


def test_leak_crawler_reviewers_and_authors_keep_double_blind(venue_world):
    world = venue_world["world"]
    for reviewer in world.reviewers:
        read = _read_as(reviewer, world.venue, [f"/submissions/{world.submission.pk}/"])
        assert_absent(read, list(AUTHOR_MARKERS), who=reviewer.display_name)
        assert any("/versions/2/pdf/" in url for url in read.files)  # the revision, too
    read = _read_as(world.author, world.venue, [f"/submissions/{world.submission.pk}/"])
    assert_absent(read, reviewer_markers(world), who="the author")
    originals = [text for url, text in read.files.items() if "/versions/2/pdf/" in url]
    assert originals and AUTHOR_NAME in originals[0]  # the authors keep their own metadata
