"""The link checker fetches public addresses only, within a total deadline and a byte cap.

Real servers on 127.0.0.1 (the one host tests/settings.py allows to be internal); other names are
resolved by a fake resolver at the resolver boundary (socket.getaddrinfo), and every outgoing
connection goes through a sandbox that records it and refuses anything but loopback, so that no
test ever leaves the machine, even when the checker is wrong.
"""

import ipaddress
import socket
import threading
import time
from contextlib import contextmanager
from unittest import mock

from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase as HypothesisTestCase

from django.db import IntegrityError, transaction
from django.test import SimpleTestCase, TestCase, override_settings

from links.checker import MAX_REDIRECTS, Pacer, check_url, new_session, run_checks
from links.fetch import Guard, Refused, guarded, internal_kind
from links.models import REFUSED, CheckedLink
from tests.links.server import HUGE_BODY, TEST_CA, LinkServer

TIMEOUT = 0.5
CAP = 65536  # tests/settings.py: LINK_CHECK_MAX_BYTES
PUBLIC = "93.184.215.14"  # a global address: the sandbox refuses to connect to it
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


class AddressClassifierTests(SimpleTestCase):
    """internal_kind() on the addresses a resolver can return, IPv4 and IPv6, mapped forms included."""

    INTERNAL = [
        "127.0.0.1", "127.255.255.254", "10.0.0.1", "172.16.5.4", "192.168.1.1", "169.254.169.254",
        "100.64.0.1", "0.0.0.0", "224.0.0.1",  # noqa: S104
        "239.255.255.250", "240.0.0.1", "255.255.255.255",
        "192.0.2.1", "198.18.0.1", "::1", "::", "fe80::1", "fe80::1%eth0", "fc00::1", "fd12:3456::1",
        "fec0::1", "ff02::1", "ff0e::1", "::ffff:127.0.0.1", "::ffff:10.0.0.1", "::ffff:169.254.169.254",
        "::ffff:0.0.0.0", "::127.0.0.1", "64:ff9b::7f00:1", "64:ff9b::a9fe:a9fe", "64:ff9b:1::a00:1",
        "2002:7f00:1::", "2002:a00:1::1", "2002:a9fe:a9fe::", "2001:db8::1", "2001:0:4136:e378:8000:63bf:f5ff:fffe",
        "100::1",
    ]  # fmt: skip
    PUBLIC = [
        "8.8.8.8",
        "1.1.1.1",
        "2606:4700:4700::1111",
        "2001:4860:4860::8888",
        "::ffff:8.8.8.8",
        "64:ff9b::808:808",
    ]

    def test_internal_addresses_are_refused(self):
        for address in self.INTERNAL:
            with self.subTest(address=address):
                self.assertNotEqual(internal_kind(address), "")

    def test_public_addresses_pass(self):
        for address in self.PUBLIC:
            with self.subTest(address=address):
                self.assertEqual(internal_kind(address), "")

    def test_what_is_not_an_address_is_refused(self):
        for text in ("", "example.org", "0177.0.0.1", "2130706433", "1.2.3"):
            with self.subTest(text=text):
                self.assertEqual(internal_kind(text), "not an address")

    @given(st.integers(min_value=0, max_value=2**32 - 1))
    def test_an_ipv4_address_and_its_ipv6_forms_are_judged_alike(self, number):
        ipv4 = ipaddress.IPv4Address(number)
        verdict = bool(internal_kind(str(ipv4)))
        self.assertEqual(bool(internal_kind(f"::ffff:{ipv4}")), verdict)
        self.assertEqual(bool(internal_kind(str(ipaddress.IPv6Address((0x64FF9B << 96) | number)))), verdict)
        if verdict:  # 6to4 and IPv4-compatible forms of an internal address are internal too
            self.assertTrue(internal_kind(str(ipaddress.IPv6Address((0x2002 << 112) | (number << 80)))))
            self.assertTrue(internal_kind(f"::{ipv4}"))
        else:
            self.assertTrue(ipv4.is_global and not ipv4.is_multicast)

    @given(st.integers(min_value=0, max_value=2**128 - 1))
    def test_a_public_ipv6_address_is_global_and_unicast(self, number):
        address = ipaddress.IPv6Address(number)
        if not internal_kind(str(address)) and address.ipv4_mapped is None and number >> 32 != 0x64FF9B << 64:
            self.assertTrue(address.is_global)
            self.assertFalse(address.is_multicast or address.is_reserved or address.is_site_local)

    def test_numeric_host_spellings_are_resolved_then_refused(self):
        """Decimal, octal, hexadecimal and short forms reach the resolver, which says what they mean."""
        guard = Guard(deadline=time.monotonic() + 30, max_bytes=CAP)
        for host in ("2130706433", "0177.0.0.1", "0x7f.1", "127.1", "017700000001", "::1", "::ffff:7f00:1", "0"):
            with self.subTest(host=host), self.assertRaises(Refused) as refused:
                guard.resolve(host, 80)
            self.assertEqual(refused.exception.reason, "internal_address")

    def test_a_named_internal_host_may_resolve_to_an_internal_address(self):
        guard = Guard(deadline=time.monotonic() + 30, max_bytes=CAP, internal_hosts=frozenset({"127.0.0.1"}))
        self.assertEqual(guard.resolve("127.0.0.1", 80), [(socket.AF_INET, ("127.0.0.1", 80))])
        with self.assertRaises(Refused):
            guard.resolve("127.1", 80)  # the allowance names a host, not an address


