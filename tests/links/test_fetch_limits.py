"""The link checker's limits against real servers on 127.0.0.1: TLS on the host name, a total
deadline that cuts a trickling server, a byte cap that cuts a huge answer."""

import socket
import threading
import time
from unittest import mock

from django.test import TestCase, override_settings

from links.checker import Pacer, check_url, new_session, run_checks
from links.fetch import Guard, Refused, guarded
from links.models import REFUSED, CheckedLink
from tests.links.sandbox import sandbox
from tests.links.server import HUGE_BODY, TEST_CA, LinkServer

TIMEOUT = 0.5
CAP = 65536  # tests/settings.py: LINK_CHECK_MAX_BYTES


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

    def test_the_run_goes_on_after_a_cut_and_keeps_its_budget(self):
        urls = [self.server.url("/trickle?1"), self.server.url("/ok"), self.server.url("/trickle?2")]
        run_checks(urls[:2], budget=30, timeout=TIMEOUT, delay=0)
        self.assertEqual(CheckedLink.objects.get(url=urls[0]).state(), REFUSED)
        self.assertTrue(CheckedLink.objects.get(url=urls[1]).passed)  # checked after the cut
        # Three trickling links, room for two: each is cut at its deadline, the last waits for the next run.
        trickling = [self.server.url(f"/trickle?{n}") for n in range(3, 6)]
        summary = run_checks(trickling, budget=2.5 * TIMEOUT, timeout=TIMEOUT, delay=0)
        self.assertGreaterEqual(summary.left, 1)
        self.assertEqual(summary.total + summary.left, 3)
        self.assertEqual(summary.checked, {"refused": summary.total})

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
