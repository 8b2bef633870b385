"""The comment form's token is public: replays are counted per token, repeats are refused, and the
time check applies only where the form was rendered for one visitor."""

import re
import time
from datetime import timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase as HypothesisTestCase

from django.core import signing
from django.core.cache import cache
from django.test import TestCase, override_settings

from blog.models import Comment
from home.public_forms import TOKEN_SALT, issue_form_token, read_form_token
from home.seeding import ensure_home_page
from tests.factories import SameSiteClient, comment_data, make_blog, make_post

FR_URL = "/fr/blogue/billet-1/"
EN_URL = "/en/blog/post-1/"
TOKEN_RE = re.compile(r'name="started" value="([^"]+)"')
SPAM = "Gagnez 5000 $ par semaine depuis chez vous : écrivez-nous vite!"


def token_in(response) -> str:
    return TOKEN_RE.search(response.content.decode()).group(1)


class TokenTestCase(TestCase):
    client_class = SameSiteClient

    @classmethod
    def setUpTestData(cls):
        cls.blog = make_blog(ensure_home_page())
        cls.post = make_post(cls.blog, 1)
        cls.other_post = make_post(cls.blog, 2)

    def setUp(self):
        cache.clear()  # rate limits and the page cache live in the cache


@override_settings(PAGE_CACHE_SECONDS=600, BLOG_COMMENT_RATE="5/10m", BLOG_COMMENT_TOKEN_RATE="5/10m")
class ReplayTests(TokenTestCase):
    def test_one_cached_token_replayed_from_six_addresses_is_limited(self):
        first, second = SameSiteClient().get(FR_URL), SameSiteClient().get(FR_URL)
        self.assertEqual(second["X-Page-Cache"], "hit")
        token = token_in(first)
        self.assertEqual(token_in(second), token)  # every visitor of the cached page has this token
        statuses = []
        for number in range(6):
            response = self.client.post(
                FR_URL,
                comment_data(started=token, body=f"{SPAM} Offre numéro {number}.", name=f"Robot {number}"),
                REMOTE_ADDR=f"203.0.113.{number + 1}",
            )
            statuses.append(response.status_code)
        self.assertEqual(statuses, [302, 302, 302, 302, 302, 429])
        self.assertContains(response, "Beaucoup de commentaires ont été envoyés depuis cette page", status_code=429)
        self.assertContains(response, "Offre numéro 5.</textarea>", status_code=429)  # what was typed is kept
        self.assertEqual(Comment.objects.count(), 5)
        # The form shown again carries a token of its own, rendered for this visitor only.
        fresh = read_form_token(token_in(response), self.post.pk)
        self.assertNotEqual(token_in(response), token)
        self.assertFalse(fresh.shared)

    def test_tokens_of_other_renderings_and_addresses_are_counted_apart(self):
        for number in range(5):
            response = self.client.post(
                FR_URL, comment_data(started=issue_form_token(self.post.pk), body=f"Question {number}")
            )
            self.assertEqual(response.status_code, 302)
        # Same address, sixth send: the address's limit, with its own message.
        response = self.client.post(FR_URL, comment_data(body="Encore une"), REMOTE_ADDR="127.0.0.1")
        self.assertContains(response, "Vous avez envoyé plusieurs commentaires", status_code=429)
        other = self.client.post(FR_URL, comment_data(body="Quelqu'un d'autre"), REMOTE_ADDR="198.51.100.9")
        self.assertEqual(other.status_code, 302)


@override_settings(BLOG_COMMENT_RATE="1000/m", BLOG_COMMENT_TOKEN_RATE="1000/m")  # repeats, not rates
class DuplicateTests(TokenTestCase):
    def send(self, body: str, url: str = FR_URL, address: str = "192.0.2.1", post=None):
        token = issue_form_token((post or self.post).pk)
        return self.client.post(url, comment_data(body=body, started=token), REMOTE_ADDR=address)

    def test_the_same_text_is_refused_on_the_same_post_with_a_clear_message_in_both_languages(self):
        self.assertEqual(self.send("Merci pour cet article, très utile.").status_code, 302)
        for variant in (
            "Merci pour cet article, très utile.",
            "  MERCI   pour cet\narticle,  très utile.  ",
            "merci pour cet article tres utile",
            "Merci\u200b pour cet article, très utile !!!",
            "Ｍｅｒｃｉ pour cet article, très utile.",  # full-width letters
        ):
            with self.subTest(variant=variant):
                response = self.send(variant, address="192.0.2.77")
                self.assertContains(response, "Ce commentaire a déjà été envoyé sur ce billet", status_code=409)
                self.assertContains(response, "</textarea>", status_code=409)
        english = self.send("merci pour cet article, TRÈS utile", url=EN_URL)
        self.assertContains(english, "This comment was already sent on this post", status_code=409)
        self.assertEqual(Comment.objects.count(), 1)

    def test_spam_and_rejected_texts_count_too(self):
        self.send(SPAM)
        Comment.objects.update(status=Comment.Status.SPAM)
        self.assertEqual(self.send(SPAM.upper()).status_code, 409)
        self.client.post(FR_URL, comment_data(body="Autre pourriel", website="http://x.example"))
        self.assertEqual(Comment.objects.get(body="Autre pourriel").status, Comment.Status.SPAM)
        self.assertEqual(self.send("autre   POURRIEL").status_code, 409)

    def test_honest_comments_are_still_accepted(self):
        self.assertEqual(self.send("Merci pour cet article.").status_code, 302)
        self.assertEqual(self.send("Merci pour cet article, et pour le lien.").status_code, 302)
        # The same words on another post, or after the window, are not a repeat.
        elsewhere = self.send("Merci pour cet article.", "/fr/blogue/billet-2/", post=self.other_post)
        self.assertEqual(elsewhere.status_code, 302)
        Comment.objects.update(created_at=Comment.objects.first().created_at - timedelta(hours=25))
        self.assertEqual(self.send("Merci pour cet article.").status_code, 302)
        self.assertEqual(Comment.objects.filter(post=self.post).count(), 3)

    @override_settings(BLOG_COMMENT_DUPLICATE_HOURS=1)
    def test_the_window_is_a_setting(self):
        self.send("Très bon résumé.")
        Comment.objects.update(created_at=Comment.objects.get().created_at - timedelta(hours=2))
        self.assertEqual(self.send("Très bon résumé.").status_code, 302)


