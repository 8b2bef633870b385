"""Comments and the page cache: a visitor's comment never empties the cache; moderation refreshes it."""

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.test import TestCase, override_settings

from wagtail.snippets.models import get_snippet_models

from blog.models import Comment
from blog.permissions import ensure_moderators_group
from home.seeding import ensure_home_page
from ops.cache import NOT_PUBLIC_CONTENT_MODELS, PUBLIC_CONTENT_MODELS, current_generation
from tests.factories import SameSiteClient, comment_data, make_blog, make_post

FR_POST = "/fr/blogue/billet-1/"
CACHED_PATHS = ("/fr/", "/en/", "/fr/blogue/", "/en/blog/")


@override_settings(PAGE_CACHE_SECONDS=600)
class CommentsAndThePageCacheTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.home = ensure_home_page()
        cls.blog = make_blog(cls.home)
        cls.post = make_post(cls.blog, 1)
        cls.moderator = get_user_model().objects.create_user("moderatrice", "m@example.org", "pw")
        cls.moderator.groups.add(ensure_moderators_group())

    def setUp(self):
        cache.clear()

    def warm(self):
        visitor = self.client_class()
        for path in CACHED_PATHS:
            visitor.get(path)
            self.assertEqual(visitor.get(path)["X-Page-Cache"], "hit", path)
        return visitor

    def assert_still_cached(self, visitor):
        for path in CACHED_PATHS:
            with self.subTest(path=path):
                self.assertEqual(visitor.get(path)["X-Page-Cache"], "hit")

    def test_a_visitors_comment_or_spam_leaves_every_cached_page_warm(self):
        visitor = self.warm()
        generation = current_generation()
        commenter = SameSiteClient()
        self.assertEqual(commenter.post(FR_POST, comment_data()).status_code, 302)
        commenter.post(FR_POST, comment_data(website="http://spam.example", body="Achetez"))
        commenter.post(FR_POST, comment_data(email="not an address"))
        self.assertEqual(Comment.objects.count(), 2)
        self.assertEqual(current_generation(), generation)
        self.assert_still_cached(visitor)

    def moderate(self, action: str, *comments: Comment):
        self.client.force_login(self.moderator)
        ids = "&".join(f"id={comment.pk}" for comment in comments)
        response = self.client.post(f"/admin/bulk/blog/comment/{action}/?next=/admin/&{ids}")
        self.assertEqual(response.status_code, 302)
        self.client.logout()

    def new_comment(self, body: str, status=Comment.Status.PENDING) -> Comment:
        return Comment.objects.create(post=self.post, name="Luc", email="l@example.org", body=body, status=status)

    def test_bulk_approval_shows_the_comments_and_their_count_at_once(self):
        first, second = self.new_comment("Premier avis"), self.new_comment("Second avis")
        visitor = self.warm()
        self.assertContains(visitor.get("/fr/blogue/"), "0 commentaire")
        self.moderate("approve", first, second)
        listing = visitor.get("/fr/blogue/")
        self.assertEqual(listing["X-Page-Cache"], "miss")
        self.assertContains(listing, "2 commentaires")
        self.assertContains(visitor.get(FR_POST), "Second avis")

    def test_bulk_rejection_or_spam_of_an_approved_comment_hides_it_at_once(self):
        for action in ("reject", "spam"):
            with self.subTest(action=action):
                comment = self.new_comment(f"Avis à retirer ({action})", status=Comment.Status.APPROVED)
                visitor = self.warm()
                self.assertContains(visitor.get("/fr/blogue/"), "1 commentaire")
                self.moderate(action, comment)
                self.assertContains(visitor.get("/fr/blogue/"), "0 commentaire")
                self.assertNotContains(visitor.get(FR_POST), "Avis à retirer")

    def test_bulk_rejection_of_pending_comments_changes_nothing_public_and_keeps_the_cache(self):
        comment = self.new_comment("Encore en attente")
        visitor = self.warm()
        self.moderate("reject", comment)
        self.assert_still_cached(visitor)

    def test_approving_one_comment_in_its_edit_form_refreshes_the_pages(self):
        comment = self.new_comment("Approuvé seul")
        visitor = self.warm()
        self.client.force_login(self.moderator)
        response = self.client.post(f"/admin/snippets/blog/comment/edit/{comment.pk}/", {"status": "approved"})
        self.assertEqual(response.status_code, 302)
        self.assertContains(visitor.get("/fr/blogue/"), "1 commentaire")
        self.assertContains(visitor.get(FR_POST), "Approuvé seul")

    def test_deleting_an_approved_comment_removes_it_at_once(self):
        comment = self.new_comment("À supprimer", status=Comment.Status.APPROVED)
        visitor = self.warm()
        comment.delete()
        self.assertContains(visitor.get("/fr/blogue/"), "0 commentaire")


class PublicContentListTests(TestCase):
    def test_every_snippet_says_whether_its_saves_change_public_pages(self):
        labels = {model._meta.label for model in get_snippet_models()}
        self.assertEqual(labels - PUBLIC_CONTENT_MODELS - NOT_PUBLIC_CONTENT_MODELS, set())
        self.assertNotIn("blog.Comment", PUBLIC_CONTENT_MODELS)
