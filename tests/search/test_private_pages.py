"""Private pages (password, login or groups) never show in search, on the page or an ancestor."""

from django.contrib.auth.models import Group
from django.test import TestCase

from wagtail.models import PageViewRestriction

from home.seeding import ensure_home_page
from professions.models import OrderPage, ProfessionPage
from search.models import SearchEntry
from tests.factories import load_sample_directory


class PrivatePagesInSearchTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        ensure_home_page()
        load_sample_directory(["ordre-des-dentistes-du-quebec", "ordre-des-psychologues-du-quebec"])
        cls.order = OrderPage.objects.get(key="ordre-des-dentistes-du-quebec")
        cls.profession = ProfessionPage.objects.child_of(cls.order).get()

    def entries(self, page) -> int:
        return SearchEntry.objects.filter(page=page).count()

    def test_a_password_on_the_page_removes_it_from_search_in_both_languages(self):
        urls = dict(SearchEntry.objects.filter(page=self.profession).values_list("language", "url"))
        fr_url = urls["fr"]
        self.assertIn(fr_url, self.client.get("/fr/recherche/", {"q": "dentiste"}).content.decode())
        restriction = PageViewRestriction.objects.create(
            page=self.profession, restriction_type=PageViewRestriction.PASSWORD, password="secret"
        )
        self.assertEqual(self.entries(self.profession), 0)
        for path in ("/fr/recherche/", "/en/search/"):
            with self.subTest(path=path):
                html = self.client.get(path, {"q": "dentiste"}).content.decode()
                suggestions = self.client.get(f"{path}suggestions/", {"q": "dentiste"}).json()["results"]
                for url in urls.values():
                    self.assertNotIn(url, html)
                    self.assertNotIn(url, [item["url"] for item in suggestions])
        # Removing the password brings it back, in both languages.
        with self.captureOnCommitCallbacks(execute=True):
            restriction.delete()
        self.assertEqual(self.entries(self.profession), 2)
        self.assertIn(fr_url, self.client.get("/fr/recherche/", {"q": "dentiste"}).content.decode())

    def test_a_group_restriction_on_an_ancestor_hides_the_whole_subtree(self):
        urls = list(SearchEntry.objects.filter(page__in=[self.order, self.profession]).values_list("url", flat=True))
        self.assertEqual(len(urls), 4)
        restriction = PageViewRestriction.objects.create(page=self.order, restriction_type=PageViewRestriction.GROUPS)
        restriction.groups.add(Group.objects.create(name="Membres"))
        self.assertEqual(self.entries(self.order), 0)
        self.assertEqual(self.entries(self.profession), 0)
        for path, query in (("/fr/recherche/", "dentiste"), ("/en/search/", "dentist")):
            with self.subTest(path=path):
                html = self.client.get(path, {"q": query}).content.decode()
                suggestions = self.client.get(f"{path}suggestions/", {"q": query}).json()["results"]
                for url in urls:
                    self.assertNotIn(f'href="{url}"', html)
                    self.assertNotIn(url, [item["url"] for item in suggestions])
        # Other orders are untouched.
        self.assertEqual(SearchEntry.objects.filter(title="Psychologue").count(), 1)
        # The page itself asks for a login; lifting the ancestor's restriction brings both back.
        with self.captureOnCommitCallbacks(execute=True):
            restriction.delete()
        self.assertEqual(self.entries(self.order), 2)
        self.assertEqual(self.entries(self.profession), 2)

    def test_a_page_keeps_out_of_search_while_another_restriction_still_applies(self):
        on_order = PageViewRestriction.objects.create(page=self.order, restriction_type=PageViewRestriction.LOGIN)
        on_page = PageViewRestriction.objects.create(
            page=self.profession, restriction_type=PageViewRestriction.PASSWORD, password="x"
        )
        with self.captureOnCommitCallbacks(execute=True):
            on_page.delete()
        self.assertEqual(self.entries(self.profession), 0)
        with self.captureOnCommitCallbacks(execute=True):
            on_order.delete()
        self.assertEqual(self.entries(self.profession), 2)

    def test_republishing_a_private_page_does_not_put_it_back(self):
        PageViewRestriction.objects.create(page=self.order, restriction_type=PageViewRestriction.LOGIN)
        self.profession.save_revision().publish()
        self.assertEqual(self.entries(self.profession), 0)

    def test_deleting_a_private_page_removes_it_cleanly(self):
        PageViewRestriction.objects.create(page=self.profession, restriction_type=PageViewRestriction.LOGIN)
        with self.captureOnCommitCallbacks(execute=True):
            self.profession.delete()
        self.assertFalse(SearchEntry.objects.filter(page_id=self.profession.pk).exists())
