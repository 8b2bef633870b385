"""The team's replies to comments: who may write them, when visitors see them, and the one e-mail.

Invariants tried here: a reply is never seen before it is published nor after it is withdrawn (cache
included); nobody but moderators and editors can write one; a commenter's address is never rendered
on any page, feed, export or admin screen; an address never outlives its use or its 90 days; a failed
send never loses the reply and is retried.
"""

import datetime
import io
import re

from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase as HypothesisTestCase

from django.apps import apps as django_apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import mail
from django.core.management import call_command
from django.test import TestCase, override_settings
from django.utils import timezone

from blog.models import Comment, TeamReply
from blog.permissions import ensure_moderators_group
from blog.replies import process_comment_emails
from home.seeding import ensure_home_page
from ops.cache import current_generation
from tests.factories import SameSiteClient, comment_data, make_blog, make_post
from tests.fuzz.test_no_500 import FUZZ, bad_text
from tests.mail_server import SmtpServer
from translations.roles import TRANSLATORS, ensure_roles

FR_POST = "/fr/blogue/billet-1/"
EN_POST = "/en/blog/post-1/"
BASE_URL = "https://ordre.example"


def reply_url(comment: Comment) -> str:
    return f"/admin/blog/comments/{comment.pk}/reply/"


class ReplyTestCase(TestCase):
    client_class = SameSiteClient

    @classmethod
    def setUpTestData(cls):
        cls.home = ensure_home_page()
        cls.blog = make_blog(cls.home)
        cls.post = make_post(cls.blog, 1)
        ensure_roles()
        ensure_moderators_group()
        users = get_user_model().objects
        cls.moderator = users.create_user("moderatrice", "m@example.org", "pw")
        cls.moderator.groups.add(Group.objects.get(name="Moderators"))
        cls.editor = users.create_user("editeur", "e@example.org", "pw")
        cls.editor.groups.add(Group.objects.get(name="Editors"))

    def new_comment(self, body="Où vérifier le permis?", status=Comment.Status.APPROVED, **fields) -> Comment:
        values = {"name": "Luc", "language": "fr", "email": "", **fields}
        return Comment.objects.create(post=self.post, body=body, status=status, **values)

    def reply(self, comment: Comment, body: str, action: str, user=None):
        self.client.force_login(user or self.moderator)
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(reply_url(comment), {"body": body, "action": action})
        self.client.logout()
        return response


class RepliesOnThePageTests(ReplyTestCase):
    def test_a_draft_is_invisible_and_uncounted_until_published(self):
        comment = self.new_comment()
        self.assertEqual(self.reply(comment, "Brouillon de réponse", "draft").status_code, 302)
        self.assertEqual(TeamReply.objects.get().status, TeamReply.Status.DRAFT)
        for path in (FR_POST, EN_POST):
            self.assertNotContains(self.client.get(path), "Brouillon de réponse")
        self.assertContains(self.client.get("/fr/blogue/"), "1 commentaire")

        self.reply(comment, "Sur le site de l'ordre, dans son tableau des membres.", "publish")
        response = self.client.get(FR_POST)
        reply = TeamReply.objects.get()
        self.assertContains(response, "Réponse de l'équipe Ordre de protéger")
        self.assertContains(response, f'id="reply-{reply.pk}"')
        self.assertContains(response, "Sur le site de l&#x27;ordre, dans son tableau des membres.")
        self.assertContains(response, "2 commentaires")
        self.assertContains(self.client.get("/fr/blogue/"), "2 commentaires")
        self.assertEqual((reply.language, reply.author), ("fr", self.moderator))
        # Shown under the comment it answers, on the English page too, marked as French.
        html = self.client.get(EN_POST).content.decode()
        self.assertIn("Reply from the Ordre de protéger team", html)
        under_its_comment = r'(?s)id="comment-\d+".*?id="reply-\d+".*?<p class="comment__body" lang="fr">Sur le site'
        self.assertRegex(html, under_its_comment)
        self.assertIn("2 comments", html)

    def test_a_reply_under_a_comment_that_is_no_longer_approved_is_hidden(self):
        comment = self.new_comment()
        self.reply(comment, "Réponse publiée", "publish")
        Comment.objects.filter(pk=comment.pk).moderate(Comment.Status.REJECTED)
        self.assertNotContains(self.client.get(FR_POST), "Réponse publiée")
        self.assertContains(self.client.get("/fr/blogue/"), "0 commentaire")

    def test_only_approved_comments_can_be_answered(self):
        for status in (Comment.Status.PENDING, Comment.Status.REJECTED, Comment.Status.SPAM):
            with self.subTest(status=status):
                comment = self.new_comment(f"Commentaire {status}", status=status)
                response = self.reply(comment, "Réponse", "publish")
                self.assertEqual(response.status_code, 302)
                self.assertFalse(TeamReply.objects.filter(comment=comment).exists())

    def test_bad_actions_and_empty_replies_are_refused_with_a_message(self):
        comment = self.new_comment()
        self.client.force_login(self.moderator)
        response = self.client.post(reply_url(comment), {"body": "", "action": "publish"})
        self.assertContains(response, "Veuillez écrire la réponse.", status_code=400)
        response = self.client.post(reply_url(comment), {"body": "Texte", "action": "delete-everything"})
        self.assertEqual(response.status_code, 400)
        # An unknown comment is a 404 (which Django's LocaleMiddleware turns into a redirect to /fr/…).
        self.assertIn(self.client.get("/admin/blog/comments/999999/reply/").status_code, (302, 404))
        self.assertFalse(TeamReply.objects.exists())


