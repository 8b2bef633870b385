from xml.etree.ElementTree import Element

from defusedxml import ElementTree as ET

from django.test import TestCase

from home.seeding import ensure_home_page
from tests.factories import make_blog, make_post, make_taxonomy

ATOM = "{http://www.w3.org/2005/Atom}"


class FeedTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.home = ensure_home_page()
        cls.blog = make_blog(cls.home)
        cls.taxonomy = make_taxonomy()
        make_post(cls.blog, 1, categories=[cls.taxonomy["category"]], authors=[cls.taxonomy["author"]])
        make_post(cls.blog, 2, categories=[cls.taxonomy["other_category"]])

    def get_xml(self, path: str, content_type: str) -> Element:
        response = self.client.get(path)
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response["Content-Type"].startswith(content_type), response["Content-Type"])
        return ET.fromstring(response.content)

    def test_french_rss_is_valid_with_absolute_french_urls(self):
        rss = self.get_xml("/fr/blogue/rss/", "application/rss+xml")
        self.assertEqual((rss.tag, rss.get("version")), ("rss", "2.0"))
        channel = rss.find("channel")
        self.assertEqual(channel.findtext("link"), "http://testserver/fr/blogue/")
        self.assertEqual(channel.findtext("language"), "fr")
        self.assertIn("Blogue de la campagne", channel.findtext("title"))
        items = channel.findall("item")
        self.assertEqual([item.findtext("title") for item in items], ["Billet numéro 2", "Billet numéro 1"])
        self.assertEqual(
            [item.findtext("link") for item in items],
            ["http://testserver/fr/blogue/billet-2/", "http://testserver/fr/blogue/billet-1/"],
        )
        self.assertEqual(items[1].findtext("description"), "Résumé du billet 1.")
        self.assertEqual(items[1].findtext("category"), "Vos recours")
        for item in items:
            self.assertTrue(item.findtext("pubDate"))
            self.assertTrue(item.findtext("guid").startswith("http://testserver/fr/"))

    def test_english_rss_uses_english_urls_and_text(self):
        channel = self.get_xml("/en/blog/rss/", "application/rss+xml").find("channel")
        self.assertEqual(channel.findtext("link"), "http://testserver/en/blog/")
        self.assertEqual(channel.findtext("language"), "en")
        self.assertEqual(
            [item.findtext("link") for item in channel.findall("item")],
            ["http://testserver/en/blog/post-2/", "http://testserver/en/blog/post-1/"],
        )
        self.assertEqual(channel.findall("item")[1].findtext("category"), "Your options")

    def test_atom_is_valid_with_absolute_urls_per_language(self):
        for path, prefix in (
            ("/fr/blogue/atom/", "http://testserver/fr/blogue/"),
            ("/en/blog/atom/", "http://testserver/en/blog/"),
        ):
            with self.subTest(path=path):
                feed = self.get_xml(path, "application/atom+xml")
                self.assertEqual(feed.tag, f"{ATOM}feed")
                self.assertTrue(feed.findtext(f"{ATOM}id"))
                self.assertTrue(feed.findtext(f"{ATOM}updated"))
                entries = feed.findall(f"{ATOM}entry")
                self.assertEqual(len(entries), 2)
                for entry in entries:
                    self.assertTrue(entry.find(f"{ATOM}link").get("href").startswith(prefix))
                    self.assertTrue(entry.findtext(f"{ATOM}updated"))
                    self.assertTrue(entry.findtext(f"{ATOM}title"))
                self.assertEqual(
                    entries[1].find(f"{ATOM}author").findtext(f"{ATOM}name"),
                    "Équipe de la campagne" if "/fr/" in path else "Campaign team",
                )

    def test_category_feeds_hold_only_that_category(self):
        channel = self.get_xml("/fr/blogue/categorie/vos-recours/rss/", "application/rss+xml").find("channel")
        self.assertEqual(channel.findtext("link"), "http://testserver/fr/blogue/categorie/vos-recours/")
        self.assertEqual([item.findtext("title") for item in channel.findall("item")], ["Billet numéro 1"])
        feed = self.get_xml("/en/blog/category/your-options/atom/", "application/atom+xml")
        self.assertEqual([entry.findtext(f"{ATOM}title") for entry in feed.findall(f"{ATOM}entry")], ["Post number 1"])

    def test_unknown_category_feed_is_a_404(self):
        self.assertEqual(self.client.get("/en/blog/category/nothing/rss/").status_code, 404)

    def test_unpublished_posts_stay_out_of_feeds(self):
        post = make_post(self.blog, 3)
        post.unpublish()
        channel = self.get_xml("/en/blog/rss/", "application/rss+xml").find("channel")
        self.assertNotIn("Post number 3", [item.findtext("title") for item in channel.findall("item")])
