import re

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.test import TestCase, override_settings

from blog.models import Comment
from home.public_forms import issue_form_token
from home.seeding import ensure_home_page
from tests.factories import SameSiteClient, comment_data, form_token, make_blog, make_post

FR_URL = "/fr/blogue/billet-1/"
EN_URL = "/en/blog/post-1/"


class CommentTestCase(TestCase):
    client_class = SameSiteClient

    @classmethod
    def setUpTestData(cls):
        cls.home = ensure_home_page()
        cls.blog = make_blog(cls.home)
        cls.post = make_post(cls.blog, 1)

    def setUp(self):
        cache.clear()  # the rate limit counts in the cache


class CommentFlowTests(CommentTestCase):
    def test_comment_is_held_and_its_author_sees_awaiting_moderation(self):
        response = self.client.post(FR_URL, comment_data(), follow=True)
        self.assertRedirects(response, FR_URL + "#comments")
        comment = Comment.objects.get()
        self.assertEqual((comment.status, comment.post_id, comment.language), ("pending", self.post.pk, "fr"))
        self.assertContains(response, "Merci pour ces explications claires.")
        self.assertContains(response, "En attente de modération")
        self.assertContains(response, "Votre commentaire est en attente de modération")

    def test_pending_comment_is_hidden_from_other_visitors_until_approved(self):
        self.client.post(FR_URL, comment_data())
        other_visitor = self.client_class()
        self.assertNotContains(other_visitor.get(FR_URL), "Merci pour ces explications claires.")
        Comment.objects.update(status=Comment.Status.APPROVED)
        response = other_visitor.get(FR_URL)
        self.assertContains(response, "Merci pour ces explications claires.")
        self.assertContains(response, "Marie Tremblay")
        self.assertNotContains(response, "En attente de modération")
        self.assertContains(other_visitor.get("/fr/blogue/"), "1 commentaire")

    def test_email_is_never_published(self):
        self.client.post(FR_URL, comment_data())
        Comment.objects.update(status=Comment.Status.APPROVED)
        for client in (self.client, self.client_class()):
            self.assertNotContains(client.get(FR_URL), "marie@example.org")

    def test_rejected_and_spam_comments_stay_hidden_even_from_their_author(self):
        self.client.post(FR_URL, comment_data(body="Premier"))
        self.client.post(FR_URL, comment_data(body="Second"))
        Comment.objects.filter(body="Premier").update(status=Comment.Status.REJECTED)
        Comment.objects.filter(body="Second").update(status=Comment.Status.SPAM)
        response = self.client.get(FR_URL)
        self.assertNotContains(response, "Premier")
        self.assertNotContains(response, "Second")

    def test_html_in_a_comment_is_shown_as_text(self):
        body = '<script>alert("x")</script><b>gras</b> <a href="http://x.example">lien</a>\nligne 2'
        self.client.post(EN_URL, comment_data(name="<i>Eve</i>", body=body))
        Comment.objects.update(status=Comment.Status.APPROVED)
        response = self.client_class().get(EN_URL)
        html = response.content.decode()
        self.assertIn("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;b&gt;gras&lt;/b&gt;", html)
        self.assertIn("&lt;i&gt;Eve&lt;/i&gt;", html)
        self.assertNotIn("<b>gras</b>", html)
        self.assertNotIn('href="http://x.example"', html)
        self.assertIn("lien&lt;/a&gt;<br>ligne 2", html)

    def test_comments_closed_refuses_new_comments(self):
        self.post.comments_open = False
        self.post.save_revision().publish()
        response = self.client.get(EN_URL)
        self.assertContains(response, "Comments are closed on this post.")
        self.assertNotContains(response, 'id="comment-form"')
        response = self.client.post(EN_URL, comment_data())
        self.assertEqual(response.status_code, 403)
        self.assertFalse(Comment.objects.exists())


