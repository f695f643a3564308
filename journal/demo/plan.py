"""Plan the demo: venues, people, roles and submissions with their target states.

Pure and deterministic: functions take a `random.Random` (or a seed) and the loaded seeds
and return plain dataclasses; nothing here touches the database.
"""


from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, replace

from journal.demo.corpus import Seeds, load_seeds
from journal.demo.papers import PaperText, paper_text
from journal.demo.people import (
    PersonSpec,
    PublicationSpec,
    external_name,
    make_person,
    publication_spec,
)
from journal.enums import ConflictKind, RoleKind, SubmissionState


@dataclass(frozen=True)
class RoleSpec:
    venue: str
    role: str
    load_quota: int | None = None
    unavailable_days: int | None = None


@dataclass(frozen=True)
class UserSpec:
    person: PersonSpec
    roles: tuple[RoleSpec, ...] = ()
    publications: tuple[PublicationSpec, ...] = ()
    keywords: tuple[str, ...] = ()
    is_superuser: bool = False


@dataclass(frozen=True)
class AuthorSpec:
    name: str
    email: str
    affiliation: str
    is_corresponding: bool = False


@dataclass(frozen=True)
class ConflictSpec:
    kind: str
    value: str
    reason: str


@dataclass(frozen=True)
class SubmissionSpec:
    venue: str
    text: PaperText
    state: str
    creator: str
    authors: tuple[AuthorSpec, ...]
    conflicts: tuple[ConflictSpec, ...]
    editor: str
    pages: int
    change_summary: str = ""  # set: the paper went through one revision on its way to `state`


@dataclass(frozen=True)
class VenueSpec:
    slug: str
    name: str
    kind: str
    description: str
    anonymity: str
    reviewers_per_paper: int
    review_period_days: int
    long_paper_pages: int | None
    long_review_period_days: int | None
    deadline_in_days: int | None
    camera_ready_in_days: int | None
    review_form: str
    review_publication: str
    publish_recommendations: bool
    chief: str
    editors: tuple[str, ...]
    #: The stage clock's days (Venue fields such as `discussion_days`); TMLR's for the journal.
    stage_days: tuple[tuple[str, int | None], ...] = ()


@dataclass(frozen=True)
class DemoPlan:
    password: str
    venues: tuple[VenueSpec, ...]
    users: tuple[UserSpec, ...]
    submissions: tuple[SubmissionSpec, ...]
    logins: tuple[tuple[str, str], ...]


def demo_plan(*, seeds: Seeds | None = None, seed: int = 2025) -> DemoPlan:
    """Return the whole demo (venues, people, publications, submissions) as specs."""
    seeds = seeds or load_seeds()
    planner = _Planner(seed, seeds)
    submissions = tuple(
        spec for venue in seeds.demo["venues"] for spec in planner.submissions(venue)
    )
    return DemoPlan(
        password=seeds.demo["password"],
        venues=tuple(_venue_spec(v) for v in seeds.demo["venues"]),
        users=planner.users(),
        submissions=submissions,
        logins=tuple(planner.logins),
    )


def _venue_spec(data: dict) -> VenueSpec:
    return VenueSpec(
        slug=data["slug"],
        name=data["name"],
        kind=data["kind"],
        description=data["description"],
        anonymity=data["anonymity"],
        reviewers_per_paper=data["reviewers_per_paper"],
        review_period_days=data["review_period_days"],
        long_paper_pages=data["long_paper_pages"],
        long_review_period_days=data["long_review_period_days"],
        deadline_in_days=data["deadline_in_days"],
        camera_ready_in_days=data["camera_ready_in_days"],
        review_form=data.get("review_form", ""),
        review_publication=data.get("review_publication", "none"),
        publish_recommendations=data.get("publish_recommendations", False),
        chief=data["chief"]["email"],
        editors=tuple(e["email"] for e in data["editors"]),
        stage_days=tuple(data.get("stage_days", {}).items()),
    )


