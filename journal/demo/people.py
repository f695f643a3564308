"""Generate people and their publications.

Pure and deterministic: functions take a `random.Random` (or a seed) and the loaded seeds
and return plain dataclasses; nothing here touches the database.
"""


from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

from journal.demo.corpus import Institution, Seeds, ascii_slug
from journal.demo.papers import abstract_for, draft_for, title_for


@dataclass(frozen=True)
class PersonSpec:
    name: str
    email: str
    affiliation: str
    email_domains: tuple[str, ...]
    topics: tuple[str, ...]


@dataclass(frozen=True)
class PublicationSpec:
    title: str
    abstract: str
    year: int
    venue_name: str
    coauthors: tuple[str, ...]
    url: str


def person_name(*, rng: random.Random, seeds: Seeds) -> tuple[str, str]:
    """Return a (first, last) name; mostly from one naming tradition, sometimes mixed."""
    groups = seeds.name_groups
    group = rng.choices(groups, weights=[g.weight for g in groups])[0]
    family = group if rng.random() > 0.12 else rng.choice(groups)
    return rng.choice(group.first), rng.choice(family.last)


def make_person(
    *,
    rng: random.Random,
    seeds: Seeds,
    topics: Sequence[str],
    taken: set[str],
    institution: Institution | None = None,
    public: bool = False,
    tag: str = "",
) -> PersonSpec:
    """Return a new person with an e-mail address not in `taken` (which it joins).

    `public` gives a personal address on a public provider; the institution's domain stays
    in `email_domains`. `tag` is appended to the local part (synthetic venues use it).
    """
    first, last = person_name(rng=rng, seeds=seeds)
    place = institution or rng.choice(seeds.institutions)
    domain = rng.choice(seeds.public_domains) if public else place.domain
    base = f"{ascii_slug(first, sep='')}.{ascii_slug(last, sep='')}{tag}"
    email, n = f"{base}@{domain}", 1
    while email in taken:
        n += 1
        email = f"{base}{n}@{domain}"
    taken.add(email)
    domains = [place.domain]
    if rng.random() < 0.1:
        domains.append(rng.choice(seeds.institutions).domain)
    return PersonSpec(
        name=f"{first} {last}",
        email=email,
        affiliation=place.name,
        email_domains=tuple(dict.fromkeys(domains)),
        topics=tuple(topics),
    )


def publication_spec(
    *,
    rng: random.Random,
    seeds: Seeds,
    topics: Sequence[str],
    coauthors: Sequence[str],
    used_titles: set[str] | None = None,
) -> PublicationSpec:
    """Return a past paper on `topics`, written with `coauthors`."""
    chosen = [seeds.topics[t] for t in topics]
    for _ in range(40):
        draft = draft_for(rng, seeds, chosen, "lab")
        title = title_for(rng, seeds, chosen[0], draft)
        if used_titles is None or title.lower() not in used_titles:
            break
    if used_titles is not None:
        used_titles.add(title.lower())
    year = 2026 - min(11, int(rng.expovariate(0.3)))
    venues = [v for v in seeds.shared["publication_venues"] if v != "arXiv preprint"]
    if year >= 2025 and rng.random() < 0.3:
        venue = "arXiv preprint"
    else:
        venue = rng.choice(list(chosen[0].venues) + venues)
    return PublicationSpec(
        title=title,
        abstract=abstract_for(rng, seeds, chosen[0], draft, short=True),
        year=year,
        venue_name=venue,
        coauthors=tuple(coauthors),
        url=f"https://papers.example.org/{year}/{ascii_slug(title)[:90]}",
    )


def external_name(*, rng: random.Random, seeds: Seeds) -> str:
    """Return the name of someone who is not a user (a co-author from elsewhere)."""
    return " ".join(person_name(rng=rng, seeds=seeds))
