"""Site search on PostgreSQL with the real directory: the issue's examples, in both languages."""

from datetime import timedelta

import pytest

from django.core.management import call_command
from django.db import connection
from django.db.models import F
from django.test import TestCase
from django.utils import translation

from wagtail.contrib.search_promotions.models import Query, QueryDailyHits, SearchPromotion
from wagtail.models import Page

from home.seeding import ensure_home_page
from professions.loading import load_directory_file
from professions.models import OrderPage, ProfessionPage
from search.database import ensure_search_database_objects
from search.models import SearchEntry, SearchSynonym, SearchWord, UnansweredQuery

pytestmark = pytest.mark.postgres

SEARCH = {"fr": "/fr/recherche/", "en": "/en/search/"}
SUGGEST = {"fr": "/fr/recherche/suggestions/", "en": "/en/search/suggestions/"}

# (language, what people type, key of the page expected first)
NAMED_EXAMPLES = [
    ("fr", "ingenieur", "ingenieur"),
    ("fr", "Ingénieur", "ingenieur"),
    ("en", "ingenieur", "ingenieur"),
    ("fr", "infirmières", "infirmiere"),
    ("fr", "infirmieres", "infirmiere"),
    ("fr", "ingénieures", "ingenieur"),
    ("en", "nurses", "infirmiere"),
    ("en", "engineers", "ingenieur"),
    ("fr", "dentsite", "dentiste"),
    ("en", "dentsite", "dentiste"),
    ("fr", "optometrst", "optometriste"),
    ("en", "optometrst", "optometriste"),
    ("fr", "infir", "infirmiere"),
    ("en", "infir", "infirmiere"),
    ("fr", "OIQ", "ordre-des-ingenieurs-du-quebec"),
    ("en", "oiq", "ordre-des-ingenieurs-du-quebec"),
    ("fr", "CPA", "comptable-professionnel-agree"),
    ("en", "CPA", "comptable-professionnel-agree"),
    ("fr", "OIIQ", "ordre-des-infirmieres-et-infirmiers-du-quebec"),
    ("en", "OIIQ", "ordre-des-infirmieres-et-infirmiers-du-quebec"),
    ("fr", "lawyer", "avocat"),
    ("en", "lawyer", "avocat"),
    ("en", "avocat", "avocat"),
    ("fr", "avocate", "avocat"),
    ("fr", "psy", "psychologue"),
    ("en", "psy", "psychologue"),
    ("fr", "sage femme", "sage-femme"),
    ("fr", "sage-femme", "sage-femme"),
    ("fr", "sages-femmes", "sage-femme"),
    ("en", "midwife", "sage-femme"),
    ("en", "midwives", "sage-femme"),
    ("fr", "midwives", "sage-femme"),
    ("fr", "huissière", "huissier-de-justice"),
    ("en", "doctor", "medecin"),
    ("fr", "médecin", "medecin"),
    ("fr", "ing.", "ingenieur"),
    ("fr", "arpenteur geometre", "arpenteur-geometre"),
]


def url_in(page: Page, language: str) -> str:
    with translation.override(language):
        return page.get_url()


def page_by_key(key: str) -> Page:
    return ProfessionPage.objects.filter(key=key).first() or OrderPage.objects.get(key=key)


class RealDirectorySearchTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        ensure_home_page()
        load_directory_file()
        cls.nurse = ProfessionPage.objects.get(key="infirmiere")
        cls.practical_nurse = ProfessionPage.objects.get(key="infirmiere-auxiliaire")

    def search(self, language: str, query: str, **params):
        response = self.client.get(SEARCH[language], {"q": query, **params})
        self.assertEqual(response.status_code, 200)
        return response

    def test_named_examples_find_the_expected_page_first_in_both_languages(self):
        for language, query, key in NAMED_EXAMPLES:
            with self.subTest(language=language, query=query):
                response = self.search(language, query)
                results = response.context["results"]
                self.assertTrue(results, f"no results for {query!r}")
                self.assertEqual(results[0]["url"], url_in(page_by_key(key), language))

    def test_results_are_labelled_by_type_and_show_the_governing_order(self):
        response = self.search("fr", "infirmière")
        self.assertContains(response, '<span class="search-result__kind">Profession</span>', html=True)
        self.assertContains(response, "Ordre professionnel")
        self.assertContains(response, "Ordre responsable\u00a0: Ordre des infirmières et infirmiers du Québec (OIIQ)")
        response = self.search("en", "nurse")
        self.assertContains(response, "Governing order: Ordre des infirmières et infirmiers du Québec (OIIQ)")
        self.assertContains(response, "Professional order")

    def test_matched_words_are_highlighted(self):
        self.assertContains(self.search("fr", "infirmieres"), "<mark>Infirmière</mark>")
        self.assertContains(self.search("en", "nurses"), "<mark>Nurse</mark>")

    def test_english_plurals_in_ves_find_the_singular_name(self):
        # The English stemmer keeps "midwives" (midwiv) and "midwife" (midwif) apart.
        self.assertContains(self.search("en", "midwives"), "<mark>Midwife</mark>")
        data = self.client.get(SUGGEST["en"], {"q": "midwives"}).json()
        self.assertEqual(data["results"][0]["title"], "Midwife")

    def test_other_language_words_find_the_page_with_its_current_language_title_and_url(self):
        response = self.search("en", "infirmière")
        self.assertEqual(response.context["results"][0]["title"], "Nurse")
        self.assertTrue(response.context["results"][0]["url"].startswith("/en/orders/"))

    def test_a_typo_offers_did_you_mean(self):
        response = self.search("fr", "dentsite")
        self.assertContains(response, 'Vouliez-vous dire <a href="/fr/recherche/?q=Dentiste">Dentiste</a>\u00a0?')
        response = self.search("en", "optometrst")
        self.assertContains(response, 'Did you mean <a href="/en/search/?q=Optometrist">Optometrist</a>?')

    def test_typos_in_a_name_of_several_words_are_corrected_word_by_word(self):
        for language, query, title in [
            ("fr", "arpentuer geomtre", "Arpenteur-géomètre"),
            ("fr", "sage fenme", "Sage-femme"),
            ("en", "optometrst", "Optometrist"),
        ]:
            with self.subTest(query=query):
                self.assertEqual(self.search(language, query).context["suggestion"], title)

    def test_typos_follow_the_names_as_pages_are_published_renamed_and_unpublished(self):
        self.assertEqual(self.search("fr", "zytholgue").context["suggestion"], "")
        self.practical_nurse.title_fr = "Zythologue"
        self.practical_nurse.save_revision().publish()
        self.assertEqual(self.search("fr", "zytholgue").context["suggestion"], "Zythologue")
        self.practical_nurse.unpublish()
        response = self.search("fr", "zytholgue")
        self.assertEqual((response.context["suggestion"], response.context["results"]), ("", []))
        # A full rebuild forgets the words of names that no page has any more.
        call_command("rebuild_search_index", stdout=open("/dev/null", "w"))  # noqa: SIM115
        self.assertFalse(SearchWord.objects.filter(word="zythologue").exists())
        words = {(entry.language, word) for entry in SearchEntry.objects.all() for word in entry.normalized.split()}
        self.assertEqual(set(SearchWord.objects.values_list("language", "word")), words)

    def test_nothing_found_links_to_the_directory_and_is_recorded_for_editors(self):
        response = self.search("fr", "qwxzv")
        self.assertContains(response, "Aucun résultat pour «\u00a0qwxzv\u00a0».")
        self.assertContains(response, 'href="/fr/ordres/"')
        self.assertContains(response, 'href="/fr/professions/"')
        first_searched = UnansweredQuery.objects.get().last_searched_at
        self.search("fr", "QWXZV")
        unanswered = UnansweredQuery.objects.get()
        self.assertEqual((unanswered.query_string, unanswered.language, unanswered.hits), ("qwxzv", "fr", 2))
        self.assertGreater(unanswered.last_searched_at, first_searched)
        response = self.search("en", "qwxzv")
        self.assertContains(response, 'href="/en/orders/"')
        self.assertEqual(UnansweredQuery.objects.get(language="en").hits, 1)

    def test_every_search_counts_as_a_popular_query(self):
        self.search("fr", "Infirmière")
        self.search("en", "infirmière")
        self.search("en", "infirmière", page="2")  # the next page is not another search
        self.assertEqual(Query.get("infirmière").hits, 2)
        self.assertEqual(QueryDailyHits.objects.get().hits, 2)  # one row a day, as Wagtail keeps them
        self.assertFalse(UnansweredQuery.objects.exists())
        # Yesterday's row is left alone: today's count starts a row of its own.
        QueryDailyHits.objects.update(date=F("date") - timedelta(days=1))
        self.search("fr", "infirmière")
        self.assertEqual(sorted(QueryDailyHits.objects.values_list("hits", flat=True)), [1, 2])
        self.assertEqual(Query.get_most_popular().first().query_string, "infirmière")

    def test_results_are_paginated_and_bad_page_numbers_fall_back(self):
        first = self.search("fr", "du québec")
        self.assertGreater(first.context["page_obj"].paginator.count, 20)
        self.assertEqual(len(first.context["results"]), 10)
        self.assertContains(first, "?q=du%20qu%C3%A9bec&amp;page=2")
        second = self.search("fr", "du québec", page="2")
        self.assertNotEqual(first.context["results"][0]["url"], second.context["results"][0]["url"])
        for page in ("-1", "0", "999999999999999999999", "abc", "1e3", ""):
            with self.subTest(page=page):
                self.assertTrue(self.search("fr", "du québec", page=page).context["results"])

    def test_promoted_results_come_first_in_both_languages(self):
        self.assertEqual(self.search("fr", "Soins").context["promotions"], [])
        query = Query.get("soins")
        promotion = SearchPromotion.objects.create(query=query, page=self.practical_nurse, sort_order=0)
        for language in ("fr", "en"):
            with self.subTest(language=language):
                response = self.search(language, "Soins")
                promotions = response.context["promotions"]
                self.assertEqual(promotions[0]["url"], url_in(self.practical_nurse, language))
                results = [item["url"] for item in response.context["results"]]
                self.assertNotIn(url_in(self.practical_nurse, language), results)
                html = response.content.decode()
                self.assertLess(html.index(promotions[0]["url"]), html.index('class="search-results"'))
        promotion.delete()  # the editors' change shows at once
        self.assertEqual(self.search("fr", "Soins").context["promotions"], [])

    def test_editors_synonyms_expand_the_query_in_each_language(self):
        medecin = ProfessionPage.objects.get(key="medecin")

        def first_url(language: str, query: str) -> str | None:
            results = self.search(language, query).context["results"]
            return results[0]["url"] if results else None

        # Slang that the directory's own synonyms (« toubib », "shrink") do not cover.
        self.assertIsNone(first_url("fr", "carabin"))
        self.assertIsNone(first_url("en", "sawbones"))
        SearchSynonym.objects.create(
            term_fr="carabin", expansions_fr="médecin", term_en="sawbones", expansions_en="physician"
        )
        self.assertEqual(first_url("fr", "Carabin"), url_in(medecin, "fr"))
        self.assertEqual(first_url("en", "sawbones"), url_in(medecin, "en"))

    def test_autocomplete_returns_up_to_eight_professions_and_orders_in_the_active_language(self):
        data = self.client.get(SUGGEST["fr"], {"q": "infir"}).json()
        self.assertEqual(data["results"][0]["title"], "Infirmière")
        self.assertEqual(data["results"][0]["url"], url_in(self.nurse, "fr"))
        self.assertEqual(data["results"][0]["kind"], "profession")
        self.assertEqual(data["results"][0]["order"], "Ordre des infirmières et infirmiers du Québec (OIIQ)")
        data = self.client.get(SUGGEST["en"], {"q": "infir"}).json()
        self.assertEqual(data["results"][0]["title"], "Nurse")
        data = self.client.get(SUGGEST["en"], {"q": "du"}).json()
        self.assertEqual(len(data["results"]), 8)
        self.assertTrue({item["kind"] for item in data["results"]} <= {"profession", "order"})
        self.assertEqual(
            self.client.get(SUGGEST["fr"], {"q": "optometrst"}).json()["results"][0]["title"], "Optométriste"
        )
        self.assertEqual(self.client.get(SUGGEST["fr"], {"q": "i"}).json()["results"], [])

    def test_autocomplete_matches_names_in_the_plural(self):
        # Autocomplete reads names only: "sages-femmes" is nowhere in the profession's names.
        for language, query, title in [("fr", "sages-femmes", "Sage-femme"), ("fr", "infirmières", "Infirmière")]:
            with self.subTest(query=query):
                data = self.client.get(SUGGEST[language], {"q": query}).json()
                self.assertEqual(data["results"][0]["title"], title)

    def test_index_follows_publishing_unpublishing_and_renaming(self):
        self.practical_nurse.title_fr = "Infirmière auxiliaire autorisée"
        self.practical_nurse.save_revision().publish()
        self.assertContains(self.search("fr", "autorisée"), "Infirmière auxiliaire <mark>autorisée</mark>")
        self.practical_nurse.unpublish()
        urls = [item["url"] for item in self.search("fr", "infirmière auxiliaire").context["results"]]
        self.assertNotIn(url_in(self.practical_nurse, "fr"), urls)
        self.assertFalse(SearchEntry.objects.filter(page=self.practical_nurse).exists())

    def test_rebuild_command_indexes_every_live_page_in_both_languages(self):
        SearchEntry.objects.all().delete()
        call_command("rebuild_search_index", stdout=open("/dev/null", "w"))  # noqa: SIM115
        live = Page.objects.live().filter(depth__gt=2).count()
        self.assertEqual(SearchEntry.objects.filter(language="fr").count(), live)
        self.assertEqual(SearchEntry.objects.filter(language="en").count(), live)
        self.assertEqual(self.search("fr", "OIQ").context["results"][0]["title"], "Ordre des ingénieurs du Québec")

    def test_database_objects_are_idempotent_and_ignore_accents(self):
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # DDL refuses pending deferred checks
            ensure_search_database_objects(connection)
            cursor.execute(
                "SELECT to_tsvector('french_unaccent', 'Infirmières ingénieures') @@ "
                "websearch_to_tsquery('french_unaccent', 'infirmiere ingenieur'), f_unaccent('Écoé')"
            )
            self.assertEqual(cursor.fetchone(), (True, "Ecoe"))
