"""Page-cache hits answered before Django's handler (ops/cache/fast.py): the same answer, headers
included, as a hit through the middleware; never for editors, credentials, previews, POSTs or
disallowed hosts; a publish refreshes them; a page made private is never served from it."""

import gzip

from django.contrib.auth import get_user_model
from django.test import Client, RequestFactory, TestCase, override_settings

from wagtail.models import Page

from home.loaders import publish
from ops.cache.fast import PageCacheFastPath
from tests.factories import build_directory
from tests.home import test_private_pages
from tests.ops import counting_cache, test_page_cache, test_page_cache_paths
from tests.ops.fast_client import FastPathClient

CACHE_ON = override_settings(PAGE_CACHE_SECONDS=600, CDN_CACHE_SECONDS=300)
PATHS = ("/fr/", "/en/", "/fr/ordres/", "/en/orders/", "/fr/ordres/ordre-des-testeurs/?utm_source=x")
# The production security headers, HSTS included (SITE_HTTPS=1).
HTTPS = override_settings(SECURE_HSTS_SECONDS=31536000, SECURE_HSTS_INCLUDE_SUBDOMAINS=True, SECURE_HSTS_PRELOAD=True)


@CACHE_ON
class FastHitTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.home, cls.index, cls.order = build_directory()

    def setUp(self):
        self.full, self.fast = Client(), FastPathClient()

    def both(self, path: str, method: str = "GET", **kwargs):
        """The same hit through the middleware stack and through the fast path."""
        self.full.get(path, **kwargs)  # stores it
        full = self.full.generic(method, path, **kwargs)
        fast = self.fast.generic(method, path, **kwargs)
        self.assertEqual(full["X-Page-Cache"], "hit", path)
        self.assertTrue(fast.served_fast, path)
        return full, fast

    def assert_same_answer(self, full, fast, path: str, compressed: bool = False) -> None:
        self.assertEqual(fast.status_code, full.status_code, path)
        if compressed:  # gzip pads each answer with random bytes (BREACH): the length differs
            self.assertEqual(fast["Content-Encoding"], "gzip")
            self.assertEqual(gzip.decompress(fast.content), gzip.decompress(full.content), path)
            self.assertEqual(int(fast["Content-Length"]), len(fast.content))
            full_headers = [(k, v) for k, v in full.items() if k != "Content-Length"]
            fast_headers = [(k, v) for k, v in fast.items() if k != "Content-Length"]
            self.assertEqual(fast_headers, full_headers, path)
        else:
            self.assertEqual(fast.content, full.content, path)
            self.assertEqual(list(fast.items()), list(full.items()), path)

    def test_a_fast_hit_has_the_headers_and_body_of_a_hit_through_the_middleware(self):
        for path in PATHS:
            with self.subTest(path=path):
                full, fast = self.both(path)
                self.assert_same_answer(full, fast, path)
                for name in ("Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy", "Vary"):
                    self.assertIn(name, fast)
                self.assertIn("s-maxage=300", fast["Cache-Control"])
                self.assertEqual(fast["Content-Language"], path[1:3])

    def test_compressed_and_head_answers_match_too(self):
        for path in PATHS[:2]:
            with self.subTest(path=path, how="gzip"):
                full, fast = self.both(path, headers={"Accept-Encoding": "gzip, br"})
                self.assert_same_answer(full, fast, path, compressed=True)
            with self.subTest(path=path, how="HEAD"):
                full, fast = self.both(path, method="HEAD")
                self.assertEqual(list(fast.items()), list(full.items()), path)

    @HTTPS
    def test_over_https_the_hsts_header_is_kept(self):
        for path in PATHS[:2]:
            with self.subTest(path=path):
                full, fast = self.both(path, secure=True)
                self.assert_same_answer(full, fast, path)
                self.assertEqual(fast["Strict-Transport-Security"], "max-age=31536000; includeSubDomains; preload")

    def test_the_wsgi_wrapper_answers_a_hit_without_calling_django(self):
        self.full.get("/en/")
        hit = self.full.get("/en/")
        called, started = [], []
        wrapper = PageCacheFastPath(lambda environ, start_response: called.append(environ) or [b"django"])
        body = wrapper(dict(hit.wsgi_request.environ), lambda status, headers: started.append((status, headers)))
        self.assertEqual(called, [])
        self.assertEqual(started, [("200 OK", list(hit.items()))])
        self.assertEqual(b"".join(body), hit.content)
        miss = RequestFactory().get("/en/orders/?never=stored").environ
        self.assertEqual(b"".join(wrapper(miss, lambda *a: None)), b"django")
        self.assertEqual(len(called), 1)

    def test_editors_credentials_forms_and_other_hosts_never_get_a_fast_hit(self):
        for path in ("/fr/", "/fr/ordres/"):
            self.full.get(path)
        editor = get_user_model().objects.create_superuser("editor", "e@example.org", "pw-not-used")
        logged_in = FastPathClient()
        logged_in.force_login(editor)
        answers = {
            "editor": logged_in.get("/fr/"),
            "credentials": self.fast.get("/fr/", headers={"Authorization": "Basic eDp4"}),
            "form post": self.fast.post("/fr/ordres/", {"name": "x"}),
            "other host": self.fast.get("/fr/", headers={"Host": "evil.example"}),
        }
        for who, answer in answers.items():
            with self.subTest(who=who):
                self.assertFalse(answer.served_fast)
                self.assertNotEqual(answer.get("X-Page-Cache"), "hit")
        self.assertEqual(answers["other host"].status_code, 400)
        self.assertTrue(self.fast.get("/fr/", headers={"Cookie": "django_language=en"}).served_fast)

    def test_a_preview_shows_the_draft_even_when_the_page_is_cached(self):
        self.full.get(self.order.url)
        editor = get_user_model().objects.create_superuser("editor", "e@example.org", "pw-not-used")
        order = self.order.specific
        order.title_fr = "Brouillon des testeurs"
        revision = order.save_revision(user=editor)
        previewer = FastPathClient()
        previewer.force_login(editor)
        preview = previewer.get(f"/admin/pages/{order.pk}/revisions/{revision.pk}/view/")
        self.assertFalse(preview.served_fast)
        self.assertContains(preview, "Brouillon des testeurs")
        self.assertNotIn("public", preview["Cache-Control"])
        public = self.fast.get(self.order.url)
        self.assertTrue(public.served_fast)
        self.assertNotContains(public, "Brouillon")

    def test_a_publish_refreshes_pages_served_fast_in_both_languages(self):
        for path in PATHS[:4]:
            self.fast.get(path)
            self.assertTrue(self.fast.get(path).served_fast)
        index = Page.objects.get(pk=self.index.pk).specific
        index.title_fr, index.title_en = "Ordres professionnels", "Professional orders"
        publish(index)
        for path, title in (("/fr/ordres/", "Ordres professionnels"), ("/en/orders/", "Professional orders")):
            answer = self.fast.get(path)
            self.assertFalse(answer.served_fast)  # the generation moved: a miss, rendered again
            self.assertContains(answer, f"<h1>{title}</h1>")
            self.assertTrue(self.fast.get(path).served_fast)

    @override_settings(PAGE_CACHE_SECONDS=0)
    def test_with_the_page_cache_off_nothing_is_served_fast(self):
        self.fast.get("/fr/")
        self.assertFalse(self.fast.get("/fr/").served_fast)