@override_settings(PAGE_CACHE_SECONDS=600)
class RepliesAndThePageCacheTests(ReplyTestCase):
    def cached(self, path: str):
        visitor = self.client_class()
        visitor.get(path)
        response = visitor.get(path)
        self.assertEqual(response["X-Page-Cache"], "hit")
        return visitor

    def test_publishing_editing_and_withdrawing_refresh_the_cached_post(self):
        comment = self.new_comment()
        visitor = self.cached(FR_POST)
        generation = current_generation()
        self.reply(comment, "Brouillon", "draft")
        self.assertEqual(current_generation(), generation)  # a draft changes no public page
        self.assertEqual(visitor.get(FR_POST)["X-Page-Cache"], "hit")

        self.reply(comment, "Première version", "publish")
        response = visitor.get(FR_POST)
        self.assertEqual(response["X-Page-Cache"], "miss")
        self.assertContains(response, "Première version")
        self.assertContains(visitor.get(FR_POST), "Première version")  # cached again, with the reply

        self.reply(comment, "Version corrigée", "publish")
        response = visitor.get(FR_POST)
        self.assertContains(response, "Version corrigée")
        self.assertNotContains(response, "Première version")

        self.reply(comment, "Version corrigée", "withdraw")
        for _ in range(2):  # the refreshed page, then its cached copy
            response = visitor.get(FR_POST)
            self.assertNotContains(response, "Version corrigée")
            self.assertNotContains(response, "Réponse de l'équipe")
        self.assertEqual(response["X-Page-Cache"], "hit")
        self.assertContains(visitor.get("/fr/blogue/"), "1 commentaire")


class WhoMayReplyTests(ReplyTestCase):
    def test_moderators_editors_and_administrators_reply(self):
        admin = get_user_model().objects.create_superuser("admin", "a@example.org", "pw")
        for number, user in enumerate((self.moderator, self.editor, admin)):
            with self.subTest(user=user.username):
                comment = self.new_comment(f"Question {number}")
                self.client.force_login(user)
                self.assertContains(self.client.get(reply_url(comment)), f"Question {number}")
                self.assertEqual(self.reply(comment, f"Réponse {number}", "publish", user).status_code, 302)
                self.assertContains(self.client.get(FR_POST), f"Réponse {number}")
                self.client.force_login(user)
                listing = self.client.get("/admin/snippets/blog/comment/")
                self.assertContains(listing, reply_url(comment))

    def test_nobody_else_can_read_or_write_a_reply(self):
        users = get_user_model().objects
        translator = users.create_user("traductrice", "t@example.org", "pw")
        translator.groups.add(Group.objects.get(name=TRANSLATORS))
        staff = users.create_user("personnel", "p@example.org", "pw", is_staff=True)
        inactive_editor = users.create_user("ancien", "x@example.org", "pw", is_active=False)
        inactive_editor.groups.add(Group.objects.get(name="Editors"))
        comment = self.new_comment()
        for user in (translator, staff, inactive_editor, None):
            with self.subTest(user=getattr(user, "username", "anonymous")):
                self.client.logout()
                if user is not None:
                    self.client.force_login(user)
                for action in ("publish", "draft", "withdraw"):
                    response = self.client.post(reply_url(comment), {"body": "Intrusion", "action": action})
                    self.assertIn(response.status_code, (302, 403))
                self.assertIn(self.client.get(reply_url(comment)).status_code, (302, 403))
                self.assertNotEqual(self.client.get("/admin/snippets/blog/comment/").status_code, 200)
        self.client.force_login(translator)  # Wagtail answers a refusal with a redirect and a message
        response = self.client.post(reply_url(comment), {"body": "Intrusion", "action": "publish"}, follow=True)
        self.assertContains(response, "Désolé, vous n&#x27;avez pas les autorisations")
        self.assertFalse(TeamReply.objects.exists())
        self.assertNotContains(self.client.get(FR_POST), "Intrusion")

    def test_an_editor_replies_but_cannot_moderate(self):
        comment = self.new_comment(status=Comment.Status.PENDING)
        self.client.force_login(self.editor)
        self.client.post(f"/admin/bulk/blog/comment/approve/?next=/admin/&id={comment.pk}")
        self.client.post(f"/admin/snippets/blog/comment/edit/{comment.pk}/", {"status": "approved"})
        comment.refresh_from_db()
        self.assertEqual(comment.status, Comment.Status.PENDING)


