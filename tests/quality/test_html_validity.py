"""Every public page type, in French and English, is valid HTML (html-validate and the W3C Nu checker)."""

import tempfile
from pathlib import Path

import pytest

from django.test import TestCase

from tests.factories import seed_quality_pages
from tests.pages import LANGUAGES, page_types
from tests.quality.validators import html_validate, vnu_validate


@pytest.mark.frontend_tools
class HtmlValidityTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        seed_quality_pages()

    def test_every_page_type_is_valid_html_in_both_languages(self):
        with tempfile.TemporaryDirectory() as folder:
            files = {}
            for page_type in page_types():
                for language in LANGUAGES:
                    response = self.client.get(page_type.path(language))
                    expected_status = 404 if page_type.name == "not found" else 200
                    self.assertEqual(response.status_code, expected_status, page_type.path(language))
                    name = f"{page_type.name.replace(' ', '-')}-{language}.html"
                    path = Path(folder) / name
                    path.write_bytes(response.content)
                    files[name] = path
            problems = {"html-validate": html_validate(list(files.values())), "vnu": vnu_validate(list(files.values()))}
        report = [
            f"{tool} {name}: {message}"
            for tool, per_file in problems.items()
            for name, messages in sorted(per_file.items())
            for message in messages
        ]
        self.assertEqual(report, [], "\n".join(report))
