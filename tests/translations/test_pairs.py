"""Pairs by identity: numbers follow the French, a field's status is about that field, the dashboard counts
texts without English, and loaders may not lose English either."""

import ast
import re
from pathlib import Path

from django.test import SimpleTestCase, TestCase

import translations
from home.loaders import LoadError, apply_values
from home.models import HomePage
from protection.bodies import OtherBody
from tests.home.test_campaign_home import load_campaign_site
from translations.models import MISSING, STALE, TranslationRecord
from translations.pairs import lost_english, object_texts
from translations.status import records_for


class HomeChartTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.home = load_campaign_site()

    def test_a_french_change_to_the_2015_row_shows_on_the_english_home(self):
        home = HomePage.objects.get()
        french = [dict(item) for item in home.body_fr.raw_data]
        chart = next(item for item in french if item["type"] == "chart")
        row = next(row for row in chart["value"]["rows"] if row["value"]["label"] == "2015")
        row["value"] = {**row["value"], "values": [7, 48, 45]}
        home.body_fr = french
        home.save_revision().publish()

        page = self.client.get("/en/").content.decode()
        row_2015 = re.search(r'<tr><th scope="row">2015</th>(.*?)</tr>', page, re.S).group(1)
        self.assertEqual(re.findall(r"<td>(.*?)</td>", row_2015), ["7%", "48%", "45%"])
        # The numbers are no text to translate: the English stays up to date.
        self.assertEqual(records_for(HomePage.objects.get())["en"].status, "up_to_date")

    def test_a_loader_may_not_remove_english_whose_french_remains(self):
        home = HomePage.objects.get()
        english = list(home.body_en.raw_data)
        with self.assertRaisesMessage(LoadError, "A problem with a professional? Describe it."):
            apply_values(home, {"body_en": english[1:]}, overwrite=True)

    def test_the_dashboard_counts_a_page_with_untranslated_french_texts_as_missing(self):
        home = HomePage.objects.get()
        french = list(home.body_fr.raw_data)
        for index in range(3):
            french.insert(1, {"type": "heading", "value": f"Nouvelle section {index}", "id": f"new-{index}"})
        home.body_fr = french
        home.save_revision()
        record = records_for(HomePage.objects.get())["en"]
        self.assertEqual((record.status, record.missing_fields), (MISSING, ["body"]))
        counts = TranslationRecord.objects.filter(language="en").counts_by_status()
        self.assertEqual(counts[MISSING], TranslationRecord.objects.filter(language="en", status=MISSING).count())
        self.assertGreaterEqual(counts[MISSING], 1)


class SnippetFieldStatusTests(TestCase):
    def test_a_french_change_makes_that_field_stale_and_no_other(self):
        body = OtherBody.objects.create(
            key="protecteur",
            name_fr="Protecteur du citoyen",
            name_en="Québec Ombudsman",
            gloss_fr="Plaintes contre les services publics",
            gloss_en="Complaints about public services",
            handles_fr="Les plaintes contre un ministère.",
            handles_en="Complaints about a ministry.",
            occupations_fr="fonctionnaire",
            occupations_en="",
        )
        record = records_for(body)["en"]
        self.assertEqual((record.status, record.missing_fields, record.changed_fields), (MISSING, ["occupations"], []))
        body.gloss_fr = "Plaintes contre l'administration publique"
        body.save()
        record = records_for(OtherBody.objects.get(pk=body.pk))["en"]
        self.assertEqual((record.missing_fields, record.changed_fields), (["occupations"], ["gloss"]))
        # The English of the changed field is written: that field only is up to date again.
        body.gloss_en = "Complaints about the public administration"
        body.occupations_en = "civil servant"
        body.save()
        record = records_for(OtherBody.objects.get(pk=body.pk))["en"]
        self.assertEqual((record.status, record.missing_fields, record.changed_fields), ("up_to_date", [], []))
        body.handles_fr = "Les plaintes contre un ministère ou un organisme."
        body.save()
        record = records_for(OtherBody.objects.get(pk=body.pk))["en"]
        self.assertEqual((record.status, record.changed_fields), (STALE, ["handles"]))
        self.assertEqual(object_texts(body, "en")["handles"], "Complaints about a ministry.")


class LostEnglishTests(TestCase):
    def test_lost_means_english_gone_while_its_french_remains_and_not_emptied_on_purpose(self):
        before = {"a": "One", "b": "Two", "c": "Three"}
        french = {"a": "Un", "b": "Deux"}
        self.assertEqual([lost.unit for lost in lost_english(before, {"a": "One"}, french)], ["b"])
        self.assertEqual(lost_english(before, {"a": "One"}, french, cleared={"b"}), [])
        self.assertEqual(lost_english(before, {"a": "One", "b": "Deux-ish"}, french), [])
        self.assertEqual(lost_english(before, {"a": "One", "b": "<p> </p>"}, french)[0].text, "Two")


class ImportDirectionTests(SimpleTestCase):
    def imported(self, module: str) -> set[str]:
        """Every translations module the file imports, at any level (function-level imports included)."""
        tree = ast.parse((Path(translations.__file__).parent / f"{module}.py").read_text())
        names = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module:
                names.add(node.module)
                names.update(f"{node.module}.{alias.name}" for alias in node.names)
            elif isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
        return {name for name in names if name.startswith("translations.")}

    def test_pairs_memory_and_status_import_one_way(self):
        self.assertNotIn("translations.status", self.imported("memory"))
        self.assertFalse({"translations.status", "translations.memory"} & self.imported("pairs"))
        self.assertIn("translations.pairs", self.imported("memory"))
