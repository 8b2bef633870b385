import copy
import json
import tempfile
from io import StringIO
from pathlib import Path

from django.core.management import CommandError, call_command
from django.test import SimpleTestCase, TestCase

from wagtail.models import Page, Revision

from home.seeding import ensure_home_page
from professions.loading import DirectoryDataError, load_directory_data, validate_directory
from professions.models import OrderPage, ProfessionPage, Sector
from tests.factories import directory_data


class ValidationTests(SimpleTestCase):
    def assert_error(self, data, *fragments):
        with self.assertRaises(DirectoryDataError) as caught:
            validate_directory(data)
        for fragment in fragments:
            self.assertIn(fragment, str(caught.exception))

    def test_a_valid_file_passes(self):
        validate_directory(directory_data(3, 2))

    def test_errors_name_the_record_and_the_field(self):
        data = directory_data(3)
        data["orders"][1]["practice"] = "sometimes"
        self.assert_error(data, "orders[1] (key 'ordre-test-1')", "'practice'", "sometimes")

        data = directory_data(2)
        del data["orders"][0]["professions"][0]["title_en"]
        self.assert_error(data, "orders[0] (key 'ordre-test-0').professions[0]", "'title_en' is missing")

        data = directory_data(2)
        data["orders"][1]["sector"] = "astrologie"
        self.assert_error(data, "orders[1]", "unknown sector 'astrologie'")

        data = directory_data(2)
        data["orders"][1]["website"] = "javascript:alert(1)"
        self.assert_error(data, "orders[1]", "'website' is not an http(s) URL")

        data = directory_data(2)
        data["orders"][0]["slug_en"] = "Not a slug!"
        self.assert_error(data, "orders[0]", "'slug_en' is not a valid slug")

        data = directory_data(2)
        data["orders"][1]["key"] = data["orders"][0]["key"]
        self.assert_error(data, "orders[1]", "repeats orders[0]")

        data = directory_data(2)
        data["orders"][0]["members"] = {"count": "many", "qualifier": "approx", "year": 2020}
        self.assert_error(data, "orders[0] (key 'ordre-test-0').members", "'count' should be int")

        self.assert_error([], "JSON object")


class LoadDirectoryTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        ensure_home_page()

    def load(self, data, **kwargs):
        return load_directory_data(data, **kwargs)

    def test_loading_twice_changes_nothing(self):
        data = directory_data(4, 2)
        first = self.load(data)
        self.assertEqual(len(first.created), 2 + 4 + 8)
        counts = (Page.objects.count(), Revision.objects.count(), Sector.objects.count())
        second = self.load(copy.deepcopy(data))
        self.assertEqual((second.created, second.updated), ([], []))
        self.assertEqual((Page.objects.count(), Revision.objects.count(), Sector.objects.count()), counts)

    def test_facts_are_updated_by_key_in_both_languages(self):
        data = directory_data(2)
        self.load(data)
        data["orders"][0]["acronym"] = "NOUV"
        data["orders"][0]["professions"][0]["title_en"] = "Renamed tester"
        report = self.load(data)
        self.assertEqual(sorted(report.updated), ["ordre-test-0", "testeur-0-0"])
        self.assertEqual(OrderPage.objects.get(key="ordre-test-0").acronym, "NOUV")
        profession = ProfessionPage.objects.get(key="testeur-0-0")
        self.assertEqual((profession.title_fr, profession.title_en), ("Testeur 0-0", "Renamed tester"))
        self.assertTrue(profession.live)

    def test_editors_text_is_kept_unless_asked_to_overwrite(self):
        data = directory_data(1)
        self.load(data)
        order = OrderPage.objects.get(key="ordre-test-0")
        order.summary_en = "Written by an editor."
        order.save_revision().publish()
        data["orders"][0]["summary_en"] = "New text from the data file."
        self.load(data)
        self.assertEqual(OrderPage.objects.get(key="ordre-test-0").summary_en, "Written by an editor.")
        self.load(data, overwrite_text=True)
        self.assertEqual(OrderPage.objects.get(key="ordre-test-0").summary_en, "New text from the data file.")


class LoadDirectoryCommandTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        ensure_home_page()

    def write(self, content: str) -> Path:
        handle = tempfile.NamedTemporaryFile("w", suffix=".json", delete=False, encoding="utf-8")  # noqa: SIM115
        handle.write(content)
        handle.close()
        self.addCleanup(Path(handle.name).unlink)
        return Path(handle.name)

    def test_a_malformed_file_writes_nothing_and_says_where(self):
        data = directory_data(5)
        data["orders"][4]["professions"][0]["reserved_titles_fr"] = []
        path = self.write(json.dumps(data))
        with self.assertRaises(CommandError) as caught:
            call_command("load_directory", file=path, stdout=StringIO())
        message = str(caught.exception)
        self.assertIn("Nothing was loaded", message)
        self.assertIn("orders[4] (key 'ordre-test-4').professions[0]", message)
        self.assertIn("'reserved_titles_fr' is empty", message)
        self.assertEqual(OrderPage.objects.count(), 0)
        self.assertEqual(Sector.objects.count(), 0)

    def test_broken_json_is_reported_with_its_line(self):
        path = self.write('{"sectors": [\n  {"key": "x",}\n]}')
        with self.assertRaisesMessage(CommandError, "is not valid JSON (line 2"):
            call_command("load_directory", file=path, stdout=StringIO())

    def test_a_missing_file_is_a_clear_error(self):
        with self.assertRaisesMessage(CommandError, "no data file at"):
            call_command("load_directory", file=Path("/nonexistent/directory.json"), stdout=StringIO())

    def test_the_command_reports_what_it_did(self):
        path = self.write(json.dumps(directory_data(2)))
        out = StringIO()
        call_command("load_directory", file=path, stdout=out)
        self.assertIn("6 created, 0 updated, 0 unchanged", out.getvalue())
        out = StringIO()
        call_command("load_directory", file=path, stdout=out)
        self.assertIn("0 created, 0 updated, 6 unchanged", out.getvalue())