class CommentValidationTests(CommentTestCase):
    def test_missing_fields_give_french_errors_and_keep_what_was_typed(self):
        response = self.client.post(FR_URL, comment_data(name="", email="pas-un-courriel"))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Votre commentaire n'a pas été envoyé.")
        self.assertContains(response, '<a href="#id_name">Votre nom\u00a0: Veuillez inscrire votre nom.</a>')
        self.assertContains(response, "Veuillez inscrire votre nom.")
        self.assertContains(response, "Veuillez inscrire une adresse courriel valide, comme nom@exemple.ca.")
        self.assertContains(response, 'value="pas-un-courriel"')
        self.assertContains(response, "Merci pour ces explications claires.</textarea>")
        self.assertContains(response, 'aria-invalid="true"')
        self.assertFalse(Comment.objects.exists())

    def test_every_field_in_error_points_at_its_message(self):
        """A screen reader announces a field's error through aria-describedby: each id it names exists."""
        response = self.client.post(FR_URL, comment_data(name="", email="", body="", notify_on_reply="on"))
        html = response.content.decode()
        described = re.findall(r'aria-describedby="([^"]+)"', html)
        self.assertGreaterEqual(len(described), 3)
        for ids in described:
            for element_id in ids.split():
                self.assertIn(f'id="{element_id}"', html, f"aria-describedby names a missing id: {element_id}")
        self.assertIn('aria-describedby="id_name_helptext id_name_error"', html)

    def test_missing_fields_give_english_errors(self):
        response = self.client.post(EN_URL, comment_data(body="", email="", notify_on_reply="on"))
        self.assertContains(response, "Your comment was not sent. Please correct the following:")
        self.assertContains(response, "Please write your comment.")
        self.assertContains(response, "Please enter your email address so that we can tell you, or untick the box.")
        self.assertContains(response, 'value="Marie Tremblay"')

    def test_too_long_comment_is_refused_with_a_clear_message(self):
        response = self.client.post(EN_URL, comment_data(body="a" * 3001))
        self.assertContains(response, "Please shorten your comment to 3,000 characters or fewer.")
        self.assertFalse(Comment.objects.exists())

    def test_garbage_posts_never_give_an_error_page(self):
        for data in (
            {},
            {"started": "x" * 5000},
            {"name": "\x00", "body": "\ud800".encode("utf-8", "surrogatepass")},
        ):
            with self.subTest(data=str(data)[:40]):
                response = self.client.post(EN_URL, data)
                self.assertEqual(response.status_code, 200)
        self.assertFalse(Comment.objects.exists())

    def test_post_to_a_filter_url_is_not_a_comment(self):
        response = self.client.post("/en/blog/tag/nothing/", comment_data())
        self.assertEqual(response.status_code, 404)


class SpamDefenceTests(CommentTestCase):
    def test_honeypot_comment_is_stored_as_spam_and_never_shown(self):
        response = self.client.post(EN_URL, comment_data(website="http://spam.example"), follow=True)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(Comment.objects.get().status, Comment.Status.SPAM)
        self.assertNotContains(response, "Merci pour ces explications claires.")
        self.assertNotContains(response, "Awaiting moderation")

    def test_form_sent_too_fast_is_refused_but_kept(self):
        # Timed only when the form was rendered for this visitor (tests/blog/test_comment_token.py).
        response = self.client.post(FR_URL, comment_data(started=issue_form_token(self.post.pk, shared=False)))
        self.assertContains(response, "C&#x27;était très rapide.")
        self.assertContains(response, "Merci pour ces explications claires.</textarea>")
        self.assertFalse(Comment.objects.exists())

    def test_forged_or_expired_form_token_is_refused(self):
        cases = {
            "MTc5NTk2MDE2NA:1xXfHQ:forged": "We could not check this form.",
            "": "We could not check this form.",
            form_token(seconds_ago=2 * 24 * 3600): "This form was open for too long.",
        }
        for token, message in cases.items():
            with self.subTest(token=token):
                response = self.client.post(EN_URL, comment_data(started=token))
                self.assertContains(response, message)
                self.assertContains(response, "Merci pour ces explications claires.</textarea>")
        self.assertFalse(Comment.objects.exists())

    def test_more_than_two_links_are_refused(self):
        body = "Voir http://a.example, https://b.example et www.c.example"
        response = self.client.post(FR_URL, comment_data(body=body))
        self.assertContains(response, "Veuillez inclure au plus deux liens")
        self.assertFalse(Comment.objects.exists())
        self.client.post(FR_URL, comment_data(body="Voir http://a.example et https://b.example"))
        self.assertEqual(Comment.objects.count(), 1)

    @override_settings(BLOG_COMMENT_RATE="3/10m")
    def test_rate_limit_per_ip_address(self):
        for number in range(3):
            response = self.client.post(EN_URL, comment_data(body=f"Comment {number}"))
            self.assertEqual(response.status_code, 302)
        response = self.client.post(EN_URL, comment_data(body="One too many"))
        self.assertEqual(response.status_code, 429)
        self.assertContains(response, "You have sent several comments in a short time", status_code=429)
        self.assertContains(response, "One too many</textarea>", status_code=429)
        self.assertEqual(Comment.objects.count(), 3)
        other_address = self.client.post(EN_URL, comment_data(body="From elsewhere"), REMOTE_ADDR="198.51.100.7")
        self.assertEqual(other_address.status_code, 302)


