from datetime import timedelta
from io import StringIO

from django.core.management import call_command
from django.test import TestCase, override_settings
from django.utils import translation

from home.loaders import publish
from home.seeding import ensure_home_page
from links.models import CheckedLink
from professions.loading import load_directory_data
from professions.models import OrderPage, ProfessionPage
from protection.loading import load_explainers_files
from tests.factories import directory_data
from tests.links.sandbox import sandbox
from tests.links.server import LinkServer

GUIDE = {
    "fr": "/fr/qui-contacter/?step=r_syndic&profession=testeur-0-0",
    "en": "/en/who-do-i-contact/?step=r_syndic&profession=testeur-0-0",
}
SYNDIC_BUTTON = {"fr": "Demander une enquête au syndic", "en": "Request an inquiry from the syndic"}
SYNDIC_FALLBACK = {
    "fr": "Joindre le syndic sur le site Web de l'ordre",
    "en": "Find the syndic on the order's website",
}
REGISTER_BUTTON = {"fr": "Consulter le tableau des membres", "en": "Search the public register"}
GUIDE_FALLBACK = {
    "fr": "Le site Web de l&#x27;ordre explique comment joindre son syndic.",
    "en": "The order&#x27;s website explains how to reach its syndic.",
}


def url_in(page, language: str) -> str:
    with translation.override(language):
        return page.get_url()


class PublicLinkTests(TestCase):
    """Order, profession and guide pages show a deep link exactly when its last check passed."""

    @classmethod
    def setUpClass(cls):
        cls.server = LinkServer().__enter__()
        super().setUpClass()

    @classmethod
    def tearDownClass(cls):
        cls.server.__exit__(None, None, None)
        super().tearDownClass()

    @classmethod
    def setUpTestData(cls):
        ensure_home_page()
        load_directory_data(directory_data(1, 1))
        load_explainers_files()
        order = OrderPage.objects.get()
        order.register_url = cls.server.url("/ok")
        order.syndic_url = cls.server.url("/plaintes/")
        order.syndic_url_english = cls.server.url("/complaints/")
        publish(order)
        cls.order = order
        cls.profession = ProfessionPage.objects.get()

    def setUp(self):
        self.server.requests.clear()
        self.server.routes.update({"/ok": (200, None), "/plaintes/": (200, None), "/complaints/": (200, None)})

    def pages(self, language: str) -> dict[str, str]:
        return {
            "order": url_in(self.order, language),
            "profession": url_in(self.profession, language),
            "guide": GUIDE[language],
        }

    def check_links(self) -> None:
        call_command("check_links", all=True, budget=20, stdout=StringIO())

    def assert_in(self, needle: str, html: str) -> None:
        self.assertTrue(needle in html, f"{needle!r} missing")

    def assert_not_in(self, needle: str, html: str) -> None:
        self.assertFalse(needle in html, f"{needle!r} shown")

    def assert_deep_links(self, language: str, syndic: str | None, register: str | None) -> None:
        for name, path in self.pages(language).items():
            with self.subTest(page=name, language=language):
                html = self.client.get(path).content.decode()
                website = f'href="{self.order.website}"'
                if syndic:
                    self.assert_in(f'href="{syndic}"', html)
                    self.assert_not_in(SYNDIC_FALLBACK[language], html)
                    self.assert_not_in(GUIDE_FALLBACK[language], html)
                    if name != "guide":
                        self.assert_in(SYNDIC_BUTTON[language], html)
                else:
                    self.assert_not_in(self.server.url("/plaintes/"), html)
                    self.assert_not_in(self.server.url("/complaints/"), html)
                    self.assert_in(website, html)
                    self.assert_in(GUIDE_FALLBACK[language] if name == "guide" else SYNDIC_FALLBACK[language], html)
                if name == "guide":
                    continue
                if register:
                    self.assert_in(f'href="{register}"', html)
                    self.assert_in(REGISTER_BUTTON[language], html)
                else:
                    self.assert_not_in(self.server.url("/ok"), html)

    def test_unchecked_links_are_never_shown(self):
        for language in ("fr", "en"):
            self.assert_deep_links(language, syndic=None, register=None)
        self.assertEqual(self.server.requests, [])  # showing the pages fetched nothing

    def test_links_are_shown_once_a_check_passes_in_each_language(self):
        self.assert_deep_links("fr", syndic=None, register=None)
        self.check_links()
        self.assert_deep_links("fr", syndic=self.server.url("/plaintes/"), register=self.server.url("/ok"))
        # English pages show the order's English page, and the French register (no English one).
        self.assert_deep_links("en", syndic=self.server.url("/complaints/"), register=self.server.url("/ok"))

    def test_a_broken_link_falls_back_to_the_website_at_the_next_check(self):
        self.check_links()
        self.server.routes["/plaintes/"] = (404, None)
        self.server.routes["/complaints/"] = (500, None)
        self.check_links()
        for language in ("fr", "en"):
            self.assert_deep_links(language, syndic=None, register=self.server.url("/ok"))

    def test_a_link_redirected_to_an_internal_address_is_never_shown(self):
        self.check_links()
        local = f"http://localhost:{self.server.port}/plaintes/"
        self.server.routes["/plaintes/"] = (301, local)
        self.server.routes["/complaints/"] = (302, "http://metadata.example/latest/")
        with override_settings(LINK_CHECK_ALLOWED_HOSTS=[]), sandbox({"metadata.example": [["169.254.169.254"]]}):
            self.check_links()
        self.assertEqual(CheckedLink.objects.get(url=self.server.url("/plaintes/")).state(), "refused")
        for language in ("fr", "en"):
            self.assert_deep_links(language, syndic=None, register=self.server.url("/ok"))
            for path in self.pages(language).values():
                html = self.client.get(path).content.decode()
                self.assert_not_in(local, html)
                self.assert_not_in("metadata.example", html)

    def test_english_pages_fall_back_to_the_french_page_when_only_it_works(self):
        self.server.routes["/complaints/"] = (404, None)
        self.check_links()
        self.assert_deep_links("en", syndic=self.server.url("/plaintes/"), register=self.server.url("/ok"))
        self.assert_deep_links("fr", syndic=self.server.url("/plaintes/"), register=self.server.url("/ok"))

    def test_a_check_older_than_the_configured_age_no_longer_counts(self):
        self.check_links()
        with override_settings(LINK_CHECK_MAX_AGE_DAYS=7):
            CheckedLink.objects.update(checked_at=CheckedLink.objects.first().checked_at - timedelta(days=8))
            for language in ("fr", "en"):
                self.assert_deep_links(language, syndic=None, register=None)

    @override_settings(PAGE_CACHE_SECONDS=600)
    def test_cached_pages_change_when_a_check_changes_what_they_show(self):
        french = url_in(self.order, "fr")
        self.assertNotContains(self.client.get(french), self.server.url("/plaintes/"))
        with self.assertNumQueries(0):  # served from the page cache
            self.assertNotContains(self.client.get(french), self.server.url("/plaintes/"))
        self.check_links()
        self.assertContains(self.client.get(french), f'href="{self.server.url("/plaintes/")}"')
