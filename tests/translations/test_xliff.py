import re

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase

from professions.models import OrderPage
from tests.factories import build_directory, publish, use_admin_language
from translations import xliff
from translations.models import UP_TO_DATE
from translations.status import records_for

User = get_user_model()


def fill_targets(content: bytes, translations: dict[str, str]) -> bytes:
    """Do what a translation tool does: write each unit's <target>."""
    text = content.decode()
    for source, target in translations.items():
        text = re.sub(
            rf'(<source>{re.escape(source)}</source>\s*)<target state="new" />',
            lambda match, target=target: f'{match.group(1)}<target state="translated">{target}</target>',
            text,
        )
    return text.encode()


class XliffTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.home, cls.index, cls.order = build_directory()
        order = OrderPage.objects.get(pk=cls.order.pk)
        order.description_fr = "<p>Il <b>protège</b> le public.</p>"
        order.body_fr = [
            {"type": "heading", "value": "Porter plainte", "id": "h1"},
            {"type": "callout", "value": {"kind": "warning", "text": "C'est gratuit."}, "id": "c1"},
        ]
        publish(order)
        cls.admin = User.objects.create_superuser("admin", "a@example.org", "correct-horse")
        use_admin_language(cls.admin, "en")

    def setUp(self):
        self.client.force_login(self.admin)
        self.order = OrderPage.objects.get(pk=self.order.pk)

    def export(self, page=None, language="en") -> bytes:
        page = page or self.order
        response = self.client.get(f"/admin/translations/pages/{page.pk}/export/", {"language": language})
        self.assertEqual(response.status_code, 200)
        self.assertIn("attachment", response["Content-Disposition"])
        return response.content

    def upload(self, content: bytes, page=None):
        page = page or self.order
        upload = SimpleUploadedFile("page.xlf", content, content_type="application/x-xliff+xml")
        return self.client.post(f"/admin/translations/pages/{page.pk}/import/", {"file": upload})

    def translated_file(self) -> bytes:
        return fill_targets(
            self.export(),
            {
                "Ordre des testeurs": "Order of testers",
                "Les testeurs protègent le public.": "Testers protect the public.",
                "&lt;p&gt;Il &lt;b&gt;protège&lt;/b&gt; le public.&lt;/p&gt;": (
                    "&lt;p&gt;It &lt;b&gt;protects&lt;/b&gt; the public.&lt;/p&gt;"
                ),
                "Porter plainte": "Complaints",
                "C'est gratuit.": "It is free.",
            },
        )

    def test_export_lists_every_french_text_with_its_unit_id_and_a_signed_header(self):
        content = self.export().decode()
        self.assertIn('source-language="fr" target-language="en"', content)
        self.assertIn('<prop prop-type="object-id">' + str(self.order.pk) + "</prop>", content)
        self.assertIn('prop-type="checksum"', content)
        for unit in ("title", "summary", "description", "body.h1", "body.c1.text"):
            self.assertIn(f'<trans-unit id="{unit}"', content)
        self.assertNotIn("body.c1.kind", content)  # a choice, not text

    def test_round_trip_imports_the_english_as_a_draft_revision(self):
        revisions = self.order.revisions.count()
        response = self.upload(self.translated_file())
        self.assertRedirects(response, f"/admin/pages/{self.order.pk}/edit/", fetch_redirect_response=False)
        self.assertEqual(self.order.revisions.count(), revisions + 1)
        live = OrderPage.objects.get(pk=self.order.pk)
        self.assertFalse(live.summary_en)  # not published
        self.assertTrue(live.has_unpublished_changes)
        draft = live.get_latest_revision_as_object()
        self.assertEqual(draft.title_en, "Order of testers")
        # Cleaned as the editor saves it: the paragraph gets Draftail's block key.
        self.assertEqual(
            re.sub(r' data-block-key="\w+"', "", draft.description_en), "<p>It <b>protects</b> the public.</p>"
        )
        self.assertEqual(draft.body_en[0].value, "Complaints")
        self.assertEqual(draft.body_en[1].value["text"], "It is free.")
        self.assertEqual(draft.body_en[1].value["kind"], "warning")
        self.assertEqual(records_for(live)["en"].status, UP_TO_DATE)
        # Exported again, the file now carries the English.
        self.assertIn('<target state="translated">Order of testers</target>', self.export(draft).decode())

    def assertRefused(self, content: bytes, message: str, page=None):
        page = page or self.order
        revisions = page.revisions.count()
        response = self.upload(content, page)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, message)
        self.assertEqual(page.revisions.count(), revisions)

    def test_file_of_another_page_is_refused(self):
        self.assertRefused(self.translated_file(), "This file belongs to another page", page=self.index)

    def test_errors_are_in_the_admin_language(self):
        use_admin_language(self.admin, "fr")
        self.assertRefused(self.translated_file(), "Ce fichier appartient à une autre page", page=self.index)

    def test_file_for_another_language_is_refused(self):
        content = self.translated_file().replace(b'target-language="en"', b'target-language="de"')
        self.assertRefused(content, "this site expects French to English")

    def test_tampered_source_text_is_refused(self):
        content = self.translated_file().replace(b"<source>Porter plainte</source>", b"<source>Plainte</source>")
        self.assertRefused(content, "The file was modified outside its translations")

    def test_file_exported_before_a_french_change_is_refused(self):
        content = self.translated_file()
        self.order.summary_fr = "Nouveau résumé."
        publish(self.order)
        self.assertRefused(content, "The French of this page changed since the file was exported")

    def test_something_that_is_not_xliff_is_refused(self):
        self.assertRefused(b"<html><body>nope", "This is not a valid XLIFF file.")
        self.assertRefused(b'<!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>', "This is not a valid XLIFF file.")

    def test_too_long_translation_is_refused_without_writing(self):
        content = self.translated_file().replace(b"Order of testers", b"x" * 300)
        self.assertRefused(content, "is longer than 255 characters")

    def test_export_and_import_need_edit_permission(self):
        content = self.translated_file()
        export_url = f"/admin/translations/pages/{self.order.pk}/export/"
        import_url = f"/admin/translations/pages/{self.order.pk}/import/"
        user = User.objects.create_user("lecteur", "l@example.org", "correct-horse")
        self.client.force_login(user)
        for url in (export_url, import_url):
            with self.subTest("no admin access", url=url):
                self.assertRedirects(self.client.get(url), f"/admin/login/?next={url}")
        # Admin access without the right to edit this page: Wagtail's "permission denied" redirect.
        user.user_permissions.add(Permission.objects.get(codename="access_admin"))
        self.client.force_login(User.objects.get(pk=user.pk))
        for url in (export_url, import_url):
            with self.subTest("no edit permission", url=url):
                self.assertRedirects(self.client.get(url), "/admin/")
        revisions = self.order.revisions.count()
        upload = SimpleUploadedFile("page.xlf", content, content_type="application/x-xliff+xml")
        self.assertRedirects(self.client.post(import_url, {"file": upload}), "/admin/")
        self.assertEqual(self.order.revisions.count(), revisions)

    def test_page_header_offers_export_and_import(self):
        response = self.client.get(f"/admin/pages/{self.order.pk}/edit/")
        self.assertContains(response, f"/admin/translations/pages/{self.order.pk}/export/")
        self.assertContains(response, f"/admin/translations/pages/{self.order.pk}/import/")

    def test_import_error_is_a_clear_message_in_the_invalid_file(self):
        with self.assertRaises(xliff.InvalidFile):
            xliff.import_xliff(self.order, b"not xml")
