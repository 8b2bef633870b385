"""A visitor without JavaScript writes to the campaign team from the accessibility statement; the
message reaches the moderators' inbox, and the copy they asked for reaches a real SMTP server."""

import pytest
from playwright.sync_api import Browser, expect

pytestmark = pytest.mark.browser

MESSAGE = "Le lecteur d'écran ne lit pas le tableau du sondage sur la page d'accueil."


@pytest.fixture
def contact_site(site_home):
    """The contact page, the accessibility statement linking to it, and a moderator."""
    from django.contrib.auth import get_user_model

    from blog.permissions import ensure_moderators_group
    from contact.roles import grant_inbox_permissions
    from home.seeding import ensure_standard_pages

    ensure_standard_pages(site_home)  # creates the contact page it links to
    moderator = get_user_model().objects.create_user("moderatrice", "m@example.org", "correct-horse")
    moderator.groups.add(ensure_moderators_group())
    grant_inbox_permissions()
    return site_home


def test_a_message_without_javascript_reaches_the_inbox_and_its_copy_the_smtp_server(
    site_url, contact_site, smtp_server, browser: Browser
):
    visitor = browser.new_context(java_script_enabled=False, locale="fr-CA").new_page()
    visitor.goto(site_url + "/fr/accessibilite/")
    visitor.get_by_role("link", name="Nous joindre").first.click()
    expect(visitor.get_by_role("heading", level=1)).to_have_text("Nous joindre")
    expect(visitor.get_by_text("pendant 180 jours")).to_be_visible()

    # Asking for a copy without an address: the form says so and keeps the message.
    visitor.get_by_label("Votre message").fill(MESSAGE)
    visitor.get_by_label("M'envoyer une copie de mon message par courriel").check()
    visitor.get_by_role("button", name="Envoyer mon message").click()
    expect(visitor.get_by_role("alert")).to_contain_text("Pour recevoir une copie, indiquez votre adresse courriel.")
    expect(visitor.get_by_label("Votre message")).to_have_value(MESSAGE)

    visitor.get_by_label("Votre adresse courriel (facultatif)").fill("lectrice@example.org")
    visitor.wait_for_timeout(3100)  # a form shown again for one visitor refuses instant sends
    visitor.get_by_role("button", name="Envoyer mon message").click()
    expect(visitor.get_by_role("heading", level=1)).to_have_text("Merci : votre message a été envoyé")
    expect(visitor.get_by_text("Une copie de votre message a été envoyée")).to_be_visible()

    copy = smtp_server.wait_for(1)[0]
    assert copy["To"] == "lectrice@example.org"
    assert MESSAGE in copy.get_content()
    assert "180 jours" in copy.get_content()

    moderator = browser.new_context(locale="fr-CA").new_page()
    moderator.goto(site_url + "/admin/login/")
    moderator.locator("#id_username").fill("moderatrice")
    moderator.locator("#id_password").fill("correct-horse")
    moderator.locator("form button[type=submit]").click()
    moderator.get_by_role("link", name="Messages reçus").first.click()
    expect(moderator.get_by_text(MESSAGE[:40])).to_be_visible()
    moderator.get_by_role("link", name=MESSAGE[:20], exact=False).first.click()
    expect(moderator.locator("body")).to_contain_text("lectrice@example.org")
