"""A translator in Wagtail's own editors: English text saves, nothing else changes, snippets wait for publishing."""

from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase as HypothesisTestCase

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import TestCase
from django.urls import reverse
from django.utils.html import escape

from wagtail.models import Page

from blog.models import BlogPostPage
from home.loading import load_home_file
from home.models import HomePage, StandardPage
from home.seeding import ensure_home_page, ensure_standard_pages
from professions.models import OrderPage, ProfessionPage
from protection.bodies import OtherBody, load_other_bodies_file
from protection.loading import load_explainers_files
from protection.models import ExplainerPage, GuidePage
from tests.factories import load_sample_directory, make_blog, make_post
from tests.translations.editor_forms import edit_form_data, rich
from translations.roles import EDITORS, MODERATORS, TRANSLATORS, ensure_roles

PAGE_TYPES = [ExplainerPage, ProfessionPage, OrderPage, BlogPostPage, StandardPage, GuidePage, HomePage]


def seed() -> dict:
    home = ensure_home_page()
    ensure_standard_pages(home)
    load_sample_directory(["ordre-des-ingenieurs-du-quebec"])
    load_explainers_files()
    load_other_bodies_file()
    load_home_file()
    make_post(make_blog(home))
    ensure_roles()
    users = {}
    for role, group in (("translator", TRANSLATORS), ("editor", EDITORS), ("moderator", MODERATORS)):
        users[role] = get_user_model().objects.create_user(role, f"{role}@example.org", "correct-horse")
        users[role].groups.add(Group.objects.get(name=group))
    return users


def edit_url(page: Page) -> str:
    return reverse("wagtailadmin_pages:edit", args=[page.pk])


def latest(model, pk: int):
    return model.objects.get(pk=pk).get_latest_revision_as_object()


def block_keys(data: dict, field: str, block_type: str) -> str:
    """The form prefix of the first block of that type in a StreamField's posted data."""
    for key, value in data.items():
        if key.startswith(f"{field}-") and key.endswith("-type") and value == block_type:
            return key.removesuffix("-type")
    raise AssertionError(f"no {block_type} block in {field}")


class TranslatorInWagtailEditorTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.users = seed()

    def setUp(self):
        self.client.force_login(self.users["translator"])

    def test_a_save_with_nothing_changed_works_for_every_page_type(self):
        for model in PAGE_TYPES:
            page = model.objects.order_by("pk").first()
            with self.subTest(page_type=model.__name__):
                revisions = page.revisions.count()
                response = self.client.post(edit_url(page), edit_form_data(latest(model, page.pk)))
                errors = response.context["form"].errors if response.status_code == 200 else None
                self.assertEqual(response.status_code, 302, errors)
                self.assertEqual(page.revisions.count(), revisions + 1)

    def test_an_english_only_save_works_and_keeps_the_french_for_every_page_type(self):
        for model in PAGE_TYPES:
            page = model.objects.order_by("pk").first()
            before = latest(model, page.pk)
            with self.subTest(page_type=model.__name__):
                data = edit_form_data(before, title_en="Written by the translator")
                response = self.client.post(edit_url(page), data)
                self.assertEqual(response.status_code, 302)
                after = latest(model, page.pk)
                self.assertEqual(after.title_en, "Written by the translator")
                self.assertEqual(after.title_fr, before.title_fr)
                self.assertEqual(model.objects.get(pk=page.pk).title_en, before.title_en)  # a draft, not live

    def test_french_and_values_that_are_not_text_are_read_only_in_the_editor(self):
        order = OrderPage.objects.first()
        response = self.client.get(edit_url(order))
        self.assertContains(response, "Lecture seule pour les traducteurs.")
        self.assertNotContains(response, 'name="title_fr"')
        self.assertNotContains(response, 'name="website"')
        self.assertContains(response, 'name="title_en"')
        # The French reads as words, never as markup shown as text (« &lt;p&gt;Ordre… »).
        self.assertContains(response, f'id="id_title_fr"><p>{escape(order.title_fr)}</p></div>')
        self.assertNotContains(response, "&lt;p&gt;")
        self.client.force_login(self.users["editor"])
        response = self.client.get(edit_url(order))
        self.assertContains(response, 'name="title_fr"')
        self.assertContains(response, 'name="website"')

    def test_a_number_of_the_english_chart_is_refused_its_words_are_not(self):
        home = HomePage.objects.get()
        data = edit_form_data(latest(HomePage, home.pk))
        chart = block_keys(data, "body_en", "chart")
        before = latest(HomePage, home.pk).body_en.raw_data
        response = self.client.post(edit_url(home), {**data, f"{chart}-value-rows-0-value-values-0-value": "99"})
        self.assertContains(response, "Les traducteurs ne modifient que les mots")
        self.assertEqual(list(latest(HomePage, home.pk).body_en.raw_data), list(before))
        response = self.client.post(edit_url(home), {**data, f"{chart}-value-title": "Survey, retitled"})
        self.assertEqual(response.status_code, 302)
        chart_block = next(b for b in latest(HomePage, home.pk).body_en if b.block_type == "chart")
        self.assertEqual(chart_block.value["title"], "Survey, retitled")

    def test_french_rich_text_is_compared_as_the_editor_stores_it(self):
        order = OrderPage.objects.order_by("pk").first()
        before = latest(OrderPage, order.pk)
        self.assertTrue(before.description_fr)
        data = edit_form_data(before)
        cases = {"not Draftail's JSON": "<p>pas du JSON</p>", "other words": rich("Un autre texte.")}
        for case, value in cases.items():
            with self.subTest(case):
                response = self.client.post(edit_url(order), {**data, "description_fr": value})
                self.assertContains(response, "Les traducteurs ne peuvent modifier que l’anglais.")
                self.assertEqual(latest(OrderPage, order.pk).description_fr, before.description_fr)
        response = self.client.post(edit_url(order), {**data, "description_en": rich("Words in English.")})
        self.assertEqual(response.status_code, 302)
        self.assertIn("Words in English.", latest(OrderPage, order.pk).description_en)

    def test_a_french_change_deep_in_a_streamfield_is_refused(self):
        page = ExplainerPage.objects.order_by("pk").first()
        before = latest(ExplainerPage, page.pk)
        data = edit_form_data(before)
        faq = block_keys(data, "body_fr", "faq")
        response = self.client.post(
            edit_url(page), {**data, f"{faq}-value-items-0-value-question": "Une autre question?"}
        )
        self.assertContains(response, "Les traducteurs ne peuvent modifier que l’anglais.")
        self.assertEqual(list(latest(ExplainerPage, page.pk).body_fr.raw_data), list(before.body_fr.raw_data))


class SnippetDraftTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.users = seed()

    def edit(self, role: str, body: OtherBody, **changes):
        self.client.force_login(self.users[role])
        body = OtherBody.objects.get(pk=body.pk)  # its latest draft as saved by now
        url = reverse(body.snippet_viewset.get_url_name("edit"), args=[body.pk])
        return self.client.post(url, edit_form_data(body.get_latest_revision_as_object(), **changes))

    def test_a_translators_snippet_change_is_a_draft_the_public_guide_does_not_show(self):
        body = OtherBody.objects.get(key="oaciq")
        self.assertEqual(self.edit("translator", body, name_en="Real-estate brokerage body").status_code, 302)
        self.assertEqual(self.client.get("/en/who-do-i-contact/?body=oaciq").status_code, 200)
        page = self.client.get("/en/who-do-i-contact/?body=oaciq")
        self.assertNotContains(page, "Real-estate brokerage body")
        # The translator's "publish" is a draft; an editor's publishes it.
        self.edit("translator", body, name_en="Real-estate brokerage body", **{"action-publish": "action-publish"})
        self.assertNotContains(self.client.get("/en/who-do-i-contact/?body=oaciq"), "Real-estate brokerage body")
        self.edit("editor", body, **{"action-publish": "action-publish"})
        self.assertContains(self.client.get("/en/who-do-i-contact/?body=oaciq"), "Real-estate brokerage body")

    def test_a_translator_cannot_change_the_website_or_the_sort_order(self):
        body = OtherBody.objects.get(key="oaciq")
        before = (body.website, body.sort_order)
        response = self.edit("translator", body, website="https://example.org/", sort_order="1")
        self.assertContains(response, "ce n’est pas du texte anglais")
        body = OtherBody.objects.get(pk=body.pk)
        self.assertEqual((body.website, body.sort_order), before)
        self.assertEqual((body.get_latest_revision_as_object().website, body.sort_order), before)

    def test_a_new_body_saved_as_a_draft_is_not_public(self):
        body = OtherBody.objects.create(
            key="brouillon",
            name_fr="Organisme en brouillon",
            handles_fr="Rien.",
            occupations_fr="brouillon",
            live=False,
        )
        self.assertNotContains(self.client.get("/fr/qui-contacter/?body=brouillon"), "Organisme en brouillon")
        self.assertTrue(OtherBody.objects.get(key="oaciq").live)  # the loader creates bodies live
        self.assertTrue(body.pk)

    def test_the_draft_has_a_preview_in_each_language(self):
        body = OtherBody.objects.get(key="oaciq")
        self.edit("translator", body, name_en="Previewed body")
        url = reverse(body.snippet_viewset.get_url_name("preview_on_edit"), args=[body.pk])
        data = edit_form_data(body.get_latest_revision_as_object(), name_en="Previewed body")
        self.assertEqual(self.client.post(url, data).json()["is_valid"], True)
        response = self.client.get(url, {"mode": "en"})
        self.assertContains(response, "Previewed body")
        self.assertContains(response, '<html lang="en">')

    def test_the_workspace_submits_a_snippet_and_a_moderator_approves_it(self):
        from translations.workspace_views import workspace_url

        body = OtherBody.objects.get(key="amf")
        url = workspace_url(body)
        self.client.force_login(self.users["translator"])
        form = self.client.get(url).context["form"]
        data = {name: field.widget.format_value(form.initial.get(name)) for name, field in form.fields.items()}
        response = self.client.post(url, {**data, "action": "submit"}, follow=True)
        self.assertContains(response, "soumise")
        self.assertTrue(OtherBody.objects.get(pk=body.pk).workflow_in_progress)
        response = self.client.post(url, {**data, "action": "submit"}, follow=True)
        self.assertEqual(response.status_code, 200)  # a second submit: a message, not a server error
        self.client.force_login(self.users["moderator"])
        response = self.client.post(url, {**data, "action": "approve"})
        self.assertEqual(response.status_code, 302)
        self.assertFalse(OtherBody.objects.get(pk=body.pk).workflow_in_progress)


class HostileFrenchPostsTests(HypothesisTestCase):
    """Whatever French a translator posts, the French stored stays the same; untouched, the save works."""

    @classmethod
    def setUpTestData(cls):
        cls.users = seed()

    @settings(max_examples=15, deadline=None)
    @given(
        field=st.sampled_from(["title_fr", "summary_fr", "intro_fr", "slug_fr", "key"]),
        text=st.text(st.characters(blacklist_categories=["Cs", "Cc"]), max_size=40),
    )
    def test_no_posted_french_or_key_changes_what_is_stored(self, field, text):
        page = ExplainerPage.objects.order_by("pk").first()
        before = latest(ExplainerPage, page.pk)
        self.client.force_login(self.users["translator"])
        response = self.client.post(edit_url(page), edit_form_data(before, **{field: text}))
        self.assertLess(response.status_code, 500)
        after = latest(ExplainerPage, page.pk)
        for name in ("title_fr", "summary_fr", "intro_fr", "slug_fr", "key"):
            self.assertEqual(getattr(after, name), getattr(before, name))
        unchanged = text.replace("\r\n", "\n").strip() == str(getattr(before, field) or "").strip()
        self.assertEqual(response.status_code == 302, unchanged)
