import json
import tempfile
from io import StringIO
from pathlib import Path

from django.core.management import CommandError, call_command
from django.test import SimpleTestCase, TestCase

from home.loaders import publish
from home.seeding import ensure_home_page
from professions.loading import load_directory_data, load_directory_file
from professions.models import OrderPage
from professions.order_links import LINKS_FILE, OrderLinksError, read_order_links, validate_order_links
from tests.factories import directory_data


def links_record(key: str, **values) -> dict:
    record = {"key": key, "complaint_url_fr": None, "complaint_url_en": None, "register_url_fr": None}
    record["register_url_en"] = None
    record.update(values)
    return record


class OrderLinksFileTests(SimpleTestCase):
    def test_the_real_file_gives_complaint_pages_and_no_register(self):
        links = read_order_links()
        self.assertEqual(len(links), 46)
        self.assertEqual(sum("syndic_url" in found for found in links.values()), 38)
        self.assertEqual(sum("syndic_url_english" in found for found in links.values()), 12)
        self.assertFalse(any("register_url" in found for found in links.values()))
        oiq = links["ordre-des-ingenieurs-du-quebec"]
        self.assertTrue(oiq["syndic_url"].startswith("https://www.oiq.qc.ca/fr/"))
        self.assertTrue(oiq["syndic_url_english"].startswith("https://www.oiq.qc.ca/en/"))

    def test_a_malformed_file_is_refused_with_the_record_and_the_field(self):
        cases = [
            ([], "JSON object with an 'orders' list"),
            ({"orders": [links_record("Not a key")]}, "orders[0]: field 'key'"),
            (
                {"orders": [links_record("ordre-a", complaint_url_fr="javascript:alert(1)")]},
                "orders[0] (key 'ordre-a'): field 'complaint_url_fr' is not an http(s) URL",
            ),
            ({"orders": [{"key": "ordre-a"}]}, "orders[0] (key 'ordre-a'): field 'register_url_fr' is missing"),
            (
                {"orders": [links_record("ordre-a"), links_record("ordre-a")]},
                "orders[1] (key 'ordre-a'): field 'key' repeats",
            ),
            (
                {"orders": [links_record("ordre-a", register_url_en=42)]},
                "field 'register_url_en' is not an http(s) URL",
            ),
        ]
        for data, message in cases:
            with self.subTest(message=message), self.assertRaises(OrderLinksError) as caught:
                validate_order_links(data)
            self.assertIn(message, str(caught.exception))


class LoadOrderLinksTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        ensure_home_page()

    def links(self) -> dict:
        return {
            "ordre-test-0": {
                "syndic_url": "https://ordre0.example/plaintes",
                "syndic_url_english": "https://ordre0.example/en",
            },
            "ordre-test-1": {"syndic_url": "https://ordre1.example/syndic"},
            "ordre-absent": {"syndic_url": "https://absent.example/"},
        }

    def test_the_loader_fills_empty_link_fields_and_keeps_what_editors_typed(self):
        data = directory_data(2)
        load_directory_data(data, order_links=self.links())
        first, second = OrderPage.objects.order_by("key")
        self.assertEqual(first.syndic_url, "https://ordre0.example/plaintes")
        self.assertEqual(first.syndic_url_english, "https://ordre0.example/en")
        self.assertEqual(second.syndic_url, "https://ordre1.example/syndic")
        self.assertEqual(second.register_url, "")

        # An editor corrects one address and adds another; a reload changes neither.
        second.syndic_url = "https://ordre1.example/nouvelle-adresse"
        second.register_url = "https://ordre1.example/tableau"
        publish(second)
        report = load_directory_data(data, order_links=self.links())
        self.assertEqual(len(report.updated), 0, report.updated)
        second.refresh_from_db()
        self.assertEqual(second.syndic_url, "https://ordre1.example/nouvelle-adresse")
        self.assertEqual(second.register_url, "https://ordre1.example/tableau")
        # Even when the links file is not read at all.
        load_directory_data(data)
        second.refresh_from_db()
        self.assertEqual(second.register_url, "https://ordre1.example/tableau")

    def test_the_command_refuses_a_malformed_links_file_and_loads_nothing(self):
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "links.json"
            data = json.loads(LINKS_FILE.read_text(encoding="utf-8"))
            data["orders"][3]["complaint_url_fr"] = "ftp://cmq.org/plainte"
            path.write_text(json.dumps(data), encoding="utf-8")
            with self.assertRaises(CommandError) as caught:
                call_command("load_directory", links_file=path, stdout=StringIO())
            path.write_text("{not json", encoding="utf-8")
            with self.assertRaisesMessage(CommandError, "is not valid JSON (line 1"):
                call_command("load_directory", links_file=path, stdout=StringIO())
        self.assertIn(
            "Nothing was loaded: links file: orders[3] (key 'college-des-medecins-du-quebec')", str(caught.exception)
        )
        self.assertIn("'complaint_url_fr' is not an http(s) URL", str(caught.exception))
        self.assertFalse(OrderPage.objects.exists())

    def test_no_links_loads_the_directory_alone(self):
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "directory.json"
            data = directory_data(2)
            data["orders"][0]["key"] = "barreau-du-quebec"  # a key the links file knows
            path.write_text(json.dumps(data), encoding="utf-8")
            call_command("load_directory", file=path, no_links=True, stdout=StringIO())
            self.assertFalse(OrderPage.objects.exclude(syndic_url="").exists())
            load_directory_file(path)
        self.assertTrue(
            OrderPage.objects.get(key="barreau-du-quebec").syndic_url.startswith("http://www.barreau.qc.ca/")
        )
