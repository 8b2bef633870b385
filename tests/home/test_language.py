from types import SimpleNamespace

from django.test import SimpleTestCase
from django.utils import translation

from home.language import (
    active_language,
    initial_of,
    localized,
    normalize_markup,
    sort_key,
    translated_columns,
    unaccent,
)


class LanguageHelperTests(SimpleTestCase):
    def test_active_language_is_french_outside_a_request(self):
        with translation.override(None):
            self.assertEqual(active_language(), "fr")
        with translation.override("en"):
            self.assertEqual(active_language(), "en")

    def test_translated_columns_lists_every_language_of_each_field(self):
        self.assertEqual(translated_columns("title", "slug"), ["title_fr", "title_en", "slug_fr", "slug_en"])

    def test_localized_reads_rows_and_pages_in_the_active_language_french_when_empty(self):
        row = {"title_fr": "Infirmière", "title_en": ""}
        page = SimpleNamespace(title_fr="Infirmière", title_en="Nurse")
        with translation.override("en"):
            self.assertEqual(localized(row, "title"), "Infirmière")
            self.assertEqual(localized(page, "title"), "Nurse")
            self.assertEqual(localized(page, "title", "fr"), "Infirmière")
            self.assertEqual(localized(page, "summary"), "")

    def test_sort_key_and_initial_ignore_accents_and_case(self):
        self.assertEqual(sort_key("Éducateur"), sort_key("educateur"))
        self.assertEqual(initial_of("  évaluateur"), "E")
        self.assertEqual(initial_of("3D"), "#")

    def test_unaccent_also_folds_ligatures_which_sort_keys_keep(self):
        self.assertEqual(unaccent("Œuvre"), "oeuvre")
        self.assertEqual(sort_key("Œuvre"), "œuvre")

    def test_memory_form_keeps_accents_and_drops_markup_and_punctuation(self):
        self.assertEqual(normalize_markup("<p>Le  Syndic, reçoit!</p>"), "le syndic reçoit")
