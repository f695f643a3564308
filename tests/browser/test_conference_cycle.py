"""A conference run from its dashboard in a real browser, from the timeline to the decisions:
the chair sets the timeline and screens; bidding opens and a reviewer bids with the keyboard;
the reviewer matching uses the bids and the area-chair matching deploys; the reviewing phase
opens rounds for screened papers only; reviews are released venue-wide; an author responds
inside the window and is refused after it; an area chair writes a meta-review; the chair
decides from the decision table; the decisions phase shows the author the decision and the
meta-review. Screenshots go to artifacts/screenshots/conference-*.png."""

from datetime import UTC, timedelta

import pytest
from django.db.models import Count
from django.utils import timezone
from playwright.sync_api import expect

from journal.demo.seed import seed_demo
from journal.enums import Phase, RoleKind, SubmissionState
from journal.models import Submission, User, Venue
from journal.rules import recused_ids
from reviews.models import (
    Bid,
    BidValue,
    Review,
    ReviewInvitation,
    ReviewRound,
)
from reviews.rules import bid_hidden_ids
from reviews.services.invitations import invitation_accept
from reviews.services.publications import publication_add
from reviews.services.reviews import review_submit
from tests.browser.fixtures import login, screenshot
from tests.factories import VenueRoleFactory, claims_assessed, review_answers
from tests.reviews.assignment.venue import TOPICS, add_paper, person, small_venue

S = SubmissionState
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

META = "All reviewers find the message-passing hypothesis tested with care."
RESPONSE = "We thank the reviewers and add the requested ablation on sparse graphs."


def _local(moment) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M")


def _plan(now) -> dict[Phase, tuple]:
    """The timeline the chair types: submission closed an hour ago, bidding open."""
    marks = [-21 * 24, -1, 6 * 24, 20 * 24, 27 * 24, 34 * 24, 41 * 24, 48 * 24, 60 * 24]
    moments = [now + timedelta(hours=h) for h in marks]
    return {phase: (moments[i], moments[i + 1]) for i, phase in enumerate(Phase)}


def _enter(page, slug: str, phase: Phase) -> None:
    """Enter `phase` from the timeline page's confirmation and wait for its work to finish."""
    page.goto(f"/venues/{slug}/dashboard/timeline/")
    page.goto(f"/venues/{slug}/dashboard/timeline/enter/?phase={phase.value}")
    confirm = page.locator("input[name=confirm]")
    if confirm.count():
        confirm.check()
    page.get_by_role("button", name=f"Enter {phase.label.lower()}").click()
    expect(page.locator(".message.success")).to_contain_text(
        f"is now in the {phase.label.lower()} phase"
    )


def _conference():
    small = small_venue(
        paper_topics=["graphs", "diffusion", "bandits", "privacy"],
        reviewer_topics=["graphs", "graphs", "diffusion", "diffusion", "bandits", "privacy"],
        per_paper=2,
        name="Conference on Learning Demo",
    )
    out_of_scope = add_paper(small, "privacy")
    chairs = []
    for n, topics in enumerate((("graphs", "diffusion"), ("bandits", "privacy"))):
        chair = person("ac", n + 1000 * small.venue.pk)
        VenueRoleFactory(venue=small.venue, user=chair, role=RoleKind.ACTION_EDITOR, load_quota=3)
        for topic in topics:
            name, text = TOPICS[topic]
            publication_add(user=chair, title=f"Lectures on {name}", abstract=f"We survey {text}.")
        chairs.append(chair)
    return small, out_of_scope, chairs


def _set_timeline(page, slug: str, now, shot: str) -> None:
    """The chair types the timeline in UTC: submission closed an hour ago, bidding open."""
    page.goto(f"/venues/{slug}/dashboard/timeline/")
    page.get_by_label("Times are in").select_option("UTC")
    for phase, (start, end) in _plan(now).items():
        page.locator(f"#id_{phase.value}-starts_at").fill(_local(start))
        page.locator(f"#id_{phase.value}-ends_at").fill(_local(end))
    page.get_by_role("button", name="Save the timeline").click()
    expect(page.locator(".message.success")).to_contain_text("Timeline saved.")
    expect(page.locator("#timeline")).to_contain_text("Author response")
    screenshot(page, shot)


