import datetime
import re
from unittest import mock

from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from wagtail.models import Site
from wagtail.test.utils import WagtailPageTestCase

from blog.models import BlogIndexPage, BlogPostPage, Comment
from home.models import HomePage, SocialMediaSettings
from home.seeding import ensure_home_page
from tests.factories import make_blog, make_image, make_post, make_taxonomy


class BlogTreeTests(WagtailPageTestCase):
    def test_blog_lives_under_home_and_holds_only_posts(self):
        self.assertAllowedParentPageTypes(BlogIndexPage, {HomePage})
        self.assertAllowedSubpageTypes(BlogIndexPage, {BlogPostPage})
        self.assertAllowedParentPageTypes(BlogPostPage, {BlogIndexPage})
        self.assertAllowedSubpageTypes(BlogPostPage, set())


class BlogPostPageTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.home = ensure_home_page()
        cls.blog = make_blog(cls.home)
        cls.taxonomy = make_taxonomy()
        cls.post = make_post(
            cls.blog,
            1,
            categories=[cls.taxonomy["category"]],
            tags=[cls.taxonomy["tag"]],
            authors=[cls.taxonomy["author"]],
            image=make_image(),
        )
        cls.related = make_post(cls.blog, 2, tags=[cls.taxonomy["tag"]])
        cls.unrelated = make_post(cls.blog, 3, categories=[cls.taxonomy["other_category"]])

    def setUp(self):
        cache.clear()

    def test_post_renders_in_french(self):
        response = self.client.get("/fr/blogue/billet-1/")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, '<html lang="fr">')
        self.assertContains(response, "<h1>Billet numéro 1</h1>", html=True)
        self.assertContains(response, "Un ordre professionnel protège le public.")
        self.assertContains(response, "<summary>Vrai ou faux?</summary>", html=True)
        self.assertContains(response, "Équipe de la campagne")
        self.assertContains(response, "1 minute de lecture")
        self.assertContains(response, "2 juin 2026")
        self.assertContains(response, 'alt="Illustration : un bouclier"')

    def test_post_renders_in_english(self):
        response = self.client.get("/en/blog/post-1/")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, '<html lang="en">')
        self.assertContains(response, "<h1>Post number 1</h1>", html=True)
        self.assertContains(response, "A professional order protects the public.")
        self.assertContains(response, "<summary>True or false?</summary>", html=True)
        self.assertContains(response, "1 minute read")
        self.assertContains(response, "June 2, 2026")
        self.assertContains(response, 'alt="Illustration: a shield"')

    def test_post_links_its_category_and_tag_and_the_other_language(self):
        response = self.client.get("/fr/blogue/billet-1/")
        self.assertContains(response, 'href="/fr/blogue/categorie/vos-recours/"')
        self.assertContains(response, 'href="/fr/blogue/etiquette/honoraires/"')
        self.assertContains(response, '<a href="/en/blog/post-1/" hreflang="en" lang="en">English</a>', html=True)
        response = self.client.get("/en/blog/post-1/")
        self.assertContains(response, 'href="/en/blog/category/your-options/"')
        self.assertContains(response, 'href="/en/blog/tag/fees/"')

    def test_related_posts_share_a_category_or_tag(self):
        response = self.client.get("/en/blog/post-1/")
        related = response.context["related_posts"]
        self.assertEqual([post.pk for post in related], [self.related.pk])
        self.assertContains(response, "Post number 2")
        self.assertNotContains(response, "Post number 3")

    def test_reading_time_grows_with_the_body(self):
        long_body = [{"type": "paragraph", "value": "<p>" + "mot " * 450 + "</p>"}]
        post = make_post(self.blog, 9, body_fr=long_body, body_en=long_body)
        self.assertEqual(post.reading_time, 3)

    def test_open_graph_and_twitter_card_follow_the_language(self):
        response = self.client.get("/en/blog/post-1/")
        self.assertContains(response, '<meta property="og:title" content="Post number 1">')
        self.assertContains(response, '<meta property="og:url" content="http://testserver/en/blog/post-1/">')
        self.assertContains(response, '<meta property="og:locale" content="en_CA">')
        self.assertContains(response, '<meta property="og:locale:alternate" content="fr_CA">')
        self.assertContains(response, '<meta property="og:description" content="Summary of post 1.">')
        self.assertContains(response, '<meta property="og:image:alt" content="Illustration: a shield">')
        self.assertContains(response, '<meta name="twitter:card" content="summary_large_image">')
        self.assertRegex(response.content.decode(), r'<meta property="og:image" content="http://testserver/media/')
        response = self.client.get("/fr/blogue/billet-1/")
        self.assertContains(response, '<meta property="og:locale" content="fr_CA">')
        self.assertContains(response, '<meta property="og:title" content="Billet numéro 1">')

    def test_share_links_load_no_third_party_script(self):
        response = self.client.get("/fr/blogue/billet-1/")
        html = response.content.decode()
        self.assertIn(
            'href="https://www.linkedin.com/sharing/share-offsite/?url=http%3A%2F%2Ftestserver%2Ffr%2Fblogue%2Fbillet-1%2F"',
            html,
        )
        self.assertIn("https://twitter.com/intent/tweet?url=", html)
        self.assertIn("https://www.facebook.com/sharer/sharer.php?u=", html)
        # Only the site's own scripts (served from /static/), never a third-party one.
        self.assertEqual(
            [src for src in re.findall(r'<script[^>]*src="([^"]+)"', html) if not src.startswith("/static/")], []
        )
        self.assertEqual(re.findall(r"<iframe", html), [])

    def test_footer_shows_social_accounts_only_when_set(self):
        response = self.client.get("/fr/blogue/billet-1/")
        self.assertNotContains(response, "Suivez la campagne")
        site = Site.objects.get(is_default_site=True)
        SocialMediaSettings.objects.update_or_create(
            site=site,
            defaults={"linkedin_url": "https://www.linkedin.com/company/exemple", "facebook_url": ""},
        )
        response = self.client.get("/fr/blogue/billet-1/")
        self.assertContains(response, "Suivez la campagne")
        self.assertContains(
            response, '<a href="https://www.linkedin.com/company/exemple" rel="me noopener">LinkedIn</a>'
        )
        footer = re.search(r'<nav class="social-links".*?</nav>', response.content.decode(), re.S).group()
        self.assertNotIn("Facebook", footer)
        response = self.client.get("/en/")
        self.assertContains(response, "Follow the campaign")

    def test_an_unpublished_post_is_not_served(self):
        self.unrelated.unpublish()
        self.assertEqual(self.client.get("/en/blog/post-3/").status_code, 404)


class BlogIndexPageTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.home = ensure_home_page()
        cls.blog = make_blog(cls.home)
        cls.taxonomy = make_taxonomy()
        cls.old = make_post(cls.blog, 1, categories=[cls.taxonomy["category"]], tags=[cls.taxonomy["tag"]])
        cls.new = make_post(cls.blog, 2, categories=[cls.taxonomy["other_category"]])
        Comment.objects.create(post=cls.old, name="A", email="a@example.org", body="Oui", status="approved")
        Comment.objects.create(post=cls.old, name="B", email="b@example.org", body="Non", status="pending")

    def setUp(self):
        cache.clear()

    def test_index_lists_posts_newest_first_in_both_languages(self):
        response = self.client.get("/fr/blogue/")
        html = response.content.decode()
        self.assertLess(html.index("Billet numéro 2"), html.index("Billet numéro 1"))
        response = self.client.get("/en/blog/")
        html = response.content.decode()
        self.assertLess(html.index("Post number 2"), html.index("Post number 1"))

    def test_index_is_in_the_main_menu(self):
        response = self.client.get("/fr/")
        self.assertContains(response, '<a href="/fr/blogue/">Blogue de la campagne</a>', html=True)

    def test_cards_count_approved_comments_only(self):
        response = self.client.get("/en/blog/")
        self.assertContains(response, "1 comment")
        response = self.client.get("/fr/blogue/")
        self.assertContains(response, "1 commentaire")

    def test_category_filter_in_both_languages(self):
        response = self.client.get("/fr/blogue/categorie/vos-recours/")
        self.assertContains(response, "Catégorie\u00a0: Vos recours")
        self.assertContains(response, "Billet numéro 1")
        self.assertNotContains(response, "Billet numéro 2")
        response = self.client.get("/en/blog/category/your-options/")
        self.assertContains(response, "Category: Your options")
        self.assertContains(response, "Post number 1")
        self.assertNotContains(response, "Post number 2")

    def test_filter_pages_switch_language_to_the_same_filter(self):
        response = self.client.get("/fr/blogue/categorie/vos-recours/")
        self.assertContains(
            response,
            '<a href="/en/blog/category/your-options/" hreflang="en" lang="en">English</a>',
            html=True,
        )
        self.assertContains(
            response,
            '<link rel="alternate" hreflang="en" href="http://testserver/en/blog/category/your-options/">',
        )
        response = self.client.get("/en/blog/tag/fees/")
        self.assertContains(
            response,
            '<a href="/fr/blogue/etiquette/honoraires/" hreflang="fr" lang="fr">Français</a>',
            html=True,
        )

    def test_tag_filter_in_both_languages(self):
        response = self.client.get("/fr/blogue/etiquette/honoraires/")
        self.assertContains(response, "Étiquette\u00a0: honoraires")
        self.assertContains(response, "Billet numéro 1")
        self.assertNotContains(response, "Billet numéro 2")
        response = self.client.get("/en/blog/tag/fees/")
        self.assertContains(response, "Post number 1")
        self.assertNotContains(response, "Post number 2")

    def test_unknown_or_other_language_filters_answer_404(self):
        for path in (
            "/fr/blogue/categorie/nexiste-pas/",
            "/en/blog/tag/no-such-tag/",
            "/en/blog/category/vos-recours/",
            "/fr/blogue/categorie/%ff/",
            "/fr/blogue/categorie/nexiste-pas/rss/",
        ):
            with self.subTest(path=path):
                self.assertEqual(self.client.get(path).status_code, 404)

    def test_bad_page_numbers_show_a_page_not_an_error(self):
        for query in ("?page=-1", "?page=abc", "?page=999999", "?page=", "?page=1%00"):
            with self.subTest(query=query):
                response = self.client.get("/fr/blogue/" + query)
                self.assertEqual(response.status_code, 200)
                self.assertContains(response, "Billet numéro 1")

    def test_pagination_splits_posts_ten_by_ten(self):
        for number in range(3, 13):
            make_post(self.blog, number)
        first = self.client.get("/en/blog/")
        self.assertContains(first, "Page 1 of 2")
        self.assertNotContains(first, "Post number 1<")
        second = self.client.get("/en/blog/?page=2")
        self.assertContains(second, "Post number 1<")
        self.assertContains(second, 'rel="prev"')

    def test_head_links_the_feeds_of_the_language(self):
        response = self.client.get("/en/blog/")
        self.assertContains(
            response,
            '<link rel="alternate" type="application/rss+xml" title="Campaign blog (RSS)" '
            'href="http://testserver/en/blog/rss/">',
        )
        self.assertContains(
            response,
            'type="application/atom+xml" title="Campaign blog (Atom)" href="http://testserver/en/blog/atom/"',
        )
        response = self.client.get("/fr/blogue/categorie/vos-recours/")
        self.assertContains(response, 'href="http://testserver/fr/blogue/categorie/vos-recours/rss/"')

    def test_scheduled_post_appears_once_publish_scheduled_runs(self):
        post = make_post(self.blog, 20)
        post.unpublish()
        post.go_live_at = timezone.now() + datetime.timedelta(hours=1)
        post.save_revision().publish()
        self.assertNotContains(self.client.get("/en/blog/"), "Post number 20")
        call_command("publish_scheduled", stdout=open("/dev/null", "w"))  # noqa: SIM115
        self.assertNotContains(self.client.get("/en/blog/"), "Post number 20")
        two_hours_later = timezone.now() + datetime.timedelta(hours=2)
        with mock.patch("django.utils.timezone.now", return_value=two_hours_later):
            call_command("publish_scheduled", stdout=open("/dev/null", "w"))  # noqa: SIM115
        self.assertContains(self.client.get("/en/blog/"), "Post number 20")


