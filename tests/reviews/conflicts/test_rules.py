"""Conflict-of-interest rules: each rule, its exceptions, and the bulk mask agreeing with them."""

import itertools

import pytest
from django.utils import timezone

from journal.enums import ConflictKind
from journal.services.submissions import AuthorInput, ConflictInput, submission_create
from reviews.models import Publication, ReviewerConflict
from reviews.selectors.conflict_keys import institution_keys
from reviews.selectors.conflicts import (
    COAUTHOR,
    DECLARED_BY_AUTHORS,
    DECLARED_BY_REVIEWER,
    EMAIL_DOMAIN,
    INSTITUTION,
    SAME_PERSON,
    conflict_mask,
    conflicts_for_pair,
)
from tests.factories import UserFactory, VenueFactory

pytestmark = pytest.mark.django_db

THIS_YEAR = timezone.now().year
_creators = itertools.count()


def person(email, name="Ada Lovelace", affiliation="", domains=()):
    return UserFactory(
        email=email, display_name=name, affiliation=affiliation, email_domains=list(domains)
    )


def paper(*, creator=None, authors=(), conflicts=(), venue=None):
    if creator is None:
        n = next(_creators)
        creator = person(f"creator{n}@solo{n}.example.org", name=f"Cara Creator{n}")
    return submission_create(
        venue=venue or VenueFactory(),
        creator=creator,
        title="Sparse attention at scale",
        abstract="We study sparse attention.",
        hypothesis_claim="Sparse attention suffices.",
        authors=list(authors),
        conflicts=list(conflicts),
    )


def rules(submission, reviewer):
    return {reason.rule for reason in conflicts_for_pair(submission=submission, reviewer=reviewer)}


def test_no_conflict_between_strangers():
    reviewer = person("rev@other.example.com", name="Rita Reviewer", affiliation="Other Corp")
    assert conflicts_for_pair(submission=paper(), reviewer=reviewer) == []


def test_same_person_by_account_and_by_email():
    creator = person("creator@solo.example.org", name="Cara Creator")
    invited = person("later@elsewhere.example.com", name="Liam Later")
    submission = paper(
        creator=creator,
        authors=[AuthorInput(name="Liam Later", email="LATER@elsewhere.example.com")],
    )
    assert SAME_PERSON in rules(submission, creator)
    assert SAME_PERSON in rules(submission, invited)
    reasons = conflicts_for_pair(submission=submission, reviewer=creator)
    assert any(r.message == "Is an author of this paper." for r in reasons)


def test_shared_institution_after_normalisation():
    submission = paper(
        authors=[
            AuthorInput(
                name="Bo Author", email="bo@a.example.org",
                affiliation="Dept. of Computer Science, Univ. of Tübingen",
            )
        ]
    )
    reviewer = person(
        "rev@b.example.com", name="Rita Reviewer", affiliation="University of Tubingen"
    )
    assert rules(submission, reviewer) == {INSTITUTION}
    message = conflicts_for_pair(submission=submission, reviewer=reviewer)[0].message
    assert "Univ. of Tübingen" in message and "Bo Author" in message


def test_departments_of_different_universities_do_not_conflict():
    assert not institution_keys("Department of Physics, University A") & institution_keys(
        "Department of Physics, University B"
    )
    assert institution_keys("The University of Oxford") & institution_keys("university of oxford")


def test_shared_email_domain_and_subdomains():
    submission = paper(authors=[AuthorInput(name="Bo Author", email="bo@cs.uni.example.edu")])
    same = person("rev@cs.uni.example.edu", name="Rita Reviewer")
    parent = person("rev2@uni.example.edu", name="Pat Parent")
    child = person("rev3@ml.cs.uni.example.edu", name="Chris Child")
    sibling = person("rev4@math.other.example.edu", name="Sam Sibling")
    declared = person("rev5@home.example.net", name="Dee Declared", domains=["uni.example.edu"])
    assert rules(submission, same) == {EMAIL_DOMAIN}
    assert rules(submission, parent) == {EMAIL_DOMAIN}
    assert rules(submission, child) == {EMAIL_DOMAIN}
    assert rules(submission, sibling) == set()
    assert rules(submission, declared) == {EMAIL_DOMAIN}


def test_sibling_subdomains_of_a_shared_parent_do_not_conflict():
    submission = paper(authors=[AuthorInput(name="Bo Author", email="bo@uni1.example.edu")])
    reviewer = person("rev@uni2.example.edu", name="Rita Reviewer")
    assert rules(submission, reviewer) == set()


def test_public_mail_providers_never_make_colleagues(settings):
    settings.PEERLESS_PUBLIC_EMAIL_DOMAINS = ["gmail.com"]
    submission = paper(authors=[AuthorInput(name="Bo Author", email="bo@gmail.com")])
    reviewer = person("rita@gmail.com", name="Rita Reviewer")
    assert rules(submission, reviewer) == set()
    settings.PEERLESS_PUBLIC_EMAIL_DOMAINS = []
    assert rules(submission, reviewer) == {EMAIL_DOMAIN}


def test_coauthor_listed_by_reviewer_within_the_window(settings):
    settings.PEERLESS_COAUTHOR_CONFLICT_YEARS = 3
    submission = paper(authors=[AuthorInput(name="Bo Áuthor", email="bo@a.example.org")])
    reviewer = person("rev@b.example.com", name="Rita Reviewer")
    Publication.objects.create(
        user=reviewer, title="Old work", year=THIS_YEAR - 4, coauthors=["Bo Author"]
    )
    assert rules(submission, reviewer) == set()
    Publication.objects.create(
        user=reviewer, title="Recent work", year=THIS_YEAR - 3, coauthors=["bo  author"]
    )
    assert rules(submission, reviewer) == {COAUTHOR}
    settings.PEERLESS_COAUTHOR_CONFLICT_YEARS = 2
    assert rules(submission, reviewer) == set()