def _screen(page, slug: str, out) -> None:
    """Desk-reject `out` as out of scope, then pass every remaining paper at once."""
    page.goto(f"/venues/{slug}/dashboard/screening/")
    page.locator(f"#reason-{out.number}").fill("Out of scope for this venue.")
    page.locator("form", has=page.locator(f"#reason-{out.number}")).get_by_role(
        "button", name="Desk-reject"
    ).click()
    page.locator("#pass-all input[name=confirm]").check()
    page.locator("#pass-all").get_by_role("button").click()
    expect(page.locator(".message.success").first).to_contain_text("through screening")
    out.refresh_from_db()
    assert out.state == S.DESK_REJECTED


def _bid(browser, live_server, slug: str, person, paper, key: str, *, query: str = ""):
    """`person` bids on `paper` from the bidding page with a number key; return the tab."""
    tab = browser.new_context(base_url=live_server.url).new_page()
    login(tab, live_server, person)
    tab.goto(f"/venues/{slug}/bids/" + (f"?q={query}" if query else ""))
    tab.locator(f"#bid-{paper.number}-neutral").focus()
    tab.keyboard.press(key)
    level = {"1": "very_high", "6": "conflict"}[key]
    expect(tab.locator(f"#bid-{paper.number}-{level}")).to_be_checked()
    expect(tab.locator(f"#paper-{paper.number} .bid-status")).to_contain_text("Saved:")
    return tab


def _match(page, slug: str, *, area_chairs: bool = False, shot: str = "", expect_text=""):
    """Run a matching from the dashboard (reviewers with the bids, or area chairs); deploy."""
    page.goto(f"/venues/{slug}/dashboard/matching/")
    if area_chairs:
        page.get_by_label("Assign").select_option("area_chairs")
    else:
        page.get_by_role("button", name="Compute affinities").click()
        page.get_by_label("Use the reviewers' bids").check()
    page.get_by_role("button", name="Run the matching").click()
    page.goto(f"/venues/{slug}/dashboard/matching/")
    page.locator("table a", has_text="#").first.click()
    deploy = "Deploy: assign the area chairs" if area_chairs else "Deploy: send the invitations"
    expect(page.get_by_role("button", name=deploy)).to_be_visible()
    if expect_text:
        expect(page.locator(".deploy-form")).to_contain_text(expect_text)
    if shot:
        screenshot(page, shot)
    page.get_by_role("button", name=deploy).click()


def _review(invitations) -> None:
    """The invited reviewers accept and submit their reviews (through the services)."""
    for invitation in invitations:
        invitation_accept(invitation=invitation, actor=invitation.reviewer)
        review = Review.objects.get(invitation=invitation)
        review_submit(
            review=review,
            actor=invitation.reviewer,
            raw=review_answers(review),
            claims=claims_assessed(review),
        )


def _respond(author_tab, paper, text: str):
    author_tab.goto(f"/submissions/{paper.pk}/discussion/")
    author_tab.get_by_label("Comment").fill(text)
    author_tab.get_by_role("button", name="Post").click()


def _meta_review(browser, live_server, paper):
    """The paper's area chair writes its meta-review; return their tab."""
    paper.refresh_from_db()
    tab = browser.new_context(base_url=live_server.url).new_page()
    login(tab, live_server, paper.action_editor)
    tab.goto(f"/submissions/{paper.pk}/reviews/")
    tab.locator("#meta-review").get_by_label("Accept", exact=True).check()
    tab.locator("#meta-review").get_by_label("Meta-review").fill(META)
    tab.get_by_role("button", name="Save the meta-review").click()
    expect(tab.locator("body")).to_contain_text("Meta-review saved.")
    return tab


def _decide(page, slug: str, papers, *, query: str = "", shot: str = "") -> None:
    """Tick `papers` in the decision table, record them as posters after the confirmation."""
    page.goto(f"/venues/{slug}/dashboard/decisions/" + (f"?q={query}" if query else ""))
    for paper in papers:
        page.locator(f"#paper-{paper.pk}").check()
    page.locator("select[name=outcome]").select_option("poster")
    page.get_by_role("button", name="Review these decisions").click()
    expect(page.locator("body")).to_contain_text("To record")
    expect(page.locator("body")).to_contain_text("Accept (poster)")
    if shot:
        screenshot(page, shot)
    n = len(papers)
    page.get_by_role("button", name=f"Record {n} decision{'s' if n > 1 else ''}").click()


