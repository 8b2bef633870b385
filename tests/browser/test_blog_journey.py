import re

import pytest
from playwright.sync_api import Browser, Page, expect

pytestmark = pytest.mark.browser

POST_TITLE = "Billet numéro 1"
COMMENT = "Merci, je sais maintenant où vérifier le permis de mon dentiste."


@pytest.fixture
def blog_post(site_home):
    """A published post and a moderator account (live_server flushes the database after each test)."""
    from django.contrib.auth import get_user_model

    from blog.permissions import ensure_moderators_group
    from tests.factories import make_blog, make_post

    post = make_post(make_blog(site_home), 1)
    moderator = get_user_model().objects.create_user("moderatrice", "m@example.org", "correct-horse")
    moderator.groups.add(ensure_moderators_group())
    # The admin speaks French to everyone; this moderator chose English in her account.
    from tests.factories import use_admin_language

    use_admin_language(moderator, "en")
    return post


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "fr-CA"}


def test_visitor_comments_and_a_moderator_approves(site_url, blog_post, page: Page, browser: Browser):
    page.goto(site_url + "/fr/")
    page.get_by_role("navigation", name="Navigation principale").get_by_role(
        "link", name="Blogue de la campagne"
    ).click()
    page.get_by_role("link", name=POST_TITLE).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(POST_TITLE)

    # A mistake first: the form says what is wrong and keeps the message.
    page.get_by_label("Votre commentaire").fill(COMMENT)
    page.get_by_role("button", name="Envoyer mon commentaire").click()
    expect(page.get_by_role("alert")).to_contain_text("Veuillez inscrire votre nom.")
    expect(page.get_by_label("Votre commentaire")).to_have_value(COMMENT)

    page.get_by_label("Votre nom").fill("Marie Tremblay")
    page.get_by_label("Votre courriel").fill("marie@example.org")
    page.wait_for_timeout(3100)  # a person takes a few seconds; the form refuses instant sends
    page.get_by_role("button", name="Envoyer mon commentaire").click()
    expect(page.get_by_role("status")).to_contain_text("en attente de modération")
    expect(page.locator(".comment--pending")).to_contain_text(COMMENT)

    visitor = browser.new_context(locale="fr-CA").new_page()
    visitor.goto(page.url)
    expect(visitor.get_by_text(COMMENT)).to_have_count(0)

    moderator = browser.new_context(locale="en-CA").new_page()
    moderator.goto(site_url + "/admin/login/")
    moderator.locator("#id_username").fill("moderatrice")
    moderator.locator("#id_password").fill("correct-horse")
    moderator.locator("form button[type=submit]").click()
    expect(moderator.get_by_text("1 comment awaiting moderation.")).to_be_visible()
    moderator.get_by_role("link", name="Moderate comments").click()
    moderator.locator("input[type=checkbox][data-bulk-action-checkbox]").first.check()
    moderator.get_by_role("link", name=re.compile("Approve")).click()
    moderator.get_by_role("button", name="Yes, go ahead").click()
    expect(moderator.get_by_text("1 comment marked “Approved”.")).to_be_visible()

    visitor.reload()
    expect(visitor.get_by_text(COMMENT)).to_be_visible()
    expect(visitor.get_by_text("Marie Tremblay")).to_be_visible()
    expect(visitor.locator(".comment--pending")).to_have_count(0)
