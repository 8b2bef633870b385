"""Questions told as stories: what went wrong, several situations in one story, government and business
bodies, refused admission, and whole stories up to the box's limit. Both languages, on the database
under test (PostgreSQL in CI) and in the SQLite fallback; the answer of search and of the guide agree.
"""

import json
import random
import re
import unicodedata
from contextlib import nullcontext

from hypothesis import given, settings
from hypothesis import strategies as st

from django.db import connection
from django.test import SimpleTestCase, TestCase

from home.language import unaccent
from protection.loading import GUIDE_FILE
from search.forms import MAX_QUERY_LENGTH, SearchForm, clean_query_text
from search.understanding import SERIOUSNESS, Question, told_situations
from search.words import STOP_WORDS, phrase_stems, stems
from tests.search import test_understanding as base

ORDERS = [
    *base.ORDERS,
    "ordre-des-ergotherapeutes-du-quebec",
    "ordre-des-hygienistes-dentaires-du-quebec",
    "ordre-des-architectes-du-quebec",
]
SEARCH, GUIDE = base.SEARCH, base.GUIDE
POLICE = {"fr": "signaler à la police", "en": "report it to the police"}

# (language, story, guide URL suffix, words the answer shows)
STORIES = [
    ("fr", "mon ergothérapeute a été irrespectueux", "?step=r_syndic&profession=ergotherapeute", ["ergothérapeutes"]),
    (
        "fr",
        "l'hygiéniste dentaire m'a blessé la gencive",
        "?step=r_syndic&profession=hygieniste-dentaire",
        ["hygiénistes dentaires", "syndic"],
    ),
    ("en", "my psychologist shouted at me", "?step=r_syndic&profession=psychologue", ["Ordre des psychologues"]),
    ("en", "my architect billed me twice", "?step=r_fees&profession=architecte", ["Ordre des architectes"]),
    ("fr", "la SAAQ a perdu mon dossier", "?body=protecteur-du-citoyen", ["Protecteur du citoyen"]),
    ("fr", "le concessionnaire refuse la garantie", "?body=opc", ["Office de la protection du consommateur"]),
    (
        "fr",
        "comptable formé en France, équivalence refusée",
        "?step=r_admission&profession=comptable-professionnel-agree",
        ["Commissaire", "CPA"],
    ),
    ("fr", "le syndic m'a répondu qu'il ne portera pas plainte", "?step=r_review", ["comité de révision"]),
    ("en", "my dentist botched my filling", "?step=r_syndic&profession=dentiste", ["Ordre des dentistes"]),
    (
        "en",
        "my physiotherapist touched me inappropriately",
        "?step=r_sexual&profession=physiotherapeute",
        ["Ordre professionnel de la physiothérapie", POLICE["en"], "five-year striking off"],
    ),
    # And more of our own, in the other language, with other forms of the same verbs.
    (
        "fr",
        "mon physiothérapeute m'a touchée de façon inappropriée",
        "?step=r_sexual&profession=physiotherapeute",
        [POLICE["fr"], "radiation de cinq ans"],
    ),
    ("fr", "mon psychologue a crié après moi", "?step=r_syndic&profession=psychologue", ["psychologues"]),
    ("fr", "mon notaire a divulgué mon dossier à mon voisin", "?step=r_syndic&profession=notaire", ["notaires"]),
    ("en", "my dentist hurt me", "?step=r_syndic&profession=dentiste", ["Ordre des dentistes"]),
    ("en", "my occupational therapist was disrespectful", "?step=r_syndic&profession=ergotherapeute", ["ergo"]),
    ("en", "the SAAQ lost my file", "?body=protecteur-du-citoyen", ["Québec Ombudsman"]),
    ("en", "the dealer refuses to honour the warranty", "?body=opc", ["Office de la protection du consommateur"]),
    ("fr", "le déménageur a brisé mes meubles", "?body=opc", ["Office de la protection du consommateur"]),
    ("en", "my gym membership will not be refunded", "?body=opc", ["Office de la protection du consommateur"]),
    ("fr", "Revenu Québec ne répond pas", "?body=protecteur-du-citoyen", ["Protecteur du citoyen"]),
    ("en", "the syndic will not file a complaint", "?step=r_review", ["review committee"]),
    ("en", "he touched me inappropriately during the exam", "?step=r_sexual", [POLICE["en"]]),
    # The examples of the issue, told in the other language.
    ("en", "the dental hygienist hurt my gums", "?step=r_syndic&profession=hygieniste-dentaire", ["hygiénistes"]),
    ("fr", "mon architecte m'a facturé deux fois", "?step=r_fees&profession=architecte", ["Ordre des architectes"]),
    (
        "en",
        "accountant trained in France, equivalence refused",
        "?step=r_admission&profession=comptable-professionnel-agree",
        ["Commissaire", "CPA"],
    ),
    ("fr", "mon dentiste a bâclé mon plombage", "?step=r_syndic&profession=dentiste", ["Ordre des dentistes"]),
    ("fr", "mon ergothérapeute m'a manqué de respect", "?step=r_syndic&profession=ergotherapeute", ["ergo"]),
]