def test_a_conference_from_its_timeline_to_the_decisions(page, live_server, browser):
    small, out_of_scope, chairs = _conference()
    venue, chief = small.venue, small.chief
    slug = venue.slug
    papers = [p for p in small.papers if p.pk != out_of_scope.pk]
    graphs_paper = papers[0]
    graphs_expert, bidder = small.reviewers[0], small.reviewers[4]

    login(page, live_server, chief)
    _set_timeline(page, slug, timezone.now(), "conference-1-timeline")
    _enter(page, slug, Phase.SUBMISSION)
    _screen(page, slug, out_of_scope)
    assert Submission.objects.filter(venue=venue, screened_at__isnull=False).count() == 4
    _enter(page, slug, Phase.BIDDING)

    # A reviewer bids from the bidding page with the keyboard: 1 = very high, 6 = conflict.
    tab = _bid(browser, live_server, slug, bidder, graphs_paper, "1")
    expect(tab.locator("#bid-counter")).to_contain_text("You have bid on 1 paper")
    assert out_of_scope.title not in tab.content()
    screenshot(tab, "conference-2-bidding")
    _bid(browser, live_server, slug, graphs_expert, graphs_paper, "6")
    bids = dict(Bid.objects.filter(submission=graphs_paper).values_list("reviewer_id", "value"))
    assert bids == {bidder.pk: BidValue.VERY_HIGH, graphs_expert.pk: BidValue.CONFLICT}

    # Reviewer matching with the bids, deployed: invitations for the screened papers only.
    _match(page, slug, shot="conference-3-matching", expect_text="8 invitations")
    invited = set(
        ReviewInvitation.objects.filter(round__submission=graphs_paper).values_list(
            "reviewer_id", flat=True
        )
    )
    assert bidder.pk in invited and graphs_expert.pk not in invited
    assert not ReviewInvitation.objects.filter(round__submission=out_of_scope).exists()

    # Area chairs by the same engine.
    _match(page, slug, area_chairs=True)
    for paper in papers:
        paper.refresh_from_db()
        assert paper.action_editor_id in {c.pk for c in chairs}

    # Reviewing opens rounds for the screened papers only; the reviewers review.
    _enter(page, slug, Phase.REVIEWING)
    assert ReviewRound.objects.filter(submission__in=papers).count() == 4
    assert not ReviewRound.objects.filter(submission=out_of_scope).exists()
    _review(ReviewInvitation.objects.filter(round__submission__venue=venue))

    # Author response: every paper's reviews are released at once, and the window opens.
    _enter(page, slug, Phase.AUTHOR_RESPONSE)
    rounds = ReviewRound.objects.filter(submission__in=papers)
    assert rounds.count() == 4 and all(r.released_at and r.response_closes_at for r in rounds)
    author_tab = browser.new_context(base_url=live_server.url).new_page()
    login(author_tab, live_server, graphs_paper.created_by)
    author_tab.goto(f"/submissions/{graphs_paper.pk}/discussion/")
    expect(author_tab.locator("body")).to_contain_text("The author-response window is open")
    _respond(author_tab, graphs_paper, RESPONSE)
    expect(author_tab.locator("body")).to_contain_text(RESPONSE)
    screenshot(author_tab, "conference-4-author-response")

    # Discussion closes the window: a second response is refused and nothing is posted.
    _enter(page, slug, Phase.DISCUSSION)
    _respond(author_tab, graphs_paper, "One more thing.")
    expect(author_tab.locator("body")).to_contain_text("The author-response window is not open.")
    assert graphs_paper.review_comments.filter(body="One more thing.").count() == 0

    # The paper's area chair writes the meta-review.
    screenshot(_meta_review(browser, live_server, graphs_paper), "conference-5-meta-review")

    # The chair decides from the decision table, after a confirmation with the counts.
    _enter(page, slug, Phase.META_REVIEW)
    _decide(page, slug, papers, shot="conference-7-decision-confirm")
    graphs_paper.refresh_from_db()
    assert graphs_paper.state != S.ACCEPTED  # recorded, not yet released

    # The decisions phase tells every author at once; the author reads decision and meta-review.
    _enter(page, slug, Phase.DECISIONS)
    for paper in papers:
        paper.refresh_from_db()
        assert paper.state == S.ACCEPTED
    author_tab.goto(f"/submissions/{graphs_paper.pk}/")
    expect(author_tab.locator("body")).to_contain_text("Accepted")
    author_tab.goto(f"/submissions/{graphs_paper.pk}/reviews/")
    expect(author_tab.locator("body")).to_contain_text(META)
    screenshot(author_tab, "conference-8-author-decision")


