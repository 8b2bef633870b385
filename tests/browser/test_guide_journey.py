import re

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "fr-CA"}


@pytest.fixture
def campaign_site(site_home):
    from professions.loading import load_directory_data
    from protection.loading import load_explainers_files
    from tests.factories import directory_data

    load_directory_data(directory_data(2, 1))
    load_explainers_files()


def test_worried_visitor_follows_the_guide_to_the_syndic_and_reads_it_in_english(site_url, campaign_site, page: Page):
    page.goto(site_url + "/fr/")
    page.get_by_role("navigation", name="Principal").get_by_role("link", name="Qui contacter?").click()
    expect(page.get_by_role("heading", level=2, name="Quelle est votre situation?")).to_be_visible()

    page.get_by_role("link", name=re.compile("^J'ai un problème avec un professionnel")).click()
    expect(page.get_by_role("heading", level=2, name="Qu'est-ce que vous voulez régler?")).to_be_visible()
    page.get_by_role("link", name="Le professionnel a mal agi ou a manqué de compétence").click()

    expect(page.get_by_role("heading", level=2, name="Demandez une enquête au syndic de l'ordre")).to_be_visible()
    page.get_by_role("link", name="Demander une enquête au syndic").click()
    expect(page).to_have_url(re.compile(r"/fr/proteger-le-public/demander-une-enquete-au-syndic/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Demander une enquête au syndic")

    page.get_by_role("link", name="English").click()
    expect(page).to_have_url(re.compile(r"/en/protecting-the-public/request-an-inquiry-from-the-syndic/$"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Request an inquiry from the syndic")
    # The FAQ works without JavaScript: <details> opens on click.
    page.get_by_text("Does it cost anything?").click()
    expect(page.get_by_text("No, a request for an inquiry to the syndic is free.")).to_be_visible()
