"""The one definition of a public page (home.public): what it costs, and that the admin's privacy
dialog, the page cache and the CDN follow it at once."""

import datetime
import io

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.test import Client, TestCase, override_settings
from django.urls import reverse
from django.utils import timezone

from wagtail.contrib.frontend_cache.backends import BaseBackend
from wagtail.models import Page, PageViewRestriction
from wagtail.rich_text import expand_db_html

from home.public import is_public, public_among, public_pages
from home.seeding import ensure_home_page
from professions.models import OrderPage, ProfessionPage
from search.models import SearchEntry
from tests.factories import add_child_page, load_sample_directory

PURGED: list[str] = []


class FakeCDN(BaseBackend):
    def purge(self, url):
        PURGED.append(url)


class PublicDefinitionTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.home = ensure_home_page()
        cls.section = add_child_page(cls.home, "section", "section")
        cls.pages = [add_child_page(cls.section, f"page-{n}", f"page-{n}") for n in range(5)]

    def test_it_agrees_with_wagtail_for_querysets_single_pages_and_chosen_pages(self):
        PageViewRestriction.objects.create(page=self.pages[1], restriction_type=PageViewRestriction.LOGIN)
        self.pages[2].unpublish()
        expected = [self.pages[0].pk, *(page.pk for page in self.pages[3:])]
        self.assertEqual(list(public_pages(Page.objects.child_of(self.section)).values_list("pk", flat=True)), expected)
        fresh = list(Page.objects.child_of(self.section).order_by("path"))
        self.assertEqual([page.pk for page in fresh if is_public(page)], expected)
        self.assertEqual([page.pk for page in public_among([None, *fresh])], expected)

    def test_a_restriction_on_an_ancestor_hides_the_whole_subtree(self):
        PageViewRestriction.objects.create(
            page=self.section, restriction_type=PageViewRestriction.PASSWORD, password="mot-de-passe"
        )
        self.assertFalse(public_pages(Page.objects.descendant_of(self.section, inclusive=True)).exists())
        self.assertFalse(any(is_public(page) for page in Page.objects.child_of(self.section)))
        self.assertEqual(public_among(Page.objects.child_of(self.section)), [])

    def test_an_expired_page_is_no_longer_public_once_wagtail_unpublishes_it(self):
        expired = self.pages[3]
        Page.objects.filter(pk=expired.pk).update(expire_at=timezone.now() - datetime.timedelta(minutes=1))
        call_command("publish_scheduled", stdout=io.StringIO())
        self.assertNotIn(expired.pk, public_pages(Page.objects.all()).values_list("pk", flat=True))
        self.assertFalse(is_public(Page.objects.get(pk=expired.pk)))
        self.assertEqual(self.client.get(expired.url).status_code, 404)
        self.assertNotIn("page-3/", self.client.get("/sitemap.xml").content.decode())

    def test_rich_text_links_to_a_private_page_keep_their_words_but_lose_its_address(self):
        html = "".join(f'<a linktype="page" id="{page.pk}">lien {n}</a>' for n, page in enumerate(self.pages[:2]))
        self.assertIn("page-1/", expand_db_html(html))
        PageViewRestriction.objects.create(page=self.pages[1], restriction_type=PageViewRestriction.LOGIN)
        rendered = expand_db_html(html)
        self.assertNotIn("page-1", rendered)
        self.assertIn("<a>lien 1</a>", rendered)
        self.assertIn('page-0/">lien 0</a>', rendered)

    def test_no_query_is_added_while_no_page_is_private_and_one_per_listing_otherwise(self):
        pages = Page.objects.child_of(self.section)
        list(public_pages(pages))  # the "no page is private" flag is now cached
        with self.assertNumQueries(1):
            self.assertEqual(len(list(public_pages(pages))), 5)
        chosen = list(pages.order_by("path"))
        with self.assertNumQueries(0):
            self.assertEqual(len(public_among(chosen)), 5)
        PageViewRestriction.objects.create(page=self.pages[0], restriction_type=PageViewRestriction.LOGIN)
        list(public_pages(pages))
        with self.assertNumQueries(2):  # Wagtail's .public() reads the restrictions once, whatever the size
            self.assertEqual(len(list(public_pages(pages))), 4)
        with self.assertNumQueries(2):
            self.assertEqual(len(public_among(chosen)), 4)