@override_settings(LINK_CHECK_ALLOWED_HOSTS=[])  # any host: only the fake resolver and the sandbox stop them
class InternalAddressTests(HypothesisTestCase):
    """Names that lead to internal addresses are refused, at every hop and when connecting."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.server = LinkServer().__enter__()

    @classmethod
    def tearDownClass(cls):
        cls.server.__exit__(None, None, None)
        super().tearDownClass()

    def setUp(self):
        self.server.requests.clear()

    def check(self, url: str):
        return check_url(url, session=new_session(), pacer=Pacer(0), timeout=TIMEOUT)

    def test_names_resolving_to_internal_addresses_are_refused_before_connecting(self):
        for address in ("127.0.0.1", "10.0.0.1", "169.254.169.254", "::1", "::ffff:127.0.0.1", "0.0.0.0"):  # noqa: S104
            with self.subTest(address=address), sandbox({"orders.example": [[address]]}) as (_dns, attempts):
                outcome = self.check(self.server.url("/ok", host="orders.example"))
                self.assertEqual(outcome.error, "internal_address")
                self.assertFalse(outcome.passed)
                self.assertEqual(attempts, [])
        self.assertEqual(self.server.requests, [])

    def test_internal_hosts_written_as_addresses_or_localhost_are_refused(self):
        port = self.server.port
        for host in ("localhost", "2130706433", "0177.0.0.1", "127.1", "[::1]", "[::ffff:127.0.0.1]", "10.0.0.1"):
            with self.subTest(host=host), sandbox() as (_dns, attempts):
                outcome = self.check(f"http://{host}:{port}/ok")
                self.assertEqual(outcome.error, "internal_address")
                self.assertEqual(attempts, [])
        self.assertEqual(self.server.requests, [])

    def test_a_name_with_one_internal_address_among_public_ones_is_refused(self):
        with sandbox({"mixed.example": [[PUBLIC, "127.0.0.1"]]}) as (_dns, attempts):
            outcome = self.check(self.server.url("/ok", host="mixed.example"))
        self.assertEqual(outcome.error, "internal_address")
        self.assertEqual(attempts, [])
        self.assertEqual(self.server.requests, [])

    def test_dns_rebinding_cannot_switch_to_an_internal_address(self):
        """The first lookup says public, every later one says 127.0.0.1: each connection is made to
        the address it validated (the public one, which the sandbox refuses) or refused outright."""
        with sandbox({"rebind.example": [[PUBLIC], ["127.0.0.1"]]}) as (dns, attempts):
            outcome = self.check(self.server.url("/ok", host="rebind.example"))
        self.assertFalse(outcome.passed)
        self.assertIn(outcome.error, ("connection", "internal_address"))
        self.assertEqual(attempts, [PUBLIC])  # the validated address, and nothing else
        self.assertEqual(self.server.requests, [])  # 127.0.0.1 was never reached
        self.assertEqual(dns.lookups.count("rebind.example"), 2)  # HEAD then GET: one lookup per connection

    def test_a_redirect_to_an_internal_address_is_refused_and_reported(self):
        targets = {
            "/to-metadata": "http://metadata.example/latest/meta-data/",
            "/to-localhost": f"http://localhost:{self.server.port}/ok",
            "/to-private": "http://10.0.0.1/admin",
            "/to-mapped": f"http://[::ffff:127.0.0.1]:{self.server.port}/ok",
        }
        for path, target in targets.items():
            self.server.routes[path] = (301, target)
        urls = [self.server.url(path) for path in targets]
        with sandbox({"metadata.example": [["169.254.169.254"]]}) as (_dns, attempts):
            summary = run_checks(urls, budget=30, timeout=TIMEOUT, delay=0)
        self.assertEqual(set(attempts), {"127.0.0.1"})  # only the first hops, on the allowed test server
        self.assertEqual(sorted(self.server.paths_requested()), sorted(targets))
        self.assertEqual(summary.checked, {"refused": 4})
        for path, target in targets.items():
            with self.subTest(path=path):
                link = CheckedLink.objects.get(url=self.server.url(path))
                self.assertEqual(link.state(), REFUSED)
                self.assertEqual(link.error, "internal_address")
                self.assertFalse(link.passed)
                self.assertEqual(link.final_url, target)  # editors see where it led…
                self.assertEqual(link.new_address, "")  # …but it is never offered as the new address
                self.assertFalse(CheckedLink.objects.filter(url=target).exists())
                self.assertIn("adresse interne", link.answer())

    @settings(max_examples=40, deadline=None)
    @given(st.lists(st.sampled_from(["local"] * 6 + ["metadata", "literal", "localhost", "mapped"]), max_size=8))
    def test_no_redirect_chain_reaches_a_forbidden_address(self, steps):
        """Chains of redirects mixing the allowed test server and forbidden targets, in any order."""
        port = self.server.port
        forbidden = {
            "metadata": "http://metadata.example/latest/",
            "literal": "http://169.254.169.254/latest/",
            "localhost": f"http://localhost:{port}/ok",
            "mapped": f"http://[::ffff:127.0.0.1]:{port}/ok",
        }
        chain = f"/chain-{len(self.server.requests)}-"  # fresh paths for each example
        for index, step in enumerate(steps):
            target = f"{chain}{index + 1}" if step == "local" else forbidden[step]
            self.server.routes[f"{chain}{index}"] = (301, target)
        self.server.routes[f"{chain}{len(steps)}"] = (200, None)
        self.server.requests.clear()
        with sandbox({"metadata.example": [["169.254.169.254"]]}) as (_dns, attempts):
            outcome = self.check(self.server.url(f"{chain}0"))
        local_prefix = next((i for i, step in enumerate(steps) if step != "local"), len(steps))
        fetched = min(local_prefix, MAX_REDIRECTS) + 1  # the first hops, on the allowed server
        self.assertEqual(self.server.paths_requested(), [f"{chain}{i}" for i in range(fetched)])
        self.assertEqual(set(attempts), {"127.0.0.1"})
        if local_prefix < min(len(steps), MAX_REDIRECTS):
            self.assertEqual(outcome.error, "internal_address")
            self.assertEqual(outcome.final_url, forbidden[steps[local_prefix]])
        elif len(steps) > MAX_REDIRECTS:
            self.assertEqual(outcome.error, "redirects")
        else:
            self.assertTrue(outcome.passed)
        self.assertEqual(outcome.passed, local_prefix == len(steps) <= MAX_REDIRECTS)

    @override_settings(LINK_CHECK_INTERNAL_HOSTS=["127.0.0.1", "intranet.example"])
    def test_hosts_named_in_the_setting_may_be_internal(self):
        with sandbox({"intranet.example": [["127.0.0.1"]]}) as (_dns, attempts):
            outcome = self.check(self.server.url("/ok", host="intranet.example"))
        self.assertTrue(outcome.passed)
        self.assertEqual(attempts, ["127.0.0.1"])
        self.assertEqual(self.server.paths_requested(), ["/ok"])

    @override_settings(LINK_CHECK_INTERNAL_HOSTS=[])
    def test_by_default_even_the_test_server_is_refused(self):
        with sandbox() as (_dns, attempts):
            outcome = self.check(self.server.url("/ok"))
        self.assertEqual(outcome.error, "internal_address")
        self.assertEqual(attempts, [])

    def test_a_check_without_a_guard_cannot_connect(self):
        with sandbox() as (_dns, attempts), self.assertRaises(RuntimeError):
            new_session().get(self.server.url("/ok"), timeout=TIMEOUT)
        self.assertEqual(attempts, [])


@override_settings(LINK_CHECK_ALLOWED_HOSTS=[], LINK_CHECK_INTERNAL_HOSTS=["orders.example", "wrong.example"])
class PinnedTLSTests(TestCase):
    """Connecting to the validated address keeps TLS on the host name: SNI, certificate and Host header."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.server = LinkServer(tls=True).__enter__()

    @classmethod
    def tearDownClass(cls):
        cls.server.__exit__(None, None, None)
        super().tearDownClass()

    def check(self, host: str):
        session = new_session()
        session.verify = TEST_CA
        with sandbox({host: [["127.0.0.1"]]}) as (_dns, attempts):
            outcome = check_url(self.server.url("/ok", host=host), session=session, pacer=Pacer(0), timeout=TIMEOUT)
        return outcome, attempts

    def test_the_certificate_is_checked_against_the_host_name_not_the_address(self):
        outcome, attempts = self.check("orders.example")
        self.assertTrue(outcome.passed, outcome.error)
        self.assertEqual(attempts, ["127.0.0.1"])
        self.assertEqual(self.server.server_names[-1], "orders.example")
        self.assertEqual(self.server.host_headers[-1], f"orders.example:{self.server.port}")

    def test_a_certificate_for_another_name_fails(self):
        outcome, attempts = self.check("wrong.example")
        self.assertEqual(outcome.error, "certificate")
        self.assertEqual(set(attempts), {"127.0.0.1"})  # HEAD, then GET: both refused the certificate
        self.assertEqual(self.server.server_names[-1], "wrong.example")