class ReplyTranslationTests(ReplyTestCase):
    def test_a_reply_is_not_a_text_to_translate(self):
        from translations.pairs import is_tracked
        from translations.status import records_for

        self.assertFalse(is_tracked(TeamReply))
        self.assertFalse(is_tracked(Comment))
        before = {language: record.status for language, record in records_for(self.post).items()}
        self.reply(self.new_comment(), "Réponse en français seulement", "publish")
        after = {language: record.status for language, record in records_for(self.post).items()}
        self.assertEqual(after, before)


class ConsentFormTests(ReplyTestCase):
    def test_the_address_is_optional_and_kept_only_with_the_box_ticked(self):
        self.assertEqual(self.client.post(FR_POST, comment_data(email="", body="Sans courriel")).status_code, 302)
        self.client.post(FR_POST, comment_data(email="typed@example.org", body="Adresse sans la case"))
        self.client.post(FR_POST, comment_data(email="wants@example.org", notify_on_reply="on", body="Avec la case"))
        stored = dict(Comment.objects.values_list("body", "email"))
        self.assertEqual(stored, {"Sans courriel": "", "Adresse sans la case": "", "Avec la case": "wants@example.org"})
        self.assertTrue(Comment.objects.get(body="Avec la case").notify_on_reply)

    def test_a_ticked_box_without_an_address_says_what_to_do(self):
        response = self.client.post(FR_POST, comment_data(email="", notify_on_reply="on"))
        message = "Veuillez inscrire votre adresse courriel pour que nous puissions vous prévenir, ou décochez la case."
        self.assertContains(response, message)
        self.assertContains(response, '<a href="#id_email">')
        self.assertFalse(Comment.objects.exists())

    def test_spam_keeps_no_address(self):
        self.client.post(
            FR_POST, comment_data(email="bot@example.org", notify_on_reply="on", website="http://x.example")
        )
        self.assertEqual(Comment.objects.get().email, "")

    def test_the_help_text_says_what_the_address_is_for(self):
        response = self.client.get(FR_POST)
        self.assertContains(response, "Prévenez-moi quand l&#x27;équipe répond")
        self.assertContains(response, "après 90 jours")
        self.assertNotContains(response, "modérateur doit vous joindre")


