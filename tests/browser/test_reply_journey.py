"""The team answers a visitor: comment with the e-mail box ticked, approval and reply in the admin, the
reply under the comment, the one message at a real SMTP server with a link that lands on the reply,
and no address left. Then the comment form's errors: focus on the summary, labels in view, axe."""

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.quality import axe_report

pytestmark = pytest.mark.browser

FR_POST = "/fr/blogue/billet-1/"
EN_POST = "/en/blog/post-1/"
COMMENT = "Comment savoir si mon dentiste a le droit d'exercer?"
REPLY = "Cherchez son nom dans le tableau des membres de son ordre : il y est s'il peut exercer."


@pytest.fixture
def blog_post(site_home):
    """A published post and a moderator (the live server flushes the database after each test)."""
    from django.contrib.auth import get_user_model

    from blog.permissions import ensure_moderators_group
    from tests.factories import make_blog, make_post

    post = make_post(make_blog(site_home), 1)
    moderator = get_user_model().objects.create_user("moderatrice", "m@example.org", "correct-horse")
    moderator.groups.add(ensure_moderators_group())
    return post


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "fr-CA"}


def test_the_team_replies_and_the_commenter_is_told_once(
    site_url, blog_post, smtp_server, settings, page: Page, browser: Browser
):
    from blog.models import Comment

    settings.SITE_BASE_URL = site_url
    page.goto(site_url + FR_POST)
    page.get_by_label("Votre nom").fill("Marie Tremblay")
    page.get_by_label("Votre commentaire").fill(COMMENT)
    page.get_by_label("Prévenez-moi quand l'équipe répond").check()
    page.get_by_label("Votre courriel").fill("marie.reponse@example.org")
    page.get_by_role("button", name="Envoyer mon commentaire").click()
    expect(page.get_by_role("status")).to_contain_text("en attente de modération")
    assert Comment.objects.get().email == "marie.reponse@example.org"

    admin = browser.new_context(locale="fr-CA").new_page()
    admin.goto(site_url + "/admin/login/")
    admin.locator("#id_username").fill("moderatrice")
    admin.locator("#id_password").fill("correct-horse")
    admin.locator("form button[type=submit]").click()
    admin.goto(site_url + "/admin/snippets/blog/comment/")
    admin.locator("input[type=checkbox][data-bulk-action-checkbox]").first.check()
    admin.get_by_role("link", name=re.compile("Approuver")).click()
    admin.get_by_role("button", name=re.compile("Oui")).click()
    admin.goto(site_url + "/admin/snippets/blog/comment/")
    admin.get_by_role("link", name="Répondre", exact=True).click()
    expect(admin.get_by_text(COMMENT)).to_be_visible()
    admin.locator("#id_body").fill(REPLY)
    admin.get_by_role("button", name="Publier la réponse").click()
    expect(admin.get_by_text("Réponse publiée sous le commentaire.")).to_be_visible()

    visitor = browser.new_context(locale="fr-CA").new_page()
    visitor.goto(site_url + FR_POST)
    reply = visitor.locator(".comment--team")
    expect(reply).to_contain_text("Réponse de l'équipe Ordre de protéger")
    expect(reply).to_contain_text(REPLY)
    expect(visitor.locator(".comment", has_text=COMMENT).locator(".comment--team")).to_have_count(1)
    visitor.goto(site_url + EN_POST)
    expect(visitor.locator(".comment--team")).to_contain_text("Reply from the Ordre de protéger team")
    expect(visitor.locator(".comment--team .comment__body")).to_have_attribute("lang", "fr")

    message = smtp_server.wait_for(1)[0]
    assert message["To"] == "marie.reponse@example.org"
    link = re.search(r"https?://\S+#reply-\d+", message.get_content()).group(0)
    assert link.startswith(site_url + FR_POST)
    visitor.goto(link)
    expect(visitor.locator(link[link.index("#") :])).to_be_in_viewport()
    expect(visitor.locator(link[link.index("#") :])).to_contain_text(REPLY)
    comment = Comment.objects.get()
    assert (comment.email, comment.notify_on_reply) == ("", True)
    assert comment.reply_notified_at is not None


def label_in_view_after_following(page: Page, error_link_name: str, field_id: str) -> None:
    page.get_by_role("link", name=re.compile(error_link_name)).click()
    expect(page.locator(f"#{field_id}")).to_be_focused()
    expect(page.locator(f"label[for={field_id}]")).to_be_in_viewport()
    expect(page.locator(f"#{field_id}_error")).to_be_in_viewport()


def test_a_failed_send_leads_to_the_errors_and_each_error_to_its_label(site_url, blog_post, browser: Browser):
    phone = {"width": 320, "height": 560}
    for javascript in (True, False):
        context = browser.new_context(locale="fr-CA", java_script_enabled=javascript, viewport=phone)
        page = context.new_page()
        page.goto(site_url + FR_POST)
        page.get_by_label("Prévenez-moi quand l'équipe répond").check()
        page.get_by_label("Votre commentaire").fill(COMMENT)
        page.get_by_role("button", name="Envoyer mon commentaire").click()
        summary = page.locator(".error-summary")
        expect(summary).to_be_in_viewport()
        assert page.url.endswith("#comment-errors")  # the fragment focuses the summary, JavaScript or not
        expect(summary).to_be_focused()
        label_in_view_after_following(page, "Votre courriel", "id_email")
        page.evaluate("window.scrollTo(0, 0)")
        label_in_view_after_following(page, "Votre nom", "id_name")
        context.close()


@pytest.mark.frontend_tools
def test_replies_and_the_form_with_errors_pass_axe_at_320_and_1280_px_in_both_languages(
    site_url, blog_post, page: Page
):
    from blog.models import Comment, TeamReply

    comment = Comment.objects.create(post=blog_post, name="Luc", body=COMMENT, status="approved", language="fr")
    TeamReply.objects.create(comment=comment, body=REPLY, language="fr", status="published")
    problems = []
    for path, width in ((FR_POST, 1280), (FR_POST, 320), (EN_POST, 1280), (EN_POST, 320)):
        page.set_viewport_size({"width": width, "height": 800})
        page.goto(site_url + path)
        expect(page.locator(".comment--team")).to_be_visible()
        page.locator("input[name=notify_on_reply]").check()
        page.locator("button[type=submit]", has_text=re.compile("comment", re.IGNORECASE)).click()
        expect(page.locator(".error-summary")).to_be_visible()
        if (scroll_width := page.evaluate("document.documentElement.scrollWidth")) > width:
            problems.append(f"{path} {width} px: horizontal scrolling ({scroll_width} px)")
        if report := axe_report(page):
            problems.append(f"{path} {width} px:\n{report}")
    assert not problems, "\n".join(problems)
