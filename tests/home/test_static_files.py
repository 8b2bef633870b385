"""Production static files: whitenoise serves them fingerprinted, compressed and cached for a year."""

import json
import re
import tempfile
from pathlib import Path

from django.core.management import call_command
from django.test import Client, TestCase, override_settings

from home.seeding import ensure_home_page

PRODUCTION_STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}


class StaticFilesTests(TestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.static_root = tempfile.TemporaryDirectory()
        cls.settings_override = override_settings(STATIC_ROOT=cls.static_root.name, STORAGES=PRODUCTION_STORAGES)
        cls.settings_override.enable()
        call_command("collectstatic", "--noinput", verbosity=0)

    @classmethod
    def tearDownClass(cls):
        cls.settings_override.disable()
        cls.static_root.cleanup()
        super().tearDownClass()

    @classmethod
    def setUpTestData(cls):
        ensure_home_page()

    def test_pages_link_fingerprinted_css_and_icon(self):
        html = self.client.get("/fr/").content.decode()
        self.assertRegex(html, r'href="/static/home/css/site\.[0-9a-f]{12}\.css"')
        self.assertRegex(html, r'href="/static/home/img/favicon\.[0-9a-f]{12}\.svg"')
        manifest = json.loads((Path(self.static_root.name) / "staticfiles.json").read_text(encoding="utf-8"))
        self.assertIn("home/css/site.css", manifest["paths"])

    def test_fingerprinted_css_is_served_compressed_with_a_year_of_cache(self):
        html = self.client.get("/fr/").content.decode()
        css_url = re.search(r'href="(/static/home/css/site\.[0-9a-f]{12}\.css)"', html).group(1)
        response = Client().get(css_url, HTTP_ACCEPT_ENCODING="gzip")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Encoding"], "gzip")
        self.assertIn("max-age=315360000", response["Cache-Control"])
        self.assertIn("immutable", response["Cache-Control"])

    def test_favicon_ico_redirects_to_the_fingerprinted_icon(self):
        response = self.client.get("/favicon.ico")
        self.assertEqual(response.status_code, 301)
        self.assertRegex(response["Location"], r"^/static/home/img/favicon\.[0-9a-f]{12}\.ico$")
        self.assertEqual(Client().get(response["Location"]).status_code, 200)


class CompressionAndRobotsTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        ensure_home_page()

    def test_pages_are_gzip_compressed_for_browsers_that_accept_it(self):
        response = self.client.get("/fr/", HTTP_ACCEPT_ENCODING="gzip, br")
        self.assertEqual(response["Content-Encoding"], "gzip")
        self.assertIn("Accept-Encoding", response["Vary"])

    def test_robots_txt_keeps_crawlers_out_of_the_admin(self):
        response = self.client.get("/robots.txt")
        self.assertContains(response, "Disallow: /admin/")
        self.assertEqual(response["Content-Type"], "text/plain; charset=utf-8")