def test_coauthor_matched_by_email_and_unknown_year_counts_as_recent():
    submission = paper(authors=[AuthorInput(name="Bo Author", email="bo@a.example.org")])
    reviewer = person("rev@b.example.com", name="Rita Reviewer")
    Publication.objects.create(user=reviewer, title="Undated", coauthors=["BO@a.example.org"])
    assert rules(submission, reviewer) == {COAUTHOR}


def test_coauthor_listed_by_author_and_shared_paper_title():
    author = person("bo@a.example.org", name="Bo Author")
    submission = paper(creator=author)
    lister = person("rev@b.example.com", name="Rita Reviewer")
    sharer = person("sam@c.example.com", name="Sam Sharer")
    Publication.objects.create(
        user=author, title="Joint work", year=THIS_YEAR, coauthors=["Rita Reviewer"]
    )
    Publication.objects.create(user=sharer, title="joint   WORK", year=THIS_YEAR)
    assert rules(submission, lister) == {COAUTHOR}
    assert rules(submission, sharer) == {COAUTHOR}
    message = conflicts_for_pair(submission=submission, reviewer=lister)[0].message
    assert "Joint work" in message


def test_single_word_names_are_not_trusted():
    submission = paper(authors=[AuthorInput(name="Plato", email="plato@a.example.org")])
    reviewer = person("rev@b.example.com", name="Rita Reviewer")
    Publication.objects.create(user=reviewer, title="T", year=THIS_YEAR, coauthors=["Plato"])
    assert rules(submission, reviewer) == set()


def test_conflicts_declared_by_authors():
    by_email = person("rev@b.example.com", name="Rita Reviewer")
    by_institution = person("ian@c.example.com", name="Ian Inst", affiliation="Acme Research")
    by_domain = person("dom@lab.d.example.com", name="Dom Domain")
    public = person("pub@gmail.com", name="Pub Lic")
    submission = paper(
        conflicts=[
            ConflictInput(kind=ConflictKind.PERSON, value="rev@b.example.com"),
            ConflictInput(kind=ConflictKind.INSTITUTION, value="ACME research"),
            ConflictInput(kind=ConflictKind.DOMAIN, value="d.example.com"),
            ConflictInput(kind=ConflictKind.DOMAIN, value="gmail.com"),
        ]
    )
    assert rules(submission, by_email) == {DECLARED_BY_AUTHORS}
    assert rules(submission, by_institution) == {DECLARED_BY_AUTHORS}
    assert rules(submission, by_domain) == {DECLARED_BY_AUTHORS}
    assert rules(submission, public) == set()


def test_conflicts_declared_by_reviewers():
    submission = paper(
        authors=[
            AuthorInput(
                name="Bo Author", email="bo@lab.a.example.org", affiliation="Acme Research"
            )
        ]
    )
    other = paper()
    reviewers = [person(f"r{i}@z{i}.example.com", name=f"Rev Number{i}") for i in range(5)]
    ReviewerConflict.objects.create(reviewer=reviewers[0], submission=submission)
    ReviewerConflict.objects.create(
        reviewer=reviewers[1], kind=ConflictKind.PERSON, value="Bo Author"
    )
    ReviewerConflict.objects.create(
        reviewer=reviewers[2], kind=ConflictKind.INSTITUTION, value="Acme Research"
    )
    ReviewerConflict.objects.create(
        reviewer=reviewers[3], kind=ConflictKind.DOMAIN, value="a.example.org"
    )
    for reviewer in reviewers[:4]:
        assert rules(submission, reviewer) == {DECLARED_BY_REVIEWER}
        assert rules(other, reviewer) == set()
    assert rules(submission, reviewers[4]) == set()


def test_bulk_mask_agrees_with_pairwise_rules():
    venue = VenueFactory()
    shared = person("bo@a.example.org", name="Bo Author", affiliation="Uni Alpha")
    reviewers = [
        person("r0@a.example.org", name="Rev Zero"),
        person("r1@b.example.com", name="Rev One", affiliation="University Alpha"),
        person("r2@c.example.com", name="Rev Two"),
        shared,
        person("r4@d.example.com", name="Rev Four"),
    ]
    Publication.objects.create(
        user=reviewers[2], title="P", year=THIS_YEAR, coauthors=["Ann Other"]
    )
    papers = [
        paper(venue=venue, creator=shared),
        paper(venue=venue, authors=[AuthorInput(name="Ann Other", email="ann@e.example.com")]),
        paper(venue=venue),
    ]
    ReviewerConflict.objects.create(reviewer=reviewers[4], submission=papers[2])
    mask = conflict_mask(venue=venue, submissions=papers, reviewers=reviewers).toarray()
    expected = [
        [bool(conflicts_for_pair(submission=s, reviewer=r)) for r in reviewers] for s in papers
    ]
    assert mask.tolist() == expected
    assert mask.tolist() == [
        [True, True, False, True, False],
        [False, False, True, False, False],
        [False, False, False, False, True],
    ]


def test_bulk_mask_query_count_does_not_grow_with_the_venue(django_assert_max_num_queries):
    venue = VenueFactory()
    reviewers = [person(f"r{i}@x{i}.example.com", name=f"Rev Number{i}") for i in range(30)]
    papers = [paper(venue=venue) for _ in range(10)]
    # One more than before: the reviewers' recent institution history.
    with django_assert_max_num_queries(7):
        conflict_mask(venue=venue, submissions=papers, reviewers=reviewers)
