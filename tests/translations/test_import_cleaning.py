"""A hostile translation file, imported by a translator: nothing dangerous is stored, and they are told."""

import io
import re
import zipfile
from xml.sax.saxutils import escape

from bs4 import BeautifulSoup
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase as HypothesisTestCase

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import TestCase
from django.utils.html import strip_tags

from professions.models import OrderPage, Sector
from protection.models import GuidePage
from tests.factories import build_directory, build_guide, publish, sector, use_admin_language
from translations.cleaning import clean_rich_text
from translations.roles import TRANSLATORS, ensure_roles

User = get_user_model()

# What a hostile (or careless) tool could write in a <target>, each with words that must survive.
HOSTILE = [
    "<p>Script words</p><script>alert('x')</script>",
    '<p>Image words <img src="x" onerror="alert(1)"></p>',
    '<p onclick="alert(1)" onmouseover="alert(2)">Handler words</p>',
    '<p><a href="javascript:alert(1)">JS link words</a></p>',
    '<p><a href="JaVaScRiPt:alert(1)">Mixed case words</a></p>',
    '<p><a href="jav&#x61;script&colon;alert(1)">Entity words</a></p>',
    '<p><a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">Decimal words</a></p>',
    '<p><a href=" java\tscript:alert(1)">Tab words</a></p>',
    '<p><a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">Data words</a></p>',
    '<p><a href="vbscript:msgbox(1)">VB words</a></p>',
    '<p style="background:url(javascript:alert(1))">Style words</p><style>body{display:none}</style>',
    '<iframe src="https://evil.example/"></iframe><p>Frame words</p>',
    '<object data="https://evil.example/x.swf"></object><embed src="https://evil.example/x.swf"><p>Object words</p>',
    '<svg onload="alert(1)"><script>alert(2)</script></svg><p>Svg words</p>',
    "<p>Nested <b>bold <i>italic <a href='https://example.org/ok' onclick='x()'>good link words</a></i></b></p>",
    "<p>Unclosed <b>bold <i>italic words",
    "<div><p>Malformed <div>block words</div></p></div></span></p></b>",
    '<p><a href="https://example.org/ok" target="_blank" rel="opener">Target words</a></p>',
    '<p>Form words</p><form action="https://evil.example/"><input name="x"><button>Go</button></form>',
    "<p>Comment words<!-- <script>alert(1)</script> --></p>",
    '<math><mtext><table><mglyph><style><img src=x onerror="alert(1)"></style></mglyph></table></mtext></math>'
    "<p>Mxss words</p>",
    '<p><a href="mailto:syndic@example.org">Mail words</a></p>',
]
# Nothing to remove in these: the editor's parser closes the tags, and mailto links are allowed.
HARMLESS = {"<p>Unclosed <b>bold <i>italic words", '<p><a href="mailto:syndic@example.org">Mail words</a></p>'}
DANGER = re.compile(
    r"<\s*(script|style|iframe|object|embed|svg|math|img|form|input)|\son\w+\s*=|javascript:|vbscript:|data:|"
    r"style=|evil\.example|alert\(",
    re.I,
)
ALLOWED_TAGS = {"p", "b", "i", "a", "ol", "ul", "li", "br"}
ALLOWED_ATTRIBUTES = {"data-block-key", "href", "linktype", "id"}


def assert_safe_html(test: TestCase, html: str, *, words_too: bool = True) -> None:
    """Only the editor's tags and attributes, links to http(s), mailto or pages, nothing that runs.

    `words_too`: nor any of the corpus' dangerous words left as text (code from a script, a style).
    """
    if words_too:
        test.assertIsNone(DANGER.search(html), html)
    for tag in BeautifulSoup(html, "html.parser").find_all(True):
        test.assertIn(tag.name, ALLOWED_TAGS, html)
        test.assertLessEqual(set(tag.attrs), ALLOWED_ATTRIBUTES, html)
        if tag.name == "a" and not tag.get("linktype"):
            test.assertRegex(tag.get("href", ""), r"^(https?:|mailto:)", html)


