"""The README's role table, cell by cell: role × action × content type, each an HTTP request.

Roles: a translator, an editor, a moderator and an administrator (superuser). Content types: every
page type, every translatable snippet, the guide's steps and the site settings. Actions: view, edit
the English, edit the French, edit a value that is not text, submit, publish. Each cell posts what
Wagtail's editor (or the workspace) posts and checks the stored value: changed where the role may,
unchanged where it may not. One generated test per cell (`test_<role>_<action>_<content type>`).
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import TestCase
from django.urls import reverse

from wagtail.models import DraftStateMixin, Page, Site

from blog.loading import load_blog
from blog.models import BlogAuthor, BlogCategory, BlogIndexPage, BlogPostPage, BlogTag
from home.loading import load_home_file
from home.models import HomePage, SocialMediaSettings, StandardPage
from home.seeding import ensure_home_page, ensure_standard_pages
from professions.models import OrderIndexPage, OrderPage, ProfessionIndexPage, ProfessionPage, Sector
from protection.bodies import OtherBody, UnregulatedOccupation, load_other_bodies_file
from protection.loading import load_explainers_files
from protection.models import ExplainerIndexPage, ExplainerPage, GuidePage
from search.models import SearchSynonym
from tests.factories import load_sample_directory
from tests.translations.editor_forms import edit_form_data, edit_handler
from translations.forms import english_text_fields
from translations.roles import EDITORS, MODERATORS, TRANSLATORS, ensure_roles
from translations.workspace_views import workspace_url

ROLES = ["translator", "editor", "moderator", "admin"]
ACTIONS = ["view", "edit_english", "edit_french", "edit_non_text", "submit", "publish"]
PAGES = {
    "home": HomePage,
    "standard_page": StandardPage,
    "explainer_index": ExplainerIndexPage,
    "explainer": ExplainerPage,
    "guide": GuidePage,
    "order_index": OrderIndexPage,
    "order": OrderPage,
    "profession_index": ProfessionIndexPage,
    "profession": ProfessionPage,
    "blog_index": BlogIndexPage,
    "blog_post": BlogPostPage,
}
SNIPPETS = {
    "sector": Sector,
    "other_body": OtherBody,
    "unregulated_occupation": UnregulatedOccupation,
    "blog_author": BlogAuthor,
    "blog_category": BlogCategory,
    "blog_tag": BlogTag,
    "search_synonym": SearchSynonym,
}
CONTENT_TYPES = [*PAGES, *SNIPPETS, "guide_steps", "settings"]
# A value that is the same in both languages, per content type (pages without one: show in menus).
NON_TEXT = {
    "explainer": ("key", "autre-cle"),
    "order": ("website", "https://example.org/"),
    "profession": ("key", "autre-cle"),
    "blog_post": ("date", "2020-01-02"),
    "guide": ("orders_page", ""),
    "sector": ("sort_order", "42"),
    "other_body": ("website", "https://example.org/"),
    "unregulated_occupation": ("key", "autre-cle"),
    "guide_steps": ("steps-0-value-key", "autre-cle"),
    "settings": ("linkedin_url", "https://www.linkedin.com/company/example/"),
}
NO_NON_TEXT = {"blog_author", "blog_category", "blog_tag", "search_synonym"}


def kind_of(content_type: str) -> str:
    if content_type in SNIPPETS:
        return "snippet"
    return content_type if content_type in ("guide_steps", "settings") else "page"


def expected(role: str, action: str, content_type: str) -> bool | None:
    """The README's table: True (allowed), False (refused) or None (nothing to do: no such value)."""
    kind = kind_of(content_type)
    if kind == "settings":
        return role == "admin" if action in ("view", "edit_non_text", "publish") else None
    if action == "edit_non_text" and content_type in NO_NON_TEXT:
        return None
    if action in ("view", "edit_english", "submit"):
        return True
    if action in ("edit_french", "edit_non_text"):
        return role != "translator"
    # publish: moderators and administrators; editors publish snippets too.
    return role in ("moderator", "admin") or (kind == "snippet" and role == "editor")


class RoleTableTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        home = ensure_home_page()
        ensure_standard_pages(home)
        load_sample_directory(["ordre-des-ingenieurs-du-quebec"])
        load_explainers_files()
        load_other_bodies_file()
        load_blog(home)
        load_home_file()
        SearchSynonym.objects.create(term_fr="toubib", expansions_fr="médecin", term_en="doc", expansions_en="doctor")
        ensure_roles()
        User = get_user_model()
        cls.users = {}
        for role, group in (("translator", TRANSLATORS), ("editor", EDITORS), ("moderator", MODERATORS)):
            cls.users[role] = User.objects.create_user(role, f"{role}@example.org", "correct-horse")
            cls.users[role].groups.add(Group.objects.get(name=group))
        cls.users["admin"] = User.objects.create_superuser("admin", "admin@example.org", "correct-horse")
        cls.site = Site.objects.get(is_default_site=True)

    # --- the objects and what they store -------------------------------------------------------

    def target(self, content_type: str):
        if content_type == "settings":
            return SocialMediaSettings.for_site(self.site)
        if content_type == "guide_steps":
            content_type = "guide"
        model = PAGES.get(content_type) or SNIPPETS[content_type]
        return model.objects.order_by("pk").first()

    def stored(self, content_type: str, name: str, *, live: bool = False):
        """The value as the editors last saved it (latest draft), or as the public sees it (`live`)."""
        obj = self.target(content_type)
        if not live and isinstance(obj, DraftStateMixin):
            obj = obj.get_latest_revision_as_object()
        if content_type == "guide_steps":
            child = name.removeprefix("steps-0-value-")
            return obj.steps.raw_data[0]["value"][child]
        if name == "orders_page":
            return obj.orders_page_id
        value = getattr(obj, name)
        return str(value) if name == "date" else value

    def edit_url(self, content_type: str, obj) -> str:
        if content_type == "settings":
            return reverse("wagtailsettings:edit", args=["home", "socialmediasettings", self.site.pk])
        if isinstance(obj, Page):
            return reverse("wagtailadmin_pages:edit", args=[obj.pk])
        return reverse(obj.snippet_viewset.get_url_name("edit"), args=[obj.pk])

    def text_field(self, content_type: str, language: str) -> str:
        if content_type == "guide_steps":
            return f"steps-0-value-text_{language}"
        if content_type == "search_synonym":
            return f"term_{language}"
        return f"{'title' if content_type in PAGES else 'name'}_{language}"

    def form_data(self, content_type: str, **changes) -> dict:
        obj = self.target(content_type)
        latest = obj.get_latest_revision_as_object() if isinstance(obj, DraftStateMixin) else obj
        if content_type == "settings":
            return {
                "linkedin_url": obj.linkedin_url,
                "twitter_url": obj.twitter_url,
                "facebook_url": obj.facebook_url,
                **changes,
            }
        data = edit_form_data(latest)
        for key, value in changes.items():
            if value is None:
                data.pop(key, None)
            else:
                data[key] = value
        return data

    # --- the actions ---------------------------------------------------------------------------

    def do_view(self, content_type: str) -> bool:
        obj = self.target(content_type)
        allowed = self.client.get(self.edit_url(content_type, obj)).status_code == 200
        if content_type != "settings":
            workspace = self.client.get(workspace_url(obj)).status_code == 200
            self.assertEqual(workspace, allowed, "the workspace and the editor disagree")
        return allowed

    def do_write(self, content_type: str, name: str, value, *, read_as: str | None = None, publish: bool = False):
        read_as = read_as or name
        before = self.stored(content_type, read_as, live=publish)
        extra = {"action-publish": "action-publish"} if publish else {}
        data = self.form_data(content_type, **{name: value}, **extra)
        response = self.client.post(self.edit_url(content_type, self.target(content_type)), data)
        self.assertLess(response.status_code, 500)
        after = self.stored(content_type, read_as, live=publish)
        if after == before:
            return False
        self.assertEqual(response.status_code, 302)
        return True

    def do_edit_english(self, content_type: str) -> bool:
        name = self.text_field(content_type, "en")
        return self.do_write(content_type, name, "Changed in English")

    def do_edit_french(self, content_type: str) -> bool:
        name = self.text_field(content_type, "fr")
        return self.do_write(content_type, name, "Changé en français")

    def do_edit_non_text(self, content_type: str) -> bool:
        if content_type not in NON_TEXT:  # a page type: "show in menus" is its value that is not text
            flag = self.stored(content_type, "show_in_menus")
            return self.do_write(content_type, "show_in_menus", None if flag else "on")
        name, value = NON_TEXT[content_type]
        return self.do_write(content_type, name, value)

    def do_publish(self, content_type: str) -> bool:
        if content_type == "settings":
            return self.do_edit_non_text(content_type)
        name = self.text_field(content_type, "en")
        return self.do_write(content_type, name, "Published in English", publish=True)

    def do_submit(self, content_type: str) -> bool:
        """Submit for moderation from the workspace (where a snippet's submit answered 500)."""
        obj = self.target(content_type)
        url = workspace_url(obj)
        page = self.client.get(url)
        self.assertEqual(page.status_code, 200)
        form = page.context["form"]
        unchanged = {name: field.widget.format_value(form.initial.get(name)) for name, field in form.fields.items()}
        response = self.client.post(url, {**unchanged, "action": "submit"})
        self.assertLess(response.status_code, 500)
        return self.target(content_type).workflow_in_progress

    def check_not_applicable(self, action: str, content_type: str) -> None:
        """No such value: the edit form has none (settings have no English or French, some snippets no
        value that is not text)."""
        obj = self.target(content_type)
        if content_type == "settings":
            names = [field.name for field in SocialMediaSettings._meta.get_fields()]
            self.assertFalse([name for name in names if name.endswith(("_fr", "_en"))])
            return
        names = set(edit_handler(obj).get_form_class()._meta.fields or [])
        model = type(obj)
        french = {name for name in names if name.endswith("_fr")}
        self.assertEqual(names - english_text_fields(model) - french, set(), action)

    def run_cell(self, role: str, action: str, content_type: str) -> None:
        want = expected(role, action, content_type)
        if want is None:
            self.check_not_applicable(action, content_type)
            return
        self.client.force_login(self.users[role])
        got = getattr(self, f"do_{action}")(content_type)
        self.assertEqual(got, want, f"{role} × {action} × {content_type}")


def _cell_test(role: str, action: str, content_type: str):
    def test(self):
        self.run_cell(role, action, content_type)

    test.__doc__ = f"{role} × {action} × {content_type}: {expected(role, action, content_type)}"
    return test


for _role in ROLES:
    for _action in ACTIONS:
        for _content_type in CONTENT_TYPES:
            setattr(
                RoleTableTests, f"test_{_role}_{_action}_{_content_type}", _cell_test(_role, _action, _content_type)
            )