class ModerationPermissionTests(CommentTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        from django.contrib.auth.models import Group, Permission

        from blog.permissions import ensure_moderators_group

        moderators = ensure_moderators_group()
        users = get_user_model().objects
        cls.moderator = users.create_user("moderatrice", "m@example.org", "pw")
        cls.moderator.groups.add(moderators)
        editors, _created = Group.objects.get_or_create(name="Editors")
        editors.permissions.add(
            *Permission.objects.filter(
                codename__in=["access_admin", "change_comment", "delete_comment"],
                content_type__app_label__in=["wagtailadmin", "blog"],
            ),
        )
        cls.editor = users.create_user("editeur", "e@example.org", "pw")
        cls.editor.groups.add(editors)
        cls.comment = Comment.objects.create(post=cls.post, name="Luc", email="l@example.org", body="Bonjour")

    def bulk_url(self, action: str) -> str:
        return f"/admin/bulk/blog/comment/{action}/?next=/admin/&id={self.comment.pk}"

    def test_moderators_group_holds_the_moderation_permission(self):
        self.assertTrue(self.moderator.has_perm("blog.moderate_comment"))
        self.assertTrue(self.moderator.has_perm("wagtailadmin.access_admin"))
        self.assertFalse(self.editor.has_perm("blog.moderate_comment"))

    def test_moderator_approves_from_the_admin_and_the_comment_appears(self):
        self.client.force_login(self.moderator)
        listing = self.client.get("/admin/snippets/blog/comment/?status=pending")
        self.assertContains(listing, "Luc: Bonjour")
        confirm = self.client.get(self.bulk_url("approve"))
        self.assertContains(confirm, "Luc: Bonjour")
        response = self.client.post(self.bulk_url("approve"))
        self.assertRedirects(response, "/admin/", fetch_redirect_response=False)
        self.comment.refresh_from_db()
        self.assertEqual(self.comment.status, Comment.Status.APPROVED)
        self.assertIsNotNone(self.comment.moderated_at)
        self.assertContains(self.client_class().get(FR_URL), "Bonjour")

    def test_each_comment_in_the_queue_opens_in_full(self):
        """The queue shows a comment's first words; its title links to the whole text."""
        self.client.force_login(self.moderator)
        listing = self.client.get("/admin/snippets/blog/comment/")
        inspect_url = f"/admin/snippets/blog/comment/inspect/{self.comment.pk}/"
        self.assertContains(listing, f'href="{inspect_url}"')
        self.assertContains(self.client.get(inspect_url), "Bonjour")

    def test_moderator_searches_filters_and_inspects_comments(self):
        self.client.force_login(self.moderator)
        Comment.objects.create(post=self.post, name="Zoé", email="z@example.org", body="Autre", status="approved")
        response = self.client.get("/admin/snippets/blog/comment/?q=Luc")
        self.assertContains(response, "Luc: Bonjour")
        self.assertNotContains(response, "Zoé: Autre")
        response = self.client.get("/admin/snippets/blog/comment/?status=approved")
        self.assertContains(response, "Zoé: Autre")
        self.assertNotContains(response, "Luc: Bonjour")
        response = self.client.get(f"/admin/snippets/blog/comment/inspect/{self.comment.pk}/")
        self.assertContains(response, "Bonjour")
        self.assertNotContains(response, "l@example.org")  # the address is never shown, not even here
        self.assertNotContains(self.client.get("/admin/snippets/blog/comment/?q=l@example.org"), "Luc: Bonjour")

    def test_moderator_rejects_or_marks_as_spam(self):
        self.client.force_login(self.moderator)
        for action, status in (("reject", "rejected"), ("spam", "spam")):
            with self.subTest(action):
                self.client.post(self.bulk_url(action))
                self.comment.refresh_from_db()
                self.assertEqual(self.comment.status, status)

    def test_editor_reads_the_comments_to_reply_but_cannot_edit_or_approve_them(self):
        self.client.force_login(self.editor)
        self.assertEqual(self.client.get("/admin/snippets/blog/comment/").status_code, 200)
        self.assertEqual(self.client.get(f"/admin/snippets/blog/comment/edit/{self.comment.pk}/").status_code, 302)
        self.client.post(self.bulk_url("approve"))
        self.client.post(f"/admin/snippets/blog/comment/edit/{self.comment.pk}/", {"status": "approved"})
        self.comment.refresh_from_db()
        self.assertEqual(self.comment.status, Comment.Status.PENDING)
        self.assertNotContains(self.client_class().get(FR_URL), "Bonjour")

    def test_moderator_edits_the_status_but_not_the_visitor_text(self):
        self.client.force_login(self.moderator)
        response = self.client.post(
            f"/admin/snippets/blog/comment/edit/{self.comment.pk}/",
            {"status": "approved", "body": "Texte modifié", "name": "Autre"},
        )
        self.assertEqual(response.status_code, 302)
        self.comment.refresh_from_db()
        self.assertEqual((self.comment.status, self.comment.body, self.comment.name), ("approved", "Bonjour", "Luc"))

    def test_dashboard_shows_pending_count_to_moderators_only(self):
        self.client.force_login(self.moderator)
        self.assertContains(self.client.get("/admin/"), "1 commentaire en attente de modération.")
        self.client.force_login(self.editor)
        self.assertNotContains(self.client.get("/admin/"), "en attente de modération")

    def test_nobody_adds_comments_from_the_admin(self):
        self.client.force_login(self.moderator)
        self.assertEqual(self.client.get("/admin/snippets/blog/comment/add/").status_code, 302)
