import json
import tempfile
from pathlib import Path

from django.test import SimpleTestCase, TestCase

from home.loaders import LoadError, LoadReport, apply_values, read_json, translated
from professions.models import OrderPage, Sector


class EditorsTextRuleTests(TestCase):
    def test_a_new_object_takes_every_value(self):
        sector = Sector(key="sante")
        changed = apply_values(sector, {"name_fr": "Santé", "name_en": "Health"})
        self.assertEqual(changed, ["name_fr", "name_en"])
        self.assertEqual((sector.name_fr, sector.name_en), ("Santé", "Health"))

    def test_a_saved_object_keeps_filled_fields_and_fills_empty_ones_unless_overwrite(self):
        sector = Sector(pk=1, key="sante", name_fr="Santé (texte d'une rédactrice)", name_en="")
        values = {"name_fr": "Santé", "name_en": "Health"}
        self.assertEqual(apply_values(sector, values), ["name_en"])
        self.assertEqual(sector.name_fr, "Santé (texte d'une rédactrice)")
        self.assertEqual(apply_values(sector, values, overwrite=True), ["name_fr"])
        self.assertEqual(apply_values(sector, values, overwrite=True), [])

    def test_only_editors_fields_are_kept_and_locked_links_never_change_once_set(self):
        order = OrderPage(pk=1, key="k", summary_fr="Résumé rédigé", acronym="OLD", syndic_url="https://a.example/")
        values = {"summary_fr": "Résumé du fichier", "acronym": "NEW", "syndic_url": "https://b.example/"}
        rule = {"editors_fields": {"summary"}, "locked": {"syndic_url"}}
        self.assertEqual(apply_values(order, values, **rule), ["acronym"])
        self.assertEqual(apply_values(order, values, overwrite=True, **rule), ["summary_fr"])
        self.assertEqual(order.syndic_url, "https://a.example/")
        self.assertEqual(apply_values(order, {"syndic_url": ""}, overwrite=True, **rule), [])


class ReadingTests(SimpleTestCase):
    def test_a_bad_file_is_a_load_error_naming_the_file_and_the_spot(self):
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "data.json"
            with self.assertRaisesMessage(LoadError, f"no data file at {path}"):
                read_json(path, LoadError)
            path.write_text('{\n  "a": 1,\n}', encoding="utf-8")
            with self.assertRaisesMessage(LoadError, "is not valid JSON (line 3, column 1)"):
                read_json(path, LoadError)
            path.write_bytes(b"\xff\xfe")
            with self.assertRaisesMessage(LoadError, "is not UTF-8 text"):
                read_json(path, LoadError)
            path.write_text(json.dumps({"title_fr": "Titre", "title_en": "Title"}), encoding="utf-8")
            self.assertEqual(
                translated(read_json(path, LoadError), "title"), {"title_fr": "Titre", "title_en": "Title"}
            )

    def test_the_report_counts_what_happened(self):
        report = LoadReport()
        report.add("created", "a")
        report.add("unchanged", "b")
        self.assertEqual(str(report), "1 created, 0 updated, 1 unchanged")
