"""Conflicts of interest between a submission's authors and a reviewer.

One implementation of the rules serves both questions: `conflicts_for_pair` explains one pair
(checked before any manual invitation) and `conflict_mask` marks every conflicted pair of a
venue for the matching. Both index the reviewers by id, e-mail, name, domain, institution and
co-authors, then look each paper's authors up in those dictionaries, so the bulk mask costs
time in proportion to the number of authors and hits, never papers times reviewers.

The rules:

- same person: the reviewer is an author (by account or by e-mail);
- institution: an author and the reviewer share a normalised affiliation, counting each
  one's institution history (`journal.models.InstitutionAffiliation`) left within the last
  `INSTITUTION_CONFLICT_YEARS` years;
- e-mail domain: an author and the reviewer share a domain, or one domain lies under the
  other (cs.uni.example.edu and uni.example.edu); public mail providers never count;
- co-authorship: a publication from the last `PEERLESS_COAUTHOR_CONFLICT_YEARS` years (or of
  unknown year) lists the other person as co-author, or both list the same paper;
- declared: a conflict the authors declared on the submission, or the reviewer declared (a
  paper, a person, an institution or a domain).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp
from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from journal.enums import ConflictKind
from journal.limits import INSTITUTION_CONFLICT_YEARS
from journal.models import (
    Authorship,
    DeclaredConflict,
    InstitutionAffiliation,
    Submission,
    User,
    Venue,
)
from reviews.models import Publication, ReviewerConflict
from reviews.selectors.conflict_keys import (
    DomainIndex,
    coauthor_keys,
    email_domain,
    institution_keys,
    is_public_domain,
    name_keys,
    public_domains,
    title_key,
)


@dataclass(frozen=True)
class ConflictReason:
    """Why a reviewer may not review a paper: a rule slug and a sentence for the editor."""

    rule: str
    message: str

    def __str__(self) -> str:
        return self.message


SAME_PERSON = "same_person"
INSTITUTION = "institution"
EMAIL_DOMAIN = "email_domain"
COAUTHOR = "coauthor"
DECLARED_BY_AUTHORS = "declared_by_authors"
DECLARED_BY_REVIEWER = "declared_by_reviewer"

@dataclass
class _Author:
    user_id: int | None
    name: str
    email: str
    name_keys: set[str]  # what the name is looked up by (`NameKeys.sought`)
    emails: set[str]
    domains: set[str]
    institutions: dict[str, str]
    history: dict[str, str] = field(default_factory=dict)


@dataclass
class _Paper:
    submission_id: int
    authors: list[_Author] = field(default_factory=list)
    declared: list[tuple[str, int | None, str]] = field(default_factory=list)
    publications: list[tuple[str, str, list[str]]] = field(default_factory=list)


@dataclass
class _ReviewerIndex:
    """The reviewers of one question, indexed by everything a rule looks up."""

    by_user: dict[int, int] = field(default_factory=dict)
    by_email: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))
    by_name: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))
    domains: DomainIndex = field(default_factory=DomainIndex)
    by_institution: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))
    by_history: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))
    by_coauthor: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))
    by_title: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))
    declared_papers: dict[int, set[int]] = field(default_factory=lambda: defaultdict(set))
    declared_people: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))
    declared_institutions: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))
    declared_domains: DomainIndex = field(default_factory=DomainIndex)


def _recent_institutions(user_ids) -> list[tuple[int, str]]:
    """Return (user id, institution) of the history entries that still count."""
    cutoff = timezone.now().year - INSTITUTION_CONFLICT_YEARS
    return list(
        InstitutionAffiliation.objects.filter(
            Q(end_year__isnull=True) | Q(end_year__gte=cutoff), user_id__in=user_ids
        ).values_list("user_id", "institution")
    )


def _recent_publications() -> Q:
    cutoff = timezone.now().year - settings.PEERLESS_COAUTHOR_CONFLICT_YEARS
    return Q(year__gte=cutoff) | Q(year__isnull=True)


def _index_reviewers(reviewers: Sequence[User]) -> _ReviewerIndex:
    public = public_domains()
    index = _ReviewerIndex()
    ids = [r.pk for r in reviewers]
    for idx, user in enumerate(reviewers):
        index.by_user[user.pk] = idx
        index.by_email[user.email.lower()].add(idx)
        for key in name_keys(user.display_name).known:
            index.by_name[key].add(idx)
        for domain in user.all_email_domains:
            if domain and not is_public_domain(domain, public):
                index.domains.add(domain, idx)
        for key in institution_keys(user.affiliation):
            index.by_institution[key].add(idx)
    position = index.by_user
    for user_id, institution in _recent_institutions(ids):
        for key in institution_keys(institution):
            index.by_history[key].add(position[user_id])
    publications = Publication.objects.filter(_recent_publications(), user_id__in=ids)
    for user_id, title, coauthors in publications.values_list("user_id", "title", "coauthors"):
        idx = position[user_id]
        index.by_title[title_key(title)].add(idx)
        for entry in coauthors or ():
            for key in coauthor_keys(entry).known if isinstance(entry, str) else ():
                index.by_coauthor[key].add(idx)
    declared = ReviewerConflict.objects.filter(reviewer_id__in=ids).values_list(
        "reviewer_id", "submission_id", "kind", "value"
    )
    for reviewer_id, submission_id, kind, value in declared:
        idx = position[reviewer_id]
        if submission_id is not None:
            index.declared_papers[submission_id].add(idx)
        elif kind == ConflictKind.PERSON:
            index.declared_people[value.strip().lower()].add(idx)
            for key in name_keys(value).known:
                index.declared_people[key].add(idx)
        elif kind == ConflictKind.INSTITUTION:
            for key in institution_keys(value):
                index.declared_institutions[key].add(idx)
        elif kind == ConflictKind.DOMAIN:
            domain = value.strip().lower().lstrip("@")
            if domain and not is_public_domain(domain, public):
                index.declared_domains.add(domain, idx)
    return index


def _load_papers(
    submission_ids: Sequence[int],
    *,
    venue: Venue | None = None,
    venue_ids: Sequence[int] | None = None,
) -> list[_Paper]:
    public = public_domains()
    papers = {sid: _Paper(submission_id=sid) for sid in submission_ids}
    if venue is not None:
        venue_ids = [venue.pk]
    scope = (
        Q(submission__venue_id__in=venue_ids)
        if venue_ids is not None
        else Q(submission_id__in=submission_ids)
    )
    rows = Authorship.objects.filter(scope).values_list(
        "submission_id",
        "user_id",
        "name",
        "email",
        "affiliation",
        "user__email",
        "user__display_name",
        "user__affiliation",
        "user__email_domains",
    )
    author_users: set[int] = set()
    for sid, uid, name, email, affiliation, u_email, u_name, u_affiliation, u_domains in rows:
        if sid not in papers:
            continue
        emails = {e.lower() for e in (email, u_email) if e}
        domains = {email_domain(e) for e in emails} | {
            d.lower().strip() for d in (u_domains or ()) if d
        }
        institutions = {}
        for text in (affiliation, u_affiliation):
            for key in institution_keys(text or ""):
                institutions[key] = text
        papers[sid].authors.append(
            _Author(
                user_id=uid,
                name=name or u_name or email,
                email=email,
                name_keys=set(name_keys(name).sought | name_keys(u_name or "").sought),
                emails=emails,
                domains={d for d in domains if d and not is_public_domain(d, public)},
                institutions=institutions,
            )
        )
        if uid:
            author_users.add(uid)
    history_of: dict[int, dict[str, str]] = defaultdict(dict)
    for uid, institution in _recent_institutions(author_users):
        for key in institution_keys(institution):
            history_of[uid][key] = institution
    for paper in papers.values():
        for author in paper.authors:
            author.history = history_of.get(author.user_id, {})
    declared = DeclaredConflict.objects.filter(scope).values_list(
        "submission_id", "kind", "user_id", "value"
    )
    for sid, kind, uid, value in declared:
        if sid in papers:
            papers[sid].declared.append((kind, uid, value))
    pubs_by_user: dict[int, list[tuple[str, list[str]]]] = defaultdict(list)
    publications = Publication.objects.filter(_recent_publications(), user_id__in=author_users)
    for uid, title, coauthors in publications.values_list("user_id", "title", "coauthors"):
        pubs_by_user[uid].append((title, coauthors or []))
    for paper in papers.values():
        for author in paper.authors:
            for title, coauthors in pubs_by_user.get(author.user_id, ()):
                paper.publications.append((author.name, title, coauthors))
    return [papers[sid] for sid in submission_ids]


Hit = Callable[[Iterable[int], str, Callable[[], str]], None]


def _scan(paper: _Paper, index: _ReviewerIndex, hit: Hit) -> None:
    """Call `hit(reviewers, rule, message)` for every rule that links them to `paper`."""
    public = public_domains()
    for author in paper.authors:
        who = author.name
        same = set()
        if author.user_id in index.by_user:
            same.add(index.by_user[author.user_id])
        for email in author.emails:
            same |= index.by_email.get(email, set())
        hit(same, SAME_PERSON, lambda: "Is an author of this paper.")
        for key, text in author.institutions.items():
            hit(
                index.by_institution.get(key, ()),
                INSTITUTION,
                lambda text=text, who=who: f"Shares the institution “{text}” with author {who}.",
            )
        for key, text in author.institutions.items():
            hit(
                index.by_history.get(key, ()),
                INSTITUTION,
                lambda text=text, who=who: f"Was at “{text}” within the last "
                f"{INSTITUTION_CONFLICT_YEARS} years; author {who} is there.",
            )
        for key, text in author.history.items():
            for group in (index.by_institution.get(key, ()), index.by_history.get(key, ())):
                hit(
                    group,
                    INSTITUTION,
                    lambda text=text, who=who: f"Shares the institution “{text}” with author "
                    f"{who} within the last {INSTITUTION_CONFLICT_YEARS} years.",
                )
        for domain in author.domains:
            for group in index.domains.find(domain):
                hit(
                    group,
                    EMAIL_DOMAIN,
                    lambda d=domain, who=who: f"Shares the e-mail domain {d} with author {who}.",
                )
        for key in author.name_keys | author.emails:
            hit(
                index.by_coauthor.get(key, ()),
                COAUTHOR,
                lambda who=who: f"Lists author {who} as a co-author of a recent publication.",
            )
            hit(
                index.declared_people.get(key, ()),
                DECLARED_BY_REVIEWER,
                lambda who=who: f"Declared a conflict with author {who}.",
            )
        for key, text in author.institutions.items():
            hit(
                index.declared_institutions.get(key, ()),
                DECLARED_BY_REVIEWER,
                lambda text=text: f"Declared a conflict with the institution “{text}”.",
            )
        for domain in author.domains:
            for group in index.declared_domains.find(domain):
                hit(
                    group,
                    DECLARED_BY_REVIEWER,
                    lambda d=domain: f"Declared a conflict with the domain {d}.",
                )
    for who, title, coauthors in paper.publications:
        listed = set()
        for entry in coauthors:
            for key in coauthor_keys(entry).sought if isinstance(entry, str) else ():
                listed |= index.by_email.get(key, set()) | index.by_name.get(key, set())
        hit(
            listed,
            COAUTHOR,
            lambda who=who, title=title: f"Co-author of {who} on “{title}” (recent).",
        )
        hit(
            index.by_title.get(title_key(title), ()),
            COAUTHOR,
            lambda who=who, title=title: f"Co-author of {who} on “{title}” (recent).",
        )
    hit(
        index.declared_papers.get(paper.submission_id, ()),
        DECLARED_BY_REVIEWER,
        lambda: "Declared a conflict with this paper.",
    )
    for kind, uid, value in paper.declared:
        text = value.strip()
        if kind == ConflictKind.PERSON:
            found = set(index.by_email.get(text.lower(), set()))
            if uid in index.by_user:
                found.add(index.by_user[uid])
            message = "The authors declared a conflict with this person."
        elif kind == ConflictKind.INSTITUTION:
            found = set()
            for key in institution_keys(text):
                found |= index.by_institution.get(key, set())
            message = f"The authors declared a conflict with the institution “{text}”."
        else:
            domain = text.lower().lstrip("@")
            public_domain = not domain or is_public_domain(domain, public)
            found = set()
            for group in [] if public_domain else index.domains.find(domain):
                found |= group
            message = f"The authors declared a conflict with the domain {domain}."
        hit(found, DECLARED_BY_AUTHORS, lambda message=message: message)


def conflicts_for_pair(*, submission: Submission, reviewer: User) -> list[ConflictReason]:
    """Return every reason why `reviewer` may not review `submission` (empty if none)."""
    return conflict_reasons(submission=submission, people=[reviewer])[0]


def conflict_reasons(
    *, submission: Submission, people: Sequence[User]
) -> list[list[ConflictReason]]:
    """Return, for each of `people` in order, every reason they may not review `submission`."""
    index = _index_reviewers(people)
    (paper,) = _load_papers([submission.pk])
    reasons: list[list[ConflictReason]] = [[] for _ in people]

    def hit(reviewers: Iterable[int], rule: str, message: Callable[[], str]) -> None:
        if reviewers:
            reason = ConflictReason(rule=rule, message=message())
            for i in reviewers:
                if reason not in reasons[i]:
                    reasons[i].append(reason)

    _scan(paper, index, hit)
    return reasons


def conflicted_people(*, submission: Submission, people: Sequence[User]) -> list[User]:
    """Return those of `people` who may not review `submission`, in the given order."""
    index = _index_reviewers(people)
    (paper,) = _load_papers([submission.pk])
    hits: set[int] = set()

    def hit(reviewers: Iterable[int], rule: str, message: Callable[[], str]) -> None:
        hits.update(reviewers)

    _scan(paper, index, hit)
    return [people[i] for i in sorted(hits)]


def conflict_mask(
    *, venue: Venue, submissions: Sequence[Submission], reviewers: Sequence[User]
) -> sp.csr_matrix:
    """Return a boolean (submissions x reviewers) sparse matrix, True where they conflict.

    `submissions` must belong to `venue`; rows and columns follow the given orders. Each
    rule hit names a group of reviewers (everyone at a domain, with an institution, ...);
    the mask is the product of the paper-to-group and group-to-reviewer incidences, so a
    group of a thousand colleagues costs one entry per paper, not a thousand.
    """
    index = _index_reviewers(reviewers)
    # A few papers are read by id; most of a venue, by venue (no list of ten thousand ids).
    scope = {"venue": venue} if len(submissions) > 500 else {}
    papers = _load_papers([s.pk for s in submissions], **scope)
    group_of: dict[int, int] = {}
    groups: list[Iterable[int]] = []
    hit_rows: list[int] = []
    hit_groups: list[int] = []
    current = [0]

    def hit(reviewers: Iterable[int], rule: str, message: Callable[[], str]) -> None:
        key = id(reviewers)
        group = group_of.get(key)
        if group is None:
            if not reviewers:
                return
            group = group_of[key] = len(groups)
            groups.append(reviewers)  # kept alive, so its id stays unique
        hit_rows.append(current[0])
        hit_groups.append(group)

    for row, paper in enumerate(papers):
        current[0] = row
        _scan(paper, index, hit)
    shape = (len(submissions), len(reviewers))
    if not groups:
        return sp.csr_matrix(shape, dtype=bool)
    sizes = np.fromiter((len(g) for g in groups), dtype=np.int64, count=len(groups))
    members = np.fromiter(
        (member for group in groups for member in group), dtype=np.int64, count=int(sizes.sum())
    )
    owners = np.repeat(np.arange(len(groups)), sizes)
    group_members = sp.csr_matrix(
        (np.ones(len(members), dtype=np.int32), (owners, members)),
        shape=(len(groups), len(reviewers)),
    )
    paper_groups = sp.csr_matrix(
        (np.ones(len(hit_rows), dtype=np.int32), (hit_rows, hit_groups)),
        shape=(len(submissions), len(groups)),
    )
    mask = sp.csr_matrix(paper_groups @ group_members, dtype=bool)
    mask.eliminate_zeros()
    mask.sort_indices()
    return mask


def conflicted_submission_ids(*, venue_ids: Sequence[int], person: User) -> dict[int, set[int]]:
    """Return, per venue of `venue_ids`, the ids of its submissions `person` is conflicted with.

    The same rules as for reviewers, for one person across whole venues: the editors'
    question ("which papers must I not see the reviewing of?") in one pass.
    """
    found: dict[int, set[int]] = {venue_id: set() for venue_id in venue_ids}
    if not venue_ids:
        return found
    index = _index_reviewers([person])
    venue_of = dict(Submission.objects.filter(venue_id__in=venue_ids).values_list("pk", "venue_id"))
    current = [0]

    def hit(reviewers: Iterable[int], rule: str, message: Callable[[], str]) -> None:
        if 0 in reviewers:
            found[venue_of[current[0]]].add(current[0])

    for paper in _load_papers(list(venue_of), venue_ids=venue_ids):
        current[0] = paper.submission_id
        _scan(paper, index, hit)
    return found
