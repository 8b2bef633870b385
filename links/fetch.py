"""Outbound requests that are safe by construction: public addresses only, a total deadline, a byte cap.

`requests` and urllib3 resolve a host name when they connect, so checking an address beforehand
proves nothing (DNS rebinding can answer differently the second time). Here the connection itself
resolves the name once, refuses it if any of its addresses is internal (loopback, private,
link-local, reserved, multicast, unspecified, or not globally reachable, IPv4 or IPv6, mapped forms
included), and connects to exactly the addresses it validated. TLS still checks the certificate
against the host name, and the Host header still names it. Only hosts listed in
LINK_CHECK_INTERNAL_HOSTS (tests, local runs) may be internal.

Every request runs inside a `Guard`: one monotonic deadline for DNS, connect, TLS, sending and every
read (each socket wait gets only the time left, so a server trickling one byte at a time is cut at
the deadline), and at most `max_bytes` read from the server, headers included. The checker never
needs a body: it reads the status line and headers, then closes the connection.
"""

import contextvars
import http.client
import io
import ipaddress
import socket
import sys
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import NameResolutionError, NewConnectionError

# Why a request was refused (the codes CheckedLink.error records).
INTERNAL_ADDRESS = "internal_address"
DEADLINE = "timeout"
TOO_LARGE = "too_large"
# RFC 6052's well-known NAT64 prefix: the IPv4 address in its last 32 bits is the one reached.
NAT64 = ipaddress.IPv6Network("64:ff9b::/96")

Address = ipaddress.IPv4Address | ipaddress.IPv6Address


class Refused(Exception):
    """The request was stopped on purpose; `reason` is one of the codes above."""

    def __init__(self, reason: str, detail: str = ""):
        super().__init__(detail or reason)
        self.reason = reason
        self.detail = detail


def _embedded_ipv4(address: ipaddress.IPv6Address) -> list[ipaddress.IPv4Address]:
    """The IPv4 addresses an IPv6 address leads to as well (6to4, Teredo, NAT64)."""
    found = []
    if address.sixtofour is not None:
        found.append(address.sixtofour)
    if address.teredo is not None:
        found.extend(address.teredo)
    if address in NAT64:
        found.append(ipaddress.IPv4Address(int(address) & 0xFFFFFFFF))
    return found


def internal_kind(text: str) -> str:
    """Why `text` (an address as the resolver gave it) is internal, or "" for a public address."""
    try:
        address: Address = ipaddress.ip_address(text.split("%", 1)[0])  # drop an IPv6 zone ("fe80::1%eth0")
    except ValueError:
        return "not an address"
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:  # ::ffff:a.b.c.d is the IPv4 host a.b.c.d
            return internal_kind(str(address.ipv4_mapped))
        if address in NAT64:
            return internal_kind(str(ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)))
        for embedded in _embedded_ipv4(address):
            kind = internal_kind(str(embedded))
            if kind:
                return kind
        if address.is_site_local:
            return "site-local"
    for kind, flag in (
        ("unspecified", address.is_unspecified),
        ("loopback", address.is_loopback),
        ("link-local", address.is_link_local),
        ("multicast", address.is_multicast),
        ("private", address.is_private),
        ("reserved", address.is_reserved),
        ("not global", not address.is_global),
    ):
        if flag:
            return kind
    return ""


def host_name(host: str) -> str:
    """A host as LINK_CHECK_INTERNAL_HOSTS names it: lower case, no brackets, no final dot."""
    return host.strip("[]").rstrip(".").lower()


def _getaddrinfo(host: str, port: int, timeout: float) -> list[tuple]:
    """socket.getaddrinfo, given up after `timeout` seconds (the lookup itself has no timeout)."""
    box: dict = {}

    def lookup() -> None:
        try:
            box["infos"] = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except (OSError, UnicodeError) as error:
            box["error"] = error

    worker = threading.Thread(target=lookup, name="link-check-dns", daemon=True)
    worker.start()
    worker.join(timeout)
    if worker.is_alive():
        raise Refused(DEADLINE, f"no DNS answer for {host} in time")
    if "error" in box:
        raise box["error"]
    return box["infos"]


