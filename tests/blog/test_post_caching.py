"""Blog posts are cacheable (no cookie, no Vary: Cookie) and cheap, while the comment form stays protected."""

import datetime
import unittest
from contextlib import contextmanager

from django.db import connection
from django.test import Client, TestCase, override_settings

from blog.models import BlogPostPage, Comment
from home.public_forms import issue_form_token
from home.seeding import ensure_home_page
from ops.cache import bump_generation
from tests.factories import comment_data, form_token, make_blog, make_image, make_post, make_taxonomy

FR_URL = "/fr/blogue/billet-1/"
EN_URL = "/en/blog/post-1/"
SITE = "http://testserver"


class CacheablePostTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.home = ensure_home_page()
        cls.blog = make_blog(cls.home)
        cls.taxonomy = make_taxonomy()
        cls.post = make_post(cls.blog, 1, tags=[cls.taxonomy["tag"]], image=make_image())
        make_post(cls.blog, 2, tags=[cls.taxonomy["tag"]])

    def test_a_post_get_sets_no_cookie_and_does_not_vary_on_cookies(self):
        for path in (FR_URL, EN_URL):
            with self.subTest(path=path):
                response = Client().get(path)
                self.assertContains(response, 'id="comment-form"')
                self.assertEqual(dict(response.cookies), {})
                self.assertNotIn("cookie", response.get("Vary", "").lower())
                self.assertNotIn("csrfmiddlewaretoken", response.content.decode())

    @override_settings(PAGE_CACHE_SECONDS=600)
    def test_the_second_view_of_a_post_comes_from_the_page_cache(self):
        for path in (FR_URL, EN_URL):
            with self.subTest(path=path):
                first = self.client.get(path)
                self.assertEqual(first["X-Page-Cache"], "miss")
                with self.assertNumQueries(0):
                    second = self.client.get(path)
                self.assertEqual(second["X-Page-Cache"], "hit")
                self.assertEqual(second.content, first.content)
                self.assertEqual(dict(second.cookies), {})

    @override_settings(PAGE_CACHE_SECONDS=600)
    def test_a_commenter_still_sees_their_comment_while_others_get_the_cached_post(self):
        self.client.get(FR_URL)  # cached for everyone
        commenter = Client(enforce_csrf_checks=True, headers={"Origin": SITE})
        response = commenter.post(FR_URL, comment_data(), follow=True)
        self.assertContains(response, "Merci pour ces explications claires.")
        self.assertContains(response, "En attente de modération")
        self.assertFalse(response.has_header("X-Page-Cache"))  # a session: never from or into the cache
        other = Client().get(FR_URL)
        self.assertTrue(other.has_header("X-Page-Cache"))  # served from (or stored into) the page cache
        self.assertNotContains(other, "Merci pour ces explications claires.")


