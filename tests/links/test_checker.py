import time
from io import StringIO

from django.core.management import CommandError, call_command
from django.test import TestCase, override_settings
from django.utils import translation

from links.checker import Pacer, check_url, new_session, run_checks
from links.models import CheckedLink
from tests.links.server import LinkServer, refused_url

TIMEOUT = 0.5


class CheckerTests(TestCase):
    """The checker against a real HTTP server on 127.0.0.1: what each kind of answer records."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.server = LinkServer(slow_seconds=3).__enter__()

    @classmethod
    def tearDownClass(cls):
        cls.server.__exit__(None, None, None)
        super().tearDownClass()

    def setUp(self):
        self.server.requests.clear()

    def check(self, *paths: str, **kwargs) -> dict[str, CheckedLink]:
        urls = [path if path.startswith("http") else self.server.url(path) for path in paths]
        run_checks(urls, budget=kwargs.pop("budget", 30), timeout=TIMEOUT, delay=kwargs.pop("delay", 0), **kwargs)
        return {link.url: link for link in CheckedLink.objects.filter(url__in=urls)}

    def test_a_working_page_passes_with_its_status(self):
        link = self.check("/ok")[self.server.url("/ok")]
        self.assertTrue(link.passed)
        self.assertEqual(link.status_code, 200)
        self.assertFalse(link.redirected)
        self.assertEqual(link.error, "")
        self.assertIsNotNone(link.checked_at)
        self.assertEqual(self.server.requests[0][0], "HEAD")  # HEAD first: no body downloaded

    def test_head_refused_falls_back_to_get(self):
        link = self.check("/no-head")[self.server.url("/no-head")]
        self.assertTrue(link.passed)
        self.assertEqual([method for method, _path, _at in self.server.requests], ["HEAD", "GET"])

    def test_a_permanent_redirect_is_recorded_and_offered_with_its_target(self):
        links = self.check("/moved", "/moved-twice")
        for path in ("/moved", "/moved-twice"):
            with self.subTest(path=path):
                link = links[self.server.url(path)]
                self.assertTrue(link.passed)
                self.assertTrue(link.redirected)
                self.assertTrue(link.permanent_redirect)
                self.assertEqual(link.final_url, self.server.url("/ok"))
                self.assertEqual(link.new_address, self.server.url("/ok"))
        # The target answered during the check: it is recorded as working too.
        self.assertTrue(CheckedLink.objects.get(url=self.server.url("/ok")).passed)

    def test_a_temporary_redirect_is_not_offered_as_a_new_address(self):
        link = self.check("/temporary")[self.server.url("/temporary")]
        self.assertTrue(link.passed)
        self.assertTrue(link.redirected)
        self.assertFalse(link.permanent_redirect)
        self.assertEqual(link.new_address, "")

    def test_a_deep_page_redirected_to_the_home_page_is_broken(self):
        link = self.check("/to-home")[self.server.url("/to-home")]
        self.assertFalse(link.passed)
        self.assertEqual(link.error, "home_page")
        self.assertEqual(link.new_address, "")

    def test_error_statuses_are_recorded_as_broken(self):
        links = self.check("/gone", "/error")
        self.assertEqual(links[self.server.url("/gone")].status_code, 404)
        self.assertEqual(links[self.server.url("/error")].status_code, 500)
        self.assertFalse(any(link.passed for link in links.values()))
        with translation.override("en"):
            self.assertEqual(links[self.server.url("/gone")].answer(), "404 Not Found")

    def test_a_malformed_redirect_is_recorded_not_fatal(self):
        links = self.check("/bad-location", "/ok")
        self.assertEqual(links[self.server.url("/bad-location")].error, "invalid")
        self.assertTrue(links[self.server.url("/ok")].passed)  # the run went on

    def test_a_redirect_loop_stops(self):
        link = self.check("/loop")[self.server.url("/loop")]
        self.assertFalse(link.passed)
        self.assertEqual(link.error, "redirects")
        self.assertLessEqual(len(self.server.requests), 6)

    def test_a_slow_answer_times_out_within_the_limit(self):
        started = time.monotonic()
        link = self.check("/slow")[self.server.url("/slow")]
        elapsed = time.monotonic() - started
        self.assertFalse(link.passed)
        self.assertEqual(link.error, "timeout")
        self.assertIsNone(link.status_code)
        self.assertLess(elapsed, 3 * TIMEOUT + 0.5)  # the server would have taken 3 s
        self.assertEqual([method for method, _path, _at in self.server.requests], ["HEAD"])  # no GET after a timeout

    def test_a_refused_connection_is_broken_at_once(self):
        url = refused_url("/plaintes/")
        started = time.monotonic()
        link = self.check(url)[url]
        self.assertLess(time.monotonic() - started, 2 * TIMEOUT)
        self.assertFalse(link.passed)
        self.assertEqual(link.error, "connection")
        with translation.override("en"):
            self.assertIn("could not connect", link.answer())

    def test_nothing_is_fetched_outside_the_allowed_hosts(self):
        summary = run_checks(["https://www.oiq.qc.ca/", "http://example.invalid/x"], budget=5, timeout=TIMEOUT)
        self.assertEqual(summary.skipped, 2)
        self.assertFalse(CheckedLink.objects.exists())
        # A redirect that leaves the allowed hosts is not followed.
        link = self.check("/outside")[self.server.url("/outside")]
        self.assertEqual(link.error, "not_allowed")
        self.assertEqual(self.server.paths_requested(), ["/outside"])

    @override_settings(LINK_CHECK_ALLOWED_HOSTS=[])
    def test_only_http_addresses_are_ever_fetched(self):
        session = new_session()
        outcome = check_url("file:///etc/passwd", session=session, pacer=Pacer(0), timeout=TIMEOUT)
        self.assertEqual(outcome.error, "invalid")
        self.assertTrue(session.trust_env is False)  # no proxy from the environment

    def test_each_host_is_asked_at_most_once_per_delay(self):
        self.check("/ok", "/plaintes/", "/complaints/", delay=0.3)
        times = [at for _method, _path, at in self.server.requests]
        self.assertEqual(len(times), 3)
        gaps = [later - earlier for earlier, later in zip(times, times[1:], strict=False)]
        self.assertTrue(all(gap >= 0.29 for gap in gaps), gaps)

    def test_the_budget_stops_new_checks_and_leaves_the_rest_for_the_next_run(self):
        urls = [self.server.url(path) for path in ("/ok", "/plaintes/", "/complaints/")]
        started = time.monotonic()
        summary = run_checks(urls, budget=1.0, timeout=TIMEOUT, delay=0.8)
        self.assertLess(time.monotonic() - started, 1.5)
        self.assertEqual(summary.total, 1)
        self.assertEqual(summary.left, 2)
        self.assertEqual(CheckedLink.objects.count(), 1)

    def test_a_check_cut_by_the_budget_is_not_recorded_as_broken(self):
        # The first hop answers after 0.4 s; the second would need more than the 0.3 s left.
        started = time.monotonic()
        summary = run_checks([self.server.url("/late-redirect")], budget=0.7, timeout=TIMEOUT)
        self.assertLess(time.monotonic() - started, 1.0)
        self.assertEqual(summary.left, 1)
        self.assertFalse(CheckedLink.objects.exists())


class CheckLinksCommandTests(TestCase):
    """manage.py check_links: what it checks, in which order, and what it says."""

    @classmethod
    def setUpClass(cls):
        cls.server = LinkServer().__enter__()
        super().setUpClass()

    @classmethod
    def tearDownClass(cls):
        cls.server.__exit__(None, None, None)
        super().tearDownClass()

    def test_it_checks_the_links_of_live_pages_then_skips_recent_ones(self):
        from home.loaders import publish
        from home.seeding import ensure_home_page
        from professions.loading import load_directory_data
        from professions.models import OrderPage
        from tests.factories import directory_data

        ensure_home_page()
        load_directory_data(directory_data(1))
        order = OrderPage.objects.get()
        order.website = self.server.url("/ok")
        order.syndic_url = self.server.url("/gone")
        publish(order)
        out = StringIO()
        call_command("check_links", budget=10, stdout=out)
        self.assertIn("Checked 2 of 2 due links (1 broken, 1 ok)", out.getvalue())
        self.assertIn("0 changed what visitors see", out.getvalue())  # a 404 hides nothing that was shown
        self.assertEqual(sorted(self.server.paths_requested()), ["/gone", "/gone", "/ok"])  # HEAD, GET; HEAD
        out = StringIO()
        call_command("check_links", budget=10, stdout=out)
        self.assertIn("Checked 0 of 0 due links", out.getvalue())
        self.assertIn("2 checked recently", out.getvalue())
        call_command("check_links", budget=10, older_than=0, stdout=out)
        self.assertEqual(len(self.server.requests), 6)

    def test_bad_arguments_are_clear_errors(self):
        for options, message in (({"budget": 0}, "--budget"), ({"older_than": -1}, "--older-than")):
            with self.subTest(options=options), self.assertRaisesMessage(CommandError, message):
                call_command("check_links", stdout=StringIO(), **options)
