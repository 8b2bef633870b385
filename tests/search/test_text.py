from django.test import SimpleTestCase

from home.language import normalize
from search.forms import clean_query_text
from search.text import highlight, singular, stem


class TextTests(SimpleTestCase):
    def test_normalize_ignores_accents_case_hyphens_and_abbreviation_dots(self):
        self.assertEqual(normalize("Sage-femme"), "sage femme")
        self.assertEqual(normalize("  INGÉNIEURE "), "ingenieure")
        self.assertEqual(normalize("P.Eng."), "peng")
        self.assertEqual(normalize("Conseiller d'orientation"), "conseiller d orientation")
        self.assertEqual(normalize("Cœur"), "coeur")

    def test_stem_strips_plurals_and_feminine_endings(self):
        self.assertEqual(stem("infirmieres"), "infirmier")
        self.assertEqual(stem("ingenieures"), "ingenieur")
        self.assertEqual(stem("nurses"), "nurs")
        self.assertEqual(stem("psy"), "psy")

    def test_singular_undoes_english_plurals_in_ves(self):
        self.assertEqual(singular("midwives"), "midwife")
        self.assertEqual(singular("registered midwives"), "registered midwife")
        self.assertEqual(singular("shelves"), "shelf")
        self.assertEqual(singular("nurses"), "nurses")
        self.assertEqual(singular("ives"), "ives")

    def test_highlight_marks_matching_words_and_escapes_everything_else(self):
        html = highlight("L'infirmière <b>soigne</b>", ["infirmieres"])
        self.assertEqual(html, "L&#x27;<mark>infirmière</mark> &lt;b&gt;soigne&lt;/b&gt;")

    def test_highlight_escapes_text_when_nothing_matches(self):
        self.assertEqual(highlight("<script>", ["zzz"]), "&lt;script&gt;")

    def test_clean_query_text_drops_control_and_direction_characters(self):
        self.assertEqual(clean_query_text("\x00inf\u200fir\u202e  mière\n"), "infir mière")
        self.assertEqual(len(clean_query_text("a" * 5000)), 200)