@override_settings(SITE_BASE_URL=BASE_URL, BLOG_COMMENT_EMAIL_DAYS=90)
class ReplyNoticeTests(ReplyTestCase):
    def asking(self, email="luc@example.org", language="fr", **fields) -> Comment:
        return self.new_comment(email=email, notify_on_reply=True, language=language, **fields)

    def test_the_commenter_is_told_once_in_their_language_then_the_address_is_deleted(self):
        with SmtpServer() as server, server.settings():
            for language, email in (("fr", "fr@example.org"), ("en", "en@example.org")):
                comment = self.asking(email=email, language=language, body=f"Question {language}")
                self.reply(comment, f"Réponse {language}", "publish")
            messages = server.wait_for(2)
            self.reply(Comment.objects.get(email="", language="fr"), "Réponse fr corrigée", "publish")
        self.assertEqual(len(server.messages), 2)  # editing the published reply sends nothing more
        by_address = {message["To"]: message for message in messages}
        french, english = by_address["fr@example.org"], by_address["en@example.org"]
        self.assertEqual(french["Subject"].strip(), "L'équipe Ordre de protéger a répondu à votre commentaire")
        self.assertEqual(english["Subject"].strip(), "The Ordre de protéger team replied to your comment")
        for message, path in ((french, FR_POST), (english, EN_POST)):
            text = message.get_content()
            reply = TeamReply.objects.get(body__startswith=f"Réponse {message['To'][:2]}")
            self.assertIn(f"{BASE_URL}{path}#reply-{reply.pk}", text)
        self.assertIn("Bonjour Luc", french.get_content())
        self.assertFalse(Comment.objects.exclude(email="").exists())
        self.assertEqual(Comment.objects.filter(reply_notified_at__isnull=False).count(), 2)

    def test_a_failed_send_keeps_the_reply_and_the_address_and_the_command_retries(self):
        comment = self.asking()
        with SmtpServer() as server, server.settings():
            server.refuse = True  # 451: try again later
            response = self.reply(comment, "Réponse malgré la panne", "publish")
            self.assertEqual(response.status_code, 302)
            self.assertContains(self.client.get(FR_POST), "Réponse malgré la panne")
            comment.refresh_from_db()
            self.assertEqual(comment.email, "luc@example.org")

            server.refuse = False
            server.clear()
            call_command("process_comment_emails", stdout=io.StringIO(), stderr=io.StringIO())
            message = server.wait_for(1)[0]
            self.assertIn(f"#reply-{comment.team_reply.pk}", message.get_content())
        comment.refresh_from_db()
        self.assertEqual(comment.email, "")
        self.assertEqual(process_comment_emails().sent, 0)  # told once

    def test_a_mail_server_that_is_down_loses_nothing(self):
        comment = self.asking()
        with SmtpServer() as server:
            closed_port = server.port
        with override_settings(
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend", EMAIL_HOST="127.0.0.1", EMAIL_PORT=closed_port
        ):
            self.assertEqual(self.reply(comment, "Réponse", "publish").status_code, 302)
            self.assertEqual(process_comment_emails().failed, 1)
        self.assertEqual(TeamReply.objects.get().status, TeamReply.Status.PUBLISHED)
        comment.refresh_from_db()
        self.assertEqual(comment.email, "luc@example.org")

    def test_withdrawn_or_draft_replies_send_nothing(self):
        self.reply(self.asking(body="Un"), "Brouillon", "draft")
        comment = self.asking(body="Deux", email="deux@example.org")
        self.reply(comment, "Publiée", "publish")
        mail.outbox.clear()
        self.assertEqual(process_comment_emails().sent, 0)
        self.assertEqual(mail.outbox, [])

    def test_retention_deletes_addresses_after_90_days_or_when_they_have_no_use(self):
        now = timezone.now()
        old = self.asking(email="old@example.org", body="Ancien")
        recent = self.asking(email="recent@example.org", body="Récent")
        pending = self.asking(email="pending@example.org", body="En attente", status=Comment.Status.PENDING)
        rejected = self.asking(email="rejected@example.org", body="Refusé", status=Comment.Status.REJECTED)
        unasked = self.new_comment(email="unasked@example.org", body="Sans consentement")
        Comment.objects.filter(pk=old.pk).update(created_at=now - datetime.timedelta(days=91))
        Comment.objects.filter(pk=recent.pk).update(created_at=now - datetime.timedelta(days=89))
        run = process_comment_emails()
        kept = set(Comment.objects.exclude(email="").values_list("pk", flat=True))
        self.assertEqual(kept, {recent.pk, pending.pk})
        self.assertEqual(run.deleted, 3)
        self.assertFalse({old.pk, rejected.pk, unasked.pk} & kept)
        # Even a reply published later cannot reach the expired address.
        self.reply(old, "Trop tard", "publish")
        self.assertEqual([message.to for message in mail.outbox], [])

    def test_the_migration_keeps_only_addresses_of_comments_awaiting_a_reply(self):
        from importlib import import_module

        migration = import_module("blog.migrations.0008_comment_team_replies")
        rows = {
            "pending": (Comment.Status.PENDING, 10),
            "approved": (Comment.Status.APPROVED, 10),
            "approved-old": (Comment.Status.APPROVED, 200),
            "rejected": (Comment.Status.REJECTED, 10),
            "spam": (Comment.Status.SPAM, 10),
        }
        for name, (status, days) in rows.items():
            comment = self.new_comment(body=name, email=f"{name}@example.org", status=status)
            Comment.objects.filter(pk=comment.pk).update(created_at=timezone.now() - datetime.timedelta(days=days))
        migration.forget_addresses_without_use(django_apps, None)
        kept = dict(Comment.objects.exclude(email="").values_list("body", "notify_on_reply"))
        self.assertEqual(kept, {"pending": True, "approved": True})


