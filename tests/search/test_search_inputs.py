"""Whatever people type, the search page and the autocomplete answer 200 with escaped content."""

from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext

from home.seeding import ensure_home_page
from professions.loading import load_directory_data
from tests.factories import directory_data

BAD_QUERIES = {
    "empty": "",
    "whitespace": " \t\n ",
    "very long": "infirmière " * 500,
    "sql injection": "'; DROP TABLE search_searchentry; --",
    "sql quote and backslash": "O'Brien \\ \" %_ ",
    "tsquery syntax": "!(&|:*) <-> 'a' :* & | !",
    "like wildcards": "%%% ___ |||",
    "html injection": '<script>alert("x")</script><img src=x onerror=alert(1)>',
    "nul and control characters": "inf\x00ir\x01\x1f\x7f",
    "emoji": "🩺 médecin 👩‍⚕️",
    "right-to-left marks": "\u202eabc\u200f\u200e\u2066infir",
    "only punctuation": "?!.,;:«»—",
    "arabic and cjk": "طبيب 医生",
}
BAD_PAGES = ["-1", "0", "99999999999999999999999", "abc", "1.5", "", "%00", "2; DROP TABLE x"]


class BadInputTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        ensure_home_page()
        load_directory_data(directory_data(orders=12))

    def test_bad_queries_never_fail_and_are_escaped(self):
        for path in ("/fr/recherche/", "/en/search/"):
            for name, query in BAD_QUERIES.items():
                with self.subTest(path=path, case=name):
                    response = self.client.get(path, {"q": query})
                    self.assertEqual(response.status_code, 200)
                    html = response.content.decode()
                    self.assertNotIn("<script>alert", html)
                    self.assertNotIn("<img src=x", html)
                    self.assertNotIn("\x00", html)

    def test_html_in_the_query_is_shown_escaped(self):
        response = self.client.get("/en/search/", {"q": "<b>bold</b>"})
        self.assertContains(response, "&lt;b&gt;bold&lt;/b&gt;")

    def test_bad_page_numbers_give_a_page_of_results(self):
        for page in BAD_PAGES:
            with self.subTest(page=page):
                response = self.client.get("/fr/recherche/", {"q": "testeur", "page": page})
                self.assertEqual(response.status_code, 200)
                self.assertTrue(response.context["results"])

    def test_autocomplete_answers_json_for_bad_queries(self):
        for name, query in BAD_QUERIES.items():
            with self.subTest(case=name):
                response = self.client.get("/fr/recherche/suggestions/", {"q": query})
                self.assertEqual(response.status_code, 200)
                self.assertEqual(response["Content-Type"], "application/json")
                self.assertIsInstance(response.json()["results"], list)

    def test_autocomplete_accepts_only_get(self):
        self.assertEqual(self.client.post("/fr/recherche/suggestions/", {"q": "x"}).status_code, 405)

    def test_repeated_query_parameters_use_the_last_one(self):
        response = self.client.get("/fr/recherche/?q=zzz&q=testeur")
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.context["results"])


class SearchPageTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        ensure_home_page()
        load_directory_data(directory_data(orders=12))

    def queries_for(self, query: str) -> int:
        self.client.get("/fr/recherche/", {"q": query})  # warm: the query's counters exist
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get("/fr/recherche/", {"q": query})
        self.assertTrue(response.context["results"])
        return len(queries), len(response.context["results"])

    def test_query_count_is_the_same_for_one_result_and_a_full_page(self):
        # Neither query names a profession or order: neither has an answer above the results.
        one, one_count = self.queries_for("003")  # in one order's sort name (body text) only
        many, many_count = self.queries_for("testeur")
        self.assertLess(one_count, many_count)
        self.assertEqual(many_count, 10)
        self.assertEqual(one, many)

    def test_language_switcher_keeps_the_query(self):
        response = self.client.get("/fr/recherche/", {"q": "testeur"})
        self.assertContains(response, 'href="/en/search/?q=testeur"')
        response = self.client.get("/en/search/", {"q": "tester"})
        self.assertContains(response, 'href="/fr/recherche/?q=tester"')
