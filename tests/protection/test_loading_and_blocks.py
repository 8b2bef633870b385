import copy
import json

from django.contrib.auth import get_user_model
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from wagtail.models import Page, Revision

from home.models import HomePage
from protection.blocks import ExplainerStreamBlock, GuideStreamBlock
from protection.loading import (
    EXPLAINERS_FILE,
    GUIDE_FILE,
    ExplainerDataError,
    load_explainers_data,
    load_explainers_files,
)
from protection.models import ExplainerPage, GuidePage
from tests.factories import data_query_count, load_site
from tests.protection.test_explainers import url_in

MAX_QUERIES = 12


def read(path) -> object:
    return json.loads(path.read_text(encoding="utf-8"))


class LoaderTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        load_site()

    def snapshot(self) -> tuple:
        return (Page.objects.count(), Revision.objects.count(), HomePage.objects.get().latest_revision_id)

    def test_loading_twice_changes_nothing(self):
        before = self.snapshot()
        report = load_explainers_files()
        self.assertEqual(self.snapshot(), before)
        self.assertEqual((report.created, report.updated), ([], []))

    def test_editor_changes_survive_a_reload_unless_overwrite(self):
        page = ExplainerPage.objects.get(key="syndic")
        page.summary_fr = "Texte revu par une éditrice."
        page.save_revision().publish()
        load_explainers_files()
        self.assertEqual(ExplainerPage.objects.get(key="syndic").summary_fr, "Texte revu par une éditrice.")
        load_explainers_files(overwrite=True)
        self.assertTrue(ExplainerPage.objects.get(key="syndic").summary_fr.startswith("Un professionnel"))

    def test_broken_data_is_refused_before_anything_is_written(self):
        explainers, guide = read(EXPLAINERS_FILE), read(GUIDE_FILE)
        bad_guide = copy.deepcopy(guide)
        bad_guide["nodes"]["q1"]["options"][0]["next"] = "nowhere"
        bad_explainers = copy.deepcopy(explainers)
        bad_explainers[1]["body_en"].append({"type": "links", "value": {"title": "x", "page_keys": ["nope"]}})
        before = self.snapshot()
        for name, args in {
            "guide": (explainers, bad_guide),
            "links": (bad_explainers, guide),
        }.items():
            with self.subTest(name), self.assertRaises(ExplainerDataError):
                load_explainers_data(*args)
        self.assertEqual(self.snapshot(), before)


class QueryCountTests(TestCase):
    """Explainer pages and the guide run a small, fixed number of queries whatever their content."""

    @classmethod
    def setUpTestData(cls):
        load_site()

    def queries(self, path: str) -> int:
        self.client.get(path)  # warm per-process caches (site root paths, content types)
        with CaptureQueriesContext(connection) as captured:
            response = self.client.get(path)
        self.assertEqual(response.status_code, 200, path)
        return data_query_count(captured)

    def test_every_explainer_page_runs_the_same_small_number_of_queries(self):
        for language in ("fr", "en"):
            counts = {page.key: self.queries(url_in(page, language)) for page in ExplainerPage.objects.all()}
            with self.subTest(language=language):
                # From 0 to 2 FAQ, link and figure blocks per page: the count does not move.
                self.assertEqual(len(set(counts.values())), 1, counts)
                self.assertLessEqual(max(counts.values()), MAX_QUERIES, counts)
            hub = self.queries(
                f"/{language}/" + ("proteger-le-public/" if language == "fr" else "protecting-the-public/")
            )
            self.assertLessEqual(hub, MAX_QUERIES)

    def test_every_guide_step_runs_a_small_number_of_queries(self):
        guide = GuidePage.objects.get()
        for language in ("fr", "en"):
            base = url_in(guide, language)
            counts = {step.value["key"]: self.queries(f"{base}?step={step.value['key']}") for step in guide.steps}
            with self.subTest(language=language):
                self.assertLessEqual(max(counts.values()), MAX_QUERIES, counts)
                # Results list 2 or 3 explainers: one query for all of them.
                results = {key: count for key, count in counts.items() if key.startswith("r_")}
                self.assertLessEqual(max(results.values()) - min(results.values()), 2, results)


class BlockPreviewTests(TestCase):
    """Each block shows an editor preview built from its preview value."""

    @classmethod
    def setUpTestData(cls):
        load_site()

    def test_every_block_renders_its_preview_value_in_french_and_english(self):
        blocks = {**ExplainerStreamBlock().child_blocks, **GuideStreamBlock().child_blocks}
        for language in ("fr", "en"):
            with translation.override(language):
                for name, block in blocks.items():
                    with self.subTest(block=name, language=language):
                        html = block.render(block.get_preview_value())
                        self.assertTrue(html.strip(), name)
        with translation.override("fr"):
            faq = ExplainerStreamBlock().child_blocks["faq"]
            self.assertIn("<summary>Est-ce gratuit?</summary>", faq.render(faq.get_preview_value()))
            links = ExplainerStreamBlock().child_blocks["links"]
            self.assertIn("/fr/proteger-le-public/", links.render(links.get_preview_value()))

    def test_the_admin_block_preview_view_shows_each_block(self):
        user = get_user_model().objects.create_superuser("editor", "e@example.org", "pw-not-used")
        self.client.force_login(user)
        for name, block in ExplainerStreamBlock().child_blocks.items():
            with self.subTest(block=name):
                response = self.client.get("/admin/block-preview/", {"id": block.definition_prefix})
                self.assertEqual(response.status_code, 200)
        block = ExplainerStreamBlock().child_blocks["steps"]
        response = self.client.get("/admin/block-preview/", {"id": block.definition_prefix})
        self.assertContains(response, '<ol class="steps__list">')
