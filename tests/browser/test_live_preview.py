"""The page editor's live preview panel shows the page (the admin may frame a preview)."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.test_translation_journey import PASSWORD

pytestmark = pytest.mark.browser


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "fr-CA"}


def test_the_live_preview_panel_shows_the_page(site_url, page: Page, django_user_model):
    from tests.factories import build_directory

    _home, _index, order = build_directory()
    django_user_model.objects.create_superuser("admin", "a@example.org", PASSWORD)
    blocked = []
    page.on("console", lambda message: blocked.append(message.text) if "frame-ancestors" in message.text else None)
    page.goto(site_url + "/admin/login/")
    page.locator("#id_username").fill("admin")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("form button[type=submit]").click()
    page.goto(f"{site_url}/admin/pages/{order.pk}/edit/")
    page.locator('[data-side-panel-toggle="preview"]').first.click()
    frame = page.frame_locator("#w-preview-iframe")
    expect(frame.locator("h1")).to_contain_text("Ordre des testeurs", timeout=15000)
    assert not blocked, blocked
    preview_frame = next(f for f in page.frames if re.search(r"/preview/", f.url or ""))
    assert "Ordre des testeurs" in preview_frame.content()
