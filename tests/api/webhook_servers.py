"""Local endpoints that webhook tests deliver to: a recording HTTP(S) server and bare sockets."""

import socket
import ssl
import threading
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Receiver:
    """A tiny HTTP server on 127.0.0.1 that records what it receives.

    `location` is sent as the Location header (for redirects); `tls`, an ssl.SSLContext,
    makes it an https server, and the names clients ask for by SNI are kept in `sni`.
    """

    def __init__(self, status: int = 200, *, location: str = "", tls=None, host="127.0.0.1"):
        self.status = status
        self.requests: list[tuple[dict, bytes]] = []
        self.sni: list[str | None] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.requests.append((dict(self.headers), body))
                self.send_response(receiver.status)
                if location:
                    self.send_header("Location", location)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        port = self.server.server_port
        if tls is not None:
            tls.sni_callback = lambda _sock, name, _context: self.sni.append(name)
            self.server.socket = tls.wrap_socket(self.server.socket, server_side=True)
        self.url = f"{'https' if tls else 'http'}://{host}:{port}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


@contextmanager
def silent_listener():
    """Yield a socket listening on 127.0.0.1 that never accepts nor answers by itself.

    The kernel completes connections into its backlog, so `connections(listener)` tells
    how many clients connected.
    """
    listener = socket.create_server(("127.0.0.1", 0), backlog=8)
    try:
        yield listener
    finally:
        listener.close()


def connections(listener: socket.socket) -> int:
    """Accept (and close) every connection waiting on `listener`; return how many there were."""
    listener.setblocking(False)
    count = 0
    while True:
        try:
            conn, _ = listener.accept()
        except BlockingIOError:
            return count
        conn.close()
        count += 1


def closed_port() -> int:
    """Return a port on 127.0.0.1 where nothing listens (connecting is refused)."""
    with socket.create_server(("127.0.0.1", 0)) as sock:
        return sock.getsockname()[1]


def tls_server_context(ca, *names: str) -> ssl.SSLContext:
    """Return a server context with a certificate from `ca` (a trustme.CA) for `names`."""
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert(*names).configure_cert(context)
    return context
