"""The guide's answers name the professional's order: picked by profession, reachable by URL."""

import re
from html import unescape

from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.utils.html import escape

from home.language import sort_key
from home.seeding import ensure_home_page
from professions.loading import load_directory_file
from protection.loading import load_explainers_files
from tests.factories import data_query_count, load_site
from tests.protection.test_guide import main_links

GUIDE_URL = {"fr": "/fr/qui-contacter/", "en": "/en/who-do-i-contact/"}
PICKER = {"fr": "De quel professionnel s'agit-il?", "en": "Which professional is it?"}
UNKNOWN = {"fr": "Nous ne connaissons pas cette profession.", "en": "We don't know this profession."}
REGISTER_NOTE = {
    "fr": escape("Le tableau des membres est sur le site Web de l'ordre."),
    "en": escape("The register is on the order's website."),
}
SYNDIC = {"fr": "Joindre le syndic", "en": "Contact the syndic"}

# (situation, language, step, profession key, profession title, profession URL, order, order URL, links, syndic)
SITUATIONS = [
    (
        "a problem with my engineer",
        "fr",
        "r_syndic",
        "ingenieur",
        "Ingénieur",
        "/fr/ordres/ordre-des-ingenieurs-du-quebec/ingenieur/",
        "Ordre des ingénieurs du Québec",
        "/fr/ordres/ordre-des-ingenieurs-du-quebec/",
        "https://www.oiq.qc.ca",
        True,
    ),
    (
        "a problem with my engineer",
        "en",
        "r_syndic",
        "ingenieur",
        "Engineer",
        "/en/orders/order-of-engineers/engineer/",
        "Ordre des ingénieurs du Québec",
        "/en/orders/order-of-engineers/",
        "https://www.oiq.qc.ca",
        True,
    ),
    (
        "a nurse's bill",
        "fr",
        "r_fees",
        "infirmiere",
        "Infirmière",
        "/fr/ordres/ordre-des-infirmieres-et-infirmiers-du-quebec/infirmiere/",
        "Ordre des infirmières et infirmiers du Québec",
        "/fr/ordres/ordre-des-infirmieres-et-infirmiers-du-quebec/",
        "https://www.oiiq.org",
        True,
    ),
    (
        "a nurse's bill",
        "en",
        "r_fees",
        "infirmiere",
        "Nurse",
        "/en/orders/order-of-nurses/nurse/",
        "Ordre des infirmières et infirmiers du Québec",
        "/en/orders/order-of-nurses/",
        "https://www.oiiq.org",
        True,
    ),
    (
        "checking a lawyer",
        "fr",
        "r_register",
        "avocat",
        "Avocat",
        "/fr/ordres/barreau-du-quebec/avocat/",
        "Barreau du Québec",
        "/fr/ordres/barreau-du-quebec/",
        "https://www.barreau.qc.ca",
        False,
    ),
    (
        "checking a lawyer",
        "en",
        "r_register",
        "avocat",
        "Lawyer",
        "/en/orders/quebec-bar/lawyer/",
        "Barreau du Québec",
        "/en/orders/quebec-bar/",
        "https://www.barreau.qc.ca",
        False,
    ),
]
# Site, routing, the result's explainers, the directory indexes, the professions, the order.
ANSWER_QUERIES = 7
# Results about bodies that are not orders, or about courts: the guide asks no profession there. (A
# refused admission names the order: its own review comes first, then the admissions commissioner.)
NO_PROFESSION_STEPS = ["r_office", "r_appeal", "r_civil", "q1", "q2"]


def option_titles(response) -> list[str]:
    select = response.content.decode().split('<select id="guide-profession"')[1].split("</select>")[0]
    return [unescape(title) for title in re.findall(r'<option value="[^"]+"[^>]*>([^<]+)</option>', select)]


class GuideProfessionTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        ensure_home_page()
        load_directory_file()
        load_explainers_files()

    def test_each_situation_gives_the_order_its_register_and_the_steps(self):
        for situation, language, step, key, title, url, order, order_url, website, syndic in SITUATIONS:
            with self.subTest(situation, language=language):
                response = self.client.get(f"{GUIDE_URL[language]}?step={step}&profession={key}")
                self.assertEqual(response.status_code, 200)
                self.assertContains(response, f'<a href="{url}">{title}</a>', html=True)
                self.assertContains(response, f'<a href="{order_url}">{order}</a>', html=True)
                # No verified register address in the data: the order's website, said plainly.
                self.assertContains(response, f'href="{website}"')
                self.assertContains(response, REGISTER_NOTE[language])
                self.assertEqual(SYNDIC[language] in response.content.decode(), syndic)
                # The result's explainers and the guide's question stay on the answer.
                self.assertContains(response, "guide-result")
                explainers = [
                    href
                    for href in main_links(response)
                    if "/proteger-le-public/" in href or "/protecting-the-public/" in href
                ]
                self.assertTrue(explainers)
                for target in [url, order_url, *explainers]:
                    self.assertEqual(self.client.get(target).status_code, 200, target)
                self.assertNotContains(response, UNKNOWN[language])

    def test_results_that_need_the_order_offer_every_profession_sorted_without_accents(self):
        for language in ("fr", "en"):
            with self.subTest(language=language):
                response = self.client.get(f"{GUIDE_URL[language]}?step=r_syndic")
                self.assertContains(response, f'<label for="guide-profession">{PICKER[language]}</label>', html=True)
                self.assertContains(response, '<input type="hidden" name="step" value="r_syndic">', html=True)
                titles = option_titles(response)
                self.assertGreater(len(titles), 40)
                self.assertEqual(titles, sorted(titles, key=sort_key))
                self.assertIn("Ingénieur" if language == "fr" else "Engineer", titles)

    def test_non_order_bodies_and_decisions_ask_no_profession(self):
        for step in NO_PROFESSION_STEPS:
            for language in ("fr", "en"):
                with self.subTest(step=step, language=language):
                    response = self.client.get(f"{GUIDE_URL[language]}?step={step}&profession=ingenieur")
                    self.assertEqual(response.status_code, 200)
                    self.assertNotContains(response, 'name="profession"')
                    self.assertNotContains(response, "Ordre des ingénieurs du Québec")
                    self.assertNotContains(response, UNKNOWN[language])

    def test_the_office_des_professions_result_sends_to_its_explainer(self):
        response = self.client.get("/fr/qui-contacter/?step=r_office")
        self.assertContains(response, "Adressez-vous à l&#x27;Office des professions du Québec")
        self.assertNotContains(response, PICKER["fr"])

    def test_an_unknown_or_tampered_profession_gets_the_result_a_note_and_the_directory(self):
        bad = [
            "plombier",
            "INGENIEUR",
            "ingenieur%00",
            "%3Cscript%3Ealert(1)%3C/script%3E",
            "x" * 5000,
            "../../admin/",
            "%ff",
        ]
        for value in bad:
            for language in ("fr", "en"):
                with self.subTest(value=value[:30], language=language):
                    response = self.client.get(f"{GUIDE_URL[language]}?step=r_syndic&profession={value}")
                    self.assertEqual(response.status_code, 200)
                    self.assertContains(response, UNKNOWN[language])
                    self.assertContains(response, 'id="step-heading"')
                    self.assertContains(response, 'name="profession"')
                    orders, professions = (
                        ("/fr/ordres/", "/fr/professions/") if language == "fr" else ("/en/orders/", "/en/professions/")
                    )
                    self.assertIn(orders, main_links(response))
                    self.assertIn(professions, main_links(response))
                    self.assertNotContains(response, "<script>alert")
                    self.assertNotContains(response, "x" * 100)
                    # The switcher does not carry the unknown value to the other language.
                    self.assertNotContains(response, "profession=" + value[:20])

    def test_odd_parameters_never_fail(self):
        queries = [
            "?step=r_syndic&profession=",
            "?step=r_syndic&profession[]=ingenieur",
            "?step=r_syndic&profession=avocat&profession=ingenieur",
            "?profession=ingenieur",
            "?step=" + "r" * 5000 + "&profession=" + "i" * 5000,
            "?step=%3Cscript%3E&profession=%3Cscript%3E",
        ]
        for query in queries:
            with self.subTest(query=query[:40]):
                response = self.client.get(GUIDE_URL["fr"] + query)
                self.assertEqual(response.status_code, 200)
                self.assertNotContains(response, "<script>")
        response = self.client.get(GUIDE_URL["fr"] + "?step=r_syndic&profession=avocat&profession=ingenieur")
        self.assertContains(response, "Ordre des ingénieurs du Québec")

    def test_switching_language_keeps_the_step_and_the_profession(self):
        response = self.client.get("/fr/qui-contacter/?step=r_syndic&profession=ingenieur")
        self.assertContains(
            response,
            '<a href="/en/who-do-i-contact/?step=r_syndic&amp;profession=ingenieur" hreflang="en" lang="en">'
            "English</a>",
            html=True,
        )
        self.assertContains(
            response,
            'hreflang="en" href="http://testserver/en/who-do-i-contact/?step=r_syndic&amp;profession=ingenieur"',
        )
        response = self.client.get("/en/who-do-i-contact/?step=r_syndic&profession=ingenieur")
        self.assertContains(
            response,
            '<a href="/fr/qui-contacter/?step=r_syndic&amp;profession=ingenieur" hreflang="fr" lang="fr">Français</a>',
            html=True,
        )
        # The reader can change the profession, back to the result without one.
        self.assertContains(response, '<a href="/en/who-do-i-contact/?step=r_syndic">Change', html=False)

    def test_an_answer_with_a_profession_takes_a_small_constant_number_of_queries(self):
        counts = {}
        for url in [
            "/fr/qui-contacter/?step=r_syndic&profession=ingenieur",
            "/en/who-do-i-contact/?step=r_fees&profession=infirmiere",
            "/fr/qui-contacter/?step=r_register&profession=avocat",
        ]:
            self.client.get(url)
            with CaptureQueriesContext(connection) as captured:
                self.assertEqual(self.client.get(url).status_code, 200)
            counts[url] = data_query_count(captured)
        self.assertEqual(set(counts.values()), {ANSWER_QUERIES}, counts)


class GuideProfessionQueryCountTests(TestCase):
    """With 2 professions instead of the real directory's ~55, an answer takes as many queries."""

    @classmethod
    def setUpTestData(cls):
        load_site()

    def test_an_answer_takes_the_same_queries_with_a_small_directory(self):
        url = "/en/who-do-i-contact/?step=r_syndic&profession=testeur-1-0"
        self.client.get(url)
        with CaptureQueriesContext(connection) as captured:
            response = self.client.get(url)
        self.assertContains(response, "Tester 1-0")
        self.assertEqual(data_query_count(captured), ANSWER_QUERIES)
