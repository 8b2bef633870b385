import json
import re

from django.contrib.auth import get_user_model
from django.test import TestCase
from django.utils import translation

from wagtail.test.utils import WagtailPageTestCase

from home.models import HomePage
from protection.models import ExplainerIndexPage, ExplainerPage, GuidePage
from tests.factories import load_site

NBSP = "\u00a0"


def url_in(page, language: str) -> str:
    with translation.override(language):
        return page.get_url()


def json_ld(response) -> list[dict]:
    scripts = re.findall(r'<script type="application/ld\+json">(.*?)</script>', response.content.decode(), re.S)
    return [json.loads(script) for script in scripts]


class ExplainerPageTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        load_site()
        cls.hub = ExplainerIndexPage.objects.get()
        cls.explainers = list(ExplainerPage.objects.order_by("path"))

    def test_the_hub_has_fifteen_explainers_at_their_campaign_urls(self):
        self.assertEqual(len(self.explainers), 15)
        self.assertEqual(url_in(self.hub, "fr"), "/fr/proteger-le-public/")
        self.assertEqual(url_in(self.hub, "en"), "/en/protecting-the-public/")
        syndic = ExplainerPage.objects.get(key="syndic")
        self.assertEqual(url_in(syndic, "fr"), "/fr/proteger-le-public/demander-une-enquete-au-syndic/")
        self.assertEqual(url_in(syndic, "en"), "/en/protecting-the-public/request-an-inquiry-from-the-syndic/")

    def test_every_explainer_renders_in_both_languages_and_the_switcher_stays_on_it(self):
        for page in [self.hub, *self.explainers]:
            french, english = url_in(page, "fr"), url_in(page, "en")
            with self.subTest(page=french):
                response = self.client.get(french)
                self.assertContains(response, '<html lang="fr">')
                self.assertContains(response, f"<h1>{page.title_fr}</h1>", html=True)
                self.assertContains(response, f'<a href="{english}" hreflang="en" lang="en">English</a>', html=True)
                response = self.client.get(english)
                self.assertContains(response, '<html lang="en">')
                self.assertContains(response, f"<h1>{page.title_en}</h1>", html=True)
                self.assertContains(response, f'<a href="{french}" hreflang="fr" lang="fr">Français</a>', html=True)

    def test_the_hub_lists_every_explainer_in_each_language(self):
        for language in ("fr", "en"):
            response = self.client.get(url_in(self.hub, language))
            for page in self.explainers:
                with self.subTest(language=language, page=page.key):
                    title = getattr(page, f"title_{language}")
                    self.assertContains(response, f'<a href="{url_in(page, language)}">{title}</a>', html=True)

    def test_faq_json_ld_holds_the_questions_in_the_page_language(self):
        page = ExplainerPage.objects.get(key="syndic")
        for language, question in (
            ("fr", "Est-ce que ça coûte quelque chose?"),
            ("en", "Does it cost anything?"),
        ):
            with self.subTest(language=language):
                response = self.client.get(url_in(page, language))
                (data,) = json_ld(response)
                self.assertEqual(data["@type"], "FAQPage")
                names = [item["name"] for item in data["mainEntity"]]
                self.assertIn(question, names)
                self.assertTrue(all(item["acceptedAnswer"]["text"] for item in data["mainEntity"]))
                # The same questions are on the page, as <details> a reader can open.
                self.assertContains(response, f"<summary>{question}</summary>", html=True)

    def test_pages_without_faq_have_no_faq_json_ld(self):
        self.assertEqual(json_ld(self.client.get("/fr/proteger-le-public/")), [])

    def test_steps_flow_and_figures_read_as_lists_with_their_delays_and_sources(self):
        response = self.client.get("/fr/proteger-le-public/deposer-une-plainte-privee/")
        self.assertContains(response, '<ol class="steps__list">')
        self.assertContains(response, '<ol class="flow__nodes" aria-hidden="true">')
        self.assertContains(response, '<figcaption class="flow__text">')
        response = self.client.get("/en/protecting-the-public/have-the-syndics-decision-reviewed/")
        self.assertContains(response, "<dt>Delay</dt>", html=True)
        self.assertContains(response, "Source:")
        response = self.client.get("/fr/proteger-le-public/faire-reviser-la-decision-du-syndic/")
        self.assertContains(response, "<dt>Délai</dt>", html=True)
        self.assertContains(response, f"Source{NBSP}:")

    def test_explainers_link_to_each_other_and_invite_to_the_guide(self):
        response = self.client.get("/en/protecting-the-public/request-an-inquiry-from-the-syndic/")
        self.assertContains(response, 'href="/en/protecting-the-public/the-disciplinary-council/"')
        self.assertContains(response, 'href="/en/who-do-i-contact/"')

    def test_hub_and_guide_are_in_the_main_menu(self):
        response = self.client.get("/fr/")
        menu = response.content.decode().split('class="main-nav"')[1].split("</nav>")[0]
        self.assertIn('href="/fr/proteger-le-public/"', menu)
        self.assertIn('href="/fr/qui-contacter/"', menu)

    def test_editors_get_french_and_english_fields_in_the_admin(self):
        user = get_user_model().objects.create_superuser("editor", "e@example.org", "pw-not-used")
        self.client.force_login(user)
        for page in (self.hub, self.explainers[0], GuidePage.objects.get()):
            with self.subTest(page=page.title):
                response = self.client.get(f"/admin/pages/{page.pk}/edit/")
                self.assertContains(response, 'name="title_en"')
        response = self.client.get(f"/admin/pages/{self.explainers[0].pk}/edit/")
        self.assertContains(response, '"fieldName": "body_fr"')
        self.assertContains(response, '"fieldName": "body_en"')


class PageTreeRulesTests(WagtailPageTestCase):
    def test_hub_and_guide_sit_under_home_and_explainers_under_the_hub(self):
        self.assertAllowedParentPageTypes(ExplainerIndexPage, {HomePage})
        self.assertAllowedSubpageTypes(ExplainerIndexPage, {ExplainerPage})
        self.assertAllowedParentPageTypes(ExplainerPage, {ExplainerIndexPage})
        self.assertAllowedSubpageTypes(ExplainerPage, set())
        self.assertAllowedParentPageTypes(GuidePage, {HomePage})
        self.assertAllowedSubpageTypes(GuidePage, set())

    def test_hub_and_guide_are_singletons(self):
        self.assertEqual((ExplainerIndexPage.max_count, GuidePage.max_count), (1, 1))
