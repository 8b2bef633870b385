"""Your deadline: received dates → last day, the result page, its calendar file and bad input."""

import datetime
from html import unescape

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase as HypothesisTestCase
from icalendar import Calendar

from django.test import SimpleTestCase, TestCase
from django.utils import timezone, translation

from professions.loading import load_directory_file
from protection import deadlines
from protection.loading import load_explainers_files
from tests.factories import ensure_home_page

DAY = datetime.timedelta(days=1)
# received, recourse, order, last day, its weekday (0 = Monday): month ends, leap years, weekends, a holiday.
TABLE = [
    ("2026-01-01", "review", "", "2026-01-31", 5),  # a Saturday: not moved (no source moves it)
    ("2026-01-02", "appeal", "", "2026-02-01", 6),  # a Sunday: not moved either
    ("2026-01-31", "review", "", "2026-03-02", 0),  # across a 28-day February
    ("2028-01-31", "review", "", "2028-03-01", 2),  # across a 29-day February (leap year)
    ("2024-02-29", "appeal", "", "2024-03-30", 5),  # from a leap day
    ("2026-02-28", "review", "", "2026-03-30", 0),
    ("2026-12-15", "appeal", "", "2027-01-14", 3),  # across the new year
    ("2026-05-25", "review", "", "2026-06-24", 2),  # Québec's Fête nationale: not moved
    ("2026-11-30", "fees", "ordre-des-comptables-professionnels-agrees-du-quebec", "2027-01-14", 3),
    ("2026-11-30", "fees", "ordre-des-arpenteurs-geometres-du-quebec", "2027-01-14", 3),
    ("2027-11-01", "fees", "ordre-des-architectes-du-quebec", "2028-02-29", 1),  # 120 days to a leap day
    ("2026-03-31", "fees", "ordre-des-conseillers-en-ressources-humaines-agrees", "2026-04-30", 3),
]
BAD_DATES = [
    "",
    "2026-02-30",
    "2025-02-29",
    "2026-13-01",
    "2026-00-10",
    "2026-2-3",
    "20260203",
    "2026-02-03T00:00",
    "03/02/2026",
    "2026-02-03\n",
    "٢٠٢٦-٠٢-٠٣",
    "demain",
    "0000-01-01",
    "x" * 500,
]


class LastDayTests(SimpleTestCase):
    def test_the_table_of_received_dates_gives_the_last_day_as_the_explainers_count_it(self):
        for received, recourse, order, expected, weekday in TABLE:
            with self.subTest(received=received, recourse=recourse, order=order):
                delay = deadlines.delay_for(recourse, order)
                day = deadlines.last_day(deadlines.parse_received(received), delay.days)
                self.assertEqual(day, datetime.date.fromisoformat(expected))
                self.assertEqual(day.weekday(), weekday)

    def test_delays_come_from_the_data_file_and_fee_conciliation_only_for_orders_whose_delay_is_known(self):
        self.assertEqual(deadlines.delay_for("review").days, 30)
        self.assertEqual(deadlines.delay_for("appeal").days, 30)
        self.assertEqual(deadlines.delay_for("appeal").basis_fr, "Code des professions, art. 164")
        self.assertIsNone(deadlines.delay_for("fees"))
        self.assertIsNone(deadlines.delay_for("fees", "chambre-des-notaires-du-quebec"))
        self.assertEqual(deadlines.delay_for("fees", "ordre-des-architectes-du-quebec").days, 120)
        self.assertIsNone(deadlines.delay_for("indemnity"))
        self.assertEqual(deadlines.recourse_for(step="r_review"), "review")
        self.assertEqual(deadlines.recourse_for(explainer="fee-disputes"), "fees")
        self.assertEqual(deadlines.recourse_for(step="r_syndic"), "")

    def test_malformed_and_impossible_dates_are_refused(self):
        for text in BAD_DATES:
            with self.subTest(text=text):
                self.assertIsNone(deadlines.parse_received(text))

    @given(
        st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date(9000, 1, 1)),
        st.sampled_from([30, 45, 120]),
    )
    def test_every_day_counts_and_the_day_of_receipt_does_not(self, received, days):
        self.assertEqual(deadlines.parse_received(received.isoformat()), received)
        end = deadlines.last_day(received, days)
        self.assertEqual((end - received).days, days)
        delay = deadlines.Delay("review", days, "", "", "", "")
        self.assertEqual(deadlines.assess(received, delay, end).status, "today")
        self.assertEqual(deadlines.assess(received, delay, end + DAY).status, "expired")
        self.assertEqual(deadlines.assess(received, delay, received).days_left, days)
        self.assertEqual(deadlines.assess(received, delay, received - DAY).status, "future")

    def test_dates_are_written_as_the_content_guide_says(self):
        with translation.override("fr"):
            self.assertEqual(deadlines.long_date(datetime.date(2027, 2, 1), "fr"), "lundi 1er février 2027")
            self.assertEqual(deadlines.long_date(datetime.date(2026, 11, 29), "fr"), "dimanche 29 novembre 2026")
        with translation.override("en"):
            self.assertEqual(deadlines.long_date(datetime.date(2026, 11, 29), "en"), "Sunday, November 29, 2026")


