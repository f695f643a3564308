"""Generate large synthetic venues for benchmarks.

Pure and deterministic: functions take a `random.Random` (or a seed) and the loaded seeds
and return plain dataclasses; nothing here touches the database.
"""


from __future__ import annotations

import random
from dataclasses import dataclass

from journal.demo.corpus import Seeds, ascii_slug
from journal.demo.papers import PaperText, paper_text
from journal.demo.people import (
    PersonSpec,
    PublicationSpec,
    external_name,
    make_person,
    publication_spec,
)
from journal.enums import SubmissionState

#: How often each state occurs in a synthetic conference.
SYNTHETIC_STATES = {
    SubmissionState.DRAFT: 3,
    SubmissionState.SUBMITTED: 40,
    SubmissionState.UNDER_REVIEW: 35,
    SubmissionState.DECISION_PENDING: 10,
    SubmissionState.DESK_REJECTED: 4,
    SubmissionState.WITHDRAWN: 3,
    SubmissionState.REVISION_REQUESTED: 2,
    SubmissionState.REJECTED: 3,
}


@dataclass(frozen=True)
class SyntheticReviewer:
    person: PersonSpec
    load_quota: int | None
    unavailable_days: int | None
    publications: tuple[PublicationSpec, ...]


@dataclass(frozen=True)
class SyntheticPaper:
    number: int
    text: PaperText
    state: str
    authors: tuple[int | PersonSpec, ...]  # a reviewer's index, or someone without an account


class SyntheticCrowd:
    """The people and papers of a synthetic venue, drawn per index.

    Each person and paper has its own random stream, so any one of them can be rebuilt
    alone (a resumed run creates exactly what an uninterrupted one would have). Reviewer
    `i` works mainly on topic `i mod T`, which lets papers pick topical authors cheaply.
    """

    def __init__(self, seeds: Seeds, *, seed: int, slug: str, reviewers: int) -> None:
        self.seeds, self.seed, self.slug, self.reviewers = seeds, seed, slug, reviewers
        self.topic_slugs = sorted(seeds.topics)
        self.tag = ascii_slug(slug)[:24]
        self._people: dict[tuple[str, int], PersonSpec] = {}

    def _rng(self, kind: str, index: int) -> random.Random:
        return random.Random(f"{self.seed}:{self.slug}:{kind}:{index}")

    def person(self, index: int, *, kind: str = "reviewer") -> PersonSpec:
        """Return person `index` of `kind` (reviewer, chair or chief)."""
        key = (kind, index)
        if key not in self._people:
            rng = self._rng(kind, index)
            main = self.topic_slugs[index % len(self.topic_slugs)]
            topics = [main]
            if rng.random() < 0.5:
                topics.append(rng.choice([t for t in self.topic_slugs if t != main]))
            self._people[key] = make_person(
                rng=rng,
                seeds=self.seeds,
                topics=topics,
                taken=set(),
                public=rng.random() < 0.01,
                tag=f".{self.tag}-{kind[:2]}{index}",
            )
        return self._people[key]

    def reviewer(self, index: int) -> SyntheticReviewer:
        """Return reviewer `index` with their load, availability and publications."""
        person = self.person(index)
        rng = self._rng("publications", index)
        quota = rng.choice((3, 4, 5, 6, 8, 10)) if rng.random() < 0.25 else None
        away = rng.randint(10, 90) if rng.random() < 0.02 else None
        titles: set[str] = set()
        publications = []
        for _ in range(rng.randint(5, 11)):
            names = [external_name(rng=rng, seeds=self.seeds) for _ in range(rng.randint(1, 4))]
            if rng.random() < 0.25:
                peer = self._on_topic(rng, index % len(self.topic_slugs))
                if peer != index:
                    names.insert(rng.randrange(len(names) + 1), self.person(peer).name)
            topics = list(person.topics)
            if len(topics) > 1 and rng.random() < 0.3:
                topics.reverse()
            publications.append(
                publication_spec(
                    rng=rng, seeds=self.seeds, topics=topics, coauthors=names, used_titles=titles
                )
            )
        return SyntheticReviewer(person, quota, away, tuple(publications))

    def paper(self, number: int) -> SyntheticPaper:
        """Return paper `number`: a topic mixture, a state and authors (mostly reviewers)."""
        rng = self._rng("paper", number)
        main = rng.randrange(len(self.topic_slugs))
        topics = [self.topic_slugs[main]]
        if rng.random() < 0.4:
            topics.append(rng.choice([t for t in self.topic_slugs if t != topics[0]]))
        text = paper_text(rng=rng, seeds=self.seeds, topics=topics)
        state = rng.choices(list(SYNTHETIC_STATES), weights=list(SYNTHETIC_STATES.values()))[0]
        count = rng.choices((1, 2, 3, 4, 5, 6), weights=(6, 16, 28, 26, 15, 9))[0]
        authors: list[int | PersonSpec] = [self._on_topic(rng, main)]
        while len(authors) < count:
            if rng.random() < 0.5:
                index = self._on_topic(rng, main)
                if index not in authors:
                    authors.append(index)
                continue
            authors.append(
                make_person(
                    rng=rng,
                    seeds=self.seeds,
                    topics=topics,
                    taken=set(),
                    tag=f".{self.tag}-x{number}-{len(authors)}",
                )
            )
        return SyntheticPaper(number, text, str(state), tuple(authors))

    def _on_topic(self, rng: random.Random, topic: int) -> int:
        """Return the index of a random reviewer whose main topic is `topic`."""
        size = len(self.topic_slugs)
        if self.reviewers <= topic:
            return rng.randrange(self.reviewers)
        return topic + size * rng.randrange((self.reviewers - topic + size - 1) // size)
