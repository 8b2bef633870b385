"""What people type, understood: the profession, the situation, or the body when no order governs it.

Every example runs on the database under test (PostgreSQL in CI) and in the SQLite fallback (the
Python path of search.understanding and search.query), in both languages.
"""

import json
from contextlib import contextmanager
from unittest import mock

from django.test import TestCase

from home.seeding import ensure_home_page
from professions.loading import load_directory_data, read_directory
from protection.bodies import DATA_FILE, load_other_bodies_file
from protection.loading import load_explainers_files
from search.indexing import rebuild_index
from search.models import UnansweredQuery

ORDERS = [
    "barreau-du-quebec",
    "chambre-des-notaires-du-quebec",
    "college-des-medecins-du-quebec",
    "ordre-des-comptables-professionnels-agrees-du-quebec",
    "ordre-des-dentistes-du-quebec",
    "ordre-des-ingenieurs-du-quebec",
    "ordre-des-pharmaciens-du-quebec",
    "ordre-des-psychologues-du-quebec",
    "ordre-professionnel-de-la-physiotherapie-du-quebec",
    "ordre-des-evaluateurs-agrees-du-quebec",
    "ordre-des-conseillers-et-conseilleres-d-orientation-du-quebec",
    "ordre-professionnel-des-technologistes-medicaux-du-quebec",
    "ordre-des-infirmieres-et-infirmiers-du-quebec",
]
SEARCH = {"fr": "/fr/recherche/", "en": "/en/search/"}
GUIDE = {"fr": "/fr/qui-contacter/", "en": "/en/who-do-i-contact/"}

# (language, question, expected guide answer URL suffix, words the answer shows)
EXAMPLES = [
    ("fr", "plainte contre mon dentiste", "?step=r_syndic&profession=dentiste", ["Ordre des dentistes du Québec"]),
    ("fr", "mon notaire me facture trop", "?step=r_fees&profession=notaire", ["Chambre des notaires du Québec"]),
    ("fr", "vérifier un ingénieur", "?step=r_register&profession=ingenieur", ["Ordre des ingénieurs du Québec"]),
    ("fr", "faux psychologue", "?step=r_illegal&profession=psychologue", ["Ordre des psychologues du Québec"]),
    ("fr", "mon courtier immobilier", "?body=oaciq", ["OACIQ", "Ce n'est pas un ordre professionnel qui s'en occupe"]),
    ("fr", "entrepreneur en construction", "?body=rbq", ["RBQ", "Régie du bâtiment du Québec"]),
    ("fr", "plainte CLSC", "?body=commissaire-plaintes-qualite-services", ["Commissaire aux plaintes"]),
    ("fr", "contester une décision du conseil de discipline", "?step=r_appeal", ["Tribunal des professions"]),
    ("en", "complaint against my pharmacist", "?step=r_syndic&profession=pharmacien", ["Ordre des pharmaciens"]),
    ("en", "my accountant overcharged me", "?step=r_fees&profession=comptable-professionnel-agree", ["CPA"]),
    (
        "en",
        "check if my physiotherapist is licensed",
        "?step=r_register&profession=physiotherapeute",
        ["Physiotherapist", "Check the register"],
    ),
    ("en", "travel agency refund", "?body=opc", ["Office de la protection du consommateur"]),
    ("en", "police misconduct", "?body=commissaire-deontologie-policiere", ["Police Ethics Commissioner"]),
    # And more of our own: other language, plurals and feminine forms, typos, acronyms, everyday words.
    ("fr", "plainte médecin", "?step=r_syndic&profession=medecin", ["Collège des médecins du Québec"]),
    ("fr", "avocat radié", "?step=r_register&profession=avocat", ["Barreau du Québec"]),
    ("fr", "frais notaire trop élevés", "?step=r_fees&profession=notaire", ["Chambre des notaires"]),
    ("en", "how to complain about my doctor", "?step=r_syndic&profession=medecin", ["Physician"]),
    ("fr", "mon toubib m'a mal soigné", "?step=r_syndic&profession=medecin", ["Médecin"]),
    ("en", "my shrink was rude", "?step=r_syndic&profession=psychologue", ["Psychologist"]),
    ("fr", "les infirmières du CHSLD", "?profession=infirmiere", ["Infirmière"]),
    ("fr", "mon avocate a gardé mon argent", "?step=r_indemnity&profession=avocat", ["Barreau du Québec"]),
    ("fr", "plainte contre mon dentsite", "?step=r_syndic&profession=dentiste", ["Dentiste"]),
    ("fr", "OIQ", "?profession=ingenieur", ["Ordre des ingénieurs du Québec"]),
    ("fr", "plainte against my lawyer", "?step=r_syndic&profession=avocat", ["Barreau du Québec"]),
    ("en", "my notaire overcharged me", "?step=r_fees&profession=notaire", ["Chambre des notaires"]),
    ("fr", "mécanicien", "?body=opc", ["Office de la protection du consommateur"]),
    ("fr", "conseiller financier", "?body=amf", ["Autorité des marchés financiers"]),
    ("fr", "massothérapeute", "?occupation=massage-therapist", ["Aucune loi"]),
    ("en", "refused admission foreign diploma", "?step=r_admission", ["Commissaire"]),
]