class TimeCheckTests(TokenTestCase):
    def test_a_token_from_a_shared_page_is_not_timed_from_the_cache_fill(self):
        # The cached page's time says when the cache filled, not when this visitor arrived: no "too fast".
        token = token_in(SameSiteClient().get(FR_URL))
        self.assertTrue(read_form_token(token, self.post.pk).shared)
        response = self.client.post(FR_URL, comment_data(started=token))
        self.assertEqual(response.status_code, 302)

    def test_a_form_rendered_for_one_visitor_is_timed(self):
        response = self.client.post(FR_URL, comment_data(email="pas une adresse"))  # shown again, with errors
        token = read_form_token(token_in(response), self.post.pk)
        self.assertFalse(token.shared)
        response = self.client.post(FR_URL, comment_data(started=token_in(response)))
        self.assertContains(response, "C&#x27;était très rapide.")
        self.assertFalse(Comment.objects.exists())

    def test_a_visitor_with_a_session_gets_a_personal_token(self):
        self.assertEqual(self.client.post(FR_URL, comment_data()).status_code, 302)  # opens a session
        self.assertFalse(read_form_token(token_in(self.client.get(FR_URL)), self.post.pk).shared)

    def test_old_tokens_without_the_flag_still_work_as_shared(self):
        old = signing.dumps([self.post.pk, int(time.time())], salt=TOKEN_SALT)
        self.assertEqual(self.client.post(FR_URL, comment_data(started=old)).status_code, 302)

    def test_signed_tokens_of_the_wrong_shape_are_refused_without_an_error_page(self):
        for payload in ([self.post.pk], [self.post.pk, "1"], [self.post.pk, 1, 1, 1], "texte", {"a": 1}, None, 7):
            with self.subTest(payload=payload):
                token = signing.dumps(payload, salt=TOKEN_SALT)
                response = self.client.post(FR_URL, comment_data(started=token))
                self.assertContains(response, "Nous n&#x27;avons pas pu vérifier ce formulaire.")
        self.assertFalse(Comment.objects.exists())


# Case, spacing, accents, punctuation and invisible characters never make a new text.
def _variant(text: str, data) -> str:
    out = []
    for ch in text:
        if ch == " ":
            out.append(data.draw(st.sampled_from([" ", "  ", "\n", "\t", " \u200b", "\u00a0"])))
        elif ch in "àé" and data.draw(st.booleans()):
            out.append({"à": "a", "é": "E"}[ch])
        else:
            out.append(ch.upper() if data.draw(st.booleans()) else ch)
    return (
        data.draw(st.sampled_from(["", " ", "\n"])) + "".join(out) + data.draw(st.sampled_from(["", "!", " ?", "..."]))
    )


@override_settings(BLOG_COMMENT_RATE="1000/m", BLOG_COMMENT_TOKEN_RATE="1000/m")
class DuplicateVariantsTests(HypothesisTestCase):
    client_class = SameSiteClient

    @settings(max_examples=30, deadline=None, derandomize=True, database=None,
              suppress_health_check=[HealthCheck.too_slow])  # fmt: skip
    @given(st.data())
    def test_no_variant_of_a_sent_text_gets_through(self, data):
        blog = make_blog(ensure_home_page())
        post = make_post(blog, 1)
        original = "Je suis tout à fait d'accord avec cette analyse des ordres"
        sent = self.client.post(FR_URL, comment_data(body=original, started=issue_form_token(post.pk)))
        self.assertEqual(sent.status_code, 302)
        variant = _variant(original, data)
        response = self.client.post(FR_URL, comment_data(body=variant, started=issue_form_token(post.pk)))
        self.assertEqual(response.status_code, 409, repr(variant))
        self.assertEqual(Comment.objects.count(), 1)
