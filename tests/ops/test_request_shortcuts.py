"""An uncached page view reads the request's Site and "is any page private?" from the cache
(ops.cache): a change to either is seen on the very next request, with and without the page cache."""

from django.test import TestCase, override_settings

from wagtail.models import PageViewRestriction, Site

from home.seeding import ensure_home_page
from tests.factories import add_child_page

CACHE_ON = override_settings(PAGE_CACHE_SECONDS=600)
CACHE_OFF = override_settings(PAGE_CACHE_SECONDS=0)


class ChangedSiteTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.home = ensure_home_page()
        cls.other_root = add_child_page(cls.home, "autre-racine", "other-root", show_in_menus=False)

    def check_new_root_page(self) -> None:
        self.assertNotContains(self.client.get("/fr/"), "<h1>Autre-racine</h1>")
        site = Site.objects.get(is_default_site=True)
        site.root_page = self.other_root
        site.save()
        self.assertContains(self.client.get("/fr/"), "<h1>Autre-racine</h1>")
        self.assertContains(self.client.get("/en/"), "<h1>Other-root</h1>")

    def check_new_hostname(self) -> None:
        site = Site.objects.get(is_default_site=True)
        site.hostname, site.is_default_site = "localhost", False
        site.save()
        self.assertEqual(self.client.get("/fr/", HTTP_HOST="localhost").status_code, 200)
        self.assertEqual(self.client.get("/fr/", HTTP_HOST="127.0.0.1").status_code, 404)
        site.hostname = "127.0.0.1"
        site.save()
        self.assertEqual(self.client.get("/fr/", HTTP_HOST="127.0.0.1").status_code, 200)
        self.assertEqual(self.client.get("/fr/", HTTP_HOST="localhost").status_code, 404)

    @CACHE_ON
    def test_a_new_root_page_is_served_on_the_next_request_with_the_page_cache(self):
        self.check_new_root_page()

    @CACHE_OFF
    def test_a_new_root_page_is_served_on_the_next_request_without_the_page_cache(self):
        self.check_new_root_page()

    @CACHE_ON
    def test_a_new_hostname_applies_on_the_next_request_with_the_page_cache(self):
        self.check_new_hostname()

    @CACHE_OFF
    def test_a_new_hostname_applies_on_the_next_request_without_the_page_cache(self):
        self.check_new_hostname()


class AncestorRestrictionTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.home = ensure_home_page()
        cls.child = add_child_page(cls.home, "ordres", "orders")

    def assert_private(self, private: bool) -> None:
        for path, heading in (("/fr/ordres/", "<h1>Ordres</h1>"), ("/en/orders/", "<h1>Orders</h1>")):
            with self.subTest(path=path, private=private):
                response = self.client.get(path)
                if private:
                    self.assertContains(response, 'name="password"')
                    self.assertNotContains(response, heading)
                else:
                    self.assertContains(response, heading)
                    self.assertNotContains(response, 'name="password"')

    def check_restriction_on_the_home_page(self) -> None:
        self.assert_private(False)
        restriction = PageViewRestriction.objects.create(
            page=self.home, restriction_type=PageViewRestriction.PASSWORD, password="secret-word"
        )
        self.assert_private(True)
        restriction.delete()
        self.assert_private(False)

    @CACHE_ON
    def test_a_password_on_an_ancestor_makes_the_child_private_with_the_page_cache(self):
        self.check_restriction_on_the_home_page()

    @CACHE_OFF
    def test_a_password_on_an_ancestor_makes_the_child_private_without_the_page_cache(self):
        self.check_restriction_on_the_home_page()
