"""The contact page's three states (form, form with errors, thanks) are valid HTML in both languages."""

import tempfile
from pathlib import Path

import pytest

from django.test import TestCase

from contact.loading import load_contact_file
from home.seeding import ensure_home_page
from tests.contact.test_contact import message_data
from tests.factories import SameSiteClient
from tests.quality.validators import html_validate, vnu_validate


@pytest.mark.frontend_tools
class ContactValidityTests(TestCase):
    client_class = SameSiteClient

    @classmethod
    def setUpTestData(cls):
        ensure_home_page()
        load_contact_file()

    def test_every_state_of_the_contact_page_is_valid_html(self):
        pages = {}
        for language, thanks in (("fr", "merci"), ("en", "thanks")):
            url = f"/{language}/contact/"
            errors = self.client.post(url, message_data(message="", email="x", copy_requested="on"))
            self.assertEqual(errors.status_code, 400)
            pages[f"form-{language}"] = self.client.get(url).content
            pages[f"errors-{language}"] = errors.content
            pages[f"thanks-{language}"] = self.client.get(f"{url}{thanks}/?copy=1").content
        with tempfile.TemporaryDirectory() as folder:
            files = []
            for name, content in pages.items():
                path = Path(folder) / f"{name}.html"
                path.write_bytes(content)
                files.append(path)
            problems = {"html-validate": html_validate(files), "vnu": vnu_validate(files)}
        report = [
            f"{tool} {name}: {message}"
            for tool, per_file in problems.items()
            for name, messages in sorted(per_file.items())
            for message in messages
        ]
        self.assertEqual(report, [], "\n".join(report))
