import re
from io import StringIO

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.test import Client, TestCase, override_settings

from home.loaders import publish
from home.seeding import ensure_home_page
from links.models import CheckedLink
from links.roles import grant_link_permissions
from professions.loading import load_directory_data
from professions.models import OrderPage
from tests.factories import directory_data
from tests.links.sandbox import sandbox
from tests.links.server import LinkServer
from translations.roles import EDITORS, MODERATORS, TRANSLATORS, ensure_roles

User = get_user_model()
REPORT = "/admin/reports/links/"
USE_NEW = "/admin/reports/links/use-new-address/"


def user_in(group: str, username: str):
    user = User.objects.create_user(username, f"{username}@example.org", "correct-horse")
    user.groups.add(Group.objects.get(name=group))
    return user


class LinksAdminTests(TestCase):
    """The « Liens à vérifier » report, its dashboard count and the one-click new address."""

    @classmethod
    def setUpClass(cls):
        cls.server = LinkServer().__enter__()
        super().setUpClass()

    @classmethod
    def tearDownClass(cls):
        cls.server.__exit__(None, None, None)
        super().tearDownClass()

    @classmethod
    def setUpTestData(cls):
        ensure_home_page()
        load_directory_data(directory_data(2, 1))
        ensure_roles()
        grant_link_permissions()
        cls.editor = user_in(EDITORS, "editrice")
        cls.translator = user_in(TRANSLATORS, "traducteur")
        cls.moderator = user_in(MODERATORS, "moderatrice")
        cls.order, cls.other = OrderPage.objects.order_by("path")
        cls.order.website = cls.server.url("/ok")
        cls.order.syndic_url = cls.server.url("/moved")
        cls.order.register_url = cls.server.url("/gone")
        publish(cls.order)

    def setUp(self):
        self.order.refresh_from_db()

    def check_links(self) -> None:
        call_command("check_links", all=True, budget=20, stdout=StringIO())

    def login(self, user) -> Client:
        client = Client()
        client.force_login(user)
        return client

    def rows(self, response) -> list[str]:
        body = response.content.decode().split("<tbody>")[1].split("</tbody>")[0]
        return [re.sub(r"\s+", " ", row) for row in body.split("<tr>")[1:]]

    def test_the_report_lists_what_needs_an_editor_worst_first(self):
        self.check_links()
        response = self.login(self.editor).get(REPORT)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Liens à vérifier")
        rows = self.rows(response)
        states = [re.search(r"w-status[^>]*>\s*([^<]+?)\s*<", row).group(1) for row in rows]
        # The register answers 404, the syndic page moved; the other order's website is outside the
        # hosts tests may fetch, and that order has neither a register nor a syndic address.
        self.assertEqual(states, ["Brisé", "Redirigé", "Non vérifié", "Manquant", "Manquant"])
        self.assertIn("404 Not Found", rows[0])
        self.assertIn(f"→ {self.server.url('/ok')}", rows[1])
        self.assertIn("Utiliser la nouvelle adresse", rows[1])
        self.assertIn("Ajouter l’adresse", rows[3])

    def test_a_refused_link_is_reported_as_such_in_both_languages(self):
        self.server.routes["/to-metadata"] = (301, "http://metadata.example/latest/")
        self.order.register_url = self.server.url("/to-metadata")
        publish(self.order)
        with override_settings(LINK_CHECK_ALLOWED_HOSTS=[]), sandbox({"metadata.example": [["169.254.169.254"]]}):
            call_command("check_links", url=[self.server.url("/to-metadata")], budget=20, stdout=StringIO())
        response = self.login(self.editor).get(f"{REPORT}?state=refused")
        self.assertContains(response, "Refusé (1)")
        (row,) = self.rows(response)
        self.assertIn("Refusé", row)
        self.assertIn("mène à une adresse interne", row)
        self.assertIn("→ http://metadata.example/latest/", row)  # where it led, for editors…
        self.assertNotIn("Utiliser la nouvelle adresse", row)  # …never offered as the new address
        self.assertIn("Corriger l’adresse", row)
        self.assertContains(response, "Les visiteurs ne voient jamais un lien refusé.")
        from tests.factories import use_admin_language

        use_admin_language(self.editor, "en")
        response = self.login(self.editor).get(f"{REPORT}?state=refused")
        self.assertContains(response, "Refused (1)")
        self.assertContains(response, "leads to an internal address")
        self.assertContains(response, "Visitors never see a refused link.")

    def test_each_row_links_to_the_field_that_fixes_it(self):
        response = self.login(self.editor).get(REPORT)
        links = re.findall(r'href="(/admin/pages/\d+/edit/#[^"]+)"', response.content.decode())
        self.assertTrue(links)
        for link in set(links):
            path, anchor = link.split("#")
            with self.subTest(anchor=anchor):
                html = self.login(self.editor).get(path).content.decode()
                self.assertTrue(f'id="{anchor}"' in html, anchor)

    def test_unverified_links_are_listed_until_checked(self):
        rows = self.rows(self.login(self.editor).get(f"{REPORT}?state=unverified"))
        self.assertEqual(len(rows), 4)  # website, register and syndic of the first order, the other's website
        self.assertTrue(all("pas encore vérifié" in row for row in rows))

    def test_the_report_reads_in_english_for_an_english_admin(self):
        from tests.factories import use_admin_language

        use_admin_language(self.editor, "en")
        response = self.login(self.editor).get(REPORT)
        self.assertContains(response, "Links to check")
        self.assertContains(response, "Not verified")

    def test_the_dashboard_counts_links_for_editors_and_moderators(self):
        for user in (self.editor, self.moderator):
            with self.subTest(user=user.username):
                response = self.login(user).get("/admin/")
                self.assertContains(response, 'id="links-to-check-heading"')
                self.assertContains(response, "6 liens demandent l’attention d’un éditeur.")
                self.assertContains(response, f'href="{REPORT}?state=missing"')
        self.check_links()  # the count follows the new results at once
        self.assertContains(self.login(self.editor).get("/admin/"), "5 liens demandent l’attention d’un éditeur.")

    def test_translators_see_neither_the_report_nor_the_count(self):
        client = self.login(self.translator)
        dashboard = client.get("/admin/")
        self.assertEqual(dashboard.status_code, 200)
        self.assertNotContains(dashboard, "links-to-check")
        self.assertNotContains(dashboard, REPORT)  # not in the menu either
        for path in (REPORT, f"{REPORT}results/", f"{REPORT}?export=csv"):
            with self.subTest(path=path):
                response = client.get(path)
                self.assertIn(response.status_code, (302, 403))
                self.assertNotContains(response, "Liens à vérifier", status_code=response.status_code)
        self.assertContains(self.login(self.editor).get("/admin/"), REPORT)

    def test_a_moderator_publishes_the_new_address_in_one_click(self):
        self.check_links()
        link = CheckedLink.objects.get(url=self.server.url("/moved"))
        response = self.login(self.moderator).post(USE_NEW, self.form(link))
        self.assertRedirects(response, REPORT, fetch_redirect_response=False)
        self.order.refresh_from_db()
        self.assertEqual(self.order.syndic_url, self.server.url("/ok"))
        self.assertFalse(self.order.has_unpublished_changes)
        # The new address passed during the same check: visitors get it at once.
        self.assertContains(self.client.get(self.order.get_url()), f'href="{self.server.url("/ok")}"')

    def test_an_editor_gets_a_draft_to_submit(self):
        self.check_links()
        link = CheckedLink.objects.get(url=self.server.url("/moved"))
        self.login(self.editor).post(USE_NEW, self.form(link))
        self.order.refresh_from_db()
        self.assertEqual(self.order.syndic_url, self.server.url("/moved"))  # live page unchanged
        draft = self.order.get_latest_revision_as_object()
        self.assertEqual(draft.syndic_url, self.server.url("/ok"))

    def test_the_one_click_update_needs_a_post_with_csrf_by_an_editor(self):
        self.check_links()
        link = CheckedLink.objects.get(url=self.server.url("/moved"))
        self.assertEqual(self.login(self.editor).get(USE_NEW).status_code, 405)
        self.assertIn(self.login(self.translator).post(USE_NEW, self.form(link)).status_code, (302, 403))
        strict = Client(enforce_csrf_checks=True)
        strict.force_login(self.moderator)
        self.assertEqual(strict.post(USE_NEW, self.form(link)).status_code, 403)
        # Forged or stale values change nothing and answer a message, never a 500.
        for changes in ({"field": "title"}, {"object": "x"}, {"content_type": "999999"}, {"link": "abc"}):
            with self.subTest(changes=changes):
                response = self.login(self.moderator).post(USE_NEW, {**self.form(link), **changes})
                self.assertIn(response.status_code, (302, 404))
        gone = CheckedLink.objects.get(url=self.server.url("/gone"))
        self.login(self.moderator).post(USE_NEW, {**self.form(link), "link": gone.pk})
        self.order.refresh_from_db()
        self.assertEqual(self.order.syndic_url, self.server.url("/moved"))
        self.assertEqual(self.order.get_latest_revision_as_object().syndic_url, self.server.url("/moved"))

    def form(self, link: CheckedLink) -> dict:
        from django.contrib.contenttypes.models import ContentType

        return {
            "link": link.pk,
            "content_type": ContentType.objects.get_for_model(OrderPage).pk,
            "object": self.order.pk,
            "field": "syndic_url",
        }

    def test_the_order_editor_says_when_each_link_was_checked_and_what_it_answered(self):
        client = self.login(self.editor)
        edit = f"/admin/pages/{self.order.pk}/edit/"
        self.assertContains(client.get(edit), "Pas encore vérifié.")
        self.check_links()
        fetched = len(self.server.requests)
        html = client.get(edit).content.decode()
        for text in (
            "404 Not Found",
            "Les visiteurs voient plutôt le site Web de l’ordre",
            f"Elle mène à {self.server.url('/ok')}.",
        ):
            self.assertTrue(text in html, text)
        client.get(REPORT)
        client.get("/admin/")
        self.assertEqual(len(self.server.requests), fetched)  # the editors' views fetch nothing