class LimitTests(TestCase):
    """A trickling server is cut at the deadline; nothing reads more than LINK_CHECK_MAX_BYTES."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.server = LinkServer(trickle_seconds=0.05).__enter__()

    @classmethod
    def tearDownClass(cls):
        cls.server.__exit__(None, None, None)
        super().tearDownClass()

    def setUp(self):
        self.server.requests.clear()
        while not self.server.streamed.empty():
            self.server.streamed.get()

    def run_one(self, path: str) -> CheckedLink:
        run_checks([self.server.url(path)], budget=30, timeout=TIMEOUT, delay=0)
        return CheckedLink.objects.get(url=self.server.url(path))

    def test_a_server_trickling_its_headers_is_cut_at_the_deadline(self):
        # Each byte comes well within the per-read timeout; the whole would take 20 s.
        link = self.run_one("/trickle")
        path, sent, cut, total = self.server.next_stream()
        self.assertEqual(path, "/trickle")
        self.assertTrue(cut)  # the checker hung up…
        self.assertLess(sent, total)  # …before the headers were complete
        self.assertEqual(link.error, "timeout")
        self.assertEqual(link.state(), REFUSED)
        self.assertFalse(link.passed)
        self.assertEqual([method for method, _path, _at in self.server.requests], ["HEAD"])  # no GET after it

    def test_a_slow_name_lookup_is_cut_at_the_deadline(self):
        release = threading.Event()

        def stuck_lookup(*args, **kwargs):
            release.wait(30)
            raise socket.gaierror(socket.EAI_AGAIN, "released")

        try:
            with override_settings(LINK_CHECK_ALLOWED_HOSTS=[]), mock.patch("socket.getaddrinfo", stuck_lookup):
                outcome = check_url("http://slow-dns.example/", session=new_session(), pacer=Pacer(0), timeout=TIMEOUT)
        finally:
            release.set()
        self.assertEqual(outcome.error, "timeout")

    def test_a_huge_body_is_never_downloaded(self):
        link = self.run_one("/huge")  # HEAD refused, then GET: the status is enough
        path, sent, cut, total = self.server.next_stream()
        self.assertTrue(link.passed)  # a big PDF is a working link
        self.assertEqual(link.status_code, 200)
        self.assertTrue(cut)
        self.assertGreater(total, HUGE_BODY)
        self.assertLess(sent, 16 * CAP)  # what the kernels' buffers hold at most, of a 64 MB answer

    def test_a_reader_of_the_body_is_cut_at_the_cap(self):
        guard = Guard(deadline=time.monotonic() + 30, max_bytes=CAP, internal_hosts=frozenset({"127.0.0.1"}))
        with guarded(guard), new_session() as session:
            response = session.get(self.server.url("/huge"), stream=True, timeout=5)
            self.assertEqual(response.status_code, 200)
            with self.assertRaises(Refused) as refused:
                while response.raw.read(8192):
                    pass
            response.close()
        self.assertEqual(refused.exception.reason, "too_large")
        self.assertEqual(guard.received, CAP)  # exactly the cap was read, not a byte more
        _path, sent, cut, _total = self.server.next_stream()
        self.assertTrue(cut)
        self.assertLess(sent, 16 * CAP)

    def test_headers_larger_than_the_cap_are_refused(self):
        link = self.run_one("/huge-headers")
        _path, sent, cut, total = self.server.next_stream()
        self.assertEqual(link.error, "too_large")
        self.assertEqual(link.state(), REFUSED)
        self.assertTrue(cut)
        self.assertLess(sent, total)


class RefusedRecordTests(TestCase):
    def test_a_refused_check_can_never_be_stored_as_passed(self):
        with self.assertRaises(IntegrityError), transaction.atomic():
            CheckedLink.objects.create(url="https://example.org/x", passed=True, error="internal_address")
