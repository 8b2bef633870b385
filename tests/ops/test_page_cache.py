from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client, TestCase, override_settings
from django.test.utils import CaptureQueriesContext

from wagtail.models import Page, PageViewRestriction

from home.loaders import publish
from home.seeding import ensure_home_page
from tests.factories import add_child_page

CACHE_ON = override_settings(PAGE_CACHE_SECONDS=600)


@CACHE_ON
class PageCacheTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.home = ensure_home_page()
        cls.child = add_child_page(cls.home, "ordres", "orders")

    def get_twice(self, path: str, client: Client | None = None):
        client = client or self.client
        first = client.get(path)
        second = client.get(path)
        return first, second

    def test_anonymous_second_view_comes_from_the_cache_without_sql(self):
        for path in ("/fr/", "/en/", "/fr/ordres/", "/en/orders/"):
            with self.subTest(path=path):
                first = self.client.get(path)
                self.assertEqual(first["X-Page-Cache"], "miss")
                with self.assertNumQueries(0):
                    second = self.client.get(path)
                self.assertEqual(second["X-Page-Cache"], "hit")
                self.assertEqual(second.content, first.content)
                self.assertEqual(second["Content-Type"], first["Content-Type"])

    def test_each_language_has_its_own_cached_copy(self):
        self.client.get("/fr/")
        self.client.get("/en/")
        self.assertContains(self.client.get("/fr/"), '<html lang="fr">')
        self.assertContains(self.client.get("/en/"), '<html lang="en">')

    def test_publishing_refreshes_the_page_and_the_listings_in_both_languages(self):
        for path in ("/fr/", "/en/", "/fr/ordres/", "/en/orders/"):
            self.client.get(path)
        child = Page.objects.get(pk=self.child.pk)
        child.title_fr, child.title_en = "Ordres professionnels", "Professional orders"
        publish(child)
        self.assertContains(self.client.get("/fr/ordres/"), "<h1>Ordres professionnels</h1>")
        self.assertContains(self.client.get("/en/orders/"), "<h1>Professional orders</h1>")
        # The home page lists the child in its menu: both languages show the new title at once.
        self.assertContains(self.client.get("/fr/"), ">Ordres professionnels</a>")
        self.assertContains(self.client.get("/en/"), ">Professional orders</a>")

    def test_unpublishing_removes_the_page_and_its_menu_entry_at_once(self):
        for path in ("/fr/", "/en/", "/fr/ordres/", "/en/orders/"):
            self.client.get(path)
        Page.objects.get(pk=self.child.pk).unpublish()
        self.assertEqual(self.client.get("/fr/ordres/").status_code, 404)
        self.assertEqual(self.client.get("/en/orders/").status_code, 404)
        self.assertNotContains(self.client.get("/fr/"), 'href="/fr/ordres/"')
        self.assertNotContains(self.client.get("/en/"), 'href="/en/orders/"')

    def test_moving_a_page_serves_it_at_its_new_address_at_once(self):
        other = add_child_page(self.home, "professions", "professions")
        for path in ("/fr/", "/en/", "/fr/professions/", "/en/professions/"):
            self.client.get(path)
        Page.objects.get(pk=other.pk).move(Page.objects.get(pk=self.child.pk), pos="last-child")
        # The old address, cached a moment ago, now answers a permanent redirect to the new one.
        moved = {"/fr/professions/": "/fr/ordres/professions/", "/en/professions/": "/en/orders/professions/"}
        for old, new in moved.items():
            self.assertRedirects(self.client.get(old), new, status_code=301, fetch_redirect_response=False)
        self.assertEqual(self.client.get("/fr/ordres/professions/").status_code, 200)
        self.assertEqual(self.client.get("/en/orders/professions/").status_code, 200)
        self.assertNotContains(self.client.get("/fr/"), 'href="/fr/professions/"')

    def test_deleting_a_page_removes_it_at_once(self):
        for path in ("/fr/", "/en/", "/fr/ordres/", "/en/orders/"):
            self.client.get(path)
        Page.objects.get(pk=self.child.pk).delete()
        self.assertEqual(self.client.get("/fr/ordres/").status_code, 404)
        self.assertEqual(self.client.get("/en/orders/").status_code, 404)
        self.assertNotContains(self.client.get("/en/"), 'href="/en/orders/"')

    def test_saving_a_draft_keeps_the_cache_warm(self):
        self.client.get("/fr/")
        home = Page.objects.get(pk=self.home.pk).specific
        home.title_fr = "Brouillon"
        home.save_revision()
        with self.assertNumQueries(0):
            response = self.client.get("/fr/")
        self.assertNotContains(response, "Brouillon")

    def test_logged_in_editors_bypass_the_cache(self):
        self.client.get("/fr/")
        editor = get_user_model().objects.create_superuser("editor", "e@example.org", "pw-not-used")
        self.client.force_login(editor)
        first, second = self.get_twice("/fr/")
        for response in (first, second):
            self.assertEqual(response.status_code, 200)
            self.assertFalse(response.has_header("X-Page-Cache"))

    def test_form_posts_bypass_the_cache(self):
        self.client.get("/fr/ordres/")
        response = self.client.post("/fr/ordres/", {"name": "x"})
        self.assertFalse(response.has_header("X-Page-Cache"))

    def test_non_page_views_and_errors_are_not_cached(self):
        for path in ("/fr/recherche/", "/fr/nulle-part/", "/healthz"):
            with self.subTest(path=path):
                self.client.get(path)
                self.assertNotEqual(self.client.get(path).get("X-Page-Cache"), "hit")

    @override_settings(PAGE_CACHE_SECONDS=0)
    def test_main_menu_is_cached_per_language_until_the_next_publish(self):
        def queries(path: str) -> tuple[int, str]:
            with CaptureQueriesContext(connection) as captured:
                content = self.client.get(path).content.decode()
            return len(captured), content

        cold_fr, fr = queries("/fr/")
        warm_fr, _ = queries("/fr/")
        cold_en, en = queries("/en/")
        warm_en, _ = queries("/en/")
        self.assertLess(warm_fr, cold_fr)
        self.assertLess(warm_en, cold_en)  # English builds and caches its own menu
        self.assertIn('<a href="/fr/ordres/">Ordres</a>', fr)
        self.assertIn('<a href="/en/orders/">Orders</a>', en)
        child = Page.objects.get(pk=self.child.pk)
        child.title_en = "Professional orders"
        publish(child)
        self.assertContains(self.client.get("/en/"), '<a href="/en/orders/">Professional orders</a>')


