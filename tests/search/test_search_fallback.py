"""The Python search used on SQLite (the local run): same entries, simpler matching."""

from unittest import mock

from django.test import TestCase

from home.seeding import ensure_home_page
from search.models import SearchEntry
from search.query import _python, prepare, search_entries
from tests.factories import load_sample_directory

EXAMPLES = [
    ("fr", "ingenieur", "Ingénieur"),
    ("fr", "infirmieres", "Infirmière"),
    ("fr", "ingénieures", "Ingénieur"),
    ("en", "nurses", "Nurse"),
    ("fr", "infir", "Infirmière"),
    ("fr", "OIQ", "Ordre des ingénieurs du Québec"),
    ("fr", "CPA", "Comptable professionnel agréé"),
    ("fr", "lawyer", "Avocat"),
    ("en", "avocat", "Lawyer"),
    ("fr", "sage femme", "Sage-femme"),
    ("en", "midwives", "Midwife"),
    ("fr", "psy", "Psychologue"),
]


class PythonFallbackTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        ensure_home_page()
        load_sample_directory()

    def first_title(self, language: str, query: str) -> str:
        outcome = _python(prepare(query, language), language, None, 10)
        return SearchEntry.objects.get(id=outcome.ids[0]).title if outcome.ids else ""

    def test_named_examples_find_the_expected_page_first(self):
        for language, query, title in EXAMPLES:
            with self.subTest(language=language, query=query):
                self.assertEqual(self.first_title(language, query), title)

    def test_typos_fall_back_to_the_closest_name_with_a_suggestion(self):
        outcome = _python(prepare("dentsite", "fr"), "fr", None, 10)
        self.assertTrue(outcome.fuzzy)
        self.assertEqual(outcome.suggestion, "Dentiste")

    def test_the_search_page_uses_the_fallback_on_other_databases(self):
        with mock.patch("search.query.search_database", lambda: mock.Mock(vendor="sqlite")):
            self.assertEqual(
                search_entries("infirmieres", "fr").ids, _python(prepare("infirmieres", "fr"), "fr", None, 200).ids
            )
            response = self.client.get("/fr/recherche/", {"q": "infirmieres"})
            self.assertContains(response, "<mark>Infirmière</mark>")
            response = self.client.get("/fr/recherche/", {"q": "dentsite"})
            self.assertContains(response, 'Vouliez-vous dire <a href="/fr/recherche/?q=Dentiste">Dentiste</a>')
