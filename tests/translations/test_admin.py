from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.test import TestCase

from wagtail.models import Workflow

from professions.models import OrderIndexPage, OrderPage, Sector
from tests.factories import build_directory, publish, sector, translate, use_admin_language
from translations.models import STALE
from translations.roles import EDITORS, MODERATORS, TRANSLATORS, WORKFLOW_NAME, ensure_roles

User = get_user_model()


def user_in(group: str, username: str):
    user = User.objects.create_user(username, f"{username}@example.org", "correct-horse")
    user.groups.add(Group.objects.get(name=group))
    return user


def index_form(index: OrderIndexPage, **changes) -> dict:
    data = {
        "title_fr": index.title_fr,
        "title_en": index.title_en,
        "slug_fr": index.slug_fr,
        "slug_en": index.slug_en,
        "intro_fr": index.intro_fr,
        "intro_en": index.intro_en,
        "seo_title_fr": "",
        "seo_title_en": "",
        "search_description_fr": "",
        "search_description_en": "",
        "comments-TOTAL_FORMS": "0",
        "comments-INITIAL_FORMS": "0",
        "comments-MIN_NUM_FORMS": "0",
        "comments-MAX_NUM_FORMS": "1000",
    }
    data.update(changes)
    return data


class RolesTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.home, cls.index, cls.order = build_directory()
        ensure_roles()
        cls.editor = user_in(EDITORS, "editrice")
        cls.translator = user_in(TRANSLATORS, "traducteur")
        cls.moderator = user_in(MODERATORS, "moderatrice")

    def test_roles_have_least_privilege_on_pages(self):
        cases = {
            self.editor: {"edit": True, "publish": False},
            self.translator: {"edit": True, "publish": False, "add": False},
            self.moderator: {"edit": True, "publish": True},
        }
        for user, expected in cases.items():
            permissions = self.order.permissions_for_user(user)
            with self.subTest(user=user.username):
                self.assertEqual(permissions.can_edit(), expected["edit"])
                self.assertEqual(permissions.can_publish(), expected["publish"])
                if "add" in expected:
                    self.assertEqual(permissions.can_add_subpage(), expected["add"])

    def test_translators_change_snippets_but_do_not_create_them(self):
        self.assertTrue(self.translator.has_perm("professions.change_sector"))
        self.assertFalse(self.translator.has_perm("professions.add_sector"))
        self.assertTrue(self.editor.has_perm("professions.add_sector"))

    def test_ensure_roles_is_idempotent_and_composes_with_an_existing_moderators_group(self):
        moderators = Group.objects.get(name=MODERATORS)
        extra = Permission.objects.get(codename="view_sector")
        moderators.permissions.add(extra)
        ensure_roles()
        self.assertEqual(Group.objects.filter(name=MODERATORS).count(), 1)
        self.assertIn(extra, moderators.permissions.all())
        self.assertEqual(Workflow.objects.filter(name=WORKFLOW_NAME).count(), 1)

    def test_translator_saves_the_english_of_a_page_in_the_editor(self):
        self.client.force_login(self.translator)
        url = f"/admin/pages/{self.index.pk}/edit/"
        response = self.client.post(url, index_form(self.index, intro_en="Every professional order."))
        self.assertEqual(response.status_code, 302)
        latest = OrderIndexPage.objects.get(pk=self.index.pk).get_latest_revision_as_object()
        self.assertEqual(latest.intro_en, "Every professional order.")

    def test_translator_cannot_change_the_french_of_a_page(self):
        self.client.force_login(self.translator)
        url = f"/admin/pages/{self.index.pk}/edit/"
        messages = {
            "fr": "Les traducteurs ne peuvent modifier que l’anglais.",
            "en": "Translators can change the English only.",
        }
        for language, message in messages.items():
            with self.subTest(admin_language=language):
                use_admin_language(self.translator, language)
                response = self.client.post(url, index_form(self.index, intro_fr="Autre texte."))
                self.assertEqual(response.status_code, 200)
                self.assertContains(response, message)
        latest = OrderIndexPage.objects.get(pk=self.index.pk).get_latest_revision_as_object()
        self.assertEqual(latest.intro_fr, "Tous les ordres.")

    def test_editor_may_change_the_french(self):
        self.client.force_login(self.editor)
        response = self.client.post(f"/admin/pages/{self.index.pk}/edit/", index_form(self.index, intro_fr="Autre."))
        self.assertEqual(response.status_code, 302)
        self.assertEqual(
            OrderIndexPage.objects.get(pk=self.index.pk).get_latest_revision_as_object().intro_fr, "Autre."
        )

    def test_translator_cannot_change_the_french_of_a_snippet(self):
        item = sector()
        self.client.force_login(self.translator)
        url = f"/admin/snippets/professions/sector/edit/{item.pk}/"
        data = {"name_fr": "Autre", "name_en": "Health", "key": item.key, "sort_order": "0"}
        response = self.client.post(url, data)
        self.assertContains(response, "Les traducteurs ne peuvent modifier que l’anglais.")
        self.assertEqual(Sector.objects.get(pk=item.pk).name_fr, "Santé")
        response = self.client.post(url, {**data, "name_fr": "Santé"})
        self.assertEqual(response.status_code, 302)
        # A draft for an editor or a moderator to publish: the live sector is unchanged.
        live = Sector.objects.get(pk=item.pk)
        self.assertIsNone(live.name_en)
        self.assertEqual(live.get_latest_revision_as_object().name_en, "Health")

    def test_workflow_submit_approve_publish(self):
        order = translate(self.order)
        order.summary_en = "Testers protect everyone."
        revision = order.save_revision(user=self.translator)
        workflow = order.get_workflow()
        self.assertEqual(workflow.name, WORKFLOW_NAME)
        state = workflow.start(order, self.translator)
        task_state = state.current_task_state
        task = task_state.task.specific
        self.assertEqual(task.get_actions(order, self.translator), [])
        self.assertIn("approve", [action[0] for action in task.get_actions(order, self.moderator)])
        self.assertEqual(OrderPage.objects.get(pk=order.pk).summary_en, "Testers protect the public.")
        task.on_action(task_state, self.moderator, "approve")
        state.refresh_from_db()
        self.assertEqual(state.status, "approved")
        live = OrderPage.objects.get(pk=order.pk)
        self.assertEqual(live.live_revision_id, revision.pk)
        self.assertEqual(live.summary_en, "Testers protect everyone.")


class PreviewTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.home, cls.index, cls.order = build_directory()

    def test_preview_in_each_language_renders_that_language(self):
        cases = {"fr": ("Tous les ordres.", "Passer au contenu"), "en": ("Every order.", "Skip to content")}
        for mode, texts in cases.items():
            with self.subTest(mode=mode):
                response = self.index.make_preview_request(preview_mode=mode)
                html = response.content.decode()
                self.assertIn(f'<html lang="{mode}">', html)
                for text in texts:
                    self.assertIn(text, html)
        self.assertEqual([code for code, _label in self.index.preview_modes], ["fr", "en"])


class ReportTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.home, cls.index, cls.order = build_directory()
        ensure_roles()
        cls.translator = user_in(TRANSLATORS, "traductrice")
        cls.outsider = User.objects.create_user("visiteur", "v@example.org", "correct-horse")
        cls.outsider.user_permissions.add(Permission.objects.get(codename="access_admin"))
        cls.sector = sector()
        order = translate(cls.order)
        order.summary_fr = "Les testeurs protègent tout le public."
        publish(order)

    def setUp(self):
        self.client.force_login(self.translator)

    def test_report_lists_pages_and_snippets_with_links_to_their_editors(self):
        response = self.client.get("/admin/translations/")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, f'href="/admin/pages/{self.order.pk}/edit/"')
        self.assertContains(response, f'href="/admin/snippets/professions/sector/edit/{self.sector.pk}/"')
        self.assertContains(response, "À mettre à jour")
        use_admin_language(self.translator, "en")
        self.assertContains(self.client.get("/admin/translations/"), "Out of date")

    def test_report_filters_by_status_type_and_section(self):
        stale = self.client.get("/admin/translations/", {"status": STALE})
        self.assertContains(stale, "Ordre des testeurs")
        self.assertNotContains(stale, "Santé")
        sector_type = ContentType.objects.get_for_model(Sector).pk
        snippets = self.client.get("/admin/translations/", {"content_type": sector_type})
        self.assertContains(snippets, "Santé")
        self.assertNotContains(snippets, "Ordre des testeurs")
        section = self.client.get("/admin/translations/", {"section": self.index.pk})
        self.assertContains(section, "Ordre des testeurs")
        self.assertNotContains(section, "Santé")

    def test_report_is_for_editorial_roles_only(self):
        self.client.force_login(self.outsider)
        # Admin access without an editorial role: Wagtail's "permission denied" redirect.
        self.assertRedirects(self.client.get("/admin/translations/"), "/admin/")
        self.client.logout()
        self.assertRedirects(self.client.get("/admin/translations/"), "/admin/login/?next=/admin/translations/")

    def test_changes_view_shows_what_changed_in_french_since_the_english_was_written(self):
        record = self.order_record()
        response = self.client.get(f"/admin/translations/{record.pk}/")
        self.assertContains(response, "<ins>tout </ins>", html=False)
        self.assertContains(response, "Testers protect the public.")
        self.assertContains(response, f'href="/admin/pages/{self.order.pk}/edit/"')

    def order_record(self):
        from translations.status import records_for

        return records_for(self.order)["en"]

    def test_dashboard_counts_what_translators_have_to_do(self):
        response = self.client.get("/admin/")
        self.assertContains(response, "Traductions à faire")
        self.assertContains(response, "?language=en&amp;status=stale")

    def test_explorer_shows_each_page_translation_status(self):
        admin = User.objects.create_superuser("admin", "a@example.org", "correct-horse")
        self.client.force_login(admin)
        response = self.client.get(f"/admin/pages/{self.index.pk}/")
        self.assertContains(response, "Traduction (EN)")
        self.assertContains(response, "À mettre à jour")
        use_admin_language(admin, "en")
        response = self.client.get(f"/admin/pages/{self.index.pk}/")
        self.assertContains(response, "Translation (EN)")
        self.assertContains(response, "Out of date")


class CopyContentEndpointTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.home, cls.index, cls.order = build_directory()
        cls.admin = User.objects.create_superuser("admin", "a@example.org", "correct-horse")

    def test_plain_get_is_refused_not_a_server_error(self):
        self.client.force_login(self.admin)
        response = self.client.get(f"/admin/pages/{self.order.pk}/edit/copy_translation_content/")
        self.assertEqual(response.status_code, 405)

    def test_anonymous_post_goes_to_login_and_bad_posts_are_rejected(self):
        url = f"/admin/pages/{self.order.pk}/edit/copy_translation_content/"
        self.assertEqual(self.client.post(url).status_code, 302)
        self.client.force_login(self.admin)
        self.assertEqual(self.client.post(url).status_code, 400)
        # A missing page is a 404, which LocaleMiddleware turns into a redirect to a /fr/ 404; not a 500.
        response = self.client.post("/admin/pages/999999/edit/copy_translation_content/")
        self.assertRedirects(response, "/fr/admin/pages/999999/edit/copy_translation_content/", target_status_code=404)
