"""Random French editing with English written in between: no English is lost, the status tells the truth,
numbers follow the French — through the workspace, Wagtail's editor, XLIFF and zip round trips."""

import uuid

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils.html import strip_tags

from wagtail.test.utils.form_data import rich_text

from home.models import StandardPage
from tests.factories import build_directory, use_admin_language
from tests.translations.editing import edit_url, page_edit_data
from tests.translations.test_workspace import inputs
from translations import bundles, xliff
from translations.models import MISSING
from translations.pairs import object_texts, set_units
from translations.roles import EDITORS, TRANSLATORS, ensure_roles
from translations.status import latest_state, records_for, recount
from translations.workspace_views import workspace_url

User = get_user_model()
FEATURES = ["bold", "italic", "ol", "ul", "link"]


def paragraph(text: str) -> dict:
    return {"type": "paragraph", "value": f"<p>{text}</p>", "id": str(uuid.uuid4())}


def chart(title: str, values: list[float]) -> dict:
    rows = [
        {"type": "item", "id": str(uuid.uuid4()), "value": {"label": str(2012 + i), "values": [value, 100 - value]}}
        for i, value in enumerate(values)
    ]
    return {
        "type": "chart",
        "id": str(uuid.uuid4()),
        "value": {
            "title": title,
            "kind": "grouped",
            "description": "",
            "series": [
                {"type": "item", "id": "s1", "value": "Le public"},
                {"type": "item", "id": "s2", "value": "Autres"},
            ],
            "row_heading": "Année",
            "rows": rows,
            "unit": "%",
            "source": "CROP",
            "year": "2015",
        },
    }


def key_figures(title: str) -> dict:
    figure = {"value": "46", "label": "ordres", "source": "OPQ 2017"}
    return {
        "type": "key_figures",
        "id": str(uuid.uuid4()),
        "value": {"title": title, "figures": [{"type": "item", "id": str(uuid.uuid4()), "value": figure}]},
    }


words = st.text(alphabet="abcdefghij ", min_size=3, max_size=12).map(lambda s: s.strip() or "mot").map(str.capitalize)
number = st.integers(min_value=0, max_value=100).map(float)
french_block = st.one_of(
    words.map(paragraph),
    st.builds(chart, words, st.lists(number, min_size=1, max_size=3)),
    words.map(key_figures),
)
edit = st.one_of(
    st.tuples(st.just("insert"), st.integers(0, 6), french_block),
    st.tuples(st.just("delete"), st.integers(0, 6)),
    st.tuples(st.just("move"), st.integers(0, 6), st.integers(0, 6)),
    st.tuples(st.just("text"), st.integers(0, 6), words),
    st.tuples(st.just("number"), st.integers(0, 6), number),
)
WRITES = ("workspace", "editor_as_translator", "editor_as_editor", "xliff", "zip", "editor_drops_english")
write = st.sampled_from(WRITES)
steps = st.lists(st.one_of(edit, write), min_size=2, max_size=7)


def plain(text: str) -> str:
    """The words of a text (the editor rewrites rich text markup, never its words)."""
    return " ".join(strip_tags(text).split())


def edited(body: list, step: tuple) -> list:
    """The French body after one edit (positions taken modulo the length)."""
    body = [dict(item) for item in body]
    kind = step[0]
    if kind == "insert":
        body.insert(step[1] % (len(body) + 1), step[2])
    elif not body:
        return body
    elif kind == "delete" and len(body) > 1:
        body.pop(step[1] % len(body))
    elif kind == "move":
        body.insert(step[2] % len(body), body.pop(step[1] % len(body)))
    elif kind == "text":
        item = body[step[1] % len(body)]
        if item["type"] == "paragraph":
            item["value"] = f"<p>{step[2]}</p>"
        else:
            item["value"] = {**item["value"], "title": step[2]}
    elif kind == "number":
        item = body[step[1] % len(body)]
        if item["type"] == "chart":
            rows = [dict(row) for row in item["value"]["rows"]]
            rows[0] = {**rows[0], "value": {**rows[0]["value"], "values": [step[2], 100 - step[2]]}}
            item["value"] = {**item["value"], "rows": rows}
    return body


class PairingPropertyTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.home, _index, _order = build_directory()
        ensure_roles()
        cls.editor = User.objects.create_user("editrice", "e@example.org", "pw")
        cls.editor.groups.add(Group.objects.get(name=EDITORS))
        cls.translator = User.objects.create_user("traducteur", "t@example.org", "pw")
        cls.translator.groups.add(Group.objects.get(name=TRANSLATORS))
        use_admin_language(cls.editor, "en")
        use_admin_language(cls.translator, "en")

    def make_page(self, body: list) -> StandardPage:
        page = StandardPage(title_fr="Page", title_en="Page", slug_fr=f"p-{uuid.uuid4().hex[:8]}", body_fr=body)
        self.home.add_child(instance=page)
        page = StandardPage.objects.get(pk=page.pk)
        texts = {
            unit: text.replace("<p>", "<p>EN ") if text.startswith("<p>") else f"EN {text}"
            for unit, text in object_texts(page, "fr").items()
            if unit.startswith("body.")
        }
        set_units(page, "body", "en", texts)
        page.save_revision().publish()
        return StandardPage.objects.get(pk=page.pk)

    def latest(self, page) -> StandardPage:
        return latest_state(StandardPage.objects.get(pk=page.pk))

    def save_french(self, page, body: list) -> None:
        self.client.force_login(self.editor)
        data = page_edit_data(self.latest(page), body_fr=body)
        response = self.client.post(edit_url(page), data)
        self.assertEqual(response.status_code, 302, response.content.decode()[:3000])

    def run_write(self, page, kind: str) -> None:
        latest = self.latest(page)
        if kind == "workspace":
            # What the browser sends back: each row's English as shown (the rich text as Draftail's
            # JSON), and a translation typed into each empty row.
            self.client.force_login(self.translator)
            response = self.client.get(workspace_url(page))
            english = object_texts(latest, "en")
            rich = {unit for unit, text in object_texts(latest, "fr").items() if text.startswith("<p")}
            values = {"language": "en", "action": "save"}
            for unit, name in inputs(response).items():
                text = english.get(unit) or (f"<p>EN new {unit[-6:]}</p>" if unit in rich else f"EN new {unit[-6:]}")
                values[name] = rich_text(text, features=FEATURES) if unit in rich else text
            response = self.client.post(workspace_url(page), values)
            self.assertEqual(response.status_code, 302)
        elif kind in ("editor_as_translator", "editor_as_editor"):
            user = self.translator if kind == "editor_as_translator" else self.editor
            self.client.force_login(user)
            response = self.client.post(edit_url(page), page_edit_data(latest))
            self.assertIn(response.status_code, (200, 302))
        elif kind == "xliff":
            xliff.import_xliff(latest, xliff.export_xliff(latest, "en"), user=self.translator)
        elif kind == "zip":
            content, _count = bundles.export_bundle("en")
            if _count:
                imported, errors, _cleaned = bundles.import_bundle(content, self.translator)
                self.assertEqual(errors, [])
        elif kind == "editor_drops_english":
            english = list(latest.body_en.raw_data)
            if english:
                self.client.force_login(self.editor)
                response = self.client.post(edit_url(page), page_edit_data(latest, body_en=english[1:]))
                self.assertEqual(response.status_code, 200)  # refused, with the form shown again
                self.assertContains(response, "would remove English text")

    def check(self, page, english_before: dict) -> None:
        latest = self.latest(page)
        french = object_texts(latest, "fr")
        english = object_texts(latest, "en")
        for unit, text in english_before.items():
            if unit in french:
                self.assertEqual(plain(english.get(unit, "")), plain(text), f"English of {unit} lost")
        record = records_for(latest)["en"]
        self.assertEqual((record.status, record.missing_fields, record.changed_fields), recount(latest, record))
        if any(unit not in english for unit in french):
            self.assertEqual(record.status, MISSING)
        by_id = {item["id"]: item for item in latest.body_en.raw_data}
        for item in latest.body_fr.raw_data:
            if item["type"] == "chart" and item["id"] in by_id:
                fr, en = item["value"], by_id[item["id"]]["value"]
                english_rows = {row["id"] for row in en["rows"]}
                self.assertEqual(
                    [(row["id"], row["value"]["values"]) for row in fr["rows"] if row["id"] in english_rows],
                    [(row["id"], row["value"]["values"]) for row in en["rows"]],
                )
                self.assertEqual(en["kind"], fr["kind"])

    # No shrinking: each step goes through the admin, so shrinking a failure would take minutes; the
    # failing sequence is printed as it was drawn.
    @settings(
        max_examples=12,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        phases=(Phase.explicit, Phase.reuse, Phase.generate),
    )
    @given(initial=st.lists(french_block, min_size=1, max_size=4), sequence=steps)
    def test_english_survives_random_french_editing(self, initial, sequence):
        page = self.make_page(initial)
        body = list(initial)
        for step in sequence:
            before = object_texts(self.latest(page), "en")
            if step in WRITES:
                self.run_write(page, step)
            else:
                body = edited([dict(item) for item in self.latest(page).body_fr.raw_data], step)
                self.save_french(page, body)
            self.check(page, before)
