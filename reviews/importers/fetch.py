"""Fetch a person's publication list from ORCID, DBLP or Semantic Scholar by their id.

Only the service's own host is asked (the base URL is given by the caller, from settings):
identifiers are checked against each service's id syntax before they go into a URL,
redirects to another host are refused, every request has a timeout and every answer a size
cap. Failures raise `FetchError` with a sentence for the person.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from urllib.parse import quote, urlsplit

import httpx

ORCID = "orcid"
DBLP = "dblp"
SEMANTIC_SCHOLAR = "semantic_scholar"
SERVICE_NAMES = {ORCID: "ORCID", DBLP: "DBLP", SEMANTIC_SCHOLAR: "Semantic Scholar"}
_ORCID_ID = re.compile(r"(\d{4}-\d{4}-\d{4}-\d{3}[\dX])")
_DBLP_PID = re.compile(r"((?:\d+/\d+(?:-\d+)?)|(?:[a-z]/[A-Za-z0-9_=.-]{1,80}))")
_S2_ID = re.compile(r"(\d{1,15})")
_S2_FIELDS = "title,year,venue,externalIds,authors,abstract,url"
_S2_PAGE = 500
_ORCID_BULK = 100


class FetchError(Exception):
    """The list could not be fetched; the message says why, for the person."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _orcid_checksum_ok(orcid: str) -> bool:
    digits = orcid.replace("-", "")
    total = 0
    for char in digits[:-1]:
        total = (total + int(char)) * 2
    check = (12 - total % 11) % 11
    return digits[-1] == ("X" if check == 10 else str(check))


def clean_identifier(service: str, raw: str) -> str:
    """Return the id in `raw` (an id or a profile URL), or raise FetchError saying why."""
    text = (raw or "").strip()
    if service == ORCID:
        match = _ORCID_ID.search(text.upper())
        if not match or not _orcid_checksum_ok(match.group(1)):
            raise FetchError(
                "Give an ORCID iD like 0000-0002-1825-0097 (16 digits in four groups, the "
                "last may be X)."
            )
        return match.group(1)
    if service == DBLP:
        path = urlsplit(text).path if "://" in text else text
        path = path.removeprefix("/").removeprefix("pid/").removesuffix(".html")
        path = path.removesuffix(".xml").removesuffix(".bib")
        if not _DBLP_PID.fullmatch(path):
            raise FetchError(
                "Give a DBLP pid like 123/4567 or h/GeoffreyEHinton (it is in the address "
                "of your DBLP page, after /pid/)."
            )
        return path
    if service == SEMANTIC_SCHOLAR:
        path = urlsplit(text).path.rstrip("/").rsplit("/", 1)[-1] if "://" in text else text
        if not _S2_ID.fullmatch(path):
            raise FetchError(
                "Give a Semantic Scholar author id: the number at the end of your author "
                "page's address."
            )
        return path
    raise FetchError("Choose ORCID, DBLP or Semantic Scholar.")


@dataclass
class Fetched:
    """What a service answered: the text, the format to read it as, and the pages asked."""

    content: str | list[str]
    fmt: str


def _orcid_put_codes(summaries: str) -> list[str]:
    """Return the put-code of each work group's first summary in ORCID's /works JSON."""
    try:
        groups = json.loads(summaries).get("group") or []
    except (ValueError, AttributeError):
        return []
    codes = []
    for group in groups:
        first = ((group or {}).get("work-summary") or [{}])[0] or {}
        if str(first.get("put-code") or "").isdigit():
            codes.append(str(first["put-code"]))
    return codes


