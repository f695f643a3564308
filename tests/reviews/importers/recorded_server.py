"""A local HTTP server that answers as ORCID, DBLP and Semantic Scholar did (recorded files)."""

from __future__ import annotations

import contextlib
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

FILES = Path(__file__).parent / "files"

ROUTES = {
    "/v3.0/0000-0002-1825-0097/works": "orcid_json/works_rao.json",
    "/v3.0/0000-0002-1825-0097/works/141592653,27182818,31415": "orcid_json/bulk_rao.json",
    "/pid/123/4567.xml": "dblp_xml/rao.xml",
    "/pid/98/7654-1.xml": "dblp_xml/muller.xml",
    "/graph/v1/author/2110001/papers": "semantic_scholar/author_papers_rao.json",
}
#: Semantic Scholar pages of author 3000001: offset -> file (or an empty last page).
PAGES = {"0": "semantic_scholar/page_two_oconnor.json", "200": None}


class _Handler(BaseHTTPRequestHandler):
    asked: list[str]

    def log_message(self, *args) -> None:  # keep the test output quiet
        pass

    def _send(self, status: int, body: bytes, *, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        self.server.asked.append(self.path)
        if url.path in ROUTES:
            self._send(200, (FILES / ROUTES[url.path]).read_bytes())
        elif url.path == "/graph/v1/author/3000001/papers":
            offset = parse_qs(url.query).get("offset", ["0"])[0]
            name = PAGES.get(offset)
            body = (FILES / name).read_bytes() if name else json.dumps(
                {"offset": int(offset), "data": []}
            ).encode()
            self._send(200, body)
        elif url.path == "/pid/1/1.xml":
            self._send(302, b"", headers={"Location": "http://elsewhere.example/pid/1/1.xml"})
        elif url.path == "/pid/2/2.xml":
            self._send(302, b"", headers={"Location": "/pid/123/4567.xml"})
        elif url.path == "/pid/3/3.xml":
            self._send(200, b"<html><body>Sorry, we are down.</body></html>")
        elif url.path == "/graph/v1/author/429/papers":
            self._send(429, b'{"message": "Too Many Requests"}')
        else:
            self._send(404, b"not found")


@contextlib.contextmanager
def recorded_server() -> Iterator[ThreadingHTTPServer]:
    """Serve the recorded answers on 127.0.0.1; `server.url` is its base URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.asked = []
    server.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def closed_port_url() -> str:
    """Return the URL of a local port nobody listens on (as when the network is absent)."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}"
