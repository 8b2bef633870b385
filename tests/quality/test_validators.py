"""The HTML checkers report errors, stay silent on valid pages, and fail loudly when they crash."""

import tempfile
from pathlib import Path
from unittest import mock

import pytest

from django.test import SimpleTestCase

from tests.quality import validators

VALID = '<!DOCTYPE html><html lang="fr"><head><title>Accueil</title></head><body><p>Bonjour</p></body></html>\n'
INVALID = VALID.replace("<p>Bonjour</p>", "<p>Bonjour</div>")


@pytest.mark.frontend_tools
class ValidatorTests(SimpleTestCase):
    def setUp(self):
        folder = tempfile.TemporaryDirectory()
        self.addCleanup(folder.cleanup)
        self.folder = Path(folder.name)
        self.valid = self.folder / "valid.html"
        self.valid.write_text(VALID, encoding="utf-8")
        self.invalid = self.folder / "invalid.html"
        self.invalid.write_text(INVALID, encoding="utf-8")

    def test_both_checkers_report_the_invalid_page_only(self):
        for check in (validators.html_validate, validators.vnu_validate):
            with self.subTest(check.__name__):
                self.assertEqual(list(check([self.valid, self.invalid])), ["invalid.html"])
                self.assertEqual(check([self.valid]), {})

    def test_html_validate_that_crashes_fails_instead_of_passing(self):
        broken = self.folder / "broken.json"
        broken.write_text('{"extends": ["html-validate:no-such-preset"]}', encoding="utf-8")
        with mock.patch.object(validators, "HTML_VALIDATE_CONFIG", broken), self.assertRaises(validators.CheckerFailed):
            validators.html_validate([self.valid])

    def test_vnu_that_cannot_start_fails_instead_of_passing(self):
        with (
            mock.patch.object(validators, "VNU_JAR", self.folder / "missing.jar"),
            self.assertRaises(validators.CheckerFailed),
        ):
            validators.vnu_validate([self.valid])

    def test_a_missing_page_file_fails_both_checkers(self):
        for check in (validators.html_validate, validators.vnu_validate):
            with self.subTest(check.__name__), self.assertRaises(validators.CheckerFailed):
                check([self.folder / "missing.html"])
