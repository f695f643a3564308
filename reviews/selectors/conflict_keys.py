"""The comparable keys the conflict-of-interest rules look people up by.

Names, co-author entries, institutions, publication titles and e-mail domains, folded so that
spellings of the same thing meet ("Univ. of X" and "University of X", accents, case) while
different things do not. Pure text functions; `reviews.selectors.conflicts` applies them.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from functools import lru_cache

from django.conf import settings

_ABBREVIATIONS = {
    "univ": "university",
    "uni": "university",
    "inst": "institute",
    "dept": "department",
    "tech": "technology",
    "st": "saint",
}
_INSTITUTION_WORDS = (
    "universit",
    "institut",
    "college",
    "ecole",
    "polytechn",
    "academy",
    "hospital",
    "research",
    "laborator",
    "inc",
    "ltd",
    "gmbh",
    "corporation",
    "company",
    "foundation",
)
_SUBUNIT_PREFIXES = ("department", "school of", "faculty", "division", "group", "chair of")


@lru_cache(maxsize=65536)
def fold_text(text: str) -> str:
    """Lower-case, strip accents and reduce punctuation to spaces (commas kept)."""
    text = text or ""
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text)
        text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.lower()
    text = text.replace("&", " and ")
    return re.sub(r"[^\w,;]+", " ", text)


@lru_cache(maxsize=65536)
def name_key(name: str) -> str:
    """Return a comparable form of a person's name, or "" when it is too short to trust."""
    tokens = fold_text(name).replace(",", " ").replace(";", " ").split()
    return " ".join(tokens) if len(tokens) >= 2 else ""


def coauthor_key(entry: str) -> str:
    """Return the key of a co-author list entry: an e-mail as is, else the name key."""
    entry = (entry or "").strip()
    return entry.lower() if "@" in entry else name_key(entry)


@lru_cache(maxsize=16384)
def institution_keys(affiliation: str) -> frozenset[str]:
    """Return the comparable names of the institution(s) in an affiliation string.

    The whole affiliation is one key; each comma-separated part that names an institution
    (a university, an institute, a company) is another, so "Dept. of CS, Univ. of X" and
    "University of X" meet, while two departments of different universities do not.
    """
    folded = fold_text(affiliation)
    parts = []
    for raw in re.split(r"[,;]", folded):
        words = [_ABBREVIATIONS.get(w, w) for w in raw.split()]
        if words and words[0] == "the":
            words = words[1:]
        if words:
            parts.append(" ".join(words))
    if not parts:
        return frozenset()
    keys = {" ".join(parts)}
    for part in parts if len(parts) > 1 else ():
        if part.startswith(_SUBUNIT_PREFIXES):
            continue
        if any(word in part for word in _INSTITUTION_WORDS):
            keys.add(part)
    return frozenset(keys)


def public_domains() -> frozenset[str]:
    """Return the public mail providers' domains (`PEERLESS_PUBLIC_EMAIL_DOMAINS`)."""
    return frozenset(d.lower().strip() for d in settings.PEERLESS_PUBLIC_EMAIL_DOMAINS)


def is_public_domain(domain: str, public: frozenset[str] | None = None) -> bool:
    """Return whether `domain` belongs to a public mail provider (or one of its subdomains)."""
    public = public_domains() if public is None else public
    labels = domain.split(".")
    return any(".".join(labels[i:]) in public for i in range(len(labels)))


def parent_domains(domain: str) -> list[str]:
    """Return the proper parent domains with at least two labels ("a.b.c" -> ["b.c"])."""
    labels = domain.split(".")
    return [".".join(labels[i:]) for i in range(1, len(labels) - 1)]


def email_domain(email: str) -> str:
    """Return the lower-cased domain of an e-mail address ("" when there is none)."""
    return email.rsplit("@", 1)[-1].strip().lower() if "@" in (email or "") else ""


class DomainIndex:
    """Domains of people, found by equality or by one lying under the other."""

    def __init__(self) -> None:
        self.exact: dict[str, set[int]] = defaultdict(set)
        self.below: dict[str, set[int]] = defaultdict(set)

    def add(self, domain: str, idx: int) -> None:
        self.exact[domain].add(idx)
        self.below[domain].add(idx)
        for parent in parent_domains(domain):
            self.below[parent].add(idx)

    def find(self, domain: str) -> list[set[int]]:
        """Return the groups of people holding `domain`, a subdomain or a parent of it."""
        groups = [self.below[domain]] if domain in self.below else []
        groups.extend(self.exact[p] for p in parent_domains(domain) if p in self.exact)
        return groups


@lru_cache(maxsize=65536)
def title_key(title: str) -> str:
    """Return a comparable form of a publication's title."""
    return " ".join(fold_text(title).replace(",", " ").replace(";", " ").split())
