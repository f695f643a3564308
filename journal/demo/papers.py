"""Generate paper texts: titles, abstracts, hypotheses and benchmark claims.

Pure and deterministic: functions take a `random.Random` (or a seed) and the loaded seeds
and return plain dataclasses; nothing here touches the database.
"""

from __future__ import annotations

import random
import zlib
from collections.abc import Sequence
from dataclasses import dataclass

from journal.demo.corpus import (
    Dataset,
    Seeds,
    Topic,
    ascii_slug,
    cap_first,
    fill,
    short_dataset,
    short_metric,
    title_case,
)


@dataclass(frozen=True)
class ClaimSpec:
    dataset: str
    metric: str
    value: float
    best_prior_value: float | None
    higher_is_better: bool
    code_url: str
    decimals: int = 2

    @property
    def improves(self) -> bool:
        """Return whether the claim beats its best prior value."""
        if self.best_prior_value is None:
            return False
        better = self.value - self.best_prior_value
        return better > 0 if self.higher_is_better else better < 0

    @property
    def _mix(self) -> int:
        # A stable hash of the row, so the runs and spread below draw nothing from the
        # generator and the rest of the demo stays as it was.
        return zlib.crc32(f"{self.dataset}|{self.metric}|{self.value}".encode())

    @property
    def runs(self) -> int:
        """Return the runs behind the value: 3, 5 or 10 seeds."""
        return (3, 5, 10)[self._mix % 3]

    @property
    def spread(self) -> float:
        """Return a standard deviation across the runs; about one claim in three is within it."""
        gap = abs(self.value - self.best_prior_value) if self.best_prior_value is not None else 0
        factor = (0.3, 0.6, 1.5)[(self._mix // 3) % 3]
        step = 10.0**-self.decimals
        return round(max(gap * factor, step), self.decimals + 1)

    @property
    def baseline_source(self) -> str:
        """Return where the best prior value comes from: mostly reported, sometimes re-run."""
        if self.best_prior_value is None:
            return ""
        return "rerun" if (self._mix // 9) % 4 == 0 else "reported"

    def shown(self, value: float | None) -> str:
        """Return `value` as the paper prints it."""
        return "" if value is None else f"{value:.{self.decimals}f}"


@dataclass(frozen=True)
class PaperText:
    topic: str
    title: str
    abstract: str
    keywords: tuple[str, ...]
    hypothesis_claim: str
    hypothesis_rationale: str
    hypothesis_refutation: str
    claims: tuple[ClaimSpec, ...]


def _pick(rng: random.Random, topics: Sequence[Topic]) -> Topic:
    if len(topics) == 1 or rng.random() < 0.9:
        return topics[0]
    return rng.choice(topics[1:])


def method_name(*, rng: random.Random, topic: Topic, reserved: frozenset[str]) -> str:
    """Return a made-up method name in the style of the topic (never a known method)."""
    name = ""
    for _ in range(12):
        suffix = rng.choice(topic.suffixes)
        name = rng.choice(topic.prefixes) + suffix
        if ascii_slug(name, sep="") not in reserved:
            break
    return name


def _claim(rng: random.Random, dataset: Dataset, *, first: bool, url: str) -> ClaimSpec:
    span = dataset.high - dataset.low
    gain = rng.uniform(0.01, 0.1) * span
    sign = 1 if dataset.higher_is_better else -1
    if dataset.higher_is_better:
        prior = rng.uniform(dataset.low, dataset.high - 0.1 * span)
    else:
        prior = rng.uniform(dataset.low + 0.1 * span, dataset.high)
    value = prior + sign * gain
    if not first and rng.random() < 0.15:
        value = prior - sign * gain / 3  # honest rows: not every claim beats the best prior
    step = 10.0**-dataset.decimals
    prior, value = round(prior, dataset.decimals), round(value, dataset.decimals)
    if value == prior:
        value = round(prior + sign * step, dataset.decimals)
    best = None if not first and rng.random() < 0.1 else prior
    return ClaimSpec(
        dataset.name, dataset.metric, value, best, dataset.higher_is_better, url, dataset.decimals
    )


def _claims(rng: random.Random, topics: Sequence[Topic], url: str) -> tuple[ClaimSpec, ...]:
    count = rng.choices((1, 2, 3, 4, 5), weights=(15, 30, 30, 15, 10))[0]
    pool = list(topics[0].datasets)
    rng.shuffle(pool)
    chosen = pool[:count]
    if len(topics) > 1 and count > 1 and rng.random() < 0.5:
        chosen[-1] = rng.choice(topics[1].datasets)
    seen, rows = set(), []
    for dataset in chosen:
        if (dataset.name, dataset.metric) not in seen:
            seen.add((dataset.name, dataset.metric))
            rows.append(_claim(rng, dataset, first=not rows, url=url))
    return tuple(rows)


@dataclass(frozen=True)
class Draft:
    method: str
    claims: tuple[ClaimSpec, ...]
    sentence: dict[str, str]
    title: dict[str, str]


def draft_for(rng: random.Random, seeds: Seeds, topics: Sequence[Topic], owner: str) -> Draft:
    shared = seeds.shared
    method = method_name(rng=rng, topic=topics[0], reserved=seeds.reserved)
    claims = _claims(rng, topics, f"https://code.example.org/{owner}/{ascii_slug(method)}")
    main = claims[0]
    others = [c.dataset for c in claims[1:] if c.dataset != main.dataset]
    dataset2 = (
        others[0]
        if others
        else next(
            (
                d.name
                for d in rng.sample(topics[0].datasets, len(topics[0].datasets))
                if d.name != main.dataset
            ),
            main.dataset,
        )
    )
    lower = {
        "method": method,
        "technique": rng.choice(_pick(rng, topics).techniques),
        "problem": rng.choice(_pick(rng, topics).problems),
        "object": rng.choice(_pick(rng, topics).objects),
        "property": rng.choice(_pick(rng, topics).properties),
        "baseline": rng.choice(topics[0].baselines),
        "dataset": main.dataset,
        "dataset2": dataset2,
        "metric": short_metric(main.metric),
        "value": main.shown(main.value),
        "prior": main.shown(main.best_prior_value),
        "count": rng.choice(shared["count_words"]),
        "percent": str(rng.randint(20, 60)),
    }
    sentence = lower | {k.capitalize(): cap_first(v) for k, v in lower.items()}
    title = lower | {k.capitalize(): v for k, v in lower.items()}
    title["Dataset"] = short_dataset(main.dataset)
    return Draft(method, claims, sentence, title)


def _sentence_from(rng: random.Random, topic: Topic, shared: dict, part: str, p: float) -> str:
    own = topic.sentences.get(part, ())
    common = shared["sentences"].get(part, ())
    return rng.choice(own if own and (not common or rng.random() < p) else common)


def abstract_for(
    rng: random.Random, seeds: Seeds, topic: Topic, draft: Draft, *, short: bool
) -> str:
    shared, slots = seeds.shared, draft.sentence
    parts = ["context", "gap", "method", "result"]
    if short:
        opening = "context" if rng.random() < 0.5 else "gap"
        parts = [opening, "method", "result"]
    text = [fill(_sentence_from(rng, topic, shared, part, 0.65), slots) for part in parts]
    if not any(draft.method in sentence for sentence in text):
        text.insert(parts.index("method") + 1, fill(rng.choice(shared["naming"]), slots))
    extra = [c for c in draft.claims[1:] if c.improves]
    if not short and extra and rng.random() < 0.6:
        claim = extra[0]
        more = {
            **slots,
            "dataset": claim.dataset,
            "metric": short_metric(claim.metric),
            "value": claim.shown(claim.value),
            "prior": claim.shown(claim.best_prior_value),
        }
        text.append(fill(rng.choice(shared["more_results"]), more))
    if rng.random() < (0.4 if short else 0.7):
        text.append(fill(_sentence_from(rng, topic, shared, "analysis", 0.6), slots))
    if not short and rng.random() < 0.6:
        text.append(fill(_sentence_from(rng, topic, shared, "closing", 0.5), slots))
    return " ".join(cap_first(s) for s in text)


def title_for(rng: random.Random, seeds: Seeds, topic: Topic, draft: Draft) -> str:
    pool = topic.titles if rng.random() < 0.5 else seeds.shared["titles"]
    return title_case(fill(rng.choice(pool), draft.title), minor=seeds.minor)


def paper_text(
    *,
    rng: random.Random,
    seeds: Seeds,
    topics: Sequence[str],
    used_titles: set[str] | None = None,
    owner: str = "",
) -> PaperText:
    """Return a coherent paper: title, abstract, keywords, hypothesis and benchmark claims.

    `topics` lists the topic slugs, main topic first; the others lend some vocabulary.
    With `used_titles`, the title differs from every title in it (case-insensitively) and is
    added to it. `owner` names the code repository's account (anonymous when empty).
    """
    chosen = [seeds.topics[t] for t in topics]
    main = chosen[0]
    for attempt in range(40):
        draft = draft_for(rng, seeds, chosen, owner or f"anon-{rng.getrandbits(24):06x}")
        title = title_for(rng, seeds, main, draft)
        if attempt == 39:
            title = f"{title} ({draft.method})"
        if used_titles is None or title.lower() not in used_titles:
            break
    if used_titles is not None:
        used_titles.add(title.lower())
    pool = main.hypotheses if rng.random() < 0.8 else seeds.shared["hypotheses"]
    hypothesis = rng.choice(pool)
    keywords = rng.sample(main.keywords, rng.randint(3, 4))
    if len(chosen) > 1:
        keywords.append(rng.choice(chosen[1].keywords))
    return PaperText(
        topic=main.slug,
        title=title,
        abstract=abstract_for(rng, seeds, main, draft, short=False),
        keywords=tuple(keywords),
        hypothesis_claim=cap_first(fill(hypothesis["claim"], draft.sentence)),
        hypothesis_rationale=cap_first(fill(hypothesis["rationale"], draft.sentence)),
        hypothesis_refutation=cap_first(fill(hypothesis["refutation"], draft.sentence)),
        claims=draft.claims,
    )
