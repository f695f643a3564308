"""Load the demo corpus from `seeds/` and fill its templates.

Every function here is pure: it takes a `random.Random` (or a seed) and the loaded seeds and
returns plain dataclasses. Nothing touches the database; `journal.demo.seed` turns the specs
into rows through the services.

Templates in the seeds use `{slot}` placeholders (see `SLOTS`); a capitalised slot such as
`{Problem}` is title-cased in titles and sentence-cased in sentences. Anything else in braces,
like the `{O}` of `$\\mathcal{O}(n)$`, is left alone, so LaTeX needs no escaping.
"""


from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

SEEDS_DIR = Path(__file__).resolve().parents[2] / "seeds"



SLOTS = (
    "method",
    "technique",
    "problem",
    "object",
    "property",
    "baseline",
    "dataset",
    "dataset2",
    "metric",
    "value",
    "prior",
    "count",
    "percent",
)
_SLOT_RE = re.compile(r"\{(" + "|".join(SLOTS + tuple(s.capitalize() for s in SLOTS)) + r")\}")
_ASCII = str.maketrans(
    {"ø": "o", "æ": "ae", "ß": "ss", "ł": "l", "đ": "d", "\u0131": "i", "œ": "oe"}
)




@dataclass(frozen=True)
class Dataset:
    name: str
    metric: str
    low: float
    high: float
    higher_is_better: bool
    decimals: int


@dataclass(frozen=True)
class Topic:
    slug: str
    name: str
    keywords: tuple[str, ...]
    venues: tuple[str, ...]
    prefixes: tuple[str, ...]
    suffixes: tuple[str, ...]
    techniques: tuple[str, ...]
    problems: tuple[str, ...]
    objects: tuple[str, ...]
    properties: tuple[str, ...]
    baselines: tuple[str, ...]
    datasets: tuple[Dataset, ...]
    titles: tuple[str, ...]
    sentences: dict[str, tuple[str, ...]]
    hypotheses: tuple[dict[str, str], ...]


@dataclass(frozen=True)
class NameGroup:
    culture: str
    weight: int
    first: tuple[str, ...]
    last: tuple[str, ...]


@dataclass(frozen=True)
class Institution:
    name: str
    domain: str
    kind: str


@dataclass(frozen=True)
class Seeds:
    topics: dict[str, Topic]
    name_groups: tuple[NameGroup, ...]
    institutions: tuple[Institution, ...]
    public_domains: tuple[str, ...]
    conflict_reasons: dict[str, tuple[str, ...]]
    shared: dict
    demo: dict
    reserved: frozenset[str]
    minor: frozenset[str]

    def institution(self, name: str) -> Institution:
        """Return the institution called `name`."""
        return next(i for i in self.institutions if i.name == name)


@lru_cache(maxsize=4)
def load_seeds(directory: str = str(SEEDS_DIR)) -> Seeds:
    """Read the seed files once; return them as immutable specs."""
    root = Path(directory)
    people = json.loads((root / "people.json").read_text("utf-8"))
    shared = json.loads((root / "templates.json").read_text("utf-8"))
    topics = {}
    for path in sorted((root / "topics").glob("*.json")):
        data = json.loads(path.read_text("utf-8"))
        topics[data["slug"]] = Topic(
            slug=data["slug"],
            name=data["name"],
            keywords=tuple(data["keywords"]),
            venues=tuple(data["venues"]),
            prefixes=tuple(data["method_parts"]["prefixes"]),
            suffixes=tuple(data["method_parts"]["suffixes"]),
            techniques=tuple(data["techniques"]),
            problems=tuple(data["problems"]),
            objects=tuple(data["objects"]),
            properties=tuple(data["properties"]),
            baselines=tuple(data["baselines"]),
            datasets=tuple(Dataset(**d) for d in data["datasets"]),
            titles=tuple(data["titles"]),
            sentences={k: tuple(v) for k, v in data["sentences"].items()},
            hypotheses=tuple(data["hypotheses"]),
        )
    return Seeds(
        topics=topics,
        name_groups=tuple(
            NameGroup(g["culture"], g["weight"], tuple(g["first"]), tuple(g["last"]))
            for g in people["name_groups"]
        ),
        institutions=tuple(Institution(**i) for i in people["institutions"]),
        public_domains=tuple(people["public_email_domains"]),
        conflict_reasons={k: tuple(v) for k, v in people["conflict_reasons"].items()},
        shared=shared,
        demo=json.loads((root / "venues.json").read_text("utf-8")),
        reserved=frozenset(
            ascii_slug(name, sep="")
            for name in [*shared["reserved_method_names"]]
            + [b for t in topics.values() for b in t.baselines]
        ),
        minor=frozenset(shared["minor_words"]),
    )




@lru_cache(maxsize=8192)
def _compile(template: str) -> tuple[tuple[bool, str], ...]:
    parts, pos = [], 0
    for match in _SLOT_RE.finditer(template):
        parts.append((False, template[pos : match.start()]))
        parts.append((True, match.group(1)))
        pos = match.end()
    parts.append((False, template[pos:]))
    return tuple(parts)


def fill(template: str, slots: dict[str, str]) -> str:
    """Replace the `{slot}` placeholders of `template`; leave other braces (LaTeX) alone."""
    return "".join(slots[text] if is_slot else text for is_slot, text in _compile(template))


def cap_first(text: str) -> str:
    return text[:1].upper() + text[1:] if text[:1].islower() else text


def title_case(text: str, *, minor: frozenset[str] = frozenset()) -> str:
    """Capitalise the words of a title; keep short function words and $math$ as they are."""
    out: list[str] = []
    in_math = False
    for word in text.split(" "):
        first = not out or out[-1].endswith((":", "?", "—"))
        if in_math or "$" in word:
            starts_text = not in_math and word[:1].isalpha()
            out.append(cap_first(word) if starts_text else word)
            in_math ^= word.count("$") % 2 == 1
            continue
        parts = word.split("-")
        for j, part in enumerate(parts):
            if (j > 0 or not first) and part.lower() in minor and part.islower():
                continue
            parts[j] = cap_first(part)
        out.append("-".join(parts))
    return " ".join(out)


def ascii_slug(text: str, *, sep: str = "-") -> str:
    """Return `text` as lowercase ASCII words joined by `sep` (for e-mails and URLs)."""
    plain = unicodedata.normalize("NFKD", text.lower().translate(_ASCII))
    plain = plain.encode("ascii", "ignore").decode()
    return sep.join(re.findall(r"[a-z0-9]+", plain))


def short_metric(metric: str) -> str:
    return re.sub(r"\s*\([^)]*\)$", "", metric)


def short_dataset(name: str) -> str:
    return re.sub(r"\s*\([^)]*\)", "", name).split(",")[0]