@pytest.mark.django_db(transaction=True)
def test_conf_demo_from_its_timeline_to_the_decisions(page, live_server, browser, settings):
    """The same cycle on the demo conference as `make demo` seeds it (TF-IDF affinities, as
    the demo computes them: the sentence model would embed its 600 texts in the request)."""
    settings.AFFINITY_EMBEDDING_MODEL = ""
    seed_demo()
    venue = Venue.objects.get(slug="conf-demo")
    slug = venue.slug
    chief = User.objects.get(email="chair@conf-demo.example.org")
    waiting = list(
        venue.submissions.filter(state=S.SUBMITTED)
        .exclude(pk__in=recused_ids(chief, venue))
        .annotate(rounds=Count("review_rounds"))
        .filter(rounds=0)
        .order_by("number")
    )
    target, out = waiting[0], waiting[-1]
    reviewers = User.objects.filter(
        venue_roles__venue=venue, venue_roles__role=RoleKind.REVIEWER
    ).order_by("pk")
    free = [r for r in reviewers if target.pk not in bid_hidden_ids(r, venue)]
    bidder, refuser = free[0], free[1]

    login(page, live_server, chief)
    _set_timeline(page, slug, timezone.now(), "conf-demo-1-timeline")
    _enter(page, slug, Phase.SUBMISSION)
    _screen(page, slug, out)
    target.refresh_from_db()
    assert target.screened_at is not None
    # Papers the chair is a stranger to wait for an area chair's screening.
    waiting_now = venue.submissions.filter(state=S.SUBMITTED, screened_at=None)
    assert set(waiting_now.values_list("pk", flat=True)) <= recused_ids(chief, venue)
    _enter(page, slug, Phase.BIDDING)

    # Two reviewers find the paper by its title and bid from the keyboard.
    words = " ".join(target.title.replace(":", " ").split()[:3])
    tab = _bid(browser, live_server, slug, bidder, target, "1", query=words)
    screenshot(tab, "conf-demo-2-bidding")
    _bid(browser, live_server, slug, refuser, target, "6", query=words)
    bids = dict(Bid.objects.filter(submission=target).values_list("reviewer_id", "value"))
    assert bids[bidder.pk] == BidValue.VERY_HIGH and bids[refuser.pk] == BidValue.CONFLICT

    _match(page, slug, shot="conf-demo-3-matching", expect_text="invitation")
    invited = set(target.review_invitations.values_list("reviewer_id", flat=True))
    assert bidder.pk in invited and refuser.pk not in invited
    assert not out.review_invitations.exists()
    _match(page, slug, area_chairs=True)
    target.refresh_from_db()
    assert target.action_editor_id is not None

    _enter(page, slug, Phase.REVIEWING)
    assert target.review_rounds.exists() and not out.review_rounds.exists()
    _review(ReviewInvitation.objects.filter(round__submission=target, state="pending"))

    _enter(page, slug, Phase.AUTHOR_RESPONSE)
    assert target.review_rounds.get().released_at is not None
    author_tab = browser.new_context(base_url=live_server.url).new_page()
    login(author_tab, live_server, target.created_by)
    _respond(author_tab, target, RESPONSE)
    expect(author_tab.locator("body")).to_contain_text(RESPONSE)
    screenshot(author_tab, "conf-demo-4-author-response")
    _enter(page, slug, Phase.DISCUSSION)
    _respond(author_tab, target, "One more thing.")
    expect(author_tab.locator("body")).to_contain_text("The author-response window is not open.")
    assert not target.review_comments.filter(body="One more thing.").exists()

    _meta_review(browser, live_server, target)
    _enter(page, slug, Phase.META_REVIEW)
    _decide(page, slug, [target], query=words, shot="conf-demo-5-decision-confirm")
    _enter(page, slug, Phase.DECISIONS)
    target.refresh_from_db()
    assert target.state == S.ACCEPTED
    author_tab.goto(f"/submissions/{target.pk}/reviews/")
    expect(author_tab.locator("body")).to_contain_text(META)
    expect(author_tab.locator("body")).to_contain_text("Accepted")
    screenshot(author_tab, "conf-demo-6-author-decision")
