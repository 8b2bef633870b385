"""A question about one order never shows another order's delay or link."""

import re
from html import unescape

from django.test import TestCase

from home.seeding import ensure_home_page
from professions.loading import load_directory_file
from professions.models import OrderPage, ProfessionPage
from protection import deadlines
from protection.loading import load_explainers_files
from search.indexing import rebuild_index

GUIDE = {"fr": "/fr/qui-contacter/", "en": "/en/who-do-i-contact/"}
SEARCH = {"fr": "/fr/recherche/", "en": "/en/search/"}
UNIT = {"fr": "jours?", "en": "days?"}
BILL = {"fr": "mon {} me facture trop", "en": "my {} charged me too much"}


class NamedOrderFactsTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        ensure_home_page()
        load_directory_file()
        load_explainers_files()
        rebuild_index()
        cls.known = {key: deadlines.delay_for("fees", key) for key in deadlines.orders_with_delays("fees")}
        cls.titles = dict(OrderPage.objects.values_list("key", "title"))
        cls.acronyms = dict(OrderPage.objects.values_list("key", "acronym"))

    def text(self, url: str, **params) -> str:
        response = self.client.get(url, params)
        self.assertEqual(response.status_code, 200, url)
        main = response.content.decode().split('<main id="main"', 1)[1]
        return " ".join(unescape(re.sub(r"<[^>]+>", " ", main)).split())

    def assert_only_its_own_facts(self, text: str, order_key: str, language: str) -> None:
        own = self.known.get(order_key)
        for other, delay in self.known.items():
            if other == order_key:
                continue
            self.assertNotIn(self.titles[other], text)
            self.assertNotIn(getattr(delay, f"basis_{language}"), text)
            acronym = self.acronyms[other]
            if acronym and acronym != self.acronyms[order_key]:
                self.assertIsNone(re.search(rf"\b{re.escape(acronym)}\b", text), acronym)
            if own is None or own.days != delay.days:
                self.assertIsNone(re.search(rf"\b{delay.days} {UNIT[language]}\b", text), text)

    def test_every_orders_fee_answer_in_the_guide_quotes_its_own_delay_or_says_the_order_sets_it(self):
        professions = ProfessionPage.objects.live().values_list("key", "path")
        orders = {page.path: page.key for page in OrderPage.objects.live()}
        self.assertEqual(len(set(self.known) & set(orders.values())), 4)
        for profession, path in professions:
            order_key = orders[path[: -ProfessionPage.steplen]]
            for language, url in GUIDE.items():
                with self.subTest(profession=profession, language=language):
                    text = self.text(url, step="r_fees", profession=profession)
                    self.assert_only_its_own_facts(text, order_key, language)
                    own = self.known.get(order_key)
                    if own:
                        basis = own.basis_fr if language == "fr" else own.basis_en
                        self.assertRegex(
                            text,
                            rf"\b{own.days} {UNIT[language]} \({re.escape(basis)}\)",
                        )
                    else:
                        self.assertIn(
                            {"fr": "fixe ce délai dans son règlement", "en": "sets this delay in its regulation"}[
                                language
                            ],
                            text,
                        )

    def test_search_answers_about_a_bill_quote_only_the_named_orders_delay(self):
        cases = {
            "fr": {
                "notaire": "chambre-des-notaires-du-quebec",
                "architecte": "ordre-des-architectes-du-quebec",
                "arpenteur-géomètre": "ordre-des-arpenteurs-geometres-du-quebec",
                "dentiste": "ordre-des-dentistes-du-quebec",
            },
            "en": {
                "notary": "chambre-des-notaires-du-quebec",
                "architect": "ordre-des-architectes-du-quebec",
                "land surveyor": "ordre-des-arpenteurs-geometres-du-quebec",
                "dentist": "ordre-des-dentistes-du-quebec",
            },
        }
        for language, professionals in cases.items():
            for word, order_key in professionals.items():
                with self.subTest(language=language, word=word):
                    text = self.text(SEARCH[language], q=BILL[language].format(word))
                    self.assertIn(self.titles[order_key], text)
                    self.assert_only_its_own_facts(
                        text.split("Résultats" if language == "fr" else "Results")[0], order_key, language
                    )

    def test_a_search_answer_about_the_syndics_decision_offers_the_deadline_form_for_that_order(self):
        for language, query in (("fr", "décision du syndic dentiste"), ("en", "dentist syndic's decision review")):
            with self.subTest(language=language):
                response = self.client.get(SEARCH[language], {"q": query})
                self.assertContains(response, 'name="recourse" value="review"')
                self.assertContains(response, 'name="order" value="ordre-des-dentistes-du-quebec"')