class FastPathPageCacheTests(test_page_cache.PageCacheTests):
    """The page cache's own tests (publish, unpublish, move, delete, editors, forms) through the fast path."""

    client_class = FastPathClient


class FastPathPrivatePageTests(test_page_cache.PrivatePageTests):
    client_class = FastPathClient


class FastPathPrivatePagesCrawlTests(test_private_pages.PrivatePagesWithPageCacheTests):
    """The privacy crawl with every cached page answered by the fast path: once private, never served."""

    client_class = FastPathClient

    def surfaces(self):
        """Only what Wagtail pages answer: searches, open data and the sitemap never reach the page cache."""
        return [(url, page) for url, page in super().surfaces() if page is not None]

    def setUp(self):
        super().setUp()
        self.assertTrue(self.client.get("/fr/ordres/").served_fast)


@override_settings(PAGE_CACHE_SECONDS=600, CACHES=test_page_cache_paths.COUNTING_CACHES)
class FastPathLookupTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        build_directory()

    def test_a_miss_is_looked_up_once_and_a_hit_once(self):
        fast = FastPathClient()
        for served_fast in (False, True):
            counting_cache.READS.clear()
            answer = fast.get("/fr/ordres/")
            self.assertEqual(answer.served_fast, served_fast)
            self.assertEqual(len([key for key in counting_cache.READS if key.startswith("page:")]), 1)