class QueryCountTests(TestCase):
    """The blog's pages cost the same number of queries with 1 post as with 10."""

    @classmethod
    def setUpTestData(cls):
        cls.home = ensure_home_page()
        cls.blog = make_blog(cls.home)
        cls.taxonomy = make_taxonomy()
        cls.image = make_image()

    def setUp(self):
        cache.clear()

    def add_posts(self, count: int, comment_on: BlogPostPage | None = None) -> list[BlogPostPage]:
        start = BlogPostPage.objects.count() + 1
        posts = []
        for number in range(start, start + count):
            post = make_post(
                self.blog,
                number,
                categories=[self.taxonomy["category"]],
                tags=[self.taxonomy["tag"]],
                authors=[self.taxonomy["author"]],
                image=self.image,
            )
            Comment.objects.create(
                post=comment_on or post, name="A", email="a@example.org", body="Oui", status="approved"
            )
            posts.append(post)
        return posts

    def assert_same_queries_with_1_and_10(self, path: str, expected: int, comment_on=None):
        for count in (1, 9):
            self.add_posts(count, comment_on=comment_on)
            self.client.get(path)  # the first view makes the image renditions (and refreshes the caches)
            self.client.get(path)
            with self.subTest(posts=BlogPostPage.objects.count()):
                with CaptureQueriesContext(connection) as queries:
                    self.assertEqual(self.client.get(path).status_code, 200)
                # Savepoints come from ATOMIC_REQUESTS inside the test transaction: not data queries.
                data_queries = [
                    q for q in queries.captured_queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE"))
                ]
                self.assertEqual(len(data_queries), expected)

    def test_index_queries_are_constant(self):
        self.assert_same_queries_with_1_and_10("/fr/blogue/", 9)

    def test_category_listing_queries_are_constant(self):
        self.assert_same_queries_with_1_and_10("/en/blog/category/your-options/", 10)

    def test_post_queries_are_constant(self):
        """A post with 1, then 10, related posts and approved comments."""
        post = make_post(self.blog, 99, categories=[self.taxonomy["category"]], image=self.image)
        self.assert_same_queries_with_1_and_10(post.get_url(), 5, comment_on=post)


class BlogAdminTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        from django.contrib.auth import get_user_model

        cls.home = ensure_home_page()
        cls.blog = make_blog(cls.home)
        cls.post = make_post(cls.blog, 1)
        cls.admin = get_user_model().objects.create_superuser("admin", "admin@example.org", "pw")

    def setUp(self):
        self.client.force_login(self.admin)

    def post_form_data(self, **extra):
        from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

        return nested_form_data(
            {
                "title_fr": "Nouveau billet",
                "title_en": "New post",
                "slug_fr": "nouveau-billet",
                "slug_en": "new-post",
                "date": "2026-11-20",
                "summary_fr": "Résumé.",
                "summary_en": "Summary.",
                "body_fr": streamfield([("paragraph", rich_text("<p>Texte.</p>"))]),
                "body_en": streamfield([("paragraph", rich_text("<p>Text.</p>"))]),
                **extra,
            }
        )

    def test_editor_previews_a_post_in_each_language(self):
        url = f"/admin/pages/{self.post.pk}/edit/preview/"
        self.assertEqual(self.client.post(url, self.post_form_data()).json()["is_valid"], True)
        for mode, text in (("fr", "Nouveau billet"), ("en", "New post")):
            with self.subTest(mode=mode):
                response = self.client.get(f"{url}?mode={mode}")
                self.assertContains(response, f"<h1>{text}</h1>", html=True)
                self.assertContains(response, f'<html lang="{mode}">')

    def test_editor_previews_a_post_not_yet_saved(self):
        url = f"/admin/pages/add/blog/blogpostpage/{self.blog.pk}/preview/"
        self.assertEqual(self.client.post(url, self.post_form_data()).json()["is_valid"], True)
        response = self.client.get(f"{url}?mode=en")
        self.assertContains(response, "<h1>New post</h1>", html=True)
        self.assertContains(response, "No comments yet.")

    def test_editor_creates_a_post_with_both_languages(self):
        data = self.post_form_data(**{"action-publish": "publish"})
        response = self.client.post(f"/admin/pages/add/blog/blogpostpage/{self.blog.pk}/", data)
        self.assertEqual(response.status_code, 302)
        self.assertEqual(self.client.get("/en/blog/new-post/").status_code, 200)
        self.assertContains(self.client.get("/fr/blogue/nouveau-billet/"), "Texte.")
