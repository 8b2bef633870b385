import html
import re

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext

from wagtail.models import WorkflowState

from professions.models import OrderPage, Sector
from tests.factories import build_directory, publish, sector, translate, use_admin_language
from translations.models import STALE, UP_TO_DATE, MemoryEntry
from translations.roles import MODERATORS, TRANSLATORS, ensure_roles
from translations.status import records_for
from translations.workspace_views import workspace_url

User = get_user_model()


def user_in(group: str, username: str):
    user = User.objects.create_user(username, f"{username}@example.org", "correct-horse")
    user.groups.add(Group.objects.get(name=group))
    return user


def paragraph(block_id: str, text: str) -> dict:
    return {"type": "paragraph", "value": f"<p>{text}</p>", "id": block_id}


def inputs(response) -> dict[str, str]:
    """The English inputs of the workspace by the French row they sit beside (data-unit)."""
    html = response.content.decode()
    found = {}
    for unit, name in re.findall(r'data-unit="([^"]+)".*?name="(t\d+)"', html, flags=re.S):
        found[unit] = name
    return found


def current_values(response) -> dict[str, str]:
    """What the browser would send back unchanged: every English input's value."""
    page = response.content.decode()
    values = {
        name: html.unescape(value) for name, value in re.findall(r'<input[^>]*name="(t\d+)"[^>]*value="([^"]*)"', page)
    }
    for name, value in re.findall(r'<textarea[^>]*name="(t\d+)"[^>]*>(.*?)</textarea>', page, flags=re.S):
        values[name] = html.unescape(value).strip()
    return {**values, "language": "en"}


class WorkspaceTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.home, cls.index, order = build_directory()
        ensure_roles()
        cls.translator = user_in(TRANSLATORS, "traducteur")
        cls.moderator = user_in(MODERATORS, "moderatrice")
        order = translate(order, gloss_fr="L’ordre des testeurs de logiciels", gloss_en="The order of software testers")
        order.gloss_fr = "L’ordre des testeurs de jeux vidéo"
        publish(order)
        cls.order = OrderPage.objects.get(pk=order.pk)

    def setUp(self):
        use_admin_language(self.translator, "en")
        use_admin_language(self.moderator, "en")

    def test_french_beside_english_with_status_and_diff_per_field(self):
        self.client.force_login(self.translator)
        response = self.client.get(workspace_url(self.order))
        self.assertEqual(response.status_code, 200)
        html = response.content.decode()
        self.assertContains(response, "L’ordre des testeurs de jeux vidéo")
        self.assertContains(response, 'value="The order of software testers"')
        gloss_row = html[html.index('data-unit="gloss"') :]
        gloss_row = gloss_row[: gloss_row.index('data-unit="', 20)]
        self.assertIn("French changed", gloss_row)
        self.assertIn("<del>logiciels</del>", gloss_row)
        self.assertIn("<ins>jeux vidéo</ins>", gloss_row)
        summary_row = html[html.index('data-unit="summary"') :]
        self.assertIn("Up to date", summary_row[: summary_row.index("</section>")])

    def test_reached_from_the_report_the_page_header_and_the_explorer(self):
        self.client.force_login(self.translator)
        url = workspace_url(self.order)
        report = self.client.get("/admin/translations/")
        self.assertContains(report, workspace_url(self.order, "en").replace("&", "&amp;"))
        self.assertContains(self.client.get(f"/admin/pages/{self.order.pk}/edit/"), url)
        self.assertContains(self.client.get(f"/admin/pages/{self.index.pk}/"), url)

    def test_translator_saves_a_draft_never_published_and_the_french_is_untouched(self):
        self.client.force_login(self.translator)
        url = workspace_url(self.order)
        response = self.client.get(url)
        names = inputs(response)
        data = {**current_values(response), names["gloss"]: "The order of video game testers", "action": "save"}
        data["gloss_fr"] = "Piraté"
        data.update(dict.fromkeys(("title_fr", "summary_fr", "t0"), "Hacked"))
        response = self.client.post(url, data)
        self.assertEqual(response.status_code, 302)
        live = OrderPage.objects.get(pk=self.order.pk)
        self.assertEqual(live.gloss_en, "The order of software testers")
        latest = live.get_latest_revision_as_object()
        self.assertEqual(latest.gloss_en, "The order of video game testers")
        self.assertEqual(latest.gloss_fr, "L’ordre des testeurs de jeux vidéo")
        self.assertEqual(latest.title_fr, "Ordre des testeurs")
        self.assertEqual(latest.summary_fr, "Les testeurs protègent le public.")
        self.assertEqual(records_for(live)["en"].status, UP_TO_DATE)

    def test_saving_unchanged_english_marks_the_french_change_as_reviewed(self):
        self.client.force_login(self.translator)
        url = workspace_url(self.order)
        self.assertEqual(records_for(self.order)["en"].status, STALE)
        self.client.post(url, {**self._current_values(url), "action": "save"})
        self.assertEqual(records_for(self.order)["en"].status, UP_TO_DATE)

    def _current_values(self, url) -> dict:
        return current_values(self.client.get(url))

    def test_submit_then_moderator_sees_both_columns_and_approves_and_publishes(self):
        self.client.force_login(self.translator)
        url = workspace_url(self.order)
        response = self.client.get(url)
        names = inputs(response)
        self.client.post(
            url, {**current_values(response), names["gloss"]: "The order of video game testers", "action": "submit"}
        )
        state = WorkflowState.objects.get(base_content_type__model="page", object_id=str(self.order.pk))
        self.assertEqual(state.status, WorkflowState.STATUS_IN_PROGRESS)
        self.assertEqual(OrderPage.objects.get(pk=self.order.pk).gloss_en, "The order of software testers")
        # While it awaits moderation the translator reads it but cannot change it.
        response = self.client.get(url)
        self.assertContains(response, "awaiting moderation")
        self.assertNotContains(response, 'value="save"')
        response = self.client.post(url, {names["gloss"]: "Other", "action": "save"})
        self.assertContains(response, "cannot be changed now")

        self.client.force_login(self.moderator)
        self.assertContains(self.client.get(f"/admin/pages/{self.order.pk}/edit/"), url)
        response = self.client.get(url)
        self.assertContains(response, "L’ordre des testeurs de jeux vidéo")
        self.assertContains(response, 'value="The order of video game testers"')
        self.assertContains(response, 'value="approve"')
        response = self.client.post(url, {**self._current_values(url), "action": "approve"})
        self.assertEqual(response.status_code, 302)
        live = OrderPage.objects.get(pk=self.order.pk)
        self.assertEqual(live.gloss_en, "The order of video game testers")
        self.assertEqual(records_for(live)["en"].status, UP_TO_DATE)

    def test_moderator_requests_changes_and_the_translator_submits_again(self):
        self.client.force_login(self.translator)
        url = workspace_url(self.order)
        self.client.post(url, {**self._current_values(url), "action": "submit"})
        self.client.force_login(self.moderator)
        response = self.client.post(url, {**self._current_values(url), "action": "reject"})
        self.assertEqual(response.status_code, 302)
        state = WorkflowState.objects.get()
        self.assertEqual(state.status, WorkflowState.STATUS_NEEDS_CHANGES)
        self.client.force_login(self.translator)
        values = self._current_values(url)
        self.assertIn('value="submit"', self.client.get(url).content.decode())
        response = self.client.post(url, {**values, "action": "submit"})
        self.assertEqual(response.status_code, 302)
        state.refresh_from_db()
        self.assertEqual(state.status, WorkflowState.STATUS_IN_PROGRESS)
        self.assertEqual(WorkflowState.objects.count(), 1)

    def test_translator_cannot_approve(self):
        self.client.force_login(self.translator)
        response = self.client.post(workspace_url(self.order), {"action": "approve"})
        self.assertEqual(response.status_code, 302)  # Wagtail's "permission denied": back to the dashboard
        self.assertFalse(WorkflowState.objects.exists())

    def test_a_french_block_without_english_is_a_row_to_fill(self):
        order = OrderPage.objects.get(pk=self.order.pk)
        order.body_fr = [paragraph("a1", "Premier paragraphe."), paragraph("a2", "Deuxième paragraphe.")]
        # English written with other block ids: aligned by position and type.
        order.body_en = [paragraph("e1", "First paragraph."), paragraph("e2", "Second paragraph.")]
        publish(order)
        order = OrderPage.objects.get(pk=order.pk)
        order.body_fr = [*order.body_fr.raw_data, {"type": "heading", "value": "Nouvelle section", "id": "a3"}]
        publish(order)
        self.client.force_login(self.translator)
        url = workspace_url(order)
        response = self.client.get(url)
        names = inputs(response)
        self.assertEqual([unit for unit in names if unit.startswith("body.")], ["body.a1", "body.a2", "body.a3"])
        html = response.content.decode()
        row = html[html.index('data-unit="body.a3"') :]
        self.assertIn("Nouvelle section", row)
        self.assertIn("To translate", row[: row.index("</section>")])
        self.assertRegex(row, rf'name="{names["body.a3"]}"(?![^>]*value="[^"])')
        # Filling it writes the English in the French structure.
        values = self._current_values(url)
        values.update({names["body.a3"]: "New section", "action": "save"})
        self.client.post(url, values)
        latest = OrderPage.objects.get(pk=order.pk).get_latest_revision_as_object()
        english = [(block.block_type, block.id) for block in latest.body_en]
        self.assertIn(("heading", "a3"), english)
        self.assertEqual(latest.body_en[-1].value, "New section")

    def test_query_count_is_constant_in_the_number_of_fields(self):
        self.client.force_login(self.translator)
        counts = []
        for size in (1, 12):
            order = OrderPage.objects.get(pk=self.order.pk)
            order.body_fr = [{"type": "heading", "value": f"Titre {i}", "id": f"h{size}-{i}"} for i in range(size)]
            order.body_en = [{"type": "heading", "value": f"Title {i}", "id": f"h{size}-{i}"} for i in range(size)]
            publish(order)
            url = workspace_url(order)
            self.client.get(url)
            with CaptureQueriesContext(connection) as queries:
                response = self.client.get(url)
            self.assertContains(response, f"Titre {size - 1}")
            counts.append(len(queries))
        self.assertEqual(counts[0], counts[1], counts)

    def test_suggestion_from_a_text_translated_elsewhere(self):
        other = translate(
            OrderPage.objects.get(pk=self.order.pk), summary_en="Testers protect the public.", gloss_en="x"
        )
        self.assertTrue(MemoryEntry.objects.filter(source_text="Les testeurs protègent le public.").exists())
        item = Sector.objects.create(key="essais", name_fr="Les testeurs protègent le public!")
        self.client.force_login(self.translator)
        url = workspace_url(item)
        response = self.client.get(url)
        self.assertContains(response, "Testers protect the public.")
        self.assertContains(response, "Ordre des testeurs")
        names = inputs(response)
        entry = MemoryEntry.objects.get(object_id=str(other.pk), unit="summary")
        response = self.client.post(url, {names["name"]: "", "action": f"use:{names['name']}:{entry.pk}"})
        self.assertContains(response, 'value="Testers protect the public."')
        self.assertEqual(Sector.objects.get(pk=item.pk).name_en, None)

    def test_snippet_workspace_saves_the_english(self):
        item = sector()
        self.client.force_login(self.translator)
        url = workspace_url(item)
        names = inputs(self.client.get(url))
        response = self.client.post(url, {names["name"]: "Health", "action": "save"})
        self.assertEqual(response.status_code, 302)
        live = Sector.objects.get(pk=item.pk)
        self.assertIsNone(live.name_en)  # a draft: an editor or a moderator publishes it
        item = live.get_latest_revision_as_object()
        self.assertEqual((item.name_fr, item.name_en), ("Santé", "Health"))
        self.assertEqual(records_for(item)["en"].status, UP_TO_DATE)

    def test_bad_addresses_answer_404_and_strangers_403(self):
        self.client.force_login(self.translator)
        for path in ("nope/nope/1", "wagtailcore/page/abc", "auth/user/1", "professions/sector/999"):
            with self.subTest(path=path):
                response = self.client.get(f"/admin/translations/workspace/{path}/", follow=True)
                self.assertEqual(response.status_code, 404)
        stranger = User.objects.create_user("x", "x@example.org", "pw", is_staff=False)
        from django.contrib.auth.models import Permission

        stranger.user_permissions.add(Permission.objects.get(codename="access_admin"))
        self.client.force_login(stranger)
        response = self.client.get(workspace_url(self.order))
        self.assertIn(response.status_code, (302, 403))
