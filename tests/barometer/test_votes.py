"""The barometer's vote: counted once per accepted POST, refused kindly (4xx, nothing counted)
otherwise, limited per address without storing it, and the page around the block stays cacheable."""

import re
from html import unescape
from unittest import mock

from django.core.cache import cache
from django.test import TestCase, override_settings

from barometer.models import VoteCount
from barometer.views import address_key
from tests.barometer.pages import barometer_site

ORIGIN = {"origin": "http://testserver"}


def token_of(html: str) -> str:
    return re.search(r'name="started" value="([^"]+)"', html).group(1)


def text_of(html: str) -> str:
    return re.sub(r"[ \t\r\n]+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


def total_votes() -> int:
    return sum(VoteCount.objects.values_list("count", flat=True))


class VoteTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.home, cls.other = barometer_site()

    def setUp(self):
        self.token = token_of(self.client.get("/fr/").content.decode())

    def vote(self, url="/fr/barometre/vote/", headers=ORIGIN, **fields):
        data = {"answer": "public", "page": self.home.pk, "started": self.token, "website": "", **fields}
        return self.client.post(url, {key: value for key, value in data.items() if value is not None}, headers=headers)

    def test_the_block_is_a_plain_form_posting_to_its_own_url_in_each_language(self):
        for path, action, question, answers in [
            (
                "/fr/",
                "/fr/barometre/vote/",
                "Selon vous, les ordres professionnels existent surtout pour protéger…",
                ["Le public", "Leurs membres", "Les deux"],
            ),
            (
                "/en/",
                "/en/barometer/vote/",
                "In your view, professional orders exist mainly to protect…",
                ["The public", "Their members", "Both"],
            ),
        ]:
            html = self.client.get(path).content.decode()
            form = re.search(r'<form class="barometer__form".*?</form>', html, re.S).group()
            self.assertIn(f'method="post" action="{action}"', form)
            self.assertIn(question, text_of(form))
            self.assertEqual(
                re.findall(r'<button type="submit" name="answer" value="\w+">([^<]+)</button>', form), answers
            )
            self.assertIn(f'name="page" value="{self.home.pk}"', form)

    def test_a_vote_without_javascript_is_counted_and_leads_to_the_results(self):
        response = self.vote(answer="members")
        self.assertEqual(response.status_code, 303)
        self.assertEqual(response["Location"], f"/fr/barometre/?page={self.home.pk}&answer=members")
        row = VoteCount.objects.get()
        self.assertEqual(
            (row.answer, row.page_id, row.language, row.count, row.month.day), ("members", self.home.pk, "fr", 1, 1)
        )
        self.assertNotIn("Set-Cookie", response.headers)
        results = self.client.get(response["Location"])
        self.assertEqual(results.status_code, 200)
        text = text_of(results.content.decode())
        self.assertIn("Merci! Votre réponse, «\u00a0leurs membres\u00a0», est comptée.", text)
        self.assertIn("Retour à «\u00a0Ordre de protéger\u00a0»", text)

    def test_the_results_table_shows_each_series_with_its_period_and_number_of_answers(self):
        for answer in ["public", "public", "both"]:
            self.assertEqual(self.vote(answer=answer, headers={**ORIGIN, "x-forwarded-for": answer}).status_code, 303)
        html = self.client.get("/en/barometer/").content.decode()
        rows = [text_of(row).strip() for row in re.findall(r"<tr>(.*?)</tr>", html, re.S)]
        self.assertEqual(
            rows[1:],
            [
                "CROP 2012 2012 not published 11% 39% 50%",
                "CROP 2013 2013 not published 12% 39% 49%",
                "CROP 2014 2014 not published 10% 51% 39%",
                "CROP 2015 2015 about 1,000 10% 45% 45%",
                f"This site {rows[5].split(' ')[2]} {rows[5].split(' ')[3]} 3 66.7% 0% 33.3%",
            ],
        )
        self.assertRegex(rows[5], r"^This site [A-Z][a-z]+ \d{4} 3 ")
        french = text_of(self.client.get("/fr/barometre/").content.decode())
        self.assertIn("CROP 2015 2015 environ 1\u00a0000 10\u00a0% 45\u00a0% 45\u00a0%", french)
        self.assertIn("Ce site", french)

    def test_bad_input_gets_a_400_with_a_clear_message_and_counts_nothing(self):
        cases = [
            ({"answer": "everyone"}, "Nous ne connaissons pas cette réponse"),
            ({"answer": None}, "Choisissez l'une des trois réponses."),
            ({"page": "999999"}, "Nous ne savons pas de quelle page vient ce vote."),
            ({"page": "abc"}, "Nous ne savons pas de quelle page vient ce vote."),
            ({"page": "²"}, "Nous ne savons pas de quelle page vient ce vote."),
            ({"page": "9" * 400}, "Nous ne savons pas de quelle page vient ce vote."),
            ({"page": str(self.other.pk)}, "Nous ne savons pas de quelle page vient ce vote."),
            ({"started": "garbage"}, "Nous n'avons pas pu vérifier ce formulaire."),
            ({"started": None}, "Nous n'avons pas pu vérifier ce formulaire."),
            ({"answer": "\x00"}, "Nous ne connaissons pas cette réponse"),
        ]
        for fields, message in cases:
            with self.subTest(fields=fields):
                response = self.vote(**fields)
                self.assertEqual(response.status_code, 400)
                self.assertIn(message, text_of(response.content.decode()))
        self.assertEqual(total_votes(), 0)

    def test_a_vote_from_another_site_or_with_no_origin_is_refused(self):
        for headers in [{"origin": "https://evil.example"}, {}, {"origin": "null"}]:
            with self.subTest(headers=headers):
                response = self.vote(headers=headers)
                self.assertEqual(response.status_code, 403)
                self.assertIn(
                    "Nous n'avons pas pu vérifier que ce vote vient de ce site.", text_of(response.content.decode())
                )
        self.assertEqual(total_votes(), 0)

    def test_an_unpublished_or_private_page_takes_no_vote(self):
        self.home.unpublish()
        self.assertEqual(self.vote().status_code, 400)
        self.assertEqual(total_votes(), 0)

    def test_a_bot_filling_the_honeypot_is_answered_as_usual_and_counted_as_nothing(self):
        response = self.vote(website="http://spam.example")
        self.assertEqual(response.status_code, 303)
        self.assertEqual(total_votes(), 0)

    def test_a_get_or_another_method_on_the_vote_url_is_refused(self):
        self.assertEqual(self.client.get("/fr/barometre/vote/").status_code, 405)
        for page in ["²", "9" * 40, "-1", "\x00"]:
            self.assertEqual(self.client.get("/fr/barometre/", {"page": page, "answer": "\x00"}).status_code, 200)
        self.assertEqual(total_votes(), 0)

    @override_settings(BAROMETER_VOTE_RATE="2/h")
    def test_repeated_votes_from_one_address_are_limited_with_a_kind_429(self):
        statuses = [self.vote(answer="both").status_code for _ in range(3)]
        self.assertEqual(statuses, [303, 303, 429])
        response = self.vote()
        self.assertEqual(response.status_code, 429)
        text = text_of(response.content.decode())
        self.assertIn("Merci, mais plusieurs votes ont déjà été envoyés depuis votre connexion", text)
        self.assertIn("CROP 2013", text)  # the results are shown anyway
        self.assertEqual(total_votes(), 2)
        other = self.client.post(
            "/fr/barometre/vote/",
            {"answer": "both", "page": self.home.pk, "started": self.token},
            headers=ORIGIN,
            REMOTE_ADDR="192.0.2.7",
        )
        self.assertEqual(other.status_code, 303)
        self.assertEqual(total_votes(), 3)

    def test_the_address_is_never_stored_in_clear_and_its_key_changes_every_day(self):
        request = mock.Mock(META={"REMOTE_ADDR": "203.0.113.9"})
        today = address_key("barometer.vote", request)
        self.assertNotIn("203.0.113.9", today)
        self.assertEqual(address_key("barometer.vote", request), today)
        with mock.patch("barometer.views.timezone.localdate", return_value=__import__("datetime").date(2030, 1, 2)):
            self.assertNotEqual(address_key("barometer.vote", request), today)
        self.vote(REMOTE_ADDR="203.0.113.9")
        stored = repr(list(cache._cache.items())) + repr(list(VoteCount.objects.values()))
        self.assertNotIn("203.0.113.9", stored)

    def test_the_vote_and_results_set_no_cookie(self):
        response = self.vote()
        results = self.client.get(response["Location"])
        for answer in (response, results):
            self.assertNotIn("Set-Cookie", answer.headers)
            self.assertNotIn("Cookie", answer.get("Vary", ""))
        self.assertIn("no-cache", results["Cache-Control"])
        self.assertEqual(self.client.cookies, {})


@override_settings(PAGE_CACHE_SECONDS=600)
class CachedPageTests(TestCase):
    """The page that holds the block stays in the page cache, before and after votes."""

    @classmethod
    def setUpTestData(cls):
        cls.home, cls.other = barometer_site()

    def test_the_page_with_the_block_is_cached_with_the_same_headers_as_a_page_without(self):
        first = self.client.get("/fr/")
        second = self.client.get("/fr/")
        self.assertEqual((first["X-Page-Cache"], second["X-Page-Cache"]), ("miss", "hit"))
        plain = self.client.get("/fr/sans-barometre/")
        for response in (first, second):
            self.assertNotIn("Set-Cookie", response.headers)
            self.assertNotIn("Cookie", response.get("Vary", ""))
            self.assertEqual(response["Cache-Control"], plain["Cache-Control"])
            self.assertIn("s-maxage", response["Cache-Control"])
        vote = self.client.post(
            "/fr/barometre/vote/",
            {"answer": "both", "page": self.home.pk, "started": token_of(second.content.decode())},
            headers=ORIGIN,
        )
        self.assertEqual(vote.status_code, 303)
        self.assertEqual(total_votes(), 1)
        after = self.client.get("/fr/")
        self.assertEqual(after["X-Page-Cache"], "hit")
        self.assertNotIn("Set-Cookie", after.headers)
