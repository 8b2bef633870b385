import re

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser


@pytest.fixture
def browser_context_args(browser_context_args):
    # A Québec translator's browser: the admin speaks French.
    return {**browser_context_args, "locale": "fr-CA"}


@pytest.fixture
def untranslated_site_url(site_url, django_user_model):
    from django.contrib.auth.models import Group

    from tests.translations.builders import build_directory
    from translations.roles import TRANSLATORS, ensure_roles

    _home, _index, order = build_directory()
    ensure_roles()
    translator = django_user_model.objects.create_user("traductrice", "t@example.org", "correct-horse-battery")
    translator.groups.add(Group.objects.get(name=TRANSLATORS))
    return site_url, order


def test_translator_finds_a_missing_translation_and_writes_it(untranslated_site_url, page: Page):
    site_url, order = untranslated_site_url

    # A visitor reading in English gets the French, said so, and marked as French.
    page.goto(site_url + "/en/orders/ordre-des-testeurs/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("main")).to_have_attribute("lang", "fr")
    expect(page.get_by_role("note")).to_contain_text("This page is not translated yet")
    expect(page.get_by_role("note")).to_contain_text("Cette page n’est pas encore traduite")
    expect(page.locator('link[hreflang="en"]')).to_have_count(0)

    # The translator finds it in the report, filtered by status.
    page.goto(site_url + "/admin/login/")
    page.locator("#id_username").fill("traductrice")
    page.locator("#id_password").fill("correct-horse-battery")
    page.locator("form button[type=submit]").click()
    expect(page.get_by_text("Traductions à faire")).to_be_visible()
    page.goto(site_url + "/admin/translations/?status=missing")
    row = page.locator("tr", has_text="Ordre des testeurs")
    expect(row).to_contain_text("Manquante")
    row.get_by_role("link", name="Ordre des testeurs").click()
    expect(page).to_have_url(re.compile(rf"/admin/pages/{order.pk}/edit/$"))

    # Shows the English fields (wagtail-modeltranslation's locale picker), writes them, saves a draft.
    page.locator("button.locale-toggle", has_text="en").first.click()
    expect(page.locator("#id_title_en")).to_be_visible()
    page.locator("#id_title_en").fill("Order of testers")
    page.locator("#id_summary_en").fill("Testers protect the public.")
    page.get_by_role("button", name="Enregistrer le brouillon").click()
    expect(page.locator(".messages")).to_contain_text("a été mise à jour", timeout=10000)

    page.goto(site_url + "/admin/translations/?status=up_to_date")
    expect(page.locator("tr", has_text="Ordre des testeurs")).to_contain_text("À jour")