def _words(response) -> set[str]:
    return {word.strip() for word in response.get("Cache-Control", "").split(",")}


class DeadlinePageTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        ensure_home_page()
        load_directory_file()
        load_explainers_files()

    def page(self, language: str, **params):
        path = {"fr": "/fr/echeance/", "en": "/en/deadline/"}[language]
        return self.client.get(path, params)

    def text(self, response) -> str:
        return unescape(response.content.decode())

    def test_a_review_request_gets_its_last_day_what_to_send_and_to_whom_in_both_languages(self):
        today = timezone.localdate()
        received = today - datetime.timedelta(days=10)
        last = received + datetime.timedelta(days=30)
        expected = {
            "fr": [
                "Il reste 20\u00a0jours.",
                "Une demande écrite de révision",
                "Au secrétaire de l'ordre.",
                "Ajouter à mon agenda (.ics)",
            ],
            "en": [
                "20 days left.",
                "A written request for review",
                "The secretary of the order.",
                "Add it to my calendar (.ics)",
            ],
        }
        for language, phrases in expected.items():
            with self.subTest(language=language), translation.override(language):
                response = self.page(language, recourse="review", received=received.isoformat())
                self.assertEqual(response.status_code, 200)
                text = self.text(response)
                self.assertIn(deadlines.long_date(last, language), text)
                for phrase in phrases:
                    self.assertIn(phrase, text)
                self.assertLessEqual({"private", "no-store"}, _words(response))
                self.assertNotIn("Set-Cookie", response.headers)

    def test_the_result_page_keeps_the_query_in_the_other_language(self):
        response = self.page("fr", recourse="appeal", received="2026-01-02")
        self.assertContains(response, 'href="/en/deadline/?recourse=appeal&amp;received=2026-01-02"')

    def test_a_last_day_on_a_weekend_is_not_moved_and_the_page_says_so(self):
        received = timezone.localdate() + datetime.timedelta(days=-30)
        while deadlines.last_day(received, 30).weekday() != 5:
            received += DAY
        response = self.page("en", recourse="review", received=received.isoformat())
        self.assertContains(response, "This last day is a Saturday.")
        self.assertContains(response, "every day counts, Saturdays, Sundays and holidays included")

    def test_bad_dates_get_a_kind_message_and_a_400_never_a_500(self):
        for text in BAD_DATES:
            for language in ("fr", "en"):
                with self.subTest(text=text, language=language):
                    response = self.page(language, recourse="review", received=text)
                    self.assertEqual(response.status_code, 400)
                    message = {"fr": "Nous n'avons pas pu lire cette date", "en": "We could not read this date"}
                    self.assertIn(message[language], self.text(response))
                    self.assertIn('type="date"', self.text(response))
        for params in (
            {"recourse": "nothing"},
            {},
            {"recourse": "fees", "received": "2026-01-01"},
            {"recourse": "fees", "order": "chambre-des-notaires-du-quebec", "received": "2026-01-01"},
            {"recourse": ["review", "appeal"], "received": ["2026-01-01", "x"]},
        ):
            with self.subTest(params=params):
                self.assertEqual(self.page("fr", **params).status_code, 400)

    def test_a_future_date_and_an_expired_delay_get_a_clear_message_and_no_calendar(self):
        tomorrow = timezone.localdate() + DAY
        response = self.page("fr", recourse="review", received=tomorrow.isoformat())
        self.assertContains(response, "Cette date est dans le futur")
        self.assertNotContains(response, ".ics")
        long_ago = timezone.localdate() - datetime.timedelta(days=31)
        response = self.page("en", recourse="review", received=long_ago.isoformat())
        self.assertContains(response, "The deadline has passed")
        self.assertContains(response, "You can also file a private complaint yourself.")
        self.assertNotContains(response, ".ics")
        for when in (tomorrow, long_ago):
            calendar = self.client.get(
                "/en/deadline/calendar.ics", {"recourse": "review", "received": when.isoformat()}
            )
            self.assertEqual(calendar.status_code, 400)
            self.assertEqual(calendar["Content-Type"], "text/html; charset=utf-8")

    def test_today_is_the_last_day(self):
        received = timezone.localdate() - datetime.timedelta(days=45)
        response = self.page(
            "fr", recourse="fees", order="ordre-des-comptables-professionnels-agrees-du-quebec", received=received
        )
        self.assertIn("C'est aujourd'hui votre dernier jour", self.text(response))
        self.assertContains(response, "Ordre des comptables professionnels agréés du Québec")

    def test_the_calendar_file_parses_back_with_the_last_day_and_a_reminder_a_week_before(self):
        received = timezone.localdate() - datetime.timedelta(days=3)
        order = "ordre-des-architectes-du-quebec"
        for language, path in (("fr", "/fr/echeance/calendrier.ics"), ("en", "/en/deadline/calendar.ics")):
            with self.subTest(language=language):
                response = self.client.get(path, {"recourse": "fees", "order": order, "received": received.isoformat()})
                self.assertEqual(response.status_code, 200)
                self.assertEqual(response["Content-Type"], "text/calendar; charset=utf-8")
                self.assertIn("attachment;", response["Content-Disposition"])
                self.assertLessEqual({"private", "no-store"}, _words(response))
                calendar = Calendar.from_ical(response.content)
                (event,) = calendar.walk("VEVENT")
                self.assertEqual(event.decoded("DTSTART"), received + datetime.timedelta(days=120))
                self.assertEqual(event.decoded("DTEND"), received + datetime.timedelta(days=121))
                self.assertIn("Ordre des architectes du Québec", str(event["SUMMARY"]))
                (alarm,) = event.walk("VALARM")
                self.assertEqual(alarm.decoded("TRIGGER"), -datetime.timedelta(days=7))
                self.assertEqual(str(alarm["ACTION"]), "DISPLAY")
                description = str(event["DESCRIPTION"])
                self.assertIn("A-21, r. 12", description)
                self.assertIn({"fr": "À qui", "en": "To whom"}[language], description)

    def test_the_explainers_offer_the_form_and_stay_cacheable(self):
        pages = {
            "/fr/proteger-le-public/faire-reviser-la-decision-du-syndic/": "Quand avez-vous reçu la décision?",
            "/en/protecting-the-public/appeal-to-the-professions-tribunal/": "When did you receive the decision?",
            "/en/protecting-the-public/dispute-a-professionals-bill/": "When did you receive the bill?",
        }
        for path, question in pages.items():
            with self.subTest(path=path):
                response = self.client.get(path)
                self.assertContains(response, question)
                self.assertContains(response, 'method="get" action="/')
                self.assertFalse({"private", "no-store"} & _words(response))
        fees = self.client.get("/en/protecting-the-public/dispute-a-professionals-bill/")
        self.assertContains(
            fees, '<option value="ordre-des-architectes-du-quebec">Ordre des architectes du Québec — 120 days'
        )
        self.assertNotContains(fees, 'value="chambre-des-notaires-du-quebec"')
        syndic = self.client.get("/en/protecting-the-public/request-an-inquiry-from-the-syndic/")
        self.assertNotContains(syndic, "deadline-form")

    def test_the_guide_offers_the_form_for_the_named_orders_delay_only(self):
        review = self.client.get("/fr/qui-contacter/", {"step": "r_review", "profession": "ingenieur"})
        self.assertContains(review, 'name="order" value="ordre-des-ingenieurs-du-quebec"')
        architect = self.client.get("/en/who-do-i-contact/", {"step": "r_fees", "profession": "architecte"})
        self.assertIn("This order's delay: 120 days (Regulation A-21, r. 12).", self.text(architect))
        notary = self.client.get("/en/who-do-i-contact/", {"step": "r_fees", "profession": "notaire"})
        self.assertNotContains(notary, "deadline-form__row")
        self.assertContains(notary, "sets this delay in its regulation")
        unnamed = self.client.get("/en/who-do-i-contact/", {"step": "r_fees"})
        self.assertNotContains(unnamed, "deadline-form")


class DeadlineFuzzTests(HypothesisTestCase):
    """Generated bad query strings on the result page and the calendar file: never a 5xx."""

    @classmethod
    def setUpTestData(cls):
        ensure_home_page()
        load_directory_file()
        load_explainers_files()

    @settings(
        max_examples=60, deadline=None, derandomize=True, database=None, suppress_health_check=[HealthCheck.too_slow]
    )
    @given(
        path=st.sampled_from(["/fr/echeance/", "/en/deadline/", "/fr/echeance/calendrier.ics"]),
        recourse=st.one_of(st.sampled_from(["review", "appeal", "fees", ""]), st.text(max_size=30)),
        order=st.one_of(
            st.sampled_from(["ordre-des-architectes-du-quebec", "\x00", "", "x" * 300]), st.text(max_size=30)
        ),
        received=st.one_of(st.dates().map(datetime.date.isoformat), st.text(max_size=30), st.just("9999-12-31")),
    )
    def test_no_query_string_gets_a_server_error(self, path, recourse, order, received):
        response = self.client.get(path, {"recourse": recourse, "order": order, "received": received})
        self.assertIn(response.status_code, (200, 400))
