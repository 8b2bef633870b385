from django.test import SimpleTestCase

from home.language import normalize
from search.forms import clean_query_text
from search.text import highlight
from search.words import STOP_WORDS, closeness, prefix, singular, stems


class TextTests(SimpleTestCase):
    def test_normalize_ignores_accents_case_hyphens_and_abbreviation_dots(self):
        self.assertEqual(normalize("Sage-femme"), "sage femme")
        self.assertEqual(normalize("  INGÉNIEURE "), "ingenieure")
        self.assertEqual(normalize("P.Eng."), "peng")
        self.assertEqual(normalize("Conseiller d'orientation"), "conseiller d orientation")
        self.assertEqual(normalize("Cœur"), "coeur")

    def test_prefix_is_shared_by_plurals_and_feminine_forms(self):
        for forms in (
            ("infirmieres", "infirmiere", "infirmier", "infirmiers"),
            ("ingenieures", "ingenieur"),
            ("nurses", "nurse"),
            ("therapy", "therapist"),
        ):
            with self.subTest(forms=forms):
                start = prefix(forms[0])
                self.assertTrue(all(form.startswith(start) for form in forms), start)
        self.assertEqual(prefix("psy"), "psy")

    def test_stems_join_the_forms_of_a_verb_as_postgresql_does(self):
        # The Snowball stems of PostgreSQL's french and english configurations (on accent-free words).
        for forms in (
            ("blesse", "blesser"),
            ("touched", "touching", "touch"),
            ("facture", "factures"),
            ("hurle", "hurler"),
        ):
            with self.subTest(forms=forms):
                shared = frozenset.intersection(*(stems(form) for form in forms))
                self.assertTrue(shared, forms)
        self.assertFalse(stems("dentiste") & stems("notaire"))

    def test_stop_words_keep_the_words_that_mean_something_here(self):
        for word in ("mon", "contre", "the", "my", "svp", "how"):
            self.assertIn(word, STOP_WORDS)
        for word in ("bill", "kept", "member", "trop", "vol", "pas", "not"):
            self.assertNotIn(word, STOP_WORDS)

    def test_closeness_forgives_typos_not_other_words(self):
        self.assertEqual(closeness("dentsite", ["dentiste"], 0.8), 0.875)
        self.assertEqual(closeness("mecanicien", ["technologiste medical"], 0.75), 0.0)
        self.assertEqual(closeness("public", ["notary public"], 0.75), 0.0)

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
        self.assertEqual(len(clean_query_text("a" * 5000)), 5000)  # never cut: the form refuses it
