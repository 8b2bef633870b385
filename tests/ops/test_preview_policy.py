"""The editor's live preview may be framed by the admin; nothing else on the site may be framed."""

from django.contrib.auth import get_user_model
from django.test import TestCase

from tests.factories import build_directory
from tests.ops.test_security import directives


class PreviewFramingTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.home, cls.index, cls.order = build_directory()
        cls.admin = get_user_model().objects.create_superuser("admin", "a@example.org", "correct-horse")

    def test_a_preview_may_be_framed_by_the_admin_only(self):
        self.client.force_login(self.admin)
        revision = self.order.save_revision(user=self.admin)
        response = self.client.get(f"/admin/pages/{self.order.pk}/revisions/{revision.pk}/view/")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Ordre des testeurs")
        csp = directives(response["Content-Security-Policy"])
        self.assertEqual(csp["frame-ancestors"], ["'self'"])
        self.assertEqual(csp["script-src"], ["'self'"])  # otherwise the public page's own policy
        self.assertEqual(response["X-Frame-Options"], "SAMEORIGIN")
        for mode in ("fr", "en"):
            with self.subTest(mode=mode):
                preview = self.order.make_preview_request(preview_mode=mode)
                self.assertEqual(directives(preview["Content-Security-Policy"])["frame-ancestors"], ["'self'"])

    def test_the_same_page_served_publicly_may_not_be_framed(self):
        response = self.client.get(self.order.url)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(directives(response["Content-Security-Policy"])["frame-ancestors"], ["'none'"])
        self.assertEqual(response["X-Frame-Options"], "DENY")
