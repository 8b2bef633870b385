"""The report's "what changed in French" page: one readable entry per text, never raw HTML."""

import re

from django.contrib.auth import get_user_model
from django.test import TestCase

from professions.models import OrderPage
from tests.factories import build_directory, publish, use_admin_language
from translations.status import records_for

User = get_user_model()


def paragraph(block_id: str, html: str) -> dict:
    return {"type": "paragraph", "value": html, "id": block_id}


class RecordChangesTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.home, cls.index, order = build_directory()
        order = OrderPage.objects.get(pk=order.pk)
        order.body_fr = [
            {"type": "heading", "value": "Porter plainte", "id": "h1"},
            paragraph("p1", "<p>Écrivez au <b>syndic</b>.</p><p>C'est gratuit.</p>"),
            paragraph("p2", "<p>Le syndic enquête.</p>"),
            paragraph("p3", "<p>Un paragraphe qui sera retiré.</p>"),
            {"type": "callout", "value": {"kind": "info", "text": "Gardez vos reçus."}, "id": "c1"},
        ]
        order.title_en = "Order of testers"
        order.summary_en = "Testers protect the public."
        order.body_en = [
            {"type": "heading", "value": "Complaints", "id": "h1"},
            paragraph("p1", "<p>Write to the <b>syndic</b>.</p><p>It is free.</p>"),
            paragraph("p2", "<p>The syndic investigates.</p>"),
            paragraph("p3", "<p>A paragraph to be removed.</p>"),
            {"type": "callout", "value": {"kind": "info", "text": "Keep your receipts."}, "id": "c1"},
        ]
        publish(order)
        order = OrderPage.objects.get(pk=order.pk)
        body = list(order.body_fr.raw_data)
        body[1] = paragraph("p1", "<p>Écrivez au <b>syndic</b> de l’ordre.</p><p>C'est gratuit.</p>")
        body[3:4] = []  # p3 removed
        body.insert(2, paragraph("n1", "<p>Un <i>nouveau</i> paragraphe &amp; une note.</p>"))
        order.body_fr = body
        publish(order)
        cls.order = OrderPage.objects.get(pk=order.pk)
        cls.admin = User.objects.create_superuser("admin", "a@example.org", "correct-horse")
        use_admin_language(cls.admin, "en")

    def test_one_entry_per_text_with_its_label_and_word_diff_and_no_markup_as_text(self):
        self.client.force_login(self.admin)
        record = records_for(self.order)["en"]
        response = self.client.get(f"/admin/translations/{record.pk}/")
        self.assertEqual(response.status_code, 200)
        page = response.content.decode()
        main = page[page.index("<main") : page.index("</main>")]
        entries = re.findall(r'<div class="tc-entry">(.*?)</div>', main, flags=re.S)
        titles = [
            re.sub(r"\s+", " ", re.search(r"<h4[^>]*>(.*?)</h4>", e, flags=re.S).group(1)).strip() for e in entries
        ]
        self.assertEqual(
            titles,
            [
                "Paragraph — French changed",
                "Paragraph — new in French, missing",
            ],
        )
        changed, new = entries
        self.assertIn("<del>syndic.</del><ins>syndic de l’ordre.</ins>", changed)
        self.assertIn("Write to the syndic.", changed)  # the English now, as words
        self.assertIn("C&#x27;est gratuit.", changed)  # the second paragraph kept on its own
        self.assertIn("<ins>Un nouveau paragraphe &amp; une note.</ins>", new)
        for entry in entries:
            with self.subTest(entry=entry[:60]):
                self.assertNotIn("&lt;", entry)  # no tag shown as text
                self.assertNotIn("&amp;amp;", entry)
                self.assertNotIn("<p>Write", entry)
                self.assertNotIn("<b>", entry)
        # A paragraph removed from the French took its English with it (translations.pairs): nothing to do.
        self.assertNotIn("Un paragraphe qui sera retiré", main)
        # Texts that did not change and are translated are not listed.
        self.assertNotIn("Le syndic enquête", main)
        self.assertNotIn("Keep your receipts", main)