def _get(client: httpx.Client, url: str, *, max_bytes: int, service: str) -> bytes:
    """GET `url` (same-host redirects only), at most `max_bytes`, or raise FetchError."""
    name = SERVICE_NAMES[service]
    host = urlsplit(url).netloc
    for _ in range(4):
        try:
            with client.stream("GET", url) as response:
                if response.is_redirect:
                    location = response.headers.get("location", "")
                    target = urlsplit(str(response.url.join(location)))
                    if not location or target.netloc != host:
                        raise FetchError(f"{name} sent us to another site; nothing was fetched.")
                    url = target.geturl()
                    continue
                if response.status_code == 404:
                    raise FetchError(f"{name} has no such person (it answered “not found”).")
                if response.status_code == 429:
                    raise FetchError(f"{name} asks us to wait (too many requests); try later.")
                if response.status_code >= 400:
                    raise FetchError(
                        f"{name} answered with an error ({response.status_code}); try later."
                    )
                declared = response.headers.get("content-length", "")
                if declared.isdigit() and int(declared) > max_bytes:
                    raise FetchError(f"{name}'s answer is larger than {max_bytes:,} bytes.")
                body = bytearray()
                for chunk in response.iter_bytes():
                    body.extend(chunk)
                    if len(body) > max_bytes:
                        raise FetchError(f"{name}'s answer is larger than {max_bytes:,} bytes.")
                return bytes(body)
        except httpx.TimeoutException:
            raise FetchError(f"{name} did not answer in time; nothing was changed.") from None
        except httpx.TransportError:
            raise FetchError(
                f"{name} could not be reached from this server (no network, or the service "
                "is down); nothing was changed. You can download the list yourself and "
                "import the file instead."
            ) from None
    raise FetchError(f"{name} redirected too many times; nothing was fetched.")


def fetch_publications(
    *,
    service: str,
    identifier: str,
    base_url: str,
    timeout: float,
    max_bytes: int,
    max_records: int,
) -> Fetched:
    """Fetch the publication list of `identifier` at `service` (an id already cleaned)."""
    base = base_url.rstrip("/")
    headers = {"User-Agent": "Peerless publication import", "Accept": "application/json"}
    with httpx.Client(timeout=timeout, follow_redirects=False, headers=headers) as client:
        if service == ORCID:
            url = f"{base}/v3.0/{quote(identifier)}/works"
            summaries = _get(client, url, max_bytes=max_bytes, service=service).decode(
                "utf-8", errors="replace"
            )
            # Summaries name no contributors; the full works (read 100 at a time) do. They
            # come first, so their records win over the summaries of the same works.
            codes = _orcid_put_codes(summaries)[:max_records]
            pages = []
            try:
                for start in range(0, len(codes), _ORCID_BULK):
                    chunk = ",".join(codes[start : start + _ORCID_BULK])
                    body = _get(client, f"{url}/{chunk}", max_bytes=max_bytes, service=service)
                    pages.append(body.decode("utf-8", errors="replace"))
            except FetchError:
                pages = []  # the summaries alone still make a list
            return Fetched(content=[*pages, summaries], fmt="orcid")
        if service == DBLP:
            client.headers["Accept"] = "application/xml"
            url = f"{base}/pid/{quote(identifier, safe='/')}.xml"
            body = _get(client, url, max_bytes=max_bytes, service=service)
            return Fetched(content=body.decode("utf-8", errors="replace"), fmt="dblp")
        if service == SEMANTIC_SCHOLAR:
            pages: list[str] = []
            offset, total = 0, 0
            while offset is not None and total < max_records:
                url = (
                    f"{base}/graph/v1/author/{quote(identifier)}/papers"
                    f"?fields={_S2_FIELDS}&limit={_S2_PAGE}&offset={offset}"
                )
                body = _get(client, url, max_bytes=max_bytes, service=service)
                text = body.decode("utf-8", errors="replace")
                pages.append(text)
                total += _S2_PAGE
                try:
                    following = json.loads(text).get("next")
                except (ValueError, AttributeError):
                    following = None
                offset = following if isinstance(following, int) and following > offset else None
            return Fetched(content=pages, fmt="semantic_scholar")
    raise FetchError("Choose ORCID, DBLP or Semantic Scholar.")