@dataclass
class Guard:
    """The limits of one request: a monotonic deadline, a byte cap, the hosts that may be internal."""

    deadline: float
    max_bytes: int
    internal_hosts: frozenset[str] = frozenset()
    received: int = 0

    def remaining(self) -> float:
        """Seconds left; Refused once the deadline has passed."""
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise Refused(DEADLINE, "deadline reached")
        return left

    def resolve(self, host: str, port: int) -> list[tuple[int, tuple]]:
        """(family, socket address) pairs to connect to, every one of them validated."""
        name = host_name(host)
        may_be_internal = name in self.internal_hosts
        found: list[tuple[int, tuple]] = []
        for family, _type, _proto, _canonical, sockaddr in _getaddrinfo(host, port, self.remaining()):
            if family not in (socket.AF_INET, socket.AF_INET6):
                continue
            kind = internal_kind(sockaddr[0])
            if kind and not may_be_internal:
                raise Refused(INTERNAL_ADDRESS, f"{name} resolves to {sockaddr[0]} ({kind})")
            if (family, sockaddr) not in found:
                found.append((family, sockaddr))
        if not found:
            raise socket.gaierror(socket.EAI_NONAME, f"no address for {name}")
        return found


_current: contextvars.ContextVar[Guard] = contextvars.ContextVar("link_check_guard")


@contextmanager
def guarded(guard: Guard) -> Iterator[Guard]:
    """Run the requests made inside this block under `guard` (connections refuse to open without one)."""
    token = _current.set(guard)
    try:
        yield guard
    finally:
        _current.reset(token)


def current_guard() -> Guard:
    try:
        return _current.get()
    except LookupError:
        raise RuntimeError("links.fetch connections open only inside guarded()") from None


class _GuardedReader(io.RawIOBase):
    """The socket's raw reader, each read given only the time left and the bytes left under the cap."""

    def __init__(self, raw: io.RawIOBase, sock: socket.socket, guard: Guard):
        super().__init__()
        self.raw = raw
        self.sock = sock
        self.guard = guard

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        allowed = self.guard.max_bytes - self.guard.received
        if allowed <= 0:
            raise Refused(TOO_LARGE, f"more than {self.guard.max_bytes} bytes")
        self.sock.settimeout(self.guard.remaining())
        try:
            count = self.raw.readinto(memoryview(buffer)[:allowed])
        except TimeoutError:
            raise Refused(DEADLINE, "the answer did not arrive in time") from None
        self.guard.received += count or 0
        return count

    def close(self) -> None:
        if not self.closed:
            self.raw.close()  # releases the socket's reference, as http.client's own reader does
        super().close()


class _GuardedResponse(http.client.HTTPResponse):
    """http.client's response, reading through _GuardedReader (status line and headers included)."""

    def __init__(self, sock, *args, **kwargs):
        super().__init__(sock, *args, **kwargs)
        raw = self.fp.detach()  # nothing is read yet: begin() reads the status line next
        self.fp = io.BufferedReader(_GuardedReader(raw, sock, current_guard()))


class _PinnedConnectionMixin:
    """Resolve once, validate every address, connect to those very addresses, within the deadline."""

    response_class = _GuardedResponse

    def _new_conn(self) -> socket.socket:
        guard = current_guard()
        try:
            addresses = guard.resolve(self._dns_host, self.port)
        except socket.gaierror as error:
            raise NameResolutionError(self.host, self, error) from error
        last_error: OSError | None = None
        for family, sockaddr in addresses:
            sock = socket.socket(family, socket.SOCK_STREAM)
            try:
                for option in self.socket_options or ():
                    sock.setsockopt(*option)
                sock.settimeout(guard.remaining())
                sock.connect(sockaddr)
                sock.settimeout(guard.remaining())  # so the TLS handshake ends by the deadline too
            except TimeoutError:
                sock.close()
                raise Refused(DEADLINE, f"no connection to {self.host} in time") from None
            except OSError as error:  # refused, unreachable: try the next validated address
                sock.close()
                last_error = error
                continue
            except BaseException:
                sock.close()
                raise
            sys.audit("http.client.connect", self, self.host, self.port)
            return sock
        raise NewConnectionError(self, f"Failed to establish a new connection: {last_error}")


class PinnedHTTPConnection(_PinnedConnectionMixin, HTTPConnection):
    pass


class PinnedHTTPSConnection(_PinnedConnectionMixin, HTTPSConnection):
    pass


class _PinnedHTTPPool(HTTPConnectionPool):
    ConnectionCls = PinnedHTTPConnection


class _PinnedHTTPSPool(HTTPSConnectionPool):
    ConnectionCls = PinnedHTTPSConnection


class PinnedAdapter(HTTPAdapter):
    """A requests adapter whose connections are pinned to validated public addresses; never a proxy."""

    def init_poolmanager(self, *args, **kwargs) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {"http": _PinnedHTTPPool, "https": _PinnedHTTPSPool}

    def proxy_manager_for(self, proxy, **proxy_kwargs):
        raise ValueError("the link checker never goes through a proxy")


def internal_hosts(names: Iterable[str]) -> frozenset[str]:
    return frozenset(host_name(name) for name in names)
