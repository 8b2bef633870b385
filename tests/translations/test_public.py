import re
import xml.etree.ElementTree as ET

from django.test import TestCase

from professions.models import OrderPage, ProfessionPage
from tests.factories import add_order, build_directory, publish, translate

SITEMAP = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}


def hreflangs(response) -> dict[str, str]:
    return dict(re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', response.content.decode()))


class UntranslatedPageTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.home, cls.index, cls.order = build_directory()

    def test_english_url_of_an_untranslated_page_shows_the_french_with_a_notice_and_lang_fr(self):
        response = self.client.get("/en/orders/ordre-des-testeurs/")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, '<html lang="en">')
        self.assertContains(response, '<main id="main" tabindex="-1" lang="fr">')
        self.assertContains(response, "This page is not translated yet: it is shown in French, its original language.")
        self.assertContains(response, "Cette page n’est pas encore traduite")
        self.assertContains(response, "Les testeurs protègent le public.")
        self.assertContains(response, "Skip to content")  # the interface stays in English

    def test_untranslated_page_is_left_out_of_hreflang_in_both_languages(self):
        for path in ("/fr/ordres/ordre-des-testeurs/", "/en/orders/ordre-des-testeurs/"):
            with self.subTest(path=path):
                links = hreflangs(self.client.get(path))
                self.assertEqual(set(links), {"fr", "x-default"})
                self.assertEqual(links["fr"], "http://testserver/fr/ordres/ordre-des-testeurs/")

    def test_french_page_has_no_notice(self):
        response = self.client.get("/fr/ordres/ordre-des-testeurs/")
        self.assertContains(response, '<main id="main" tabindex="-1">')
        self.assertNotContains(response, "pas encore traduite")

    def test_half_translated_page_is_shown_entirely_in_french_not_mixed(self):
        order = translate(self.order, summary_en="")
        order.description_fr = "<p>Une description.</p>"
        publish(order)
        response = self.client.get("/en/orders/order-of-testers/")
        self.assertContains(response, '<main id="main" tabindex="-1" lang="fr">')
        self.assertContains(response, "Ordre des testeurs</h1>")
        self.assertNotContains(response, "Order of testers</h1>")

    def test_translated_page_is_english_with_both_hreflangs(self):
        translate(self.order)
        response = self.client.get("/en/orders/order-of-testers/")
        self.assertContains(response, '<main id="main" tabindex="-1">')
        self.assertContains(response, "Testers protect the public.")
        self.assertNotContains(response, "not translated yet")
        self.assertEqual(
            hreflangs(response),
            {
                "fr": "http://testserver/fr/ordres/ordre-des-testeurs/",
                "en": "http://testserver/en/orders/order-of-testers/",
                "x-default": "http://testserver/fr/ordres/ordre-des-testeurs/",
            },
        )


class SitemapTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.home, cls.index, cls.order = build_directory()

    def entries(self) -> dict[str, dict[str, str]]:
        response = self.client.get("/sitemap.xml")
        self.assertEqual(response.status_code, 200)
        root = ET.fromstring(response.content)  # noqa: S314 - our own response
        return {
            url.findtext("s:loc", namespaces=SITEMAP): {
                link.get("hreflang"): link.get("href") for link in url.findall("x:link", SITEMAP)
            }
            for url in root.findall("s:url", SITEMAP)
        }

    def test_sitemap_lists_each_language_version_with_hreflang_alternates(self):
        entries = self.entries()
        alternates = {
            "fr": "http://testserver/fr/ordres/",
            "en": "http://testserver/en/orders/",
            "x-default": "http://testserver/fr/ordres/",
        }
        self.assertEqual(entries["http://testserver/fr/ordres/"], alternates)
        self.assertEqual(entries["http://testserver/en/orders/"], alternates)
        self.assertIn("http://testserver/en/", entries)

    def test_untranslated_page_is_in_the_french_sitemap_only(self):
        entries = self.entries()
        self.assertIn("http://testserver/fr/ordres/ordre-des-testeurs/", entries)
        self.assertNotIn("http://testserver/en/orders/ordre-des-testeurs/", entries)
        self.assertEqual(set(entries["http://testserver/fr/ordres/ordre-des-testeurs/"]), {"fr", "x-default"})
        translate(self.order)
        self.assertIn("http://testserver/en/orders/order-of-testers/", self.entries())


class RedirectTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.home, cls.index, cls.order = build_directory()
        translate(cls.order)

    def assertMovedPermanently(self, old: str, new: str):
        response = self.client.get(old)
        self.assertRedirects(response, new, status_code=301, fetch_redirect_response=False)
        self.assertEqual(self.client.get(new).status_code, 200)

    def test_french_slug_change_redirects_the_old_french_url(self):
        self.order.refresh_from_db()
        self.order.slug_fr = "ordre-des-essayeurs"
        publish(self.order)
        self.assertMovedPermanently("/fr/ordres/ordre-des-testeurs/", "/fr/ordres/ordre-des-essayeurs/")
        self.assertEqual(self.client.get("/en/orders/order-of-testers/").status_code, 200)

    def test_english_slug_change_redirects_the_old_english_url(self):
        self.order.refresh_from_db()
        self.order.slug_en = "testers-order"
        publish(self.order)
        self.assertMovedPermanently("/en/orders/order-of-testers/", "/en/orders/testers-order/")
        self.assertEqual(self.client.get("/fr/ordres/ordre-des-testeurs/").status_code, 200)

    def test_section_slug_change_redirects_its_descendants_in_both_languages(self):
        self.index.refresh_from_db()
        self.index.slug_fr = "ordres-professionnels"
        self.index.slug_en = "professional-orders"
        publish(self.index)
        self.assertMovedPermanently("/fr/ordres/ordre-des-testeurs/", "/fr/ordres-professionnels/ordre-des-testeurs/")
        self.assertMovedPermanently("/en/orders/order-of-testers/", "/en/professional-orders/order-of-testers/")

    def test_changing_a_slug_back_removes_the_redirect_that_would_hide_the_page(self):
        self.order.refresh_from_db()
        self.order.slug_fr = "ordre-des-essayeurs"
        publish(self.order)
        self.order.refresh_from_db()
        self.order.slug_fr = "ordre-des-testeurs"
        publish(self.order)
        self.assertEqual(self.client.get("/fr/ordres/ordre-des-testeurs/").status_code, 200)
        self.assertMovedPermanently("/fr/ordres/ordre-des-essayeurs/", "/fr/ordres/ordre-des-testeurs/")

    def test_moving_a_page_redirects_its_old_urls_in_both_languages(self):
        other = add_order(
            self.index,
            title_fr="Ordre des essayeurs",
            title_en="Order of triers",
            slug_fr="essayeurs",
            slug_en="triers",
            key="essayeurs",
        )
        profession = ProfessionPage(
            title_fr="Testeur",
            title_en="Tester",
            slug_fr="testeur",
            slug_en="tester",
            key="testeur",
            practice="exclusive",
        )
        OrderPage.objects.get(pk=self.order.pk).add_child(instance=profession)
        publish(profession)
        ProfessionPage.objects.get(pk=profession.pk).move(other, pos="last-child")
        self.assertMovedPermanently("/fr/ordres/ordre-des-testeurs/testeur/", "/fr/ordres/essayeurs/testeur/")
        self.assertMovedPermanently("/en/orders/order-of-testers/tester/", "/en/orders/triers/tester/")