# A story of about 900 characters that tells two situations: a bill, and money kept (the more serious).
LONG_STORY = (
    "Bonjour. L'an dernier, j'ai acheté une maison et j'ai fait appel à un notaire de mon quartier pour la "
    "transaction. Au début, tout semblait bien aller : il répondait à mes courriels et m'expliquait les étapes. "
    "Le jour de la signature, je lui ai remis un chèque pour la mise de fonds, qu'il devait garder dans son "
    "compte en fidéicommis jusqu'à la fin de la vente. La vente a finalement été annulée par le vendeur, mais "
    "le notaire a gardé mon argent et ne me l'a jamais rendu malgré mes nombreux appels et mes lettres. En plus, "
    "il m'a envoyé une facture de 4 000 $ pour des heures que je trouve exagérées, alors qu'il n'a presque rien "
    "fait après l'annulation. Je ne sais plus quoi faire, je suis épuisée et je n'ai plus confiance. Ma soeur "
    "m'a dit qu'il existe peut-être un recours, mais je ne connais pas les démarches ni les délais. Merci de "
    "m'indiquer à qui m'adresser pour récupérer mon argent et contester cette facture."
)


def guide_situations_from_file() -> list[dict]:
    """The guide's result steps as search.understanding reads them, straight from the data file."""
    nodes = json.loads(GUIDE_FILE.read_text(encoding="utf-8"))["nodes"]
    situations = []
    for key, node in nodes.items():
        if node["type"] != "result":
            continue
        words = [
            (lang, item.strip()) for lang in ("fr", "en") for item in node[f"words_{lang}"].split(",") if item.strip()
        ]
        phrases = [phrase for phrase in (phrase_stems(item, lang) for lang, item in words) if phrase]
        situations.append({"key": key, "words": words, "phrases": phrases})
    return situations


class StoriesTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        original = base.ORDERS
        base.ORDERS = ORDERS
        try:
            base.load_understanding_site()
        finally:
            base.ORDERS = original

    def answer(self, language: str, question: str):
        response = self.client.get(SEARCH[language], {"q": question})
        self.assertEqual(response.status_code, 200)
        return response, response.context["answer"]

    def check_stories(self):
        for language, question, suffix, shown in STORIES:
            with self.subTest(language=language, question=question):
                response, answer = self.answer(language, question)
                self.assertIsNotNone(answer, "no answer")
                self.assertEqual(answer["guide_url"], GUIDE[language] + suffix)
                main = response.content.decode().split('id="answer-heading"', 1)[1].split("</section>", 1)[0]
                for text in shown:
                    self.assertIn(text, main.replace("&#x27;", "'"))
                suggestions = self.client.get(f"{SEARCH[language]}suggestions/", {"q": question}).json()["results"]
                self.assertEqual((suggestions[0]["kind"], suggestions[0]["url"]), ("answer", answer["guide_url"]))
                box = self.client.get(
                    f"{SEARCH[language]}{'reponse' if language == 'fr' else 'answer'}/", {"q": question}
                )
                self.assertEqual(box["Location"], answer["guide_url"])
                self.assertEqual(self.client.get(answer["guide_url"]).status_code, 200)

    def test_stories_on_the_database(self):
        self.check_stories()

    def test_stories_in_the_sqlite_fallback(self):
        with base.sqlite_fallback():
            self.check_stories()

    def test_the_guide_and_search_give_the_same_professional_answer(self):
        for language, question, suffix, _shown in STORIES:
            if "profession=" not in suffix:
                continue
            with self.subTest(language=language, question=question):
                _response, answer = self.answer(language, question)
                guide = self.client.get(answer["guide_url"]).context["step"]
                self.assertEqual(guide["professional"], answer["professional"])
                self.assertEqual(guide["title"], answer["situation"]["title"])
                self.assertEqual(guide["pages"], answer["situation"]["pages"])

    def test_the_syndic_link_is_shown_only_for_the_syndic_situations(self):
        _response, answer = self.answer("en", "my psychologist shouted at me")
        self.assertIsNotNone(answer["professional"]["syndic"])
        _response, answer = self.answer("fr", "comptable formé en France, équivalence refusée")
        self.assertIsNone(answer["professional"]["syndic"])

    def test_a_long_story_gets_both_doors_the_most_serious_first(self):
        self.assertTrue(850 <= len(LONG_STORY) <= MAX_QUERY_LENGTH, len(LONG_STORY))
        for path in (nullcontext, base.sqlite_fallback):
            with self.subTest(path=path.__name__), path():
                response, answer = self.answer("fr", LONG_STORY)
                self.assertEqual(answer["guide_url"], GUIDE["fr"] + "?step=r_indemnity&profession=notaire&also=r_fees")
                self.assertEqual(
                    [item["key"] for item in answer["more_situations"]], ["r_fees"], answer["more_situations"]
                )
                self.assertEqual(
                    answer["more_situations"][0]["guide_url"], GUIDE["fr"] + "?step=r_fees&profession=notaire"
                )
                self.assertContains(response, "Votre récit parle aussi de")
                self.assertContains(response, "Contester une facture")
                # The guide's box leads to the guide's page of the most serious door, which lists the other.
                box = self.client.get("/fr/recherche/reponse/", {"q": LONG_STORY})
                self.assertEqual(box["Location"], answer["guide_url"])
                guide = self.client.get(box["Location"])
                self.assertEqual(guide.context["step"]["key"], "r_indemnity")
                self.assertEqual(guide.context["step"]["professional"], answer["professional"])
                self.assertContains(guide, "Votre récit parle aussi de")
                self.assertContains(guide, 'href="/fr/qui-contacter/?step=r_fees&amp;profession=notaire"')

    def test_a_story_longer_than_the_box_is_refused_with_a_message_never_cut(self):
        story = LONG_STORY + " " + LONG_STORY
        for language in ("fr", "en"):
            with self.subTest(language=language):
                response = self.client.get(SEARCH[language], {"q": story})
                self.assertEqual(response.status_code, 200)
                self.assertIsNone(response.context["answer"])
                self.assertEqual(response.context["results"], [])
                message = "caractères" if language == "fr" else "characters"
                self.assertContains(response, message)
                self.assertContains(response, str(len(story)))
                # The whole text comes back to be shortened, in a box of the same limit.
                self.assertContains(response, "fidéicommis jusqu&#x27;à la fin de la vente", count=2)
                self.assertContains(response, f'maxlength="{MAX_QUERY_LENGTH}"')
                self.assertIn("no-store", response["Cache-Control"])
                suggestions = self.client.get(f"{SEARCH[language]}suggestions/", {"q": story}).json()
                self.assertEqual(suggestions["results"], [])
                box = self.client.get(f"{SEARCH[language]}{'reponse' if language == 'fr' else 'answer'}/", {"q": story})
                self.assertEqual(box.status_code, 302)
                self.assertTrue(box["Location"].startswith(SEARCH[language]))

    def test_the_guide_ignores_unknown_or_repeated_other_situations(self):
        url = GUIDE["en"] + "?step=r_syndic&profession=dentiste&also=r_fees,r_syndic,q1,nope,r_fees,<script>"
        response = self.client.get(url)
        self.assertEqual(response.status_code, 200)
        self.assertEqual([item["key"] for item in response.context["step"]["also"]], ["r_fees"])
        self.assertNotContains(response, "<script>")

    def test_every_box_takes_what_the_server_takes(self):
        for url in (GUIDE["fr"], GUIDE["en"], "/fr/", SEARCH["en"]):
            with self.subTest(url=url):
                html = self.client.get(url, follow=True).content.decode()
                limits = set(re.findall(r'name="q"[^>]*maxlength="(\d+)"|maxlength="(\d+)"[^>]*name="q"', html))
                found = {int(value) for pair in limits for value in pair if value}
                self.assertEqual(found, {MAX_QUERY_LENGTH})
        self.assertContains(self.client.get(GUIDE["fr"]), "1 000 caractères")
        self.assertContains(self.client.get(GUIDE["en"]), "1,000 characters")

    def test_nothing_misleading_for_occupations_no_order_governs(self):
        for language, question in (
            ("en", "my massage therapist touched me inappropriately"),
            ("fr", "mon garagiste m'a crié dessus"),
            ("fr", "mon naturopathe m'a blessé"),
            ("en", "the mover broke my table and billed me twice"),
        ):
            with self.subTest(question=question):
                response, answer = self.answer(language, question)
                self.assertEqual(answer["kind"], "not_an_order")
                self.assertNotIn(
                    response.context["results"][:1] and response.context["results"][0]["kind"], ("profession", "order")
                )

    def test_hostile_stories_give_a_page_not_an_error(self):
        for question in (
            "<img src=x onerror=alert(1)> mon dentiste m'a blessé",
            "' OR 1=1; DROP TABLE search_searchentry; -- architect billed",
            "plainte " * 124,  # 992 characters of one word
            "é" * MAX_QUERY_LENGTH,
            "\u202emon dentiste\u202c a crié",
        ):
            with self.subTest(question=question[:30]):
                response = self.client.get(SEARCH["fr"], {"q": question})
                self.assertEqual(response.status_code, 200)
                self.assertNotIn(b"<img src=x", response.content)


