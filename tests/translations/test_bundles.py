"""Snippets and the guide's steps in the report and in XLIFF, and the zip of everything to translate."""

import io
import re
import zipfile

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import TestCase

from professions.models import OrderPage, Sector
from protection.models import GuidePage
from tests.factories import build_directory, build_guide, publish, sector, translate, use_admin_language
from translations import xliff
from translations.models import MISSING, STALE, UP_TO_DATE
from translations.roles import TRANSLATORS, ensure_roles
from translations.status import records_for

User = get_user_model()


def fill_targets(content: bytes, translations: dict[str, str]) -> bytes:
    """A translator's work on an exported file: the <target> of each listed unit id filled in."""
    text = content.decode()
    for unit_id, english in translations.items():
        pattern = (
            rf'(<trans-unit id="{re.escape(unit_id)}"[^>]*>\s*<source>.*?</source>\s*)<target[^>]*?(?:/>|>.*?</target>)'
        )
        text, count = re.subn(pattern, rf'\1<target state="translated">{english}</target>', text, flags=re.S)
        assert count == 1, unit_id
    return text.encode()


def zip_of(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


class GuideAndSnippetTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.home, cls.index, cls.order = build_directory()
        ensure_roles()
        cls.translator = User.objects.create_user("traducteur", "t@example.org", "correct-horse")
        cls.translator.groups.add(Group.objects.get(name=TRANSLATORS))

    def setUp(self):
        use_admin_language(self.translator, "en")
        self.client.force_login(self.translator)

    def test_guide_steps_have_their_own_status_in_the_report(self):
        guide = build_guide(self.home)
        self.assertEqual(records_for(guide)["en"].status, UP_TO_DATE)
        guide.steps.raw_data[1]["value"]["text_fr"] = "C'est gratuit et rapide."
        publish(guide)
        record = records_for(GuidePage.objects.get(pk=guide.pk))["en"]
        self.assertEqual((record.status, record.changed_fields), (STALE, ["steps"]))
        response = self.client.get("/admin/translations/?status=stale")
        self.assertContains(response, "Qui contacter?")
        changes = self.client.get(f"/admin/translations/{record.pk}/")
        self.assertContains(changes, "<ins>gratuit et rapide.</ins>")

    def test_guide_steps_in_the_workspace_write_the_english_leaves_only(self):
        guide = build_guide(self.home, english=False)
        self.assertEqual(records_for(guide)["en"].status, MISSING)
        url = f"/admin/translations/workspace/wagtailcore/page/{guide.pk}/"
        page = self.client.get(url).content.decode()
        rows = dict(re.findall(r'data-unit="([^"]+)".*?name="(t\d+)"', page, flags=re.S))
        self.assertIn("steps.q1.text", rows)
        self.assertIn("steps.q1.options.o2.label", rows)
        self.assertIn("steps.r1.title", rows)
        english = {
            "title": "Who do I contact?",
            "intro": "A few questions.",
            "steps.q1.text": "What is your situation?",
            "steps.q1.options.o1.label": "A complaint",
            "steps.q1.options.o2.label": "A question",
            "steps.r1.title": "Write to the syndic",
            "steps.r1.text": "It is free.",
        }
        data = {rows[unit]: text for unit, text in english.items()}
        response = self.client.post(url, {**data, "action": "save", "language": "en"})
        self.assertEqual(response.status_code, 302)
        latest = GuidePage.objects.get(pk=guide.pk).get_latest_revision_as_object()
        question = latest.steps.raw_data[0]["value"]
        self.assertEqual(
            (question["text_fr"], question["text_en"]), ("Quelle est votre situation?", "What is your situation?")
        )
        self.assertEqual(question["options"][1]["value"]["label_en"], "A question")
        self.assertEqual(question["options"][1]["value"]["next"], "end")
        self.assertEqual(records_for(guide)["en"].status, UP_TO_DATE)

    def test_guide_steps_round_trip_through_xliff(self):
        guide = build_guide(self.home, english=False)
        exported = self.client.get(f"/admin/translations/pages/{guide.pk}/export/").content
        self.assertIn(b'id="steps.r1.text"', exported)
        self.assertIn(b"<source>C'est gratuit.</source>", exported)
        done = fill_targets(
            exported,
            {
                "title": "Who do I contact?",
                "intro": "A few questions.",
                "steps.q1.text": "What is your situation?",
                "steps.q1.options.o1.label": "A complaint",
                "steps.q1.options.o2.label": "A question",
                "steps.r1.title": "Write to the syndic",
                "steps.r1.text": "It is free.",
            },
        )
        response = self.client.post(
            f"/admin/translations/pages/{guide.pk}/import/", {"file": io.BytesIO(done)}, format="multipart"
        )
        self.assertEqual(response.status_code, 302)
        latest = GuidePage.objects.get(pk=guide.pk).get_latest_revision_as_object()
        self.assertEqual(latest.steps.raw_data[1]["value"]["text_en"], "It is free.")
        self.assertEqual(latest.steps.raw_data[1]["value"]["text_fr"], "C'est gratuit.")
        self.assertEqual(records_for(guide)["en"].status, UP_TO_DATE)

    def test_snippets_in_the_report_and_through_xliff(self):
        item = sector()
        response = self.client.get("/admin/translations/?status=missing")
        self.assertContains(response, "Santé")
        url = f"/admin/translations/xliff/professions/sector/{item.pk}/export/"
        exported = self.client.get(url).content
        self.assertIn(b"<source>Sant\xc3\xa9</source>", exported)
        done = fill_targets(exported, {"name": "Health"})
        response = self.client.post(url.replace("export", "import"), {"file": io.BytesIO(done)})
        self.assertEqual(response.status_code, 302)
        self.assertEqual(Sector.objects.get(pk=item.pk).get_latest_revision_as_object().name_en, "Health")
        self.assertEqual(records_for(item)["en"].status, UP_TO_DATE)
        # Edited French in the file is refused; nothing written.
        tampered = done.replace(b"<source>Sant\xc3\xa9</source>", b"<source>Autre</source>").replace(
            b"Health", b"Wealth"
        )
        response = self.client.post(url.replace("export", "import"), {"file": io.BytesIO(tampered)})
        self.assertContains(response, "modified outside its translations")
        self.assertEqual(Sector.objects.get(pk=item.pk).get_latest_revision_as_object().name_en, "Health")

    def test_zip_of_everything_to_translate_round_trips_all_or_nothing(self):
        item = sector()
        guide = build_guide(self.home, english=False)
        response = self.client.get("/admin/translations/zip/export/")
        self.assertEqual(response["Content-Type"], "application/zip")
        archive = zipfile.ZipFile(io.BytesIO(response.content))
        names = sorted(archive.namelist())
        order_file = f"professions.orderpage-{self.order.pk}-en.xlf"
        sector_file = f"professions.sector-{item.pk}-en.xlf"
        guide_file = f"protection.guidepage-{guide.pk}-en.xlf"
        self.assertEqual(names, sorted([order_file, sector_file, guide_file]))
        done = {
            order_file: fill_targets(
                archive.read(order_file), {"title": "Order of testers", "summary": "Testers protect the public."}
            ),
            sector_file: fill_targets(archive.read(sector_file), {"name": "Health"}),
        }
        # One bad file: nothing at all is written, and the message names it.
        bad = {
            **done,
            guide_file: archive.read(guide_file).replace(
                b"<source>C'est gratuit.</source>", b"<source>Gratuit</source>"
            ),
        }
        response = self.client.post("/admin/translations/zip/import/", {"file": io.BytesIO(zip_of(bad))})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, guide_file)
        self.assertContains(response, "Nothing was imported")
        self.assertIsNone(Sector.objects.get(pk=item.pk).name_en)
        self.assertFalse(OrderPage.objects.get(pk=self.order.pk).get_latest_revision_as_object().summary_en)
        # All good: each becomes a draft (pages) or is saved (snippets).
        response = self.client.post("/admin/translations/zip/import/", {"file": io.BytesIO(zip_of(done))})
        self.assertEqual(response.status_code, 302)
        self.assertEqual(Sector.objects.get(pk=item.pk).get_latest_revision_as_object().name_en, "Health")
        latest = OrderPage.objects.get(pk=self.order.pk).get_latest_revision_as_object()
        self.assertEqual(latest.summary_en, "Testers protect the public.")
        self.assertFalse(OrderPage.objects.get(pk=self.order.pk).summary_en)

    def test_zip_import_refuses_what_is_not_a_zip_of_xliff_files(self):
        cases = {
            b"not a zip": "not a zip file",
            zip_of({}): "empty",
            zip_of({"notes.txt": b"hello"}): "is not an XLIFF file",
            zip_of({"x.xlf": b"<nope"}): "not a valid XLIFF file",
        }
        for content, message in cases.items():
            with self.subTest(message=message):
                response = self.client.post("/admin/translations/zip/import/", {"file": io.BytesIO(content)})
                self.assertEqual(response.status_code, 200)
                self.assertContains(response, message)

    def test_translated_order_is_not_in_the_zip(self):
        translate(self.order)
        response = self.client.get("/admin/translations/zip/export/", follow=True)
        self.assertContains(response, "nothing to export")
        self.assertTrue(xliff)
