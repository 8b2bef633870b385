"""What shared caches (Varnish, a CDN) are told, and the replica fallback of a failing request."""

from django.contrib.auth import get_user_model
from django.db import OperationalError
from django.http import HttpResponse
from django.test import RequestFactory, SimpleTestCase, TestCase, override_settings

from wagtail.models import Page

from home.seeding import ensure_home_page
from ops.database.middleware import DatabaseModeMiddleware
from ops.database.replica import parse_lsn, replica
from ops.database.router import PrimaryReplicaRouter
from tests.factories import add_child_page

PUBLIC = ("public", "s-maxage=300", "stale-while-revalidate=60", "stale-if-error=86400")
SECURITY_HEADERS = ("Content-Security-Policy", "X-Frame-Options", "X-Content-Type-Options", "Referrer-Policy")


def words(response) -> set[str]:
    return {word.strip() for word in response.get("Cache-Control", "").split(",") if word.strip()}


@override_settings(PAGE_CACHE_SECONDS=600, CDN_CACHE_SECONDS=300)
class SharedCacheHeaderTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.home = ensure_home_page()
        add_child_page(cls.home, "ordres", "orders")
        cls.editor = get_user_model().objects.create_superuser("editor", "editor@example.org", "pw-editor-123")

    def test_anonymous_pages_may_be_kept_by_shared_caches_and_hits_carry_every_header(self):
        for path in ("/fr/", "/en/orders/"):
            with self.subTest(path=path):
                miss, hit = self.client.get(path), self.client.get(path)
                self.assertEqual((miss["X-Page-Cache"], hit["X-Page-Cache"]), ("miss", "hit"))
                for response in (miss, hit):
                    self.assertLessEqual(set(PUBLIC), words(response))
                    for header in SECURITY_HEADERS:
                        self.assertIn(header, response)
                self.assertEqual(hit["Content-Security-Policy"], miss["Content-Security-Policy"])

    def test_editors_pages_admin_and_form_answers_are_private_and_never_stored(self):
        self.client.force_login(self.editor)
        for path in ("/fr/", "/admin/", f"/admin/pages/{self.home.pk}/edit/"):
            with self.subTest(path=path):
                response = self.client.get(path)
                self.assertLessEqual({"private", "no-store"}, words(response))
                self.assertNotIn("public", words(response))
        self.client.logout()
        answer = self.client.post("/fr/", {"anything": "1"})
        self.assertLessEqual({"private", "no-store"}, words(answer))

    def test_what_people_search_for_is_never_kept_by_a_shared_cache(self):
        for path in ("/fr/recherche/?q=Jean+Tremblay", "/en/search/suggestions/?q=nurse"):
            with self.subTest(path=path):
                self.assertLessEqual({"private", "no-store"}, words(self.client.get(path)))

    @override_settings(CDN_CACHE_SECONDS=0)
    def test_zero_seconds_turns_the_shared_cache_header_off(self):
        self.assertNotIn("public", words(self.client.get("/fr/")))


class ReplicaFailureTests(SimpleTestCase):
    """A replica that fails during a request: the request is answered again from the primary."""

    def test_a_failing_replica_read_is_retried_on_the_primary(self):
        router, seen = PrimaryReplicaRouter(), []

        def view(request):
            database = router.db_for_read(Page)
            seen.append(database)
            if database == "replica":
                try:
                    raise OperationalError("the replica went away")
                except OperationalError:
                    from django.core.signals import got_request_exception

                    got_request_exception.send(sender=None, request=request)
                return HttpResponse("error page", status=503)
            return HttpResponse("from the primary")

        state = replica
        saved = (state.up, state.checked_at, state.replayed)
        state.up, state.checked_at, state.replayed = True, float("inf"), 10**12
        try:
            replica_configured = override_settings(DATABASE_REPLICA_URL="postgres://replica")
            with replica_configured, self.assertLogs("ops.database.middleware", "WARNING"):
                response = DatabaseModeMiddleware(view)(RequestFactory().get("/fr/"))
        finally:
            state.up, state.checked_at, state.replayed = saved
        self.assertEqual(seen, ["replica", "default"])
        self.assertEqual(response.content, b"from the primary")

    def test_wal_positions_compare_as_numbers(self):
        self.assertEqual(parse_lsn("0/0"), 0)
        self.assertLess(parse_lsn("0/FFFFFFFF"), parse_lsn("1/0"))
        self.assertEqual(parse_lsn(None), 0)
