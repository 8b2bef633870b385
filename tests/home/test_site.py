import re

from django.core.management import call_command
from django.test import TestCase

from wagtail.models import Page

from home.models import HomePage
from home.seeding import ensure_home_page


def html_lang(response) -> str:
    return re.search(r'<html lang="([^"]+)"', response.content.decode()).group(1)


class HomePageTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.home = ensure_home_page()

    def test_home_renders_in_french_with_french_lang(self):
        response = self.client.get("/fr/")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(html_lang(response), "fr")
        self.assertContains(response, "<h1>Ordre de protéger</h1>", html=True)
        self.assertContains(response, "Passer au contenu")

    def test_home_renders_in_english_with_english_lang(self):
        response = self.client.get("/en/")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(html_lang(response), "en")
        self.assertContains(response, '<h1 lang="fr">Ordre de protéger</h1>', html=True)
        self.assertContains(response, "Skip to content")

    def test_header_has_search_box_and_switcher_to_the_other_language(self):
        response = self.client.get("/fr/")
        self.assertContains(response, 'action="/fr/recherche/"')
        self.assertContains(response, '<a href="/en/" hreflang="en" lang="en">English</a>', html=True)
        response = self.client.get("/en/")
        self.assertContains(response, 'action="/en/search/"')
        self.assertContains(response, '<a href="/fr/" hreflang="fr" lang="fr">Français</a>', html=True)

    def test_every_page_lists_hreflang_alternates_with_absolute_urls(self):
        response = self.client.get("/en/")
        self.assertContains(response, '<link rel="alternate" hreflang="fr" href="http://testserver/fr/">')
        self.assertContains(response, '<link rel="alternate" hreflang="en" href="http://testserver/en/">')
        self.assertContains(response, '<link rel="alternate" hreflang="x-default" href="http://testserver/fr/">')

    def test_root_redirects_by_accept_language_and_prefers_french_when_unsure(self):
        cases = {"en-CA,en;q=0.9": "/en/", "fr-CA,fr;q=0.9,en;q=0.5": "/fr/", "de-DE": "/fr/", "": "/fr/"}
        for header, target in cases.items():
            with self.subTest(accept_language=header):
                response = self.client.get("/", HTTP_ACCEPT_LANGUAGE=header)
                self.assertRedirects(response, target, fetch_redirect_response=False)

    def test_missing_pages_answer_a_translated_404(self):
        cases = {
            "/fr/cette-page-nexiste-pas/": "Page introuvable",
            "/en/no-such-page/": "Page not found",
            "/fr/%ff%fe/": "Page introuvable",
            "/en/..%2f..%2fetc/passwd": "Page not found",
        }
        for path, text in cases.items():
            with self.subTest(path=path):
                response = self.client.get(path)
                self.assertContains(response, text, status_code=404)

    def test_unknown_language_prefix_ends_on_a_404_not_an_error(self):
        response = self.client.get("/de/", follow=True, HTTP_ACCEPT_LANGUAGE="de")
        self.assertEqual(response.status_code, 404)
        self.assertContains(response, "Page introuvable", status_code=404)


class AdminTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.home = ensure_home_page()

    def test_admin_login_page_renders(self):
        response = self.client.get("/admin/login/")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, 'name="password"')

    def test_home_edit_view_shows_french_and_english_fields(self):
        from django.contrib.auth import get_user_model

        user = get_user_model().objects.create_superuser("editor", "e@example.org", "pw-not-used")
        self.client.force_login(user)
        response = self.client.get(f"/admin/pages/{self.home.pk}/edit/")
        self.assertEqual(response.status_code, 200)
        for field in ("title_fr", "title_en", "intro_fr", "intro_en", "slug_fr", "slug_en"):
            self.assertContains(response, f'name="{field}"')


class SeedSiteTests(TestCase):
    def test_seed_site_is_idempotent(self):
        call_command("seed_site", stdout=open("/dev/null", "w"))  # noqa: SIM115
        counts = (Page.objects.count(), HomePage.objects.get().revisions.count())
        call_command("seed_site", stdout=open("/dev/null", "w"))  # noqa: SIM115
        self.assertEqual((Page.objects.count(), HomePage.objects.get().revisions.count()), counts)
        home = HomePage.objects.get()
        self.assertEqual((home.slug_fr, home.slug_en), ("accueil", "home"))
        self.assertTrue(home.live)

    def test_local_admin_gets_a_fresh_random_password_each_time(self):
        from io import StringIO

        from django.contrib.auth import authenticate

        outputs = []
        for _ in range(2):
            out = StringIO()
            call_command("create_local_admin", stdout=out)
            outputs.append(re.search(r"password: (\S+)", out.getvalue()).group(1))
        self.assertNotEqual(outputs[0], outputs[1])
        self.assertIsNone(authenticate(username="admin", password=outputs[0]))
        self.assertIsNotNone(authenticate(username="admin", password=outputs[1]))
