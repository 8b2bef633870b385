"""Data stored before English blocks were paired by id: the migration pairs them once, and the statuses
then read as on a fresh load."""

import json
import uuid

from django.apps import apps
from django.test import TestCase

from wagtail.models import Revision

from home.loading import load_home_file
from home.models import HomePage
from protection.models import ExplainerPage
from tests.factories import load_site
from translations.models import RECORD_VERSION, TranslationRecord
from translations.pairs import object_texts
from translations.repair import pair_stored_blocks, refresh_old_records


def with_other_ids(raw):
    """English as the loaders wrote it before: the same blocks under ids of their own, at every level."""
    if isinstance(raw, list):
        return [
            {**item, "id": str(uuid.uuid4()), "value": with_other_ids(item.get("value"))}
            if isinstance(item, dict) and "id" in item
            else with_other_ids(item)
            for item in raw
        ]
    if isinstance(raw, dict):
        return {key: with_other_ids(value) for key, value in raw.items()}
    return raw


def statuses() -> dict:
    return {
        (record.content_type_id, record.object_id): (record.status, record.missing_fields, record.changed_fields)
        for record in TranslationRecord.objects.all()
    }


class PairingMigrationTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        load_site()
        load_home_file()

    def make_old_style(self, page) -> None:
        """Rewrite the page's English ids (row and latest revision) without the save hooks, as stored before."""
        english = with_other_ids(list(page.body_en.raw_data))
        type(page).objects.filter(pk=page.pk).update(body_en=english)
        revision = Revision.objects.filter(object_id=str(page.pk)).order_by("-created_at", "-pk").first()
        revision.content["body_en"] = json.dumps(english)
        Revision.objects.filter(pk=revision.pk).update(content=revision.content)
        TranslationRecord.objects.filter(object_id=str(page.pk)).update(
            version=0, target_hashes={"body": "0" * 16}, source_units={}
        )

    def test_pairing_once_gives_the_statuses_of_a_fresh_load(self):
        fresh = statuses()
        pages = [*ExplainerPage.objects.all(), HomePage.objects.get()]
        for page in pages:
            self.make_old_style(page)
        page = ExplainerPage.objects.get(pk=pages[0].pk)
        self.assertNotEqual([b.id for b in page.body_en], [b.id for b in page.body_fr])

        self.assertGreater(pair_stored_blocks(apps), 0)
        refresh_old_records()

        for page in pages:
            page = type(page).objects.get(pk=page.pk)
            latest = page.get_latest_revision_as_object()
            for state in (page, latest):
                self.assertEqual([b.id for b in state.body_en], [b.id for b in state.body_fr], page)
        self.assertEqual(statuses(), fresh)
        self.assertFalse(TranslationRecord.objects.filter(version__lt=RECORD_VERSION).exists())
        self.assertEqual(pair_stored_blocks(apps), 0)  # once: a second run changes nothing

    def test_after_pairing_a_french_insert_leaves_every_english_text_in_place(self):
        page = ExplainerPage.objects.get(key="fee-disputes")
        self.make_old_style(page)
        pair_stored_blocks(apps)
        refresh_old_records()
        page = ExplainerPage.objects.get(pk=page.pk)
        english_before = object_texts(page, "en")
        french = list(page.body_fr.raw_data)
        french.insert(1, {"type": "paragraph", "value": "<p>Un nouveau paragraphe.</p>", "id": str(uuid.uuid4())})
        page.body_fr = french
        page.save_revision()
        latest = ExplainerPage.objects.get(pk=page.pk).get_latest_revision_as_object()
        self.assertEqual(object_texts(latest, "en"), english_before)
        record = TranslationRecord.objects.get(object_id=str(page.pk), language="en")
        self.assertEqual((record.status, record.missing_fields), ("missing", ["body"]))
