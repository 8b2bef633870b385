import io
import os
import subprocess
import sys
from pathlib import Path

from PIL import Image

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory, SimpleTestCase, TestCase, override_settings

from wagtail.images import get_image_model
from wagtail.images.forms import get_image_form
from wagtail.models import Collection, Page

from home.loaders import publish
from home.seeding import ensure_home_page
from ops.security import client_ip

ROOT = Path(__file__).resolve().parents[2]


def directives(header: str) -> dict[str, list[str]]:
    parsed = {}
    for part in header.split(";"):
        name, *values = part.split()
        parsed[name] = values
    return parsed


class DeployCheckTests(SimpleTestCase):
    def test_check_deploy_is_clean_under_production_settings(self):
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "site_ordre.settings",
            "SECRET_KEY": "k3y-" + "a1B2c3D4e5F6g7H8i9J0" * 4,
            "SITE_HTTPS": "1",
            "ALLOWED_HOSTS": "ordre.example",
        }
        for name in ("DEBUG", "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "DJANGO_ALLOW_ASYNC_UNSAFE"):
            env.pop(name, None)
        result = subprocess.run(
            [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        self.assertIn("no issues", result.stdout)


class SecurityHeaderTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        ensure_home_page()

    def test_public_pages_send_a_strict_policy_and_security_headers(self):
        for path in ("/fr/", "/en/", "/fr/recherche/", "/fr/nulle-part/"):
            with self.subTest(path=path):
                response = self.client.get(path)
                csp = directives(response["Content-Security-Policy"])
                self.assertEqual(csp["script-src"], ["'self'"])
                self.assertNotIn("'unsafe-inline'", csp["style-src"])
                self.assertEqual(csp["frame-ancestors"], ["'none'"])
                self.assertEqual(csp["object-src"], ["'none'"])
                self.assertEqual(response["X-Frame-Options"], "DENY")
                self.assertEqual(response["X-Content-Type-Options"], "nosniff")
                self.assertEqual(response["Referrer-Policy"], "strict-origin-when-cross-origin")
                self.assertIn("camera=()", response["Permissions-Policy"])
                self.assertIn("geolocation=()", response["Permissions-Policy"])

    def test_the_admin_keeps_the_inline_scripts_wagtail_needs(self):
        csp = directives(self.client.get("/admin/login/")["Content-Security-Policy"])
        self.assertIn("'unsafe-inline'", csp["script-src"])
        self.assertEqual(csp["frame-ancestors"], ["'self'"])

    @override_settings(SECURE_HSTS_SECONDS=31536000, SECURE_HSTS_INCLUDE_SUBDOMAINS=True)
    def test_https_responses_carry_hsts(self):
        response = self.client.get("/fr/", secure=True)
        self.assertEqual(response["Strict-Transport-Security"], "max-age=31536000; includeSubDomains")

    def test_healthz_is_exempt_from_the_https_redirect(self):
        with override_settings(SECURE_SSL_REDIRECT=True):
            self.assertEqual(self.client.get("/healthz").status_code, 200)
            self.assertEqual(self.client.get("/fr/").status_code, 301)


@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=3)
class AdminLockoutTests(TestCase):
    def setUp(self):
        get_user_model().objects.create_superuser("editor", "e@example.org", "right-password-123")

    def login(self, password: str, ip: str = "203.0.113.7"):
        return self.client.post("/admin/login/", {"username": "editor", "password": password}, REMOTE_ADDR=ip)

    def test_repeated_failures_lock_the_account_out_even_with_the_right_password(self):
        for _ in range(2):
            self.assertEqual(self.login("wrong").status_code, 200)
        self.assertEqual(self.login("wrong").status_code, 429)  # the limit-th failure locks
        response = self.login("right-password-123")
        self.assertEqual(response.status_code, 429)
        self.assertNotIn("_auth_user_id", self.client.session)
        # Another address is not locked out by someone else's failures.
        self.assertEqual(self.login("right-password-123", ip="198.51.100.9").status_code, 302)

    def test_a_successful_login_before_the_limit_resets_the_count(self):
        for _ in range(2):
            self.login("wrong")
        self.assertEqual(self.login("right-password-123").status_code, 302)


class ClientIpTests(SimpleTestCase):
    def test_only_trusted_proxies_are_believed(self):
        request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7")
        with override_settings(TRUSTED_PROXY_COUNT=0):
            self.assertEqual(client_ip(request), "10.0.0.2")
        with override_settings(TRUSTED_PROXY_COUNT=1):
            self.assertEqual(client_ip(request), "203.0.113.7")


class EscapingTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.home = ensure_home_page()

    def test_text_fields_and_blocks_never_render_markup_from_editors(self):
        home = Page.objects.get(pk=self.home.pk).specific
        home.intro_fr = "<script>alert('intro')</script>"
        home.body_fr = [("heading", "<b onmouseover=alert(2)>Titre</b>")]
        publish(home)
        response = self.client.get("/fr/")
        content = response.content.decode()
        self.assertContains(response, "&lt;script&gt;alert(&#x27;intro&#x27;)&lt;/script&gt;")
        for raw in ("<script>alert", "<b onmouseover"):
            self.assertNotIn(raw, content)


class ImageUploadLimitTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.user = get_user_model().objects.create_superuser("editor", "e@example.org", "pw-not-used")
        if Collection.get_first_root_node() is None:
            Collection.add_root(name="Root")

    def upload(self, name: str, content: bytes):
        form_class = get_image_form(get_image_model())
        return form_class({"title": "Image"}, {"file": SimpleUploadedFile(name, content)}, user=self.user)

    @staticmethod
    def png(size: tuple[int, int], mode: str = "L", noise: bool = False) -> bytes:
        image = Image.frombytes(mode, size, os.urandom(size[0] * size[1])) if noise else Image.new(mode, size)
        buffer = io.BytesIO()
        image.save(buffer, "PNG")
        return buffer.getvalue()

    def test_a_small_png_is_accepted(self):
        self.assertTrue(self.upload("logo.png", self.png((40, 40))).is_valid())

    def test_svg_and_other_types_are_refused(self):
        svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
        for name, content in (("logo.svg", svg), ("logo.html", b"<html></html>")):
            with self.subTest(name=name):
                form = self.upload(name, content)
                self.assertFalse(form.is_valid())
                self.assertIn("file", form.errors)

    def test_files_over_the_size_limit_are_refused(self):
        big = self.png((3400, 3400), noise=True)  # about 11 MB of noise
        self.assertGreater(len(big), 10 * 1024 * 1024)
        form = self.upload("big.png", big)
        self.assertFalse(form.is_valid())
        self.assertIn("file", form.errors)

    def test_images_over_the_pixel_limit_are_refused(self):
        form = self.upload("huge.png", self.png((8000, 6000)))
        self.assertFalse(form.is_valid())
        self.assertIn("file", form.errors)
