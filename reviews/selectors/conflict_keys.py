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
from typing import NamedTuple

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


#: Letters that Unicode decomposition leaves alone, spelt as their plain Latin forms.
_LETTERS = str.maketrans(
    {"ø": "o", "Ø": "O", "ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ß": "ss", "æ": "ae",
     "Æ": "AE", "œ": "oe", "Œ": "OE", "þ": "th", "Þ": "Th", "\u0131": "i"}
)
#: German umlauts as German spells them without the dots (Müller is also Mueller).
_UMLAUTS = str.maketrans(
    {"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue"}
)


@lru_cache(maxsize=65536)
def fold_text(text: str) -> str:
    """Lower-case, strip accents and reduce punctuation to spaces (commas kept)."""
    text = text or ""
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text.translate(_LETTERS))
        text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.lower()
    text = text.replace("&", " and ")
    return re.sub(r"[^\w,;]+", " ", text)


#: Lower-case words that start a family name ("van der Berg", "de la Fuente"); a name
#: keeps them in its family name but the key leaves them out, so "Berg, Anna van der",
#: "Anna van der Berg" and "Anna Van Der Berg" meet.
_PARTICLES = frozenset(
    {"van", "von", "der", "den", "de", "del", "della", "di", "da", "das", "dos", "du", "la"}
    | {"le", "ter", "ten", "zu", "af", "av", "bin", "ibn"}
)
_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv", "phd", "md"})
_INITIALS = re.compile(r"^(?:[A-Z]\.?-?){1,3}$")


class NameKeys(NamedTuple):
    """How a person's name is filed (`known`) and what it is looked up by (`sought`).

    Two names are the same person when either one's `sought` meets the other's `known`;
    an index files people under `known` and looks a name up by `sought`.
    """

    known: frozenset[str]
    sought: frozenset[str]

    def meets(self, other: NameKeys) -> bool:
        """Return whether the two names can be the same person."""
        return bool(self.sought & other.known or other.sought & self.known)


_NO_KEYS = NameKeys(frozenset(), frozenset())


def _name_parts(name: str) -> tuple[list[str], list[str], bool] | None:
    """Split `name` into folded (given names, family name tokens, given are initials)."""
    name = re.sub("['`\u2019\u00b4]", "", name or "").strip()
    if "," in name:
        family_text, _, rest = name.partition(",")
        # "von Last, Jr., First": the middle part is a suffix.
        rest_parts = [p for p in rest.split(",") if p.strip()]
        rest_parts = [p for p in rest_parts if fold_text(p).strip() not in _SUFFIXES]
        given_raw = " ".join(rest_parts).split()
        family_raw = family_text.split()
    else:
        raw = name.split()
        raw = [t for t in raw if fold_text(t).strip() not in _SUFFIXES]
        if len(raw) >= 2 and _INITIALS.match(raw[-1]) and not _INITIALS.match(raw[0]):
            # "Rao IK", as PubMed writes names: the family name first, then initials.
            family_raw, given_raw = raw[:-1], raw[-1:]
        else:
            cut = len(raw) - 1
            while cut > 1 and raw[cut - 1].lower() in _PARTICLES:
                cut -= 1
            given_raw, family_raw = raw[:cut], raw[cut:]
    if not given_raw or not family_raw:
        return None
    initials = all(_INITIALS.match(t) or len(fold_text(t).strip()) == 1 for t in given_raw)
    given = fold_text(" ".join(given_raw)).replace(",", " ").split()
    if initials and len(given) == 1 and len(given[0]) > 1 and given_raw[0].isupper():
        given = list(given[0])  # "JP" is J. P.
    family = fold_text(" ".join(family_raw)).replace(",", " ").split()
    while len(family) > 1 and family[0] in _PARTICLES:
        family = family[1:]
    if not given or not family:
        return None
    return given, family, initials


@lru_cache(maxsize=65536)
def name_keys(name: str) -> NameKeys:
    """Return the keys a person's name is filed and looked up by for conflicts of interest.

    The one rule for names, for reviewers, authors, co-author lists and declared conflicts:

    - order and form do not matter: "Ishita Rao", "Rao, Ishita", "Rao Ishita" and
      "RAO, Ishita" meet; so do "von Last, Jr., First" and "First von Last";
    - accents, case, hyphens, apostrophes and spacing do not matter ("Rāo", "Jean-Pierre" and
      "Jean Pierre", "O'Brien" and "OBrien"); Müller meets both Muller and Mueller;
    - particles ("van der", "de la") and suffixes ("Jr.", "III") are left out;
    - a full name is its first given name and its family name: middle names do not matter
      ("Ishita K. Rao" meets "Ishita Rao"); a family name of several words also meets its
      last word ("García Márquez, Gabriel" meets "Gabriel Márquez");
    - initials meet only a name with the same first initial and family name ("I. Rao" and
      "Rao, I." meet "Ishita Rao" and "Indira Rao"), and two full names never meet through
      their initials ("Ishita Rao" and "Indira Rao" do not);
    - a single word is too short to trust and has no keys.
    """
    if not name or "@" in name:
        return _NO_KEYS
    spellings = {name}
    if not name.isascii():
        spellings.add(name.translate(_UMLAUTS))
    firsts: set[str] = set()
    families: set[str] = set()
    initials = False
    for spelling in spellings:
        parts = _name_parts(spelling)
        if parts is not None:
            given, family, initials = parts
            firsts.add(given[0])
            families.update({"".join(family), family[-1]})
    known: set[str] = set()
    sought: set[str] = set()
    for first in firsts:
        for last in families:
            abbreviated = f"a:{last} {first[0]}"
            if initials:
                known.add(abbreviated)
                sought.update({abbreviated, f"i:{last} {first[0]}"})
            else:
                full = "f:" + " ".join(sorted((first, last)))
                known.update({full, f"i:{last} {first[0]}"})
                sought.update({full, abbreviated})
    return NameKeys(frozenset(known), frozenset(sought))


def coauthor_keys(entry: str) -> NameKeys:
    """Return the keys of a co-author list entry: an e-mail as is, else its name keys."""
    entry = (entry or "").strip()
    if "@" in entry:
        email = frozenset({entry.lower()})
        return NameKeys(email, email)
    return name_keys(entry)


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
