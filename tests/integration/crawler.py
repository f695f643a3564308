"""A leak crawler: follow every link a person can reach, keep every page, file and answer.

Starting from a person's landing pages, it follows same-site links (`<a href>`, and the `url`
and `next` fields of API answers) breadth first, downloads the files it meets (PDFs with their
text and metadata, CSV exports), and keeps what it read so the tests can look for names and
texts that must not be there.
"""

import io
from collections import deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from django.test import Client
from pypdf import PdfReader

#: Links the crawler never follows: they change state or leave the person's part of the site.
SKIP = (
    "/accounts/logout",
    "/admin/",
    "/api/v1/schema",
    "/api/v1/docs",
    "/api/v1/redoc",
    "/static/",
)


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.links.append(href)


def pdf_text(data: bytes) -> str:
    """Return a PDF's text on every page and its metadata (document info and XMP), as text."""
    reader = PdfReader(io.BytesIO(data))
    parts = [page.extract_text() or "" for page in reader.pages]
    info = reader.metadata or {}
    parts += [f"{key}={value}" for key, value in info.items()]
    root = reader.trailer["/Root"]
    if "/Metadata" in root:
        parts.append(root["/Metadata"].get_object().get_data().decode("utf-8", "replace"))
    return "\n".join(parts)


@dataclass
class Crawl:
    """What one person read: page and answer texts by URL, and the files they downloaded."""

    texts: dict[str, str] = field(default_factory=dict)
    files: dict[str, str] = field(default_factory=dict)
    statuses: dict[str, int] = field(default_factory=dict)

    def everything(self):
        yield from self.texts.items()
        yield from self.files.items()


def _same_site(base: str, link: str) -> str | None:
    target = urlsplit(urljoin(base, link))
    if target.scheme not in {"", "http"} or target.netloc not in {"", "testserver"}:
        return None
    path = target.path
    if not path.startswith("/") or path.startswith(SKIP):
        return None
    return path + (f"?{target.query}" if target.query else "")


def _json_links(value, found: list[str]) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            if key in {"url", "next", "pdf", "supplement"} and isinstance(item, str):
                found.append(item)
            else:
                _json_links(item, found)
    elif isinstance(value, list):
        for item in value:
            _json_links(item, found)


def crawl(client: Client, starts: list[str], *, limit: int = 250, per_path: int = 3) -> Crawl:
    """Read what `client` can reach from `starts`: at most `limit` URLs, and at most
    `per_path` query-string variants of one path (filters and pages repeat the same rows)."""
    seen: set[str] = set()
    variants: dict[str, int] = {}
    queue = deque(starts)
    result = Crawl()
    while queue and len(seen) < limit:
        url = queue.popleft()
        if url in seen:
            continue
        path = url.split("?", 1)[0]
        if "?" in url:
            if variants.get(path, 0) >= per_path:
                continue
            variants[path] = variants.get(path, 0) + 1
        seen.add(url)
        is_api = url.startswith("/api/")
        response = client.get(url, HTTP_ACCEPT="application/json" if is_api else "text/html")
        result.statuses[url] = response.status_code
        assert response.status_code < 500, (url, response.status_code)
        if response.status_code != 200:
            continue
        kind = response.get("Content-Type", "")
        body = b"".join(response.streaming_content) if response.streaming else response.content
        if kind.startswith("application/pdf"):
            result.files[url] = pdf_text(body)
            continue
        text = body.decode("utf-8", "replace")
        if kind.startswith("text/csv") or "attachment" in response.get("Content-Disposition", ""):
            result.files[url] = text
            continue
        result.texts[url] = text
        links: list[str] = []
        if kind.startswith("application/json"):
            _json_links(response.json(), links)
        elif kind.startswith("text/html"):
            parser = _Links()
            parser.feed(text)
            links = parser.links
        for link in links:
            target = _same_site(url, link)
            if target and target not in seen:
                queue.append(target)
    return result


def assert_absent(crawl_result: Crawl, markers: list[str], *, who: str) -> int:
    """Fail when any marker appears in anything the person read; return how much was read."""
    checked = 0
    for url, text in crawl_result.everything():
        for marker in markers:
            assert marker not in text, f"{marker!r} reached {who} on {url}"
        checked += 1
    return checked


def assert_never_together(
    crawl_result: Crawl, papers: list[str], people: list[str], *, who: str
) -> None:
    """Fail when a page names one of `papers` and one of `people` at once: who reviews what.

    Reviewers of a venue's pool may be listed elsewhere (the roles page, suggestions for other
    papers); what must never reach the person is the link between those reviewers and a paper.
    """
    for url, text in crawl_result.everything():
        for paper in papers:
            if paper not in text:
                continue
            for person in people:
                assert person not in text, f"{person!r} with {paper!r} reached {who} on {url}"
