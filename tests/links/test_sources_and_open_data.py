import csv
import io
import time

from django.contrib.auth import get_user_model
from django.test import TestCase

from home.loaders import publish
from home.seeding import ensure_home_page
from links.checker import Outcome, record
from links.sources import link_uses
from links.updates import PUBLISHED, use_new_address
from professions.loading import load_directory_data
from professions.models import OrderPage
from tests.factories import directory_data
from tests.links.server import LinkServer

OLD = "https://ancien.example/plaintes"
NEW = "https://nouveau.example/plaintes"


class SourcesTests(TestCase):
    """Every external link of live content is found, wherever it is written."""

    @classmethod
    def setUpTestData(cls):
        ensure_home_page()
        load_directory_data(directory_data(1))
        cls.order = OrderPage.objects.get()
        cls.order.syndic_url = OLD
        cls.order.description_en = f'<p>See <a href="{OLD}">the complaints page</a> and <a href="/fr/">home</a>.</p>'
        cls.order.body_fr = [("paragraph", f'<p>Voir <a href="{OLD}">la page</a>.</p>')]
        publish(cls.order)

    def uses(self) -> set[tuple[str, str, str]]:
        return {(use.url, use.field.name, use.field.language) for use in link_uses() if use.object_id == self.order.pk}

    def test_links_are_found_in_url_fields_rich_text_and_stream_fields_in_each_language(self):
        self.assertEqual(
            self.uses(),
            {
                (self.order.website, "website", ""),
                (OLD, "syndic_url", ""),
                (OLD, "description_en", "en"),
                (OLD, "body_fr", "fr"),
            },
        )

    def test_drafts_are_not_what_the_public_sees(self):
        self.order.website = "https://brouillon.example/"
        self.order.save_revision()
        self.assertNotIn("https://brouillon.example/", {url for url, _field, _language in self.uses()})

    def test_the_new_address_replaces_the_old_one_in_every_kind_of_field(self):
        admin = get_user_model().objects.create_superuser("admin", "admin@example.org", "x")
        fields = {use.field.name: use.field for use in link_uses() if use.object_id == self.order.pk}
        for name in ("syndic_url", "description_en", "body_fr"):
            with self.subTest(field=name):
                page = OrderPage.objects.get(pk=self.order.pk)
                self.assertEqual(use_new_address(page, fields[name], OLD, NEW, admin), PUBLISHED)
        self.assertEqual({url for url, _field, _language in self.uses()}, {self.order.website, NEW})
        page = OrderPage.objects.get(pk=self.order.pk)
        self.assertIn('<a href="/fr/">home</a>', page.description_en)  # other links untouched


class OpenDataTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        ensure_home_page()
        load_directory_data(directory_data(1, 2))
        cls.order = OrderPage.objects.get()
        cls.order.syndic_url = OLD
        cls.order.syndic_url_english = NEW
        publish(cls.order)
        record(OLD, Outcome(status_code=404))

    def test_the_json_gives_each_link_with_its_last_check(self):
        order = self.client.get("/data/directory.json").json()["orders"][0]
        self.assertEqual(order["syndic_url"], OLD)
        self.assertEqual(order["syndic_url_en"], NEW)
        broken = order["link_checks"]["syndic_url"]
        self.assertEqual(broken["status"], "broken")
        self.assertEqual(broken["http_status"], 404)
        self.assertFalse(broken["verified"])
        self.assertRegex(broken["checked_at"], r"^\d{4}-\d\d-\d\dT")
        self.assertEqual(order["link_checks"]["syndic_url_en"]["status"], "unverified")
        self.assertIsNone(order["link_checks"]["syndic_url_en"]["checked_at"])
        self.assertNotIn("register_url", order["link_checks"])  # empty field, nothing to check

    def test_a_refused_check_is_published_as_refused_without_where_it_led(self):
        record(NEW, Outcome(status_code=301, error="internal_address", final_url="http://10.0.0.1/", redirected=True))
        order = self.client.get("/data/directory.json").json()["orders"][0]
        refused = order["link_checks"]["syndic_url_en"]
        self.assertEqual(refused["status"], "refused")
        self.assertFalse(refused["verified"])
        self.assertEqual(refused["final_url"], "")
        self.assertNotIn("10.0.0.1", self.client.get("/data/directory.json").content.decode())
        text = self.client.get("/data/directory.csv").content.decode("utf-8-sig")
        self.assertEqual(next(csv.DictReader(io.StringIO(text)))["syndic_url_en_status"], "refused")
        self.assertNotIn("10.0.0.1", text)

    def test_the_csv_gives_each_link_status_and_date(self):
        text = self.client.get("/data/directory.csv").content.decode("utf-8-sig")
        rows = list(csv.DictReader(io.StringIO(text)))
        self.assertEqual(len(rows), 2)
        self.assertEqual(rows[0]["syndic_url_status"], "broken")
        self.assertTrue(rows[0]["syndic_url_checked_at"].startswith("20"))
        self.assertEqual(rows[0]["syndic_url_en"], NEW)
        self.assertEqual(rows[0]["syndic_url_en_status"], "unverified")
        self.assertEqual(rows[0]["register_url_status"], "")


class NoCheckDuringPageViewsTests(TestCase):
    """A slow or failing site never slows a page view: pages read recorded results only."""

    @classmethod
    def setUpClass(cls):
        cls.server = LinkServer(slow_seconds=5).__enter__()
        super().setUpClass()

    @classmethod
    def tearDownClass(cls):
        cls.server.__exit__(None, None, None)
        super().tearDownClass()

    def test_pages_answer_at_once_whatever_the_linked_site_does(self):
        ensure_home_page()
        load_directory_data(directory_data(1, 1))
        order = OrderPage.objects.get()
        order.syndic_url = self.server.url("/slow")
        order.register_url = self.server.url("/error")
        order.website = self.server.url("/slow")
        publish(order)
        record(self.server.url("/slow"), Outcome(status_code=200))  # it worked yesterday
        for path in (order.get_url(), order.get_children().first().get_url(), "/data/directory.json"):
            with self.subTest(path=path):
                started = time.monotonic()
                response = self.client.get(path)
                self.assertEqual(response.status_code, 200)
                self.assertLess(time.monotonic() - started, 2)
        self.assertContains(self.client.get(order.get_url()), f'href="{self.server.url("/slow")}"')
        self.assertEqual(self.server.requests, [])
