import re

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "fr-CA"}


@pytest.fixture
def campaign_site(site_home):
    from professions.loading import load_directory_file
    from protection.loading import load_explainers_files

    load_directory_file()
    load_explainers_files()


def test_worried_visitor_finds_the_engineers_order_in_the_guide_and_keeps_it_in_english(
    site_url, campaign_site, page: Page
):
    page.goto(site_url + "/fr/")
    page.get_by_role("navigation", name="Principal").get_by_role("link", name="Qui contacter?").click()
    expect(page.get_by_role("heading", level=2, name="Quelle est votre situation?")).to_be_visible()

    page.get_by_role("link", name=re.compile("^J'ai un problème avec un professionnel")).click()
    expect(page.get_by_role("heading", level=2, name="Qu'est-ce que vous voulez régler?")).to_be_visible()
    page.get_by_role("link", name="Le professionnel a mal agi ou a manqué de compétence").click()
    expect(page.get_by_role("heading", level=2, name="Demandez une enquête au syndic de l'ordre")).to_be_visible()

    # A plain GET form: no JavaScript is needed to pick the profession.
    page.get_by_label("De quel professionnel s'agit-il?").select_option(label="Ingénieur")
    page.get_by_role("button", name="Afficher l'ordre").click()
    expect(page).to_have_url(re.compile(r"/fr/qui-contacter/\?step=r_syndic&profession=ingenieur$"))
    main = page.get_by_role("main")
    expect(main.get_by_role("link", name="Ordre des ingénieurs du Québec")).to_be_visible()
    expect(main.get_by_role("link", name="Ingénieur", exact=True)).to_be_visible()
    expect(main.get_by_role("link", name="Joindre le syndic")).to_have_attribute("href", "https://www.oiq.qc.ca")

    page.get_by_role("link", name="English").click()
    expect(page).to_have_url(re.compile(r"/en/who-do-i-contact/\?step=r_syndic&profession=ingenieur$"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=2, name="Ask the order's syndic for an inquiry")).to_be_visible()
    main = page.get_by_role("main")
    expect(main.get_by_role("link", name="Engineer", exact=True)).to_be_visible()
    expect(main.get_by_role("link", name="Ordre des ingénieurs du Québec")).to_have_attribute(
        "href", "/en/orders/order-of-engineers/"
    )
    expect(page.get_by_label("Which professional is it?")).to_have_value("ingenieur")

    page.get_by_role("link", name="Request an inquiry from the syndic").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Request an inquiry from the syndic")
    # The FAQ works without JavaScript: <details> opens on click.
    page.get_by_text("Does it cost anything?").click()
    expect(page.get_by_text("No, a request for an inquiry to the syndic is free.")).to_be_visible()