def assert_plain(test: TestCase, text: str) -> None:
    test.assertEqual(strip_tags(text), text)
    test.assertNotRegex(text, r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
    test.assertIsNone(re.search(r"<\s*script|\son\w+\s*=", text), text)


def fill(content: bytes, targets: dict[str, str]) -> bytes:
    """The <target> of each unit id replaced by the (XML-escaped) text."""
    text = content.decode()
    for unit_id, target in targets.items():
        pattern = (
            rf'(<trans-unit id="{re.escape(unit_id)}"[^>]*>\s*<source>.*?</source>\s*)<target[^>]*?(?:/>|>.*?</target>)'
        )
        text, count = re.subn(
            pattern, lambda m, t=target: f"{m.group(1)}<target>{escape(t)}</target>", text, flags=re.S
        )
        assert count == 1, unit_id
    return text.encode()


class HostileImportTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.home, cls.index, cls.order = build_directory()
        order = OrderPage.objects.get(pk=cls.order.pk)
        order.description_fr = "<p>Il protège le public.</p>"
        order.body_fr = [
            {"type": "heading", "value": "Porter plainte", "id": "h1"},
            {"type": "paragraph", "value": "<p>C'est <b>gratuit</b>.</p>", "id": "p1"},
        ]
        publish(order)
        ensure_roles()
        cls.translator = User.objects.create_user("traducteur", "t@example.org", "correct-horse")
        cls.translator.groups.add(Group.objects.get(name=TRANSLATORS))
        cls.moderator = User.objects.create_superuser("admin", "a@example.org", "correct-horse")

    def setUp(self):
        use_admin_language(self.translator, "en")
        self.client.force_login(self.translator)
        self.order = OrderPage.objects.get(pk=self.order.pk)

    def export(self, url: str) -> bytes:
        response = self.client.get(url)
        self.assertEqual(response.status_code, 200)
        return response.content

    def import_page(self, page, content: bytes):
        return self.client.post(
            f"/admin/translations/pages/{page.pk}/import/", {"file": io.BytesIO(content)}, follow=True
        )

    def order_targets(self, hostile: str) -> dict[str, str]:
        return {
            "title": "Order of testers <script>alert(1)</script>",
            "summary": "Testers\x9b protect <b onclick='x()'>the public</b>.",
            "description": hostile,
            "body.h1": "Complaints<img src=x onerror=alert(1)>",
            "body.p1": hostile,
        }

    def assert_order_draft_safe(self):
        draft = OrderPage.objects.get(pk=self.order.pk).get_latest_revision_as_object()
        assert_safe_html(self, draft.description_en)
        assert_safe_html(self, draft.body_en.raw_data[1]["value"])
        for text in (draft.title_en, draft.summary_en, draft.body_en.raw_data[0]["value"]):
            assert_plain(self, text)
        return draft

    def test_each_hostile_text_is_cleaned_in_a_rich_text_field_and_a_rich_text_block(self):
        exported = self.export(f"/admin/translations/pages/{self.order.pk}/export/")
        for hostile in HOSTILE:
            with self.subTest(hostile=hostile):
                response = self.import_page(self.order, fill(exported, self.order_targets(hostile)))
                self.assertEqual(response.status_code, 200)
                draft = self.assert_order_draft_safe()
                self.assertEqual(draft.title_en, "Order of testers alert(1)")
                words = re.search(r"(\w+ words)", hostile).group(1)
                self.assertIn(words, strip_tags(draft.description_en))
                self.assertIn(words, strip_tags(draft.body_en.raw_data[1]["value"]))
                # The translator is told which texts lost something.
                warning = [str(m) for m in response.context["messages"] if m.level_tag == "warning"]
                self.assertEqual(len(warning), 1, hostile)
                self.assertIn("Markup the editor does not allow there was removed", warning[0])
                self.assertIn("Title", warning[0])
                self.assertIn("Summary", warning[0])
                self.assertIn("Heading", warning[0])
                if hostile in HARMLESS:
                    self.assertNotIn("Description", warning[0])
                else:
                    self.assertIn("Description", warning[0])

    def test_a_clean_file_is_imported_without_a_warning_and_keeps_allowed_markup(self):
        exported = self.export(f"/admin/translations/pages/{self.order.pk}/export/")
        good = '<p>It is <b>free</b>, <i>really</i>: <a href="https://example.org/">see</a>.</p><ul><li>One</li></ul>'
        response = self.import_page(
            self.order,
            fill(
                exported,
                {"title": "Order", "summary": "A & B < C", "description": good, "body.h1": "Hi", "body.p1": good},
            ),
        )
        self.assertFalse([m for m in response.context["messages"] if m.level_tag == "warning"])
        draft = OrderPage.objects.get(pk=self.order.pk).get_latest_revision_as_object()
        self.assertEqual(draft.summary_en, "A & B < C")
        cleaned = re.sub(r' data-block-key="\w+"', "", draft.description_en)
        self.assertHTMLEqual(cleaned, good)

    def test_the_english_preview_and_published_page_serve_none_of_it(self):
        exported = self.export(f"/admin/translations/pages/{self.order.pk}/export/")
        hostile = "".join(HOSTILE)
        self.import_page(self.order, fill(exported, {**self.order_targets(hostile), "title": "Order of testers"}))
        draft = self.assert_order_draft_safe()
        preview = draft.make_preview_request(preview_mode="en").content.decode()
        self.assertIn("Image words", preview)
        self.assertIsNone(DANGER.search(preview[preview.index("<main") : preview.index("</main>")]))
        revision = OrderPage.objects.get(pk=self.order.pk).get_latest_revision()
        revision.publish(user=self.moderator)
        page = OrderPage.objects.get(pk=self.order.pk)
        page.slug_en = "order-of-testers"
        publish(page)
        html = self.client.get("/en/orders/order-of-testers/").content.decode()
        self.assertIn("Image words", html)
        content = html[html.index("<main") : html.index("</main>")]
        self.assertIsNone(DANGER.search(content))

    def test_huge_text_is_refused_and_nothing_is_written(self):
        exported = self.export(f"/admin/translations/pages/{self.order.pk}/export/")
        huge = "<p>" + "mot " * 10_000 + "</p>"
        response = self.import_page(self.order, fill(exported, {**self.order_targets("<p>x</p>"), "body.p1": huge}))
        self.assertContains(response, "is longer than 20000 characters")
        self.assertFalse(OrderPage.objects.get(pk=self.order.pk).get_latest_revision_as_object().description_en)

    def test_entity_expansion_is_refused(self):
        bomb = (
            b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
            b"<x>&b;</x>"
        )
        response = self.import_page(self.order, bomb)
        self.assertContains(response, "This is not a valid XLIFF file.")

    def test_guide_steps_and_a_snippet_keep_plain_text(self):
        guide = build_guide(self.home, english=False)
        exported = self.export(f"/admin/translations/pages/{guide.pk}/export/")
        targets = {
            "title": "Who do I contact?",
            "intro": "A few <i>questions</i>.",
            "steps.q1.text": "What is <script>alert(1)</script>your situation?",
            "steps.q1.options.o1.label": "<a href='javascript:alert(1)'>A complaint</a>",
            "steps.q1.options.o2.label": "A question\x9b",
            "steps.r1.title": "Write to the syndic<iframe src=https://evil.example></iframe>",
            "steps.r1.text": "It is <b onmouseover=alert(1)>free</b>.",
        }
        response = self.import_page(guide, fill(exported, targets))
        warning = " ".join(str(m) for m in response.context["messages"] if m.level_tag == "warning")
        self.assertIn("Question", warning)
        steps = GuidePage.objects.get(pk=guide.pk).get_latest_revision_as_object().steps.raw_data
        question, result = steps[0]["value"], steps[1]["value"]
        for text in (question["text_en"], question["options"][0]["value"]["label_en"], result["title_en"]):
            assert_plain(self, text)
        self.assertEqual(question["options"][0]["value"]["label_en"], "A complaint")
        self.assertEqual(question["options"][1]["value"]["label_en"], "A question")
        self.assertEqual(result["text_en"], "It is free.")
        self.assertEqual(question["text_fr"], "Quelle est votre situation?")

        item = sector()
        url = f"/admin/translations/xliff/professions/sector/{item.pk}/export/"
        exported = self.export(url)
        response = self.client.post(
            url.replace("export", "import"),
            {"file": io.BytesIO(fill(exported, {"name": "<svg onload=alert(1)>Health</svg>"}))},
            follow=True,
        )
        self.assertIn("Name", " ".join(str(m) for m in response.context["messages"] if m.level_tag == "warning"))
        # A translator's snippet change is a draft: cleaned in the draft, the live row untouched.
        self.assertEqual(Sector.objects.get(pk=item.pk).get_latest_revision_as_object().name_en, "Health")
        self.assertIsNone(Sector.objects.get(pk=item.pk).name_en)

    def test_zip_import_cleans_every_file_and_names_them(self):
        guide = build_guide(self.home, english=False)
        order_file = fill(
            self.export(f"/admin/translations/pages/{self.order.pk}/export/"), self.order_targets("".join(HOSTILE))
        )
        guide_file = fill(
            self.export(f"/admin/translations/pages/{guide.pk}/export/"),
            {
                "title": "Who?",
                "steps.q1.text": "<script>alert(1)</script>Situation?",
                "steps.q1.options.o1.label": "A complaint",
                "steps.q1.options.o2.label": "A question",
                "steps.r1.title": "Write",
                "steps.r1.text": "Free.",
            },
        )
        item = sector()
        sector_file = fill(
            self.export(f"/admin/translations/xliff/professions/sector/{item.pk}/export/"),
            {"name": "<b onclick=alert(1)>Health</b>"},
        )
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("order.xlf", order_file)
            archive.writestr("guide.xlf", guide_file)
            archive.writestr("sector.xlf", sector_file)
        response = self.client.post(
            "/admin/translations/zip/import/", {"file": io.BytesIO(buffer.getvalue())}, follow=True
        )
        warnings = [str(m) for m in response.context["messages"] if m.level_tag == "warning"]
        self.assertEqual([warning.split(":")[0] for warning in warnings], ["order.xlf", "guide.xlf", "sector.xlf"])
        # A translator's snippet change is a draft: cleaned in the draft, the live row untouched.
        self.assertEqual(Sector.objects.get(pk=item.pk).get_latest_revision_as_object().name_en, "Health")
        self.assertIsNone(Sector.objects.get(pk=item.pk).name_en)
        self.assert_order_draft_safe()
        steps = GuidePage.objects.get(pk=guide.pk).get_latest_revision_as_object().steps.raw_data
        self.assertEqual(steps[0]["value"]["text_en"], "alert(1)Situation?")


FRAGMENTS = st.sampled_from(
    [
        "<p>",
        "</p>",
        "<b>",
        "</b>",
        "<i>",
        "<a href='javascript:x()'>",
        "<a href='https://example.org/'>",
        "</a>",
        "<script>",
        "</script>",
        "<img src=x onerror=alert(1)>",
        "<svg onload=alert(1)>",
        "<style>",
        "<iframe src=x>",
        " style='x'",
        " onclick=alert(1)",
        "<",
        ">",
        "&",
        "&#106;avascript:",
        "<!--",
        "-->",
        "<ul><li>",
        "words ",
        '"',
        "'",
        "\x00",
    ]
)


class RichTextCleaningPropertyTests(HypothesisTestCase):
    @settings(max_examples=200, deadline=None)
    @given(st.lists(FRAGMENTS, max_size=30))
    def test_any_mix_of_fragments_comes_out_safe(self, parts):
        cleaned, _removed = clean_rich_text("".join(parts), ["bold", "italic", "ol", "ul", "link"])
        assert_safe_html(self, cleaned, words_too=False)
        again, removed_again = clean_rich_text(cleaned, ["bold", "italic", "ol", "ul", "link"])
        self.assertEqual(removed_again, ())  # what the cleaning keeps, it keeps the next time


class EditorFeatureTests(TestCase):
    def test_internal_links_and_embeds_keep_only_what_the_editor_can_write(self):
        html = (
            '<p><a linktype="page" id="3">page</a> <a linktype="page" id="abc">bad id</a> '
            '<a linktype="document" id="">no id</a> <a linktype="evil" id="1">evil</a></p>'
            '<embed embedtype="media" url="javascript:alert(1)"/><embed embedtype="image" id="x"/>'
            '<embed embedtype="media" url="https://www.youtube.com/watch?v=x"/>'
        )
        cleaned, removed = clean_rich_text(html, None)  # a RichTextField's default features: embeds allowed
        soup = BeautifulSoup(cleaned, "html.parser")
        self.assertEqual([(a["linktype"], a["id"]) for a in soup.find_all("a")], [("page", "3")], cleaned)
        self.assertEqual([e["url"] for e in soup.find_all("embed")], ["https://www.youtube.com/watch?v=x"])
        self.assertIn("bad id", soup.get_text())
        self.assertTrue(removed)
        cleaned, _removed = clean_rich_text(html, ["bold", "link"])  # a paragraph block: no embeds at all
        self.assertIsNone(BeautifulSoup(cleaned, "html.parser").find("embed"))
