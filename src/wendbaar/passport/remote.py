"""Fetch another issuer's DID document or status list without letting a credential steer the server.

A credential someone imports names the URLs we fetch (its issuer's did:web, its status list), so an
attacker could point them at the server's own network: the cloud metadata address, a database port on
loopback, an admin page on the intranet (server-side request forgery). This module only fetches

- https, or plain http for a host named in WENDBAAR_DID_WEB_HTTP_HOSTS (tests, development);
- from public addresses: every address the host name resolves to is checked, and the address the
  socket really connected to is checked again (a DNS answer that changes in between does not get
  through), unless it lies in WENDBAAR_CREDENTIAL_FETCH_ALLOWED_NETWORKS;
- with a deadline for the whole fetch and at most MAX_BYTES of answer;
- following at most MAX_REDIRECTS redirects, each one checked as the first URL was.

Every refusal is a `Refused` with a text that names the URL and the reason.
"""

from __future__ import annotations

import ipaddress
import socket
import time
from collections.abc import Sequence
from typing import Any
from urllib.parse import urljoin, urlsplit

import certifi
import urllib3
from django.conf import settings
from django.utils.translation import gettext as _
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

MAX_BYTES = 1_000_000
MAX_REDIRECTS = 3
_CHUNK = 65_536

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network


class Unreachable(Exception):
    """A document could not be fetched (refused, too slow, too large, not there)."""


class Refused(Unreachable):
    """We will not fetch this URL (scheme, address, redirect): nothing was sent to the forbidden address."""


def allowed_networks() -> list[Network]:
    return [ipaddress.ip_network(n, strict=False) for n in settings.CREDENTIAL_FETCH_ALLOWED_NETWORKS]


def is_public(address: Address) -> bool:
    """Whether `address` is on the public internet (not loopback, private, link-local, reserved…)."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped  # ::ffff:127.0.0.1 is 127.0.0.1
    return address.is_global and not address.is_multicast


def address_allowed(address: Address, networks: Sequence[Network]) -> bool:
    return is_public(address) or any(address in network for network in networks)


def resolve(host: str, port: int) -> list[Address]:
    """Every address `host` resolves to (an IP literal is its own answer)."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [ipaddress.ip_address(str(info[4][0]).split("%", 1)[0]) for info in infos]


def _check_address(url: str, address: Address) -> None:
    if not address_allowed(address, allowed_networks()):
        raise Refused(
            _("We do not fetch %(url)s: it leads to %(address)s, an address inside a private network.")
            % {"url": url, "address": address}
        )


class _GuardedConnection:
    """Check the address the socket really connected to, before a byte is sent (against DNS rebinding)."""

    wendbaar_url = ""

    def _new_conn(self) -> socket.socket:
        sock: socket.socket = super()._new_conn()  # type: ignore[misc]
        peer = ipaddress.ip_address(str(sock.getpeername()[0]).split("%", 1)[0])
        try:
            _check_address(self.wendbaar_url, peer)
        except Refused:
            sock.close()
            raise
        return sock


class _GuardedHTTPConnection(_GuardedConnection, HTTPConnection):
    pass


class _GuardedHTTPSConnection(_GuardedConnection, HTTPSConnection):
    pass


def _pool(url: str, timeout: urllib3.Timeout) -> HTTPConnectionPool:
    parts = urlsplit(url)
    guarded: type[Any]
    pool_class: type[HTTPConnectionPool]
    if parts.scheme == "https":
        pool_class, guarded = HTTPSConnectionPool, _GuardedHTTPSConnection
    else:
        pool_class, guarded = HTTPConnectionPool, _GuardedHTTPConnection
    connection = type("Connection", (guarded,), {"wendbaar_url": url})
    extra: dict[str, Any] = {"ca_certs": certifi.where()} if parts.scheme == "https" else {}
    pool = pool_class(parts.hostname or "", parts.port, timeout=timeout, retries=False, maxsize=1, **extra)
    pool.ConnectionCls = connection
    return pool


def check_url(url: str) -> None:
    """Refuse `url` unless its scheme and every address its host resolves to may be fetched."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.scheme not in ("http", "https") or not host:
        raise Refused(_("We do not fetch %(url)s: only https addresses are allowed.") % {"url": url})
    if parts.scheme == "http" and host not in settings.DID_WEB_HTTP_HOSTS:
        raise Refused(_("We do not fetch %(url)s: only https addresses are allowed.") % {"url": url})
    if parts.username or parts.password:
        raise Refused(_("We do not fetch %(url)s: the address contains a user name or password.") % {"url": url})
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
        addresses = resolve(host, port)
    except (OSError, ValueError) as exc:
        raise Unreachable(_("Could not fetch %(url)s: %(error)s") % {"url": url, "error": exc}) from exc
    for address in addresses:
        _check_address(url, address)


def fetch(url: str, *, accept: str = "application/json") -> bytes:
    """Return the body of `url` (status 200), fetched within the limits above; raise Unreachable or Refused."""
    seconds = float(settings.CREDENTIAL_FETCH_TIMEOUT)
    deadline = time.monotonic() + seconds
    too_slow = _("%(url)s did not answer within %(seconds)s seconds.")
    for _hop in range(MAX_REDIRECTS + 1):
        check_url(url)
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise Unreachable(too_slow % {"url": url, "seconds": f"{seconds:g}"})
        pool = _pool(url, urllib3.Timeout(connect=remaining, read=remaining))
        parts = urlsplit(url)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        try:
            response = pool.urlopen("GET", target, headers={"Accept": accept}, redirect=False,
                                    preload_content=False, assert_same_host=False)  # fmt: skip
            try:
                if response.status in (301, 302, 303, 307, 308) and response.headers.get("Location"):
                    url = urljoin(url, response.headers["Location"])
                    continue
                if response.status != 200:
                    raise Unreachable(
                        _("Could not fetch %(url)s: the server answered %(status)s.")
                        % {"url": url, "status": response.status}
                    )
                return _read_limited(response, url, deadline, too_slow % {"url": url, "seconds": f"{seconds:g}"})
            finally:
                response.release_conn()
        except urllib3.exceptions.TimeoutError as exc:
            raise Unreachable(too_slow % {"url": url, "seconds": f"{seconds:g}"}) from exc
        except urllib3.exceptions.HTTPError as exc:
            raise Unreachable(_("Could not fetch %(url)s: %(error)s") % {"url": url, "error": exc}) from exc
        finally:
            pool.close()
    too_many = _("We do not fetch %(url)s: it redirects more than %(count)s times.")
    raise Refused(too_many % {"url": url, "count": MAX_REDIRECTS})


def _read_limited(response: Any, url: str, deadline: float, too_slow: str) -> bytes:
    """Read at most MAX_BYTES before the deadline (a server that trickles bytes is cut off too)."""
    too_large = _("The document at %(url)s is larger than %(size)s MB.") % {"url": url, "size": MAX_BYTES // 1_000_000}
    declared = response.headers.get("Content-Length")
    if declared and declared.isdigit() and int(declared) > MAX_BYTES:
        raise Unreachable(too_large)
    body = bytearray()
    while True:
        if time.monotonic() > deadline:
            raise Unreachable(too_slow)
        chunk = response.read1(_CHUNK)  # what has arrived, so the deadline is checked between bytes
        if not chunk:
            return bytes(body)
        body += chunk
        if len(body) > MAX_BYTES:
            raise Unreachable(too_large)
