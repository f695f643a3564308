"""The network side of a webhook delivery: one POST to a checked, pinned address.

The endpoint's host is resolved once per attempt. Every address it resolves to must be public
(not loopback, private, link-local, shared, reserved, multicast or unspecified, also when an
IPv4 address is wrapped in IPv6), otherwise nothing is sent. The connection then goes to one of
those checked addresses, never through a second lookup, so a name cannot change its answer
between the check and the connection. For https the certificate is still verified against the
URL's host name, which is also sent as SNI and in the Host header. Redirects are never
followed: the answer's status is returned as it is.
"""

import http.client
import ipaddress
import socket
import ssl
from urllib.parse import urlsplit

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")


class AddressRefused(Exception):
    """The endpoint's host resolves to an address deliveries may not go to."""


def address_is_public(address: IPAddress) -> bool:
    """Return whether a delivery may connect to `address`."""
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return address_is_public(address.ipv4_mapped)
        if address in _NAT64:
            return address_is_public(ipaddress.IPv4Address(int(address) & 0xFFFFFFFF))
        if address.sixtofour is not None and not address_is_public(address.sixtofour):
            return False
        if address.is_site_local:
            return False
    return address.is_global and not (
        address.is_private
        or address.is_loopback
        or address.is_link_local
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
    )


def is_non_public_literal(host: str) -> bool:
    """Return whether `host` is an IP literal of a non-public address (names are not resolved)."""
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return not address_is_public(address)


def resolve_checked(host: str, port: int, *, allow_private: bool) -> list[tuple]:
    """Return the addresses of `host` to connect to, refusing them all if any is not public."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP)
    if not infos:
        raise OSError(f"{host} has no address")
    if not allow_private:
        for *_, sockaddr in infos:
            if not address_is_public(ipaddress.ip_address(sockaddr[0])):
                raise AddressRefused(f"{host} resolves to {sockaddr[0]}, which is not public")
    return infos


def _connect_any(addresses: list[tuple], timeout: float) -> socket.socket:
    error: OSError | None = None
    for family, kind, proto, _, sockaddr in addresses:
        sock = socket.socket(family, kind, proto)
        try:
            sock.settimeout(timeout)
            sock.connect(sockaddr)
        except OSError as exc:
            sock.close()
            error = exc
        else:
            return sock
    raise error or OSError("no address to connect to")


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """An HTTP connection to an address chosen beforehand instead of a fresh lookup."""

    def __init__(self, host: str, port: int, *, addresses: list[tuple], timeout: float):
        super().__init__(host, port, timeout=timeout)
        self.addresses = addresses

    def connect(self) -> None:
        self.sock = _connect_any(self.addresses, self.timeout)


class _PinnedHTTPSConnection(_PinnedHTTPConnection):
    """The same over TLS, verifying the certificate for the URL's host name."""

    default_port = 443

    def connect(self) -> None:
        super().connect()
        context = ssl.create_default_context()
        self.sock = context.wrap_socket(self.sock, server_hostname=self.host)


def post(
    *, url: str, body: bytes, headers: dict[str, str], timeout: float, allow_private: bool
) -> int:
    """POST `body` to `url` and return the answer's HTTP status.

    Raise AddressRefused when the host resolves to a non-public address (unless
    `allow_private`), OSError, ValueError or http.client.HTTPException on any other failure.
    """
    parts = urlsplit(url)
    https = parts.scheme == "https"
    host = parts.hostname or ""
    port = parts.port or (443 if https else 80)
    addresses = resolve_checked(host, port, allow_private=allow_private)
    connection_class = _PinnedHTTPSConnection if https else _PinnedHTTPConnection
    connection = connection_class(host, port, addresses=addresses, timeout=timeout)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    try:
        connection.request("POST", target, body=body, headers={**headers, "Connection": "close"})
        return connection.getresponse().status
    finally:
        connection.close()