class PrivacyDialogTests(TestCase):
    """An editor makes an order private in Wagtail's privacy dialog: every listing drops it at once."""

    @classmethod
    def setUpTestData(cls):
        ensure_home_page()
        load_sample_directory(["ordre-des-dentistes-du-quebec", "ordre-des-psychologues-du-quebec"])
        cls.order = OrderPage.objects.get(key="ordre-des-dentistes-du-quebec")
        cls.profession = ProfessionPage.objects.child_of(cls.order).get()
        cls.editor = get_user_model().objects.create_superuser("editor", "e@example.org", "pw-not-used")
        cls.members = Group.objects.create(name="Membres")

    def set_privacy(self, **data) -> None:
        editor = Client()
        editor.force_login(self.editor)
        url = reverse("wagtailadmin_pages:set_privacy", args=[self.order.pk])
        with self.captureOnCommitCallbacks(execute=True):
            response = editor.post(url, data)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json()["step"], "set_privacy_done")

    def listed(self) -> dict[str, bool]:
        title, url = self.order.title_fr, self.order.url_path.split("/", 2)[2]
        listings = {
            "directory": self.client.get("/fr/ordres/").content.decode(),
            "professions A-Z": self.client.get("/fr/professions/").content.decode(),
            "open data": self.client.get("/data/directory.json").content.decode(),
            "sitemap": self.client.get("/sitemap.xml").content.decode(),
            "search": self.client.get("/fr/recherche/", {"q": "dentiste"}).content.decode(),
        }
        return {name: title in text or url in text for name, text in listings.items()}

    def check_round_trip(self) -> None:
        everywhere = dict.fromkeys(self.listed(), True)
        self.assertEqual(self.listed(), everywhere)
        for data in ({"restriction_type": "password", "password": "mot-de-passe"},
                     {"restriction_type": "groups", "groups": [self.members.pk]}):  # fmt: skip
            with self.subTest(data["restriction_type"]):
                self.set_privacy(**data)
                self.assertEqual(self.listed(), dict.fromkeys(everywhere, False))
                self.assertFalse(SearchEntry.objects.filter(page=self.profession).exists())
                answer = self.client.get(self.profession.url)
                self.assertIn(answer.status_code, (200, 302))  # the password form or the login redirect
                self.assertNotIn(self.profession.title_fr, answer.content.decode())
                self.set_privacy(restriction_type="none")
                self.assertEqual(self.listed(), everywhere)
                self.assertTrue(SearchEntry.objects.filter(page=self.profession).exists())

    def test_the_privacy_dialog_applies_at_once_without_the_page_cache(self):
        self.check_round_trip()

    @override_settings(PAGE_CACHE_SECONDS=600, CDN_CACHE_SECONDS=300)
    def test_the_privacy_dialog_applies_at_once_through_the_page_cache(self):
        self.check_round_trip()


@override_settings(WAGTAILFRONTENDCACHE={"fake": {"BACKEND": "tests.home.test_public.FakeCDN"}})
class PrivacyPurgesTheCDNTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.home = ensure_home_page()
        cls.orders = add_child_page(cls.home, "ordres", "orders")
        cls.nurses = add_child_page(cls.orders, "infirmieres", "nurses")

    def setUp(self):
        PURGED.clear()

    def test_a_restriction_purges_its_subtree_and_listings_once_committed(self):
        with self.captureOnCommitCallbacks(execute=False) as callbacks:
            restriction = PageViewRestriction.objects.create(page=self.orders, restriction_type="login")
        self.assertEqual(PURGED, [])  # not before the commit: the CDN would fetch the public page again
        for callback in callbacks:
            callback()
        expected = {
            "http://localhost/fr/ordres/infirmieres/",
            "http://localhost/en/orders/nurses/",
            "http://localhost/fr/ordres/",
            "http://localhost/en/orders/",
            "http://localhost/fr/",
            "http://localhost/en/",
        }
        self.assertEqual(set(PURGED), expected)
        PURGED.clear()
        with self.captureOnCommitCallbacks(execute=True):
            restriction.delete()
        self.assertEqual(set(PURGED), expected)