def load_understanding_site() -> None:
    ensure_home_page()
    data = read_directory()
    data["orders"] = [order for order in data["orders"] if order["key"] in ORDERS]
    load_directory_data(data)
    load_explainers_files()
    load_other_bodies_file()
    rebuild_index()


@contextmanager
def sqlite_fallback():
    """The Python paths used on SQLite (the local run), on the same data."""
    from django.db import connection

    sqlite = mock.Mock(vendor="sqlite", alias=connection.alias)
    with (
        mock.patch("search.query.search_database", lambda: sqlite),
        mock.patch("search.understanding.search_database", lambda: sqlite),
    ):
        yield


class UnderstandingTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        load_understanding_site()

    def answer_link(self, language: str, question: str) -> str:
        """The guide URL the search page's answer links to ("" without an answer)."""
        response = self.client.get(SEARCH[language], {"q": question})
        self.assertEqual(response.status_code, 200)
        answer = response.context["answer"]
        return answer["guide_url"] if answer else ""


class QuestionExamples:
    def check_examples(self):
        for language, question, suffix, shown in EXAMPLES:
            with self.subTest(language=language, question=question):
                response = self.client.get(SEARCH[language], {"q": question})
                answer = response.context["answer"]
                self.assertIsNotNone(answer, "no answer")
                self.assertEqual(answer["guide_url"], GUIDE[language] + suffix)
                main = response.content.decode().split('id="answer-heading"', 1)[1].split("</section>", 1)[0]
                for text in shown:
                    self.assertIn(text, main.replace("&#x27;", "'"))
                # The autocomplete offers the same answer first.
                suggestions = self.client.get(f"{SEARCH[language]}suggestions/", {"q": question}).json()["results"]
                self.assertEqual((suggestions[0]["kind"], suggestions[0]["url"]), ("answer", answer["guide_url"]))
                # The guide's answer page opens (status 200), in this language.
                page = self.client.get(answer["guide_url"])
                self.assertEqual(page.status_code, 200)
                self.assertContains(page, f'<html lang="{language}">')

    def test_examples_on_the_database(self):
        self.check_examples()

    def test_examples_in_the_sqlite_fallback(self):
        with sqlite_fallback():
            self.check_examples()

    def test_autocomplete_names_the_answer(self):
        suggestions = self.client.get("/fr/recherche/suggestions/", {"q": "plainte notaire"}).json()["results"]
        self.assertEqual(suggestions[0]["title"], "Porter plainte : Notaire")
        self.assertEqual(suggestions[0]["kind_label"], "Réponse")
        suggestions = self.client.get("/en/search/suggestions/", {"q": "notary bill"}).json()["results"]
        self.assertEqual(suggestions[0]["title"], "Dispute a bill: Notary")

    def test_the_answer_is_in_the_pages_language(self):
        french = self.client.get("/fr/recherche/", {"q": "plainte contre mon dentiste"})
        self.assertContains(french, "Porter plainte : Dentiste")
        self.assertContains(french, "Demandez une enquête au syndic")
        english = self.client.get("/en/search/", {"q": "plainte contre mon dentiste"})
        self.assertContains(english, "File a complaint: Dentist")
        self.assertContains(english, "Ask the order&#x27;s syndic for an inquiry")