@CACHE_ON
class CacheOutageTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.home = ensure_home_page()

    def test_site_keeps_serving_when_redis_is_down_and_logs_the_errors(self):
        closed_port = {
            "default": {
                "BACKEND": "django_redis.cache.RedisCache",
                "LOCATION": "redis://127.0.0.1:1/5",
                "OPTIONS": {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 1, "SOCKET_TIMEOUT": 1},
            }
        }
        with (
            override_settings(CACHES=closed_port, DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS=True),
            self.assertLogs("django_redis", "ERROR"),
        ):
            for path in ("/fr/", "/en/", "/fr/", "/healthz"):
                with self.subTest(path=path):
                    self.assertEqual(self.client.get(path).status_code, 200)


class PrivatePageTests(TestCase):
    """Making a page private (or public again) takes effect at once, cached pages included."""

    @classmethod
    def setUpTestData(cls):
        cls.home = ensure_home_page()

    def assert_private(self, path: str, private: bool) -> None:
        response = self.client.get(path)
        form = 'name="password"'
        if private:
            self.assertContains(response, form)
            self.assertNotContains(response, self.home.intro_fr if "/fr/" in path else self.home.intro_en)
        else:
            self.assertNotContains(response, form)

    def check_restriction_round_trip(self) -> None:
        for path in ("/fr/", "/en/"):
            self.assert_private(path, private=False)
        restriction = PageViewRestriction.objects.create(
            page=self.home, restriction_type=PageViewRestriction.PASSWORD, password="secret-word"
        )
        for path in ("/fr/", "/en/"):
            self.assert_private(path, private=True)
        restriction.delete()
        for path in ("/fr/", "/en/"):
            self.assert_private(path, private=False)

    @CACHE_ON
    def test_a_password_on_a_cached_page_applies_at_once_in_both_languages(self):
        self.check_restriction_round_trip()

    @override_settings(PAGE_CACHE_SECONDS=0)
    def test_a_password_applies_at_once_without_the_page_cache(self):
        self.check_restriction_round_trip()
