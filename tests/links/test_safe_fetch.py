"""The link checker fetches public addresses only: refused when resolving, at every hop, pinned when connecting.

Real servers on 127.0.0.1 (the one host tests/settings.py allows to be internal); other names go
through tests.links.sandbox (a fake resolver, and a recorder refusing any connection but loopback).
"""

import ipaddress
import socket
import time

from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase as HypothesisTestCase

from django.db import IntegrityError, transaction
from django.test import SimpleTestCase, TestCase, override_settings

from links.checker import MAX_REDIRECTS, Pacer, check_url, new_session, run_checks
from links.fetch import Guard, Refused, internal_kind
from links.models import REFUSED, CheckedLink
from tests.links.sandbox import sandbox
from tests.links.server import LinkServer

TIMEOUT = 0.5
CAP = 65536  # tests/settings.py: LINK_CHECK_MAX_BYTES
PUBLIC = "93.184.215.14"  # a global address: the sandbox refuses to connect to it


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

    # Not a test of the deadline: a generous one, so a busy machine cannot cut a hop and make it flaky.
    @override_settings(LINK_CHECK_TIMEOUT=10.0)
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


class RefusedRecordTests(TestCase):
    def test_a_refused_check_can_never_be_stored_as_passed(self):
        with self.assertRaises(IntegrityError), transaction.atomic():
            CheckedLink.objects.create(url="https://example.org/x", passed=True, error="internal_address")
