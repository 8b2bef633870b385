"""The workspace and the import endpoints under bad input: a message or a 4xx, never a 500, nothing lost."""

import io
import zipfile

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase as HypothesisTestCase

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase

from wagtail.models import WorkflowState

from professions.models import OrderPage
from tests.factories import build_directory, publish, sector, use_admin_language
from tests.translations.test_workspace import current_values, inputs, user_in
from translations.roles import EDITORS, MODERATORS, TRANSLATORS, ensure_roles
from translations.workspace_views import workspace_url

User = get_user_model()


class Fixtures:
    @classmethod
    def setUpTestData(cls):
        cls.home, cls.index, order = build_directory()
        order.body_fr = [{"type": "paragraph", "value": "<p>C'est gratuit.</p>", "id": "p1"}]
        publish(order)
        cls.order = OrderPage.objects.get(pk=order.pk)
        cls.other = cls.index
        ensure_roles()
        cls.users = {
            "translator": user_in(TRANSLATORS, "traducteur"),
            "editor": user_in(EDITORS, "redactrice"),
            "moderator": user_in(MODERATORS, "moderatrice"),
            "admin": User.objects.create_superuser("admin", "a@example.org", "correct-horse"),
        }
        for user in cls.users.values():
            use_admin_language(user, "en")
        cls.sector = sector()


class SubmitTwiceTests(Fixtures, TestCase):
    def test_second_submit_of_a_page_in_moderation_is_a_clear_message_for_every_role(self):
        for role, user in self.users.items():
            with self.subTest(role=role):
                WorkflowState.objects.all().delete()
                self.client.force_login(user)
                url = workspace_url(self.order)
                page = self.client.get(url)
                data = {**current_values(page), "action": "submit", inputs(page)["title"]: "Order of testers"}
                self.assertEqual(self.client.post(url, data).status_code, 302)
                # The same form sent again (a second tab, a double click, the back button).
                response = self.client.post(url, data)
                self.assertEqual(response.status_code, 200)
                self.assertContains(response, "awaiting moderation")
                self.assertEqual(WorkflowState.objects.filter(status=WorkflowState.STATUS_IN_PROGRESS).count(), 1)
                # Nothing typed is lost: the form comes back with the translator's text.
                self.assertContains(response, 'value="Order of testers"')


class BadAddressTests(Fixtures, TestCase):
    def test_bad_ids_and_models_answer_404_or_403_never_500(self):
        self.client.force_login(self.users["admin"])
        urls = []
        for app_label, model_name, object_id in [
            ("professions", "sector", "abc"),
            ("professions", "sector", "99999999999999999999999"),
            ("professions", "sector", "-1"),
            ("wagtailcore", "page", "abc"),
            ("wagtailcore", "page", "0"),
            ("auth", "user", "1"),
            ("nope", "nothing", "1"),
            ("professions", "orderpage", str(self.order.pk)),
            ("professions", "sector", str(self.order.pk)),  # another object's id
        ]:
            base = f"/admin/translations/{{}}/{app_label}/{model_name}/{object_id}/"
            urls += [base.format("workspace"), base.format("xliff") + "export/", base.format("xliff") + "import/"]
        urls += [
            "/admin/translations/pages/99999/export/",
            "/admin/translations/pages/99999/import/",
            "/admin/translations/999999/",
            f"/admin/translations/pages/{self.order.pk}/export/?language=xx",
            "/admin/translations/zip/export/?language=%00",
        ]
        for url in urls:
            for method in ("get", "post"):
                with self.subTest(url=url, method=method):
                    response = getattr(self.client, method)(url, follow=True)
                    self.assertLess(response.status_code, 500)

    def test_bad_files_are_refused_with_a_message(self):
        self.client.force_login(self.users["translator"])
        page_url = f"/admin/translations/pages/{self.order.pk}/import/"
        snippet_url = f"/admin/translations/xliff/professions/sector/{self.sector.pk}/import/"
        zip_url = "/admin/translations/zip/import/"
        nested = io.BytesIO()
        with zipfile.ZipFile(nested, "w") as archive:
            archive.writestr("a.xlf", b"\x00\xff" * 100)
            archive.writestr("b.xlf", b"<xliff/>")
        bodies = [
            b"",
            b"\x00\xff\xfe",
            b"<?xml version='1.0'?><xliff version='1.2'/>",
            b"PK\x03\x04broken",
            nested.getvalue(),
            "<x>é</x>".encode("utf-16"),
        ]
        for url in (page_url, snippet_url, zip_url):
            with self.subTest(url=url, body="missing"):
                self.assertEqual(self.client.post(url, {}).status_code, 200)
            for body in bodies:
                with self.subTest(url=url, body=body[:20]):
                    response = self.client.post(url, {"file": SimpleUploadedFile("x.xlf", body)})
                    self.assertEqual(response.status_code, 200)
                    self.assertContains(response, "error-message")
        self.assertFalse(OrderPage.objects.get(pk=self.order.pk).has_unpublished_changes)


ACTIONS = st.one_of(
    st.sampled_from(["save", "submit", "approve", "reject", "use:", "use:t1", "use:t1:", "use:t99:1", "", "delete"]),
    st.text(max_size=30),
    st.builds(lambda n, i: f"use:t{n}:{i}", st.integers(-2, 50), st.integers(-2, 10**12)),
)
VALUES = st.one_of(
    st.text(max_size=60),
    st.sampled_from(["<script>alert(1)</script>", "x" * 300, '{"blocks": []}', "\x00", "", " "]),
    st.just("y" * 200_000),
)


class WorkspaceFuzzTests(Fixtures, HypothesisTestCase):
    @settings(
        max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.large_base_example]
    )
    @given(
        role=st.sampled_from(["translator", "editor", "moderator"]),
        target=st.sampled_from(["order", "sector", "other"]),
        action=ACTIONS,
        fields=st.dictionaries(
            st.one_of(st.sampled_from(["t1", "t2", "t3", "t4", "t5", "language"]), st.text(max_size=8)),
            VALUES,
            max_size=6,
        ),
    )
    def test_any_post_answers_a_page_or_a_redirect(self, role, target, action, fields):
        self.client.force_login(self.users[role])
        obj = {"order": self.order, "sector": self.sector, "other": self.other}[target]
        response = self.client.post(workspace_url(obj), {**fields, "action": action})
        self.assertIn(response.status_code, (200, 302, 400, 403, 404))
        self.assertEqual(OrderPage.objects.get(pk=self.order.pk).title_fr, "Ordre des testeurs")