class NothingMisleading:
    def occupations(self):
        data = json.loads(DATA_FILE.read_text(encoding="utf-8"))
        for record in data["bodies"]:
            for language in ("fr", "en"):
                for occupation in record[f"occupations_{language}"]:
                    yield language, occupation, f"?body={record['key']}"
        for record in data["unregulated"]:
            for language in ("fr", "en"):
                yield language, record[f"name_{language}"], f"?occupation={record['key']}"

    def check_occupations(self):
        for language, occupation, _suffix in self.occupations():
            with self.subTest(language=language, occupation=occupation):
                response = self.client.get(SEARCH[language], {"q": occupation})
                answer = response.context["answer"]
                self.assertIsNotNone(answer)
                self.assertEqual(answer["kind"], "not_an_order")
                self.assertNotIn(
                    response.context["results"][:1] and response.context["results"][0]["kind"], ("profession", "order")
                )
                self.assertFalse(response.context["fuzzy"])
                suggestions = self.client.get(f"{SEARCH[language]}suggestions/", {"q": occupation}).json()["results"]
                self.assertEqual(suggestions[0]["kind"], "answer")
                self.assertEqual([item["kind"] for item in suggestions if item["kind"] in ("profession", "order")], [])

    def test_no_occupation_without_an_order_gets_a_profession_first(self):
        self.check_occupations()

    def test_no_occupation_without_an_order_gets_a_profession_first_in_the_fallback(self):
        with sqlite_fallback():
            self.check_occupations()

    def test_a_far_word_gets_no_did_you_mean(self):
        for question in ("mécanicienne", "plombière", "zzzzqqq"):
            with self.subTest(question=question):
                response = self.client.get("/fr/recherche/", {"q": question})
                self.assertNotContains(response, "Vouliez-vous dire")
                self.assertNotContains(response, "Technologiste médical")

    def test_a_lone_typo_keeps_did_you_mean_and_a_question_with_a_typo_is_understood(self):
        response = self.client.get("/fr/recherche/", {"q": "dentsite"})
        self.assertContains(response, 'Vouliez-vous dire <a href="/fr/recherche/?q=Dentiste">Dentiste</a>')
        self.assertIsNone(response.context["answer"])
        response = self.client.get("/fr/recherche/", {"q": "plainte contre mon dentsite"})
        self.assertContains(response, "Nous avons compris « Dentiste ».")
        self.assertEqual(response.context["results"][0]["kind"], "profession")


class BadQuestions:
    QUESTIONS = {
        "only filler": "mon le la de",
        "only filler (en)": "how to my the",
        "long": "plainte contre mon dentiste " * 60,
        "hostile": "<script>alert(1)</script> plainte ' OR 1=1 -- dentiste",
        "mixed languages": "complaint contre my notaire svp",
        "emoji": "😡 dentiste 🦷 facture 💸",
        "control characters": "plain\x00te\x1f dentiste",
        "tsquery syntax": "!(plainte & | dentiste):*",
    }

    def test_bad_questions_give_a_helpful_page(self):
        for language in ("fr", "en"):
            for name, question in self.QUESTIONS.items():
                with self.subTest(language=language, case=name):
                    response = self.client.get(SEARCH[language], {"q": question})
                    self.assertEqual(response.status_code, 200)
                    self.assertNotIn(b"<script>alert", response.content)
                    response = self.client.get(f"{SEARCH[language]}suggestions/", {"q": question})
                    self.assertEqual(response.status_code, 200)
                    self.assertIsInstance(response.json()["results"], list)
                    answer_page = self.client.get(
                        f"{SEARCH[language]}{'reponse' if language == 'fr' else 'answer'}/",
                        {"q": question},
                        follow=True,
                    )
                    self.assertEqual(answer_page.status_code, 200)

    def test_filler_alone_asks_for_a_description(self):
        self.assertContains(
            self.client.get("/fr/recherche/", {"q": "mon le la de"}), "Décrivez votre situation en quelques mots"
        )
        self.assertContains(
            self.client.get("/en/search/", {"q": "how to my the"}), "Describe your situation in a few words"
        )

    def test_questions_without_an_answer_are_listed_for_editors(self):
        self.client.get("/fr/recherche/", {"q": "protection du public"})
        self.client.get("/fr/recherche/", {"q": "plainte contre mon dentiste"})
        self.client.get("/fr/recherche/", {"q": "xyzzy plugh"})
        rows = {row.query_string: row.has_results for row in UnansweredQuery.objects.all()}
        self.assertEqual(rows, {"protection du public": True, "xyzzy plugh": False})


class UnderstandingTests(QuestionExamples, NothingMisleading, BadQuestions, UnderstandingTestCase):
    """One class: the site is loaded once for every test above."""
