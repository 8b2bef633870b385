"""French staff read French labels: the login page, the editors of each content type, block labels."""

import html
import json
import re

from django.contrib.auth import get_user_model
from django.test import SimpleTestCase, TestCase
from django.utils import translation
from django.utils.text import capfirst

from wagtail import blocks
from wagtail.fields import StreamField
from wagtail.models import Page

from home.seeding import ensure_home_page, ensure_standard_pages
from professions.models import OrderPage, ProfessionPage, Sector
from protection.models import ExplainerIndexPage, ExplainerPage, GuidePage
from tests.factories import directory_data, load_directory_data, load_explainers_files, sector
from translations.status import tracked_models

# English labels French staff saw in the admin (issue #23).
ENGLISH = {"Password", "View / edit fields for", "Body", "Key", "Sort order", "Kind", "Text", "Paragraph", "Steps"}
# Words spelled the same in both languages: their auto-generated label is French already.
SAME_IN_FRENCH = {"Question", "Questions", "Page", "Pages", "Source", "Description", "Introduction", "Slug"}


def labels(page: str) -> set[str]:
    """Every label a person reads on an admin page: fields, panel headings and StreamField block labels."""
    found = set()
    for raw in re.findall(r"<label[^>]*>(.*?)</label>", page, flags=re.S):
        found.add(html.unescape(re.sub(r"<[^>]+>", " ", raw)))
    found |= {html.unescape(raw) for raw in re.findall(r"data-panel-heading-text>([^<]*)<", page)}
    for raw in re.findall(r'"label":\s*"((?:[^"\\]|\\.)*)"', html.unescape(page)):
        found.add(json.loads(f'"{raw}"'))
    found |= set(re.findall(r"viewEditString: '([^']*)'", page))
    # "Corps [fr] *": the label without the language code and the required mark.
    return {" ".join(re.sub(r"\[\w\w\]|\*", " ", label).split()) for label in found} - {""}


class AdminPagesInFrenchTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        home = ensure_home_page()
        ensure_standard_pages(home)
        load_directory_data(directory_data(1, 1))
        load_explainers_files()
        sector()
        cls.admin = get_user_model().objects.create_superuser("admin", "a@example.org", "correct-horse")

    def test_the_login_page_is_french_for_an_english_browser(self):
        response = self.client.get("/admin/login/", HTTP_ACCEPT_LANGUAGE="en-CA,en;q=0.9")
        found = labels(response.content.decode())
        self.assertIn("Mot de passe", found)
        self.assertIn("Nom d’utilisateur", found)
        self.assertFalse(found & ENGLISH, found & ENGLISH)

    def test_every_editor_shows_french_labels_only(self):
        self.client.force_login(self.admin)
        pages = [
            Page.objects.type(model).first()
            for model in (type(ensure_home_page()), ExplainerIndexPage, ExplainerPage, GuidePage, OrderPage)
        ]
        pages += [Page.objects.type(ProfessionPage).first()]
        urls = [f"/admin/pages/{page.pk}/edit/" for page in pages if page is not None]
        urls += [
            f"/admin/pages/{page.pk}/edit/"
            for page in Page.objects.filter(depth=3).exclude(pk__in=[p.pk for p in pages if p])[:3]
        ]
        urls.append(f"/admin/snippets/professions/sector/edit/{Sector.objects.first().pk}/")
        self.assertGreaterEqual(len(urls), 7)
        for url in urls:
            with self.subTest(url=url):
                response = self.client.get(url, HTTP_ACCEPT_LANGUAGE="en-CA,en;q=0.9")
                self.assertEqual(response.status_code, 200)
                found = labels(response.content.decode())
                self.assertFalse(found & ENGLISH, found & ENGLISH)
        explainer = self.client.get(f"/admin/pages/{Page.objects.type(ExplainerPage).first().pk}/edit/")
        found = labels(explainer.content.decode())
        self.assertTrue({"Voir ou modifier les champs en", "Contenu", "Clé", "Paragraphe", "Type", "Texte"} <= found)

    def test_workspace_rows_name_nested_blocks_in_french(self):
        self.client.force_login(self.admin)
        explainer = next(page for page in ExplainerPage.objects.all() if "steps" in str(page.body_fr.raw_data))
        response = self.client.get(f"/admin/translations/workspace/wagtailcore/page/{explainer.pk}/")
        page = response.content.decode()
        row_labels = set(re.findall(r'<span class="tw-label">([^<]*)</span>', page))
        self.assertTrue(row_labels)
        self.assertFalse({label for label in row_labels if set(re.split(r" › ", label)) & ENGLISH})
        self.assertNotRegex(page, r"tw-label\">[^<]*› [a-zé]")  # "Étapes › étape": each part keeps its capital


class BlockAndFieldLabelTests(SimpleTestCase):
    def test_every_block_and_content_field_has_a_french_label(self):
        untranslated = []

        def walk(block, where):
            for name, child in getattr(block, "child_blocks", {}).items():
                label = str(child.label)
                if label == capfirst(name.replace("_", " ")) and label not in SAME_IN_FRENCH:
                    untranslated.append(f"{where}.{name}: {label}")
                walk(child, f"{where}.{name}")
            if isinstance(block, blocks.ListBlock):
                walk(block.child_block, where)

        with translation.override("fr"):
            for model in tracked_models():
                for field in model._meta.get_fields():
                    if isinstance(field, StreamField):
                        walk(field.stream_block, f"{model.__name__}.{field.name}")
                    if field.concrete and field.model is model and not field.name.endswith(("_fr", "_en", "_ptr")):
                        label = capfirst(str(field.verbose_name))
                        if label == capfirst(field.name.replace("_", " ")) and label not in SAME_IN_FRENCH:
                            untranslated.append(f"{model.__name__}.{field.name}: {label}")
        self.assertEqual(sorted(set(untranslated)), [])
