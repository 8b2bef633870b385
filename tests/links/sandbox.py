"""A sandbox for outbound requests in tests: a fake resolver and a connection recorder.

Other names than 127.0.0.1 are resolved by a fake resolver at the resolver boundary
(socket.getaddrinfo), and every outgoing connection goes through a recorder that refuses anything
but loopback, so that no test ever leaves the machine, even when the checker is wrong.
"""

import ipaddress
import socket
from contextlib import contextmanager
from unittest import mock

REAL_GETADDRINFO = socket.getaddrinfo
REAL_CONNECT = socket.socket.connect


class FakeDNS:
    """getaddrinfo for test names: name → one list of addresses per lookup (the last one repeats).

    Numeric hosts go to the real resolver with AI_NUMERICHOST (no DNS query), "localhost" to the
    real one (/etc/hosts); any other name does not exist.
    """

    def __init__(self, answers: dict[str, list[list[str]]]):
        self.answers = answers
        self.lookups: list[str] = []

    def __call__(self, host, port, family=0, type=0, proto=0, flags=0):
        self.lookups.append(host)
        if host in self.answers:
            rounds = self.answers[host]
            addresses = rounds[min(self.lookups.count(host), len(rounds)) - 1]
            return [
                (socket.AF_INET6, socket.SOCK_STREAM, 6, "", (address, port, 0, 0))
                if ":" in address
                else (socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))
                for address in addresses
            ]
        if host == "localhost":
            return REAL_GETADDRINFO(host, port, family, type, proto, flags)
        return REAL_GETADDRINFO(host, port, family, type, proto, flags | socket.AI_NUMERICHOST)


@contextmanager
def sandbox(answers: dict[str, list[list[str]]] | None = None):
    """Fake the resolver and record every connection attempt; refuse any that is not loopback."""
    dns = FakeDNS(answers or {})
    attempts: list[str] = []

    def connect(sock, address):
        if sock.family in (socket.AF_INET, socket.AF_INET6):
            attempts.append(address[0])
            if not ipaddress.ip_address(address[0].split("%")[0]).is_loopback:
                raise ConnectionRefusedError("tests never leave 127.0.0.1")
        return REAL_CONNECT(sock, address)

    with mock.patch("socket.getaddrinfo", dns), mock.patch.object(socket.socket, "connect", connect):
        yield dns, attempts
