"""Your deadline, in a browser without JavaScript: the date in, the last day and the calendar file out."""

import datetime
import re
from pathlib import Path

import pytest
from icalendar import Calendar
from playwright.sync_api import Browser, expect

from django.utils import timezone, translation

from protection.deadlines import long_date

pytestmark = pytest.mark.browser
RESULTS = Path(__file__).resolve().parents[2] / "test-results"


@pytest.fixture
def campaign_site(site_home):
    from professions.loading import load_directory_file
    from protection.loading import load_explainers_files

    load_directory_file()
    load_explainers_files()


def in_language(day: datetime.date, language: str) -> str:
    with translation.override(language):
        return long_date(day, language)


def test_without_javascript_a_visitor_gets_the_last_day_and_a_calendar_file(site_url, campaign_site, browser: Browser):
    RESULTS.mkdir(exist_ok=True)
    context = browser.new_context(java_script_enabled=False, locale="fr-CA", accept_downloads=True)
    page = context.new_page()
    received = timezone.localdate() - datetime.timedelta(days=10)
    last = received + datetime.timedelta(days=30)

    page.goto(site_url + "/fr/proteger-le-public/faire-reviser-la-decision-du-syndic/")
    page.screenshot(path=str(RESULTS / "deadline-explainer-fr.png"), full_page=True)
    page.get_by_label("Quand avez-vous reçu la décision?").fill(received.isoformat())
    page.get_by_role("button", name="Afficher mon dernier jour").click()
    expect(page).to_have_url(re.compile(rf"/fr/echeance/\?recourse=review&received={received.isoformat()}$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Votre dernier jour\u00a0: {in_language(last, 'fr')}")
    expect(page.get_by_text("Il reste 20\u00a0jours.")).to_be_visible()
    expect(page.get_by_text("Une demande écrite de révision (c'est gratuit).")).to_be_visible()
    page.screenshot(path=str(RESULTS / "deadline-result-fr.png"), full_page=True)

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Ajouter à mon agenda (.ics)").click()
    download = download_info.value
    assert download.suggested_filename == f"echeance-{last.isoformat()}.ics"
    calendar = Calendar.from_ical(Path(download.path()).read_bytes())
    (event,) = calendar.walk("VEVENT")
    assert event.decoded("DTSTART") == last
    assert event.walk("VALARM")[0].decoded("TRIGGER") == -datetime.timedelta(days=7)

    page.get_by_role("link", name="English").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Your last day: {in_language(last, 'en')}")
    page.screenshot(path=str(RESULTS / "deadline-result-en.png"), full_page=True)

    # A date that does not exist, typed into the address bar: a kind message and the form again.
    response = page.goto(site_url + "/en/deadline/?recourse=review&received=2026-02-30")
    assert response.status == 400
    expect(page.get_by_role("heading", level=1)).to_have_text("We could not read this date")
    expect(page.get_by_label("When did you receive the decision?")).to_be_visible()
    page.screenshot(path=str(RESULTS / "deadline-bad-date-en.png"), full_page=True)
    context.close()


def test_without_javascript_the_fee_explainer_asks_for_the_order_and_the_guide_knows_it(
    site_url, campaign_site, browser: Browser
):
    context = browser.new_context(java_script_enabled=False, locale="en-CA")
    page = context.new_page()
    received = timezone.localdate() - datetime.timedelta(days=100)

    page.goto(site_url + "/en/protecting-the-public/dispute-a-professionals-bill/")
    page.get_by_label("Your professional's order").select_option(label="Ordre des architectes du Québec — 120 days")
    page.get_by_label("When did you receive the bill?").fill(received.isoformat())
    page.get_by_role("button", name="Show my last day").click()
    last = received + datetime.timedelta(days=120)
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Your last day: {in_language(last, 'en')}")
    expect(page.get_by_role("main").get_by_role("link", name="Ordre des architectes du Québec")).to_be_visible()
    page.screenshot(path=str(RESULTS / "deadline-fees-en.png"), full_page=True)

    page.goto(site_url + "/en/who-do-i-contact/?step=r_fees&profession=arpenteur-geometre")
    expect(page.get_by_text("This order's delay: 45 days (Regulation A-23, r. 13).")).to_be_visible()
    page.get_by_label("When did you receive the bill?").fill(
        (timezone.localdate() - datetime.timedelta(days=50)).isoformat()
    )
    page.get_by_role("button", name="Show my last day").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("The deadline has passed")
    page.screenshot(path=str(RESULTS / "deadline-expired-en.png"), full_page=True)
    context.close()
