import json
import os
import subprocess
import sys
from pathlib import Path
from unittest import mock

from django.contrib.auth import get_user_model
from django.db import OperationalError
from django.test import Client, TestCase
from django.urls import reverse

from wagtail.models import Page
from wagtail.signals import page_unpublished

from home.seeding import ensure_home_page
from tests.factories import add_child_page

ROOT = Path(__file__).resolve().parents[2]

DATABASE_DOWN = mock.patch(
    "django.db.backends.utils.CursorWrapper.execute",
    side_effect=OperationalError("connection to server at 127.0.0.1 failed: Connection refused"),
)


class HealthCheckTests(TestCase):
    def test_healthz_answers_ok_after_asking_the_database(self):
        response = self.client.get("/healthz")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json()["status"], "ok")
        self.assertEqual(response.json()["mode"], "read-write")
        self.assertIn("no-cache", response["Cache-Control"])

    def test_healthz_answers_503_when_the_database_fails(self):
        with DATABASE_DOWN, self.assertLogs("ops.views", "ERROR"):
            response = self.client.get("/healthz")
        self.assertEqual(response.status_code, 503)
        self.assertEqual(response.json()["status"], "unavailable")


class DatabaseOutageTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        ensure_home_page()

    def test_pages_answer_a_translated_503_without_a_traceback(self):
        client = Client(raise_request_exception=False)
        cases = {
            "/fr/": ("Service temporairement indisponible", 'lang="fr"'),
            "/en/": ("Service temporarily unavailable", 'lang="en"'),
        }
        for path, expected in cases.items():
            with self.subTest(path=path), DATABASE_DOWN, self.assertLogs("django.request", "ERROR"):
                response = client.get(path)
            self.assertEqual(response.status_code, 503)
            self.assertEqual(response["Retry-After"], "60")
            for text in expected:
                self.assertContains(response, text, status_code=503)
            self.assertNotContains(response, "Traceback", status_code=503)

    def test_other_errors_keep_the_500_page(self):
        client = Client(raise_request_exception=False)
        # Build the URL resolver first: built under the patch, it would keep the mock as the page
        # view for every later test in this process (seen under pytest -n 2).
        reverse("wagtail_serve", args=[""])
        with (
            mock.patch("wagtail.views.serve", side_effect=RuntimeError("boom")),
            mock.patch("wagtail.models.Page.serve", side_effect=RuntimeError("boom")),
            self.assertLogs("django.request", "ERROR"),
        ):
            response = client.get("/fr/")
        self.assertEqual(response.status_code, 500)


class RealDatabaseOutageTests(TestCase):
    """The real settings against a PostgreSQL port where nothing listens."""

    def test_site_answers_503_and_healthz_reports_when_postgres_is_unreachable(self):
        script = (
            "import django, json; django.setup();"
            "from django.test import Client;"
            "c = Client(raise_request_exception=False);"
            "h = c.get('/healthz');"
            "print(json.dumps([c.get('/fr/').status_code, c.get('/en/').status_code,"
            " h.status_code, h.json()]))"
        )
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "site_ordre.settings",
            "SECRET_KEY": "x" * 50,
            "SITE_HTTPS": "0",
            "ALLOWED_HOSTS": "testserver",
            "DATABASE_URL": "postgres://postgres@127.0.0.1:1/site_ordre_prod",
            "LOG_LEVEL": "CRITICAL",
        }
        env.pop("REDIS_URL", None)
        result = subprocess.run(  # noqa: S603
            [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
        )
        self.assertEqual(result.returncode, 0, result.stderr)
        fr, en, health, body = json.loads(result.stdout.strip().splitlines()[-1])
        self.assertEqual((fr, en, health), (503, 503, 503))
        self.assertEqual(body, {"status": "unavailable", "database": "default"})


class AtomicRequestTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.home = ensure_home_page()
        cls.page = add_child_page(cls.home, "ordres", "orders")
        cls.editor = get_user_model().objects.create_superuser("editor", "e@example.org", "pw-not-used")

    def test_a_request_that_fails_midway_leaves_nothing_half_written(self):
        def fail(**kwargs):
            raise RuntimeError("purge failed")

        self.client.force_login(self.editor)
        self.client.raise_request_exception = False
        page_unpublished.connect(fail, dispatch_uid="test_fail")
        self.addCleanup(page_unpublished.disconnect, dispatch_uid="test_fail")
        with self.assertLogs("django.request", "ERROR"):
            response = self.client.post(f"/admin/pages/{self.page.pk}/unpublish/")
        self.assertEqual(response.status_code, 500)
        # The page row had been saved as not live before the signal failed: it was rolled back.
        self.assertTrue(Page.objects.get(pk=self.page.pk).live)
