"""The new markup (a reply under its comment, the consent box, the form sent back with errors) is valid
HTML in French and English: html-validate and the W3C Nu checker."""

import tempfile
from pathlib import Path

import pytest

from django.test import TestCase

from blog.models import Comment, TeamReply
from home.seeding import ensure_home_page
from tests.factories import SameSiteClient, comment_data, make_blog, make_post
from tests.quality.validators import html_validate, vnu_validate

PATHS = {"fr": "/fr/blogue/billet-1/", "en": "/en/blog/post-1/"}


@pytest.mark.frontend_tools
class ReplyMarkupTests(TestCase):
    client_class = SameSiteClient

    @classmethod
    def setUpTestData(cls):
        post = make_post(make_blog(ensure_home_page()), 1)
        for language, reply in (("fr", "Réponse en français."), ("en", "A reply in English.")):
            comment = Comment.objects.create(
                post=post, name="Luc", body="Question", status="approved", language=language
            )
            TeamReply.objects.create(comment=comment, body=reply, language=language, status="published")

    def test_replies_and_the_form_with_errors_are_valid_html(self):
        with tempfile.TemporaryDirectory() as folder:
            files = []
            for language, path in PATHS.items():
                pages = {
                    "post": self.client.get(path),
                    "errors": self.client.post(path, comment_data(name="", email="", notify_on_reply="on")),
                }
                self.assertContains(pages["post"], 'class="comment comment--team"')
                self.assertContains(pages["errors"], 'id="comment-errors"')
                for name, response in pages.items():
                    files.append(Path(folder) / f"reply-{name}-{language}.html")
                    files[-1].write_bytes(response.content)
            problems = {"html-validate": html_validate(files), "vnu": vnu_validate(files)}
        report = [f"{tool} {name}: {m}" for tool, found in problems.items() for name, ms in found.items() for m in ms]
        self.assertEqual(report, [], "\n".join(report))
