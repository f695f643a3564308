"""Rebuild ``debian_descriptions.json.gz`` from a Debian machine's package lists.

Usage (after ``apt-get update -o Acquire::Languages=en`` on Debian 12 "bookworm")::

    apt-cache dumpavail > packages.txt
    lz4cat /var/lib/apt/lists/*bookworm_main_i18n_Translation-en.lz4 > translation.txt
    python tests/reviews/matching/data/build_debian_corpus.py packages.txt translation.txt

One text per source package (title: its short description; abstract: the longest long
description among its binary packages), grouped by the one person named as its
Maintainer (team addresses are left out); people with at least three such texts are kept,
at most twelve texts each, and named only by a number.
"""

from __future__ import annotations

import gzip
import json
import random
import re
import sys
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

TEAM = re.compile(
    r"team|group|maintainers|project|alioth|tracker\.debian|lists\.|@packages|force|qa@", re.I
)
MIN_WORDS, MIN_TEXTS, MAX_TEXTS, MAX_CHARS = 30, 3, 12, 1500


def records(path: str) -> Iterator[dict[str, str]]:
    """Yield the stanzas of a Debian control-format file as dicts (continuations joined)."""
    rec: dict[str, str] = {}
    key = None
    with open(path, encoding="utf-8", errors="replace") as handle:
        lines = handle.read().split("\n")
    for line in lines:
        if not line:
            if rec:
                yield rec
            rec, key = {}, None
        elif line[0] in " \t" and key:
            rec[key] += "\n" + line
        else:
            key, _, value = line.partition(":")
            rec[key] = value.strip()
    if rec:
        yield rec


def main(packages: str, translation: str, out: str) -> None:
    longs = {}
    for rec in records(translation):
        short, _, body = rec.get("Description-en", "").partition("\n")
        text = " ".join("" if x.strip() == "." else x.strip() for x in body.split("\n"))
        longs[rec.get("Description-md5")] = (short.strip(), " ".join(text.split()))
    by_source: dict[str, tuple[str, str, str]] = {}
    for rec in records(packages):
        person = rec.get("Maintainer", "")
        if not person or TEAM.search(person):
            continue
        source = rec.get("Source", rec["Package"]).split()[0]
        short, body = longs.get(rec.get("Description-md5"), (rec.get("Description", ""), ""))
        if source not in by_source or len(body) > len(by_source[source][2]):
            by_source[source] = (person, short, body)
    people: dict[str, list[dict[str, str]]] = defaultdict(list)
    for source, (person, short, body) in sorted(by_source.items()):
        if len(body.split()) >= MIN_WORDS:
            people[person].append({"package": source, "title": short, "abstract": body[:MAX_CHARS]})
    rng = random.Random(0)
    kept = [docs for _, docs in sorted(people.items()) if len(docs) >= MIN_TEXTS]
    authors = [
        {"author": f"m{i:04d}", "texts": sorted(rng.sample(docs, min(MAX_TEXTS, len(docs))),
                                                 key=lambda d: d["package"])}
        for i, docs in enumerate(kept)
    ]
    with gzip.open(out, "wt", encoding="utf-8") as handle:
        json.dump({"source": "Debian 12 (bookworm) main, amd64", "authors": authors}, handle)
    print(f"{len(authors)} people, {sum(len(a['texts']) for a in authors)} texts -> {out}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2],
         sys.argv[3] if len(sys.argv) > 3 else str(Path(__file__).with_name(
             "debian_descriptions.json.gz")))
