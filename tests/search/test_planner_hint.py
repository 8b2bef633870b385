"""Search's planner hint (no sequential scans) ends with the search's own queries, not with the request."""

import pytest

from django.conf import settings
from django.db import connection
from django.test import TestCase, override_settings

from home.seeding import ensure_home_page
from professions.loading import load_directory_file

pytestmark = pytest.mark.postgres

PROBE = "/search-then-show-settings/"


@override_settings(ROOT_URLCONF="tests.search.planner_hint_urls")
class PlannerHintTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        ensure_home_page()
        load_directory_file()

    def probe(self, query: str) -> dict:
        response = self.client.get(PROBE, {"q": query}, HTTP_ACCEPT_LANGUAGE="fr")
        self.assertEqual(response.status_code, 200)
        return response.json()

    def test_queries_after_a_search_in_the_same_request_may_scan_again(self):
        self.assertTrue(settings.DATABASES["default"]["ATOMIC_REQUESTS"])
        for query in ("infirmière", "protection du public", "dentsite", "zzzzqqq"):
            with self.subTest(query=query):
                found = self.probe(query)
                self.assertEqual(found["status"], 200)
                self.assertTrue(found["in_request_transaction"])
                self.assertTrue(found["hinted"], "the search ran without its hint: this test proves nothing")
                self.assertEqual(found["enable_seqscan_after"], "on")

    def test_the_search_still_finds_matches_and_typos(self):
        self.assertGreater(self.probe("infirmière")["results"], 0)
        self.assertEqual(self.probe("dentsite")["suggestion"], "Dentiste")

    def test_a_setting_made_before_the_search_is_kept(self):
        # The hint restores what was there, it does not force "on": a session that chose "off" keeps it.
        with connection.cursor() as cursor:
            cursor.execute("SET enable_seqscan = off")
        try:
            self.assertEqual(self.probe("infirmière")["enable_seqscan_after"], "off")
        finally:
            with connection.cursor() as cursor:
                cursor.execute("RESET enable_seqscan")

    def test_the_page_and_autocomplete_answer_normally_after_a_search(self):
        self.assertContains(self.client.get("/fr/recherche/", {"q": "infirmière"}), "<mark>Infirmière</mark>")
        self.assertEqual(self.client.get("/fr/recherche/suggestions/", {"q": "infir"}).status_code, 200)
        with connection.cursor() as cursor:
            cursor.execute("SHOW enable_seqscan")
            self.assertEqual(cursor.fetchone()[0], "on")
