"""A private page is private everywhere: a crawl of every public surface, in both languages.

One page of each listed type (blog post, order, profession, explainer, standard page, guide)
carries a marker word in its title, slug and summary (tests.factories.build_privacy_site). With a
password or a group restriction on that page, on its parent or on the ancestor two levels up, the
marker appears on no public surface — HTML listings, feeds, open data JSON and CSV, sitemap,
search results, autocomplete JSON, answers and the guide — and every URL of the restricted subtree
answers Wagtail's password form or login redirect, never content, and is never kept by a cache.
Removing the restriction brings every marker back where it was.
"""

from urllib.parse import urlencode

from django.contrib.auth.models import Group
from django.test import Client, TestCase, override_settings
from django.urls import reverse
from django.utils import translation

from wagtail.models import Page, PageViewRestriction

from tests.factories import build_privacy_site

LANGUAGES = ("fr", "en")
PASSWORD, GROUPS = PageViewRestriction.PASSWORD, PageViewRestriction.GROUPS
# Searches that find every marked page (or the answer naming the marked profession) while it is public.
SEARCHES = {"fr": ("sentinelle", "mon vigile me facture trop"), "en": ("sentinel", "my watchman overcharged me")}


def url_in(page: Page, language: str, suffix: str = "") -> str:
    with translation.override(language):
        return page.get_url() + suffix


class PrivacyCrawl:
    """What an anonymous visitor gets from every public surface, page by page."""

    def surfaces(self) -> list[tuple[str, Page | None]]:
        """(URL, the page that answers it or None for other views), both languages."""
        t = self.targets
        blog, post = t["post"].get_parent().specific, t["post"]
        other_post = post.get_prev_siblings().first() or post.get_next_siblings().first()
        guide = t["guide"]
        pages = [
            Page.objects.get(depth=2).specific,  # home: menu, footer, campaign questions, latest posts
            blog,
            post,
            other_post,  # its related posts
            t["order"].get_parent(),  # the directory
            t["order"],
            t["profession"],
            t["explainer"].get_parent(),  # the explainers hub
            t["explainer"],
            t["standard page"],
            guide,
            *Page.objects.filter(depth=3, content_type__model="professionindexpage"),  # professions A–Z
        ]
        found: list[tuple[str, Page | None]] = []
        for language in LANGUAGES:
            found += [(url_in(page, language), page) for page in pages]
            category, tag = post.categories.get(), post.tags.get()
            with translation.override(language):
                routes = [
                    blog.reverse_subpage("rss"),
                    blog.reverse_subpage("atom"),
                    blog.reverse_subpage("category", args=[category.slug]),
                    blog.reverse_subpage("tag", args=[tag.slug]),
                    blog.reverse_subpage("category_rss", args=[category.slug]),
                ]
            found += [(url_in(blog, language, route.lstrip("/")), blog) for route in routes]
            key = t["profession"].key
            for query in ("?step=r_fees", f"?step=r_fees&profession={key}", f"?profession={key}"):
                found.append((url_in(guide, language, query), guide))
            with translation.override(language):
                views = [reverse(name) for name in ("search", "search_suggestions", "search_answer")]
            found += [(f"{view}?{urlencode({'q': words})}", None) for words in SEARCHES[language] for view in views]
        return [*found, ("/data/directory.json", None), ("/data/directory.csv", None), ("/sitemap.xml", None)]

    def crawl(self, urls) -> dict[str, tuple[object, str]]:
        """Each URL's response and its text (body and Location header), as anonymous visitors get them."""
        crawled = {}
        for url in urls:
            response = self.client.get(url)
            crawled[url] = (response, (response.content.decode() + response.get("Location", "")).lower())
        return crawled

    def assert_restriction_answer(self, response, kind: str, url: str) -> None:
        """Wagtail's password form or login redirect, which no cache may keep."""
        if kind == PASSWORD:
            self.assertEqual(response.status_code, 200, url)
            self.assertContains(response, 'name="password"')
        else:
            self.assertEqual(response.status_code, 302, url)
            self.assertIn("next=", response["Location"])
        self.assertNotIn("X-Page-Cache", response)
        self.assertNotIn("public", response["Cache-Control"], url)
        self.assertIn("no-store", response["Cache-Control"], url)

    def restrict(self, page: Page, kind: str) -> PageViewRestriction:
        if kind == PASSWORD:
            return PageViewRestriction.objects.create(page=page, restriction_type=PASSWORD, password="mot-de-passe")
        restriction = PageViewRestriction.objects.create(page=page, restriction_type=GROUPS)
        restriction.groups.add(Group.objects.get_or_create(name="Membres")[0])
        return restriction

    def check_restriction(self, role: str, level: int, kind: str) -> None:
        """A restriction on the role's page (level 0), its parent (1) or grandparent (2) hides every
        marked page of that subtree everywhere; lifting it brings each one back wherever it was."""
        restricted = self.targets[role].get_ancestors(inclusive=True).reverse()[level]
        hidden = {marker for marker, page in self.marked.items() if page.path.startswith(restricted.path)}
        restriction = self.restrict(restricted, kind)
        crawled = self.crawl(url for url, _page in self.surfaces)
        for url, page in self.surfaces:
            response, text = crawled[url]
            if page is not None and page.path.startswith(restricted.path):
                self.assert_restriction_answer(response, kind, url)
                continue
            self.assertEqual(response.status_code, self.statuses[url], url)
            for marker in hidden:
                self.assertFalse(marker in text, f"{self.marked[marker].title} shown on {url}")
        with self.captureOnCommitCallbacks(execute=True):
            restriction.delete()
        crawled = self.crawl(sorted(set().union(*(self.found[marker] for marker in hidden))))
        for marker in hidden:
            shown = {url for url, (_response, text) in crawled.items() if marker in text}
            self.assertEqual(shown, self.found[marker], marker)


