import re

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser


@pytest.fixture
def directory_site_url(site_url):
    from professions.loading import load_directory_file

    load_directory_file()
    return site_url


def test_visitor_filters_the_directory_and_switches_language_on_a_profession(directory_site_url, page: Page):
    page.goto(directory_site_url + "/fr/ordres/")
    expect(page.get_by_role("status")).to_have_text("46 ordres professionnels")

    page.get_by_label("Secteur").select_option("genie-amenagement-sciences")
    page.get_by_label("Type d'exercice").select_option("exclusive")
    page.get_by_role("button", name="Filtrer").click()
    expect(page).to_have_url(re.compile(r"sector=genie-amenagement-sciences&practice=exclusive"))
    expect(page.get_by_role("heading", name="Ordre des ingénieurs du Québec")).to_be_visible()
    expect(page.get_by_role("heading", name="Barreau du Québec")).to_have_count(0)

    page.get_by_role("link", name="Ordre des ingénieurs du Québec").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ordre des ingénieurs du Québec")
    page.get_by_role("link", name="Ingénieur", exact=True).first.click()
    expect(page).to_have_url(re.compile(r"/fr/ordres/ordre-des-ingenieurs-du-quebec/ingenieur/$"))

    page.get_by_role("link", name="English").click()
    expect(page).to_have_url(re.compile(r"/en/orders/order-of-engineers/engineer/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Engineer")
    expect(page.get_by_text("Check that a professional is a member")).to_be_visible()
