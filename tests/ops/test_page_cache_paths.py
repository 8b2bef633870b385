"""The page cache is looked up only for paths that can be pages (under /fr/ and /en/)."""

from django.test import Client, TestCase, override_settings

from home.seeding import ensure_home_page
from ops.cache import GENERATION_KEY
from tests.factories import add_child_page
from tests.ops import counting_cache

COUNTING_CACHES = {
    "default": {"BACKEND": "tests.ops.counting_cache.CountingCache", "LOCATION": "pages-default"},
    "generation": {"BACKEND": "tests.ops.counting_cache.CountingCache", "LOCATION": "pages-generation"},
}


@override_settings(PAGE_CACHE_SECONDS=600, CACHES=COUNTING_CACHES, WHITENOISE_USE_FINDERS=True)
class PageCacheLookupPathTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        add_child_page(ensure_home_page(), "ordres", "orders")

    def setUp(self):
        self.client = Client()  # built under these settings: whitenoise finds the static files
        counting_cache.READS.clear()

    def page_cache_reads(self) -> list[str]:
        """The page keys read: a lookup always reads one (the generation alone is also read by the
        fragments of a 404 page, so it proves nothing)."""
        return [key for key in counting_cache.READS if key.startswith("page:")]

    def test_a_static_file_is_served_without_a_cache_lookup(self):
        response = self.client.get("/static/home/css/site.css")
        self.assertEqual(response.status_code, 200)
        self.assertIn(b"--", b"".join(response.streaming_content))  # the real stylesheet
        self.assertEqual(self.page_cache_reads(), [])
        self.assertFalse(response.has_header("X-Page-Cache"))

    def test_health_check_admin_open_data_and_other_paths_do_no_cache_lookup(self):
        paths = {
            "/healthz": 200,
            "/admin/login/": 200,
            "/robots.txt": 200,
            "/sitemap.xml": 200,
            "/data/directory.json": 200,
            "/media/nothing.png": 404,
            "/documents/1/nothing.pdf": 404,
            "/static/nothing.css": 404,
            "/nowhere/": 302,  # LocaleMiddleware: to /fr/nowhere/
        }
        for path, status in paths.items():
            with self.subTest(path=path):
                counting_cache.READS.clear()
                response = self.client.get(path)
                self.assertEqual(response.status_code, status)
                self.assertEqual(self.page_cache_reads(), [])
                self.assertFalse(response.has_header("X-Page-Cache"))

    def test_pages_in_both_languages_still_hit_the_cache(self):
        for path in ("/fr/", "/en/", "/fr/ordres/", "/en/orders/"):
            with self.subTest(path=path):
                counting_cache.READS.clear()
                self.assertEqual(self.client.get(path)["X-Page-Cache"], "miss")
                self.assertTrue(self.page_cache_reads())
                self.assertIn(GENERATION_KEY, counting_cache.READS)
                with self.assertNumQueries(0):
                    self.assertEqual(self.client.get(path)["X-Page-Cache"], "hit")

    def test_an_unknown_path_under_a_language_is_looked_up_but_never_stored(self):
        counting_cache.READS.clear()
        self.assertEqual(self.client.get("/fr/nulle-part/").status_code, 404)
        self.assertTrue(self.page_cache_reads())
        self.assertEqual(self.client.get("/fr/nulle-part/").status_code, 404)