def crawl_baseline(cls) -> None:
    """The surfaces, their statuses and where each marker shows while every page is public."""
    cls.targets = build_privacy_site()
    cls.marked = {page.title_fr.split()[-1]: page for page in cls.targets.values()}
    crawler = cls.__new__(cls)
    crawler.targets, crawler.client = cls.targets, Client()
    cls.surfaces = crawler.surfaces()
    crawled = crawler.crawl(url for url, _page in cls.surfaces)
    cls.statuses = {url: response.status_code for url, (response, _text) in crawled.items()}
    cls.found = {marker: {url for url, (_r, text) in crawled.items() if marker in text} for marker in cls.marked}


class PrivatePagesTests(PrivacyCrawl, TestCase):
    """Page cache off (the test default): a restriction on each page type, its parent and grandparent."""

    @classmethod
    def setUpTestData(cls):
        crawl_baseline(cls)

    def test_while_public_every_marked_page_is_listed_on_the_surfaces_that_list_it(self):
        self.assertTrue(all(status in (200, 302) for status in self.statuses.values()), self.statuses)
        expected = {
            "quokka": ["/fr/blogue/", "/en/blog/rss/", "/fr/blogue/etiquette/honoraires/", "/fr/", "/sitemap.xml"],
            "numbat": ["/fr/ordres/", "/en/professions/", "/data/directory.json", "/data/directory.csv"],
            "kowari": ["/fr/ordres/sentinelles-numbat/", "/en/sentinel-wombat/?step=r_fees", "/data/directory.csv"],
            "potoroo": ["/fr/proteger-le-public/", "/en/sentinel-wombat/?step=r_fees", "/sitemap.xml"],
            "bettong": ["/fr/", "/en/orders/", "/sitemap.xml"],
            "wombat": ["/en/", "/fr/recherche/reponse/?q=mon+vigile+me+facture+trop", "/sitemap.xml"],
        }
        searches = {
            "quokka": ["/fr/recherche/?q=sentinelle"],
            "numbat": ["/en/search/?q=sentinel", "/en/search/suggestions/?q=sentinel"],
            "kowari": ["/fr/recherche/suggestions/?q=mon+vigile+me+facture+trop", "/en/search/?q=sentinel"],
            "potoroo": ["/en/search/?q=my+watchman+overcharged+me", "/fr/recherche/?q=sentinelle"],
        }
        for marker, urls in expected.items():
            for url in [*urls, *searches.get(marker, [])]:
                self.assertIn(url, self.found[marker], marker)

    # Each page type gets a restriction on itself, its parent and its grandparent; each kind of
    # restriction (password, groups) at least once per type. The home and the tree root are the
    # parent or grandparent of several types.
    def test_a_password_on_a_blog_post(self):
        self.check_restriction("post", 0, PASSWORD)

    def test_a_group_restriction_on_the_blog(self):
        self.check_restriction("post", 1, GROUPS)

    def test_a_group_restriction_on_the_home_page(self):
        self.check_restriction("post", 2, GROUPS)

    def test_a_group_restriction_on_an_order(self):
        self.check_restriction("order", 0, GROUPS)

    def test_a_password_on_the_directory(self):
        self.check_restriction("order", 1, PASSWORD)

    def test_a_password_on_a_profession(self):
        self.check_restriction("profession", 0, PASSWORD)

    def test_a_group_restriction_on_an_explainer(self):
        self.check_restriction("explainer", 0, GROUPS)

    def test_a_password_on_the_explainers_hub(self):
        self.check_restriction("explainer", 1, PASSWORD)

    def test_a_password_on_a_standard_page(self):
        self.check_restriction("standard page", 0, PASSWORD)

    def test_a_group_restriction_on_the_guide(self):
        self.check_restriction("guide", 0, GROUPS)

    def test_a_password_on_the_tree_root(self):
        self.check_restriction("guide", 2, PASSWORD)


@override_settings(PAGE_CACHE_SECONDS=600, CDN_CACHE_SECONDS=300)
class PrivatePagesWithPageCacheTests(PrivacyCrawl, TestCase):
    """Page cache and CDN headers on: pages cached while public are never served once private."""

    @classmethod
    def setUpTestData(cls):
        crawl_baseline(cls)

    def setUp(self):
        self.crawl(url for url, _page in self.surfaces)  # every page now sits in the page cache
        self.assertEqual(self.client.get("/fr/ordres/")["X-Page-Cache"], "hit")

    def test_a_group_restriction_on_a_cached_profession(self):
        self.check_restriction("profession", 0, GROUPS)

    def test_a_password_on_the_order_of_a_cached_profession(self):
        self.check_restriction("profession", 1, PASSWORD)

    def test_a_group_restriction_on_the_cached_directory(self):
        self.check_restriction("profession", 2, GROUPS)