class AddressNeverShownTests(ReplyTestCase):
    """Comments with distinctive addresses in every state; every public and admin surface is read."""

    ADDRESS = re.compile(r"zq-secret-\d+@example\.org|zq-secret-\d+%40example\.org", re.IGNORECASE)

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.comments = []
        for number, status in enumerate([*Comment.Status.values, Comment.Status.APPROVED]):
            cls.comments.append(
                Comment.objects.create(
                    post=cls.post,
                    name=f"Auteur {number}",
                    body=f"Commentaire {number}",
                    email=f"zq-secret-{number}@example.org",
                    notify_on_reply=True,
                    status=status,
                    language="fr",
                )
            )
        approved = [c for c in cls.comments if c.status == Comment.Status.APPROVED]
        # Published replies whose notice failed (the address is still stored) and a draft.
        TeamReply.objects.create(comment=approved[0], body="Réponse publiée", language="fr", status="published")
        TeamReply.objects.create(comment=approved[1], body="Réponse en brouillon", language="fr")

    def public_paths(self) -> list[str]:
        paths = [
            "/fr/", "/en/", FR_POST, EN_POST, "/fr/blogue/", "/en/blog/",
            "/fr/blogue/rss/", "/fr/blogue/atom/", "/en/blog/rss/", "/en/blog/atom/",
            "/sitemap.xml", "/robots.txt", "/data/directory.json", "/data/directory.csv",
            "/fr/recherche/?q=Commentaire", "/fr/recherche/suggestions/?q=Auteur",
        ]  # fmt: skip
        sitemap = self.client.get("/sitemap.xml").content.decode()
        paths += [re.sub(r"^https?://[^/]+", "", url) for url in re.findall(r"<loc>([^<]+)</loc>", sitemap)]
        return paths

    def admin_paths(self) -> list[str]:
        listing = "/admin/snippets/blog/comment/"
        paths = [listing, f"{listing}?q=zq-secret", f"{listing}?export=csv", f"{listing}?export=xlsx", "/admin/"]
        for comment in self.comments:
            paths += [f"{listing}inspect/{comment.pk}/", f"{listing}edit/{comment.pk}/", reply_url(comment)]
        return paths

    @staticmethod
    def text(response) -> str:
        body = b"".join(response.streaming_content) if response.streaming else response.content
        return body.decode(errors="replace")

    def test_no_page_feed_export_or_admin_screen_holds_a_commenters_address(self):
        self.assertEqual(Comment.objects.filter(email__startswith="zq-secret").count(), len(self.comments))
        shown = []
        for path in self.public_paths():
            response = self.client_class().get(path)
            if self.ADDRESS.search(self.text(response)):
                shown.append(path)
        for user in (self.moderator, self.editor):
            self.client.force_login(user)
            for path in self.admin_paths():
                response = self.client.get(path)
                if self.ADDRESS.search(self.text(response)):
                    shown.append(f"{user.username}: {path}")
        self.assertEqual(shown, [])
        self.assertContains(self.client_class().get(FR_POST), "Réponse publiée")


class HostileReplyInputTests(HypothesisTestCase):
    """Whatever a moderator's browser sends to the reply page, the answer is a page or a message, never a 500."""

    @classmethod
    def setUpTestData(cls):
        ReplyTestCase.setUpTestData.__func__(cls)
        cls.comment = Comment.objects.create(post=cls.post, name="Luc", body="Q", status="approved", language="fr")

    @hypothesis_settings(FUZZ, max_examples=25)
    @given(body=bad_text, action=st.one_of(st.sampled_from(["draft", "publish", "withdraw"]), bad_text))
    def test_the_reply_page_never_fails(self, body, action):
        self.client.force_login(self.moderator)
        response = self.client.post(reply_url(self.comment), {"body": body, "action": action})
        self.assertLess(response.status_code, 500, (body, action))