class SeriousnessTests(SimpleTestCase):
    """The order of several doors depends on what they are, not on the order the story tells them."""

    situations = guide_situations_from_file()

    @settings(max_examples=60, deadline=None)
    @given(st.lists(st.sampled_from(range(len(guide_situations_from_file()))), min_size=1, max_size=4), st.randoms())
    def test_doors_come_most_serious_first_whatever_the_telling(self, picks, rng: random.Random):
        sentences = [rng.choice(self.situations[index]["words"])[1] for index in picks]
        told = []
        for order in (sentences, list(reversed(sentences))):
            question = [word for sentence in order for word in unaccent(sentence).replace("'", " ").split()]
            question = [word for word in re.findall(r"\w+", " ".join(question)) if word not in STOP_WORDS]
            found = told_situations(self.situations, Question(question))
            keys = [item["key"] for item in found]
            self.assertTrue(keys)
            self.assertEqual(len(keys), len(set(keys)))
            ranks = [SERIOUSNESS.index(key) if key in SERIOUSNESS else len(SERIOUSNESS) for key in keys]
            self.assertEqual(ranks, sorted(ranks))
            told.append(set(keys))
        self.assertEqual(told[0], told[1])

    def test_every_guide_step_has_a_place_in_the_order_of_seriousness(self):
        self.assertEqual({item["key"] for item in self.situations}, set(SERIOUSNESS))

    def test_no_word_of_the_editors_is_lost_to_the_stop_words(self):
        for situation in self.situations:
            for language, phrase in situation["words"]:
                with self.subTest(phrase=phrase):
                    self.assertTrue(phrase_stems(phrase, language), phrase)


class SnowballAgreesWithPostgresTests(TestCase):
    WORDS = "blesse blesser blessure touchee attouchements facturation factures irrespectueux infirmieres criait"

    def test_the_stems_are_postgresqls(self):
        if connection.vendor != "postgresql":
            self.skipTest("PostgreSQL's own stemmers")
        with connection.cursor() as cursor:
            for config in ("french_stem", "english_stem"):
                for word in (self.WORDS + " touched touching shouted botched injuries").split():
                    cursor.execute("SELECT ts_lexize(%s, %s)", [config, word])
                    (lexemes,) = cursor.fetchone()
                    with self.subTest(word=word, config=config):
                        self.assertIn(lexemes[0], stems(word))


class StoryBoxTests(SimpleTestCase):
    """The box takes a whole story and never cuts one: up to the limit it is kept, beyond it refused."""

    @settings(max_examples=150, deadline=None)
    @given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=MAX_QUERY_LENGTH + 200))
    def test_a_story_is_kept_whole_or_refused_never_cut(self, text):
        form = SearchForm({"q": text})
        cleaned = clean_query_text(text)
        if "\x00" in text:
            self.assertFalse(form.is_valid())
        elif len(cleaned) <= MAX_QUERY_LENGTH:
            self.assertTrue(form.is_valid(), form.errors)
            self.assertEqual(form.cleaned_data["q"], cleaned)
            for word in text.split():  # every word without control characters is still there
                if all(unicodedata.category(char)[0] != "C" for char in word):
                    self.assertIn(word, cleaned)
        else:
            self.assertFalse(form.is_valid())
            self.assertTrue(form.has_error("q", "too_long"))
            self.assertIn(str(len(cleaned)), form.errors["q"][0])

    def test_the_words_of_a_story_all_survive_cleaning(self):
        cleaned = clean_query_text(LONG_STORY)
        self.assertEqual(cleaned.split(), LONG_STORY.split())