class _Planner:
    """Draw the demo's people, then their publications, then each venue's papers.

    Each phase has its own random stream, so editing one part of the seeds (say, a
    reviewer pool) leaves the text of the other parts as it was.
    """

    def __init__(self, seed: int, seeds: Seeds) -> None:
        self.seed, self.seeds = seed, seeds
        self.rng = self._stream("people")
        self.topic_slugs = sorted(seeds.topics)
        self.taken: set[str] = set()
        self.titles: set[str] = set()
        self.people: dict[str, PersonSpec] = {}
        self.roles: dict[str, list[RoleSpec]] = {}
        self.logins: list[tuple[str, str]] = []
        self.editors: dict[str, list[PersonSpec]] = {}
        self.reviewers: list[PersonSpec] = []
        self.authors: list[PersonSpec] = []
        self.public: set[str] = set()
        demo = seeds.demo
        admin = demo["admin"]
        self._fixed(admin, "site administrator (superuser)", topics=())
        for venue in demo["venues"]:
            slug = venue["slug"]
            what = "editor-in-chief" if venue["kind"] == "journal" else "program chair"
            self._fixed(venue["chief"], f"{what} of {slug}", roles=[RoleSpec(slug, RoleKind.CHIEF)])
            self.editors[slug] = [
                self._fixed(
                    e,
                    f"{'action editor' if venue['kind'] == 'journal' else 'area chair'} of {slug}",
                    topics=e["topics"],
                    roles=[RoleSpec(slug, RoleKind.ACTION_EDITOR)],
                )
                for e in venue["editors"]
            ]
        self.author = self._fixed(
            demo["demo_author"],
            "author with papers in both venues",
            topics=demo["demo_author"]["topics"],
        )
        reviewer = demo["demo_reviewer"]
        self.reviewers.append(
            self._fixed(
                reviewer,
                "reviewer in both venues",
                topics=reviewer["topics"],
                roles=[RoleSpec(v, RoleKind.REVIEWER, load_quota=4) for v in reviewer["venues"]],
            )
        )
        self._plan_reviewers()
        for k in range(demo["registered_authors"]):
            self.authors.append(self._new(self._topics(k + 5)))
        self.rng = self._stream("publications")
        self.publications = self._plan_publications()
        self.rng = self._stream("keywords")
        self.keywords = {
            r.email: tuple(self.rng.sample(self._vocabulary(r), self.rng.randint(2, 4)))
            for r in self.reviewers
        }
        self.rng = self._stream("senior-chairs")
        for venue in demo["venues"]:
            for data in venue.get("senior_area_chairs", ()):
                self._senior_chair(venue["slug"], data)

    def _senior_chair(self, slug: str, data: dict) -> None:
        """Add a senior area chair of `slug` with a few publications of their own (drawn from
        their own stream, so the rest of the demo stays as it was)."""
        person = self._fixed(
            data,
            f"senior area chair of {slug}",
            topics=data["topics"],
            roles=[RoleSpec(slug, RoleKind.SENIOR_AREA_CHAIR)],
        )
        self.publications[person.email] = [
            publication_spec(
                rng=self.rng,
                seeds=self.seeds,
                topics=self._pub_topics(person),
                coauthors=self._externals(self.rng.randint(1, 3)),
                used_titles=self.titles,
            )
            for _ in range(4)
        ]

    def _stream(self, phase: str) -> random.Random:
        return random.Random(f"{self.seed}:{phase}")

    # People ---------------------------------------------------------------------------

    def _fixed(self, data: dict, what: str, *, topics=(), roles=()) -> PersonSpec:
        place = self.seeds.institution(data["institution"]) if "institution" in data else None
        person = PersonSpec(
            name=data["name"],
            email=data["email"],
            affiliation=place.name if place else "",
            email_domains=(place.domain,) if place else (),
            topics=tuple(topics or data.get("topics", ())),
        )
        self.taken.add(person.email)
        self.people[person.email] = person
        self.roles[person.email] = list(roles)
        self.logins.append((person.email, what))
        return person

    def _new(self, topics: Sequence[str], *, public: bool = False) -> PersonSpec:
        person = make_person(
            rng=self.rng, seeds=self.seeds, topics=topics, taken=self.taken, public=public
        )
        self.people[person.email] = person
        self.roles[person.email] = []
        if public:
            self.public.add(person.email)
        return person

    def _topics(self, k: int) -> list[str]:
        main = self.topic_slugs[k % len(self.topic_slugs)]
        if self.rng.random() < 0.6:
            return [main, self.rng.choice([t for t in self.topic_slugs if t != main])]
        return [main]

    def _plan_reviewers(self) -> None:
        cfg = self.seeds.demo["reviewers"]
        total = sum(pool["count"] for pool in cfg["pools"])
        public = set(self.rng.sample(range(total), cfg["public_email"]))
        away = set(self.rng.sample(range(total), cfg["unavailable"]))
        k = 0
        for pool in cfg["pools"]:
            for _ in range(pool["count"]):
                person = self._new(self._topics(k), public=k in public)
                for venue in pool["venues"]:
                    quota = None
                    if self.rng.random() < cfg["with_quota_fraction"]:
                        quota = self.rng.choice(cfg["quotas"])
                    days = self.rng.randint(14, 75) if k in away else None
                    self.roles[person.email].append(
                        RoleSpec(venue, RoleKind.REVIEWER, load_quota=quota, unavailable_days=days)
                    )
                self.reviewers.append(person)
                k += 1

    # Publications ---------------------------------------------------------------------

    def _pub_topics(self, person: PersonSpec) -> list[str]:
        topics = list(person.topics)
        if len(topics) > 1 and self.rng.random() < 0.35:
            topics.reverse()
        return topics

    def _externals(self, count: int) -> list[str]:
        return [external_name(rng=self.rng, seeds=self.seeds) for _ in range(count)]

    def _plan_publications(self) -> dict[str, list[PublicationSpec]]:
        rng, cfg = self.rng, self.seeds.demo["reviewers"]
        lo, hi = cfg["publications"]
        pubs: dict[str, list[PublicationSpec]] = {}
        target: dict[str, int] = {}
        for email, person in self.people.items():
            if self.roles[email] or person in self.authors or person == self.author:
                pubs[email] = []
                is_reviewer = any(r.role == RoleKind.REVIEWER for r in self.roles[email])
                target[email] = rng.randint(lo, hi) if is_reviewer else rng.randint(3, 6)
        by_topic: dict[str, list[PersonSpec]] = {}
        for person in self.reviewers:
            by_topic.setdefault(person.topics[0], []).append(person)
        for group in by_topic.values():
            order = rng.sample(group, len(group))
            for a, b in zip(order[::2], order[1::2], strict=False):
                if rng.random() >= cfg["joint_publication_fraction"] * 2:
                    continue
                others = self._externals(rng.randint(0, 3))
                joint = publication_spec(
                    rng=rng,
                    seeds=self.seeds,
                    topics=self._pub_topics(a),
                    coauthors=[b.name, *others],
                    used_titles=self.titles,
                )
                pubs[a.email].append(joint)
                pubs[b.email].append(replace(joint, coauthors=(a.name, *others)))
        for email, count in target.items():
            person = self.people[email]
            peers = [p for p in by_topic.get(person.topics[0], []) if p.email != email]
            while len(pubs[email]) < count:
                names = self._externals(rng.randint(1, 4))
                if peers and rng.random() < 0.2:
                    names.insert(rng.randrange(len(names) + 1), rng.choice(peers).name)
                pubs[email].append(
                    publication_spec(
                        rng=rng,
                        seeds=self.seeds,
                        topics=self._pub_topics(person),
                        coauthors=names,
                        used_titles=self.titles,
                    )
                )
        return pubs

    def _vocabulary(self, person: PersonSpec) -> list[str]:
        words = [k for t in person.topics for k in self.seeds.topics[t].keywords]
        return list(dict.fromkeys(words))

    def users(self) -> tuple[UserSpec, ...]:
        """Return every person who gets an account, with roles and publications."""
        admin = self.seeds.demo["admin"]["email"]
        return tuple(
            UserSpec(
                person=person,
                roles=tuple(self.roles[email]),
                publications=tuple(self.publications.get(email, ())),
                keywords=self.keywords.get(email, ()),
                is_superuser=email == admin,
            )
            for email, person in self.people.items()
        )

    # Submissions ----------------------------------------------------------------------

    def submissions(self, venue: dict) -> list[SubmissionSpec]:
        """Return the venue's papers, with states drawn to the counts in the seeds."""
        slug = venue["slug"]
        self.rng = rng = self._stream(f"submissions:{slug}")
        states = [state for state, n in venue["states"].items() for _ in range(n)]
        rng.shuffle(states)
        mine: dict[int, str] = {}
        for paper in self.seeds.demo["demo_author"]["papers"]:
            if paper["venue"] == slug:
                i = next(i for i, s in enumerate(states) if s == paper["state"] and i not in mine)
                mine[i] = paper["role"]
        revisions = dict(venue["revised"])
        offset = 7 * sum(ord(c) for c in slug)
        specs = []
        for i, state in enumerate(states):
            SubmissionState(state)
            if i in mine:
                topics = list(self.author.topics)
            else:
                topics = [self.topic_slugs[(i + offset) % len(self.topic_slugs)]]
                if rng.random() < 0.25:
                    topics.append(rng.choice([t for t in self.topic_slugs if t != topics[0]]))
            summary = ""
            if revisions.get(state) and i not in mine:
                revisions[state] -= 1
                summary = rng.choice(self.seeds.shared["change_summaries"])
            specs.append(self._submission(venue, state, topics, mine.get(i), summary))
        return specs

    def _submission(
        self, venue: dict, state: str, topics: list[str], role: str | None, summary: str
    ) -> SubmissionSpec:
        rng, topic = self.rng, topics[0]
        creator = self.author if role == "creator" else self._candidate(topic, set(), 0.6)
        authors = [_author(creator, corresponding=True)]
        if role == "coauthor":
            authors.append(_author(self.author))
        count = rng.choices((1, 2, 3, 4, 5, 6), weights=(6, 16, 28, 26, 15, 9))[0]
        while len(authors) < count:
            emails = {a.email for a in authors}
            draw = rng.random()
            if draw < 0.35:
                person = self._candidate(topic, emails, 0.3)
            else:
                place = None
                if rng.random() < 0.4:
                    place = self.seeds.institution(creator.affiliation)
                person = make_person(
                    rng=rng, seeds=self.seeds, topics=[topic], taken=self.taken, institution=place
                )
            if person.email not in emails:
                authors.append(_author(person))
        editors = self.editors[venue["slug"]]
        editor = next((e for e in editors if topic in e.topics), rng.choice(editors))
        lo, hi = venue["page_range"]
        return SubmissionSpec(
            venue=venue["slug"],
            text=paper_text(rng=rng, seeds=self.seeds, topics=topics, used_titles=self.titles),
            state=state,
            creator=creator.email,
            authors=tuple(authors),
            conflicts=self._conflicts(topic, {a.email for a in authors}),
            editor=editor.email,
            pages=rng.randint(lo, hi),
            change_summary=summary,
        )

    def _candidate(self, topic: str, exclude: set[str], p_author: float) -> PersonSpec:
        """Return a registered author or (non-public-address) reviewer working on `topic`."""
        pool = (
            self.authors
            if self.rng.random() < p_author
            else [r for r in self.reviewers if r.email not in self.public]
        )
        fits = [p for p in pool if topic in p.topics and p.email not in exclude]
        return self.rng.choice(fits or [p for p in pool if p.email not in exclude] or pool)

    def _conflicts(self, topic: str, authors: set[str]) -> tuple[ConflictSpec, ...]:
        rng = self.rng
        if rng.random() >= 0.12:
            return ()
        rows: dict[tuple[str, str], ConflictSpec] = {}
        for _ in range(rng.randint(1, 2)):
            kind = rng.choice([ConflictKind.PERSON, ConflictKind.INSTITUTION, ConflictKind.DOMAIN])
            place = rng.choice(self.seeds.institutions)
            if kind == ConflictKind.PERSON:
                fits = [r for r in self.reviewers if topic in r.topics and r.email not in authors]
                value = rng.choice(fits or self.reviewers).email
            else:
                value = place.name if kind == ConflictKind.INSTITUTION else place.domain
            reason = rng.choice(self.seeds.conflict_reasons[kind])
            rows[(kind, value)] = ConflictSpec(str(kind), value, reason)
        return tuple(rows.values())


def _author(person: PersonSpec, *, corresponding: bool = False) -> AuthorSpec:
    return AuthorSpec(person.name, person.email, person.affiliation, corresponding)
