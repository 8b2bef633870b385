"""The trust barometer in a browser: one click without JavaScript (the results page) and with it
(the results in place, focus on them, the status says it), both languages, axe and no horizontal
scrolling at 320 and 1280 px; a site in read-only mode (503) is said kindly, in place."""

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from barometer.models import VoteCount
from tests.barometer.pages import barometer_site
from tests.browser.quality import axe_report

pytestmark = pytest.mark.browser
WIDTHS = (320, 1280)


@pytest.fixture
def barometer_url(site_url):
    barometer_site()
    return site_url


def check_layout(page: Page, where: str) -> list[str]:
    problems = []
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 800})
        if (scroll := page.evaluate("document.documentElement.scrollWidth")) > width:
            problems.append(f"{where} at {width} px: {scroll} px wide")
        if report := axe_report(page):
            problems.append(f"{where} at {width} px:\n{report}")
    return problems


def test_without_javascript_a_vote_leads_to_the_results_page(barometer_url, browser: Browser):
    # (axe cannot run where scripts are off: the same pages are checked in the next test.)
    page = browser.new_context(java_script_enabled=False, locale="fr-CA").new_page()
    page.goto(barometer_url + "/fr/")
    page.get_by_role("group", name="Selon vous, les ordres professionnels existent surtout pour protéger…").get_by_role(
        "button", name="Les deux"
    ).click()
    expect(page).to_have_url(re.compile(r"/fr/barometre/\?page=\d+&answer=both$"))
    expect(page.get_by_text("Merci! Votre réponse, «\u00a0les deux\u00a0», est comptée.")).to_be_visible()
    expect(page.get_by_role("row", name=re.compile(r"^Ce site \S+ \d{4} 1 0.% 0.% 100.%$"))).to_be_visible()
    expect(page.get_by_role("row", name=re.compile("^CROP 2013 2013 non publié 12"))).to_be_visible()
    assert list(VoteCount.objects.values_list("answer", "language", "count")) == [("both", "fr", 1)]


@pytest.mark.frontend_tools
@pytest.mark.parametrize(
    ("language", "answer", "thanks", "site_row"),
    [
        ("fr", "Le public", "Merci! Votre réponse, «\u00a0le public\u00a0», est comptée.", "Ce site"),
        ("en", "Their members", "Thank you! Your answer, “their members”, is counted.", "This site"),
    ],
)
def test_with_javascript_the_results_appear_in_place(barometer_url, page: Page, language, answer, thanks, site_row):
    page.goto(f"{barometer_url}/{language}/")
    problems = check_layout(page, "block")
    block = page.locator("[data-barometer]")
    block.get_by_role("button", name=answer).click()
    status = block.get_by_role("status")
    expect(status).to_have_text(thanks)
    expect(page).to_have_url(f"{barometer_url}/{language}/")
    heading = block.locator("[data-barometer-focus]")
    expect(heading).to_be_focused()
    expect(block.get_by_role("row", name=re.compile(f"^{site_row} "))).to_be_visible()
    expect(block.locator("form")).to_have_count(0)
    problems += check_layout(page, "results in place")
    page.goto(f"{barometer_url}/{language}/{'barometre' if language == 'fr' else 'barometer'}/?answer=both")
    problems += check_layout(page, "results page (without JavaScript)")
    assert not problems, "\n".join(problems)
    assert VoteCount.objects.get().language == language


def test_with_javascript_a_read_only_site_says_so_in_place(barometer_url, page: Page):
    notice = (
        "<!DOCTYPE html><html lang='fr'><head><title>Lecture seule</title></head><body><main>"
        "<h1>Le site est en lecture seule pour quelques minutes.</h1>"
        "<p>Votre vote n'a pas été enregistré : réessayez plus tard.</p></main></body></html>"
    )
    page.route(
        "**/barometre/vote/",
        lambda route: route.fulfill(status=503, body=notice, content_type="text/html; charset=utf-8"),
    )
    page.goto(barometer_url + "/fr/")
    block = page.locator("[data-barometer]")
    block.get_by_role("button", name="Leurs membres").click()
    expect(block.get_by_role("status")).to_have_text(
        "Le site est en lecture seule pour quelques minutes. Votre vote n'a pas été enregistré : réessayez plus tard."
    )
    expect(block.get_by_role("button", name="Leurs membres")).to_be_visible()  # the form stays, to try again
    assert VoteCount.objects.count() == 0
