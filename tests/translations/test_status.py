from io import StringIO

from django.core.management import call_command
from django.test import TestCase

from professions.models import OrderPage
from tests.factories import build_directory, publish, sector, translate
from translations.models import MISSING, STALE, UP_TO_DATE, TranslationRecord
from translations.status import records_for, tracked_models


class TranslationStatusTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.home, cls.index, cls.order = build_directory()

    def english(self, obj) -> TranslationRecord:
        return records_for(obj)["en"]

    def test_every_registered_page_type_and_snippet_is_tracked_except_the_bare_page(self):
        names = {model.__name__ for model in tracked_models()}
        self.assertTrue({"HomePage", "OrderPage", "ProfessionPage", "Sector"} <= names)
        self.assertNotIn("Page", names)

    def test_french_only_page_is_missing_its_english_title_and_summary(self):
        record = self.english(self.order)
        self.assertEqual(record.status, MISSING)
        self.assertEqual(record.missing_fields, ["title", "summary"])

    def test_status_goes_missing_then_up_to_date_then_stale_then_up_to_date(self):
        order = translate(self.order)
        self.assertEqual(self.english(order).status, UP_TO_DATE)

        order.summary_fr = "Les testeurs protègent le public du Québec."
        publish(order)
        record = self.english(order)
        self.assertEqual(record.status, STALE)
        self.assertEqual(record.changed_fields, ["summary"])
        self.assertEqual(record.source_snapshot["summary"], "Les testeurs protègent le public.")

        translate(order, summary_en="Testers protect Québec's public.")
        self.assertEqual(self.english(order).status, UP_TO_DATE)

    def test_stale_status_survives_a_reload_and_a_draft_revision(self):
        order = translate(self.order)
        order.title_fr = "Ordre des testeuses et testeurs"
        order.save_revision()  # a draft: the live row still has the old French
        fresh = OrderPage.objects.get(pk=order.pk)
        self.assertEqual(fresh.title_fr, "Ordre des testeurs")
        record = TranslationRecord.objects.get(pk=self.english(fresh).pk)
        self.assertEqual(record.status, STALE)
        self.assertEqual(record.changed_fields, ["title"])

    def test_publishing_the_same_content_again_keeps_the_reference(self):
        order = translate(self.order)
        order.summary_fr = "Nouveau résumé."
        publish(order)
        publish(OrderPage.objects.get(pk=order.pk))
        self.assertEqual(self.english(order).status, STALE)

    def test_empty_rich_text_counts_as_missing_not_as_a_translation(self):
        order = translate(self.order, description_en='<p data-block-key="x"></p>')
        order.description_fr = "<p>Une description.</p>"
        publish(order)
        record = self.english(order)
        self.assertEqual(record.status, MISSING)
        self.assertEqual(record.missing_fields, ["description"])

    def test_stream_field_text_is_compared_block_by_block(self):
        order = translate(self.order)
        order.body_fr = [{"type": "heading", "value": "Porter plainte", "id": "b1"}]
        publish(order)
        self.assertEqual(self.english(order).missing_fields, ["body"])
        translate(order, body_en=[{"type": "heading", "value": "Complaints", "id": "b1"}])
        self.assertEqual(self.english(order).status, UP_TO_DATE)

    def test_snippets_are_tracked_on_save(self):
        item = sector()
        self.assertEqual(self.english(item).status, MISSING)
        item.name_en = "Health"
        item.save()
        self.assertEqual(self.english(item).status, UP_TO_DATE)
        item.name_fr = "Santé et services sociaux"
        item.save()
        self.assertEqual(self.english(item).status, STALE)


class UpdateTranslationStatusCommandTests(TestCase):
    def test_command_records_the_status_of_content_saved_before_tracking_existed(self):
        _home, _index, order = build_directory()
        TranslationRecord.objects.all().delete()
        call_command("update_translation_status", stdout=StringIO())
        self.assertEqual(records_for(order)["en"].status, MISSING)
        self.assertEqual(records_for(translate(order))["en"].status, UP_TO_DATE)