@contextmanager
def count_rows():
    """Count the queries and the rows they return (PostgreSQL's cursor.rowcount after a SELECT)."""
    counts = {"queries": 0, "rows": 0}

    def wrapper(execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        if sql.lstrip().upper().startswith("SELECT"):
            counts["queries"] += 1
            counts["rows"] += max(context["cursor"].rowcount, 0)
        return result

    with connection.execute_wrapper(wrapper):
        yield counts


@unittest.skipUnless(connection.vendor == "postgresql", "rows are counted with PostgreSQL's cursor.rowcount")
class PostCostTests(TestCase):
    """A post costs the same queries and reads the same rows with 3 posts as with 200."""

    @classmethod
    def setUpTestData(cls):
        cls.home = ensure_home_page()
        cls.blog = make_blog(cls.home)
        cls.taxonomy = make_taxonomy()
        cls.image = make_image()
        cls.post = make_post(
            cls.blog,
            1,
            categories=[cls.taxonomy["category"]],
            tags=[cls.taxonomy["tag"]],
            authors=[cls.taxonomy["author"]],
            image=cls.image,
        )
        Comment.objects.create(post=cls.post, name="A", email="a@example.org", body="Oui", status="approved")

    def add_posts(self, count: int) -> None:
        """Live sibling posts sharing the category and tag (no revisions: only their rows matter here)."""
        start = BlogPostPage.objects.count() + 1
        for number in range(start, start + count):
            post = BlogPostPage(
                title_fr=f"Billet {number}",
                title_en=f"Post {number}",
                slug_fr=f"billet-{number}",
                slug_en=f"post-{number}",
                summary_fr="Résumé.",
                summary_en="Summary.",
                date=datetime.date(2026, 1, 1) + datetime.timedelta(days=number),
                hero_image=self.image,
            )
            self.blog.add_child(instance=post)
            post.categories.set([self.taxonomy["category"]])
            post.tags.set([self.taxonomy["tag"]])
            post.authors.set([self.taxonomy["author"]])

    def measure(self, path: str) -> dict[str, dict[str, int]]:
        """Queries and rows of the first view after a publish (every cached fragment stale), then of the next."""
        self.client.get(path)  # makes the image renditions
        bump_generation()
        with count_rows() as cold:
            self.assertEqual(self.client.get(path).status_code, 200)
        with count_rows() as warm:
            self.assertEqual(self.client.get(path).status_code, 200)
        return {"cold": dict(cold), "warm": dict(warm)}

    def test_queries_and_rows_read_stay_the_same_with_200_posts(self):
        paths = (FR_URL, EN_URL)
        self.add_posts(2)
        few = {path: self.measure(path) for path in paths}
        self.add_posts(197)
        self.assertEqual(BlogPostPage.objects.live().count(), 200)
        many = {path: self.measure(path) for path in paths}
        for path in paths:
            with self.subTest(path=path):
                self.assertEqual(many[path], few[path], f"3 posts: {few[path]}, 200 posts: {many[path]}")
                # Every later view, until the next publish; the first one also rebuilds the site's fragments.
                self.assertLessEqual(many[path]["warm"]["queries"], 10)


class CommentProtectionTests(TestCase):
    """Without Django's CSRF cookie, a comment still has to come from the post's own page on this site."""

    @classmethod
    def setUpTestData(cls):
        cls.home = ensure_home_page()
        cls.blog = make_blog(cls.home)
        cls.post = make_post(cls.blog, 1)
        cls.other_post = make_post(cls.blog, 2)

    def browser(self, **headers) -> Client:
        """A client that enforces CSRF like a real browser's requests are checked."""
        return Client(enforce_csrf_checks=True, headers=headers)

    def assert_refused_and_kept(self, response, message: str, status: int) -> None:
        self.assertContains(response, message, status_code=status)
        self.assertContains(response, "Merci pour ces explications claires.</textarea>", status_code=status)
        self.assertContains(response, 'value="Marie Tremblay"', status_code=status)
        self.assertFalse(Comment.objects.exists())

    def test_a_comment_from_the_post_page_is_accepted_without_a_csrf_cookie(self):
        browser = self.browser(Origin=SITE)
        self.assertEqual(dict(browser.get(FR_URL).cookies), {})
        response = browser.post(FR_URL, comment_data())
        self.assertRedirects(response, FR_URL + "#comments", fetch_redirect_response=False)
        self.assertEqual(Comment.objects.get().status, Comment.Status.PENDING)

    def test_a_referer_from_the_site_stands_in_for_a_missing_origin(self):
        response = self.browser(Referer=SITE + FR_URL).post(FR_URL, comment_data())
        self.assertEqual(response.status_code, 302)
        self.assertEqual(Comment.objects.count(), 1)

    def test_a_comment_sent_from_another_site_is_refused_with_the_text_kept(self):
        for headers in (
            {"Origin": "https://evil.example"},
            {"Origin": "null"},
            {"Referer": "https://evil.example/page/"},
            {},
        ):
            with self.subTest(headers=headers):
                response = self.browser(**headers).post(EN_URL, comment_data())
                self.assert_refused_and_kept(
                    response, "We could not check that this form was sent from this site.", status=403
                )
        response = self.browser(Origin="https://evil.example").post(FR_URL, comment_data())
        message = "Nous n&#x27;avons pas pu vérifier que ce formulaire a été envoyé depuis ce site."
        self.assert_refused_and_kept(response, message, status=403)

    def test_a_token_of_another_post_or_an_old_style_token_is_refused(self):
        for token in (form_token(post_id=self.other_post.pk), form_token(post_id=None)[:-3] + "abc", "1795960164"):
            with self.subTest(token=token):
                response = self.browser(Origin=SITE).post(EN_URL, comment_data(started=token))
                self.assert_refused_and_kept(response, "We could not check this form.", status=200)

    @override_settings(BLOG_COMMENT_RATE="2/10m")
    def test_honeypot_time_check_and_rate_limit_still_apply(self):
        browser = self.browser(Origin=SITE)
        # A form rendered for this visitor (not a shared page's) is timed.
        response = browser.post(EN_URL, comment_data(started=issue_form_token(self.post.pk, shared=False)))
        self.assert_refused_and_kept(response, "That was very fast.", status=200)
        browser.post(EN_URL, comment_data(website="http://spam.example"))
        self.assertEqual(Comment.objects.get().status, Comment.Status.SPAM)
        response = browser.post(EN_URL, comment_data(body="One too many"))  # the two sends above count
        self.assertEqual(response.status_code, 429)
        self.assertContains(response, "One too many</textarea>", status_code=429)

    def test_other_pages_keep_djangos_csrf_check(self):
        browser = self.browser(Origin=SITE)
        self.assertEqual(browser.post("/fr/blogue/", {"q": "x"}).status_code, 403)
        self.assertEqual(browser.post("/fr/", {"q": "x"}).status_code, 403)

    @override_settings(CSRF_TRUSTED_ORIGINS=["https://www.example.org", "https://*.example.net"])
    def test_same_origin_follows_csrf_trusted_origins(self):
        from django.test import RequestFactory

        from ops.security import is_same_origin

        def check(**headers) -> bool:
            return is_same_origin(RequestFactory(headers=headers).post("/fr/blogue/billet-1/"))

        self.assertTrue(check(Origin="http://testserver"))
        self.assertTrue(check(Origin="https://www.example.org"))
        self.assertTrue(check(Origin="https://cdn.example.net"))
        self.assertTrue(check(Referer="http://testserver/fr/blogue/billet-1/"))
        self.assertFalse(check(Origin="http://www.example.org"))
        self.assertFalse(check(Origin="https://example.org"))
        self.assertFalse(check(Origin="https://testserver"))
        self.assertFalse(check(Referer="not a url"))
        self.assertFalse(check())
