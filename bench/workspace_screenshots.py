"""Screenshots of the translator's workspace on the seeded site, and what it costs to open.

    .venv/bin/python bench/workspace_screenshots.py [--port 8140] [--database site_ordre_workspace]

Recreates the database, seeds the site, changes the French of an explainer (one paragraph edited,
one block added) as an editor would, then serves it under gunicorn and, signed in as a
translator, writes docs/screenshots/workspace-<what>-<width>.png. It also runs axe on each
screen and prints the time the server took to answer each workspace (median of 5).
"""

import argparse
import os
import secrets
import shutil
import statistics
import subprocess
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent))
from launch import PY, ROOT, gunicorn, manage, recreate_database, site_env
from screenshots import save_small_png

sys.path.insert(0, str(ROOT))
from tests.browser.quality import axe_report

OUT = ROOT / "docs" / "screenshots"
CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
PASSWORD = secrets.token_urlsafe(16)  # a throwaway account on a throwaway database
VIEWPORTS = {"desktop": (1280, 900), "phone": (375, 812)}

# Run inside the seeded site (manage.py shell): a translator, and an explainer whose French changed.
PREPARE = f"""
from django.contrib.auth.models import Group, User
from protection.models import ExplainerPage
from professions.models import Sector
from translations.roles import TRANSLATORS
user, _ = User.objects.get_or_create(username="traductrice", defaults={{"email": "t@example.org"}})
user.set_password("{PASSWORD}")
user.save()
user.groups.add(Group.objects.get(name=TRANSLATORS))
page = ExplainerPage.objects.live().order_by("path").first()
raw = list(page.body_fr.raw_data)
if not any(block["id"] == "bench-new-heading" for block in raw):
    page.summary_fr = page.summary_fr.rstrip(".") + ", gratuitement et en toute confidentialité."
    first_text = next(block for block in raw if block["type"] == "paragraph")
    first_text["value"] = first_text["value"].replace("</p>", " Il le fait au nom de la loi.</p>", 1)
    raw.append({{"type": "heading", "value": "Et après la décision?", "id": "bench-new-heading"}})
    raw.append({{"type": "paragraph", "value": "<p>Le conseil de discipline rend sa décision par écrit.</p>",
                "id": "bench-new-paragraph"}})
    page.body_fr = raw
    page.save_revision().publish()
sector = Sector.objects.order_by("pk").first()
print(f"page={{page.pk}} sector={{sector.pk}}")
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=8140)
    parser.add_argument("--database", default="site_ordre_workspace")
    parser.add_argument("--reuse", action="store_true", help="keep the database of a previous run")
    args = parser.parse_args()
    env = site_env(
        args.database, ALLOWED_HOSTS="127.0.0.1,localhost", LOG_LEVEL="ERROR",
        CACHE_DIR=str(ROOT / ".cache" / f"bench-{args.database}"),
    )  # fmt: skip
    if args.reuse:
        manage(env, "migrate", "--noinput")
        manage(env, "collectstatic", "--noinput")
    else:
        recreate_database(args.database, env)
    prepared = subprocess.run(
        [PY, "manage.py", "shell", "-c", PREPARE], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    ).stdout
    ids = dict(part.split("=", 1) for part in prepared.split() if part.startswith(("page=", "sector=")))
    screens = {
        "page": f"/admin/translations/workspace/wagtailcore/page/{ids['page']}/",
        "snippet": f"/admin/translations/workspace/professions/sector/{ids['sector']}/",
    }
    with gunicorn(env, args.port, workers=1, log_level="error") as server:
        base = server.url
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--disable-gpu"])
            for device, (width, height) in VIEWPORTS.items():
                context = browser.new_context(viewport={"width": width, "height": height}, locale="en-CA")
                page = context.new_page()
                page.goto(base + "/admin/login/")
                page.locator("#id_username").fill("traductrice")
                page.locator("#id_password").fill(PASSWORD)
                page.locator("form button[type=submit]").click()
                page.wait_for_url(base + "/admin/")
                for name, path in screens.items():
                    timings = []
                    for _run in range(5):
                        response = page.goto(base + path, wait_until="networkidle")
                        timing = response.request.timing
                        timings.append(timing["responseStart"] - timing["requestStart"])
                    rows = page.locator(".tw-row").count()
                    report = axe_report(page)
                    target = OUT / f"workspace-{name}-{device}.png"
                    save_small_png(page.screenshot(), target)
                    shots = [target]
                    todo = page.locator(".tw-row--stale, .tw-row--missing")
                    if name == "page" and todo.count():
                        todo.first.scroll_into_view_if_needed()
                        page.evaluate("document.querySelector('.tw-row--stale, .tw-row--missing').scrollIntoView()")
                        shots.append(OUT / f"workspace-{name}-to-translate-{device}.png")
                        save_small_png(page.screenshot(), shots[-1])
                    print(
                        f"{', '.join(str(shot.relative_to(ROOT)) for shot in shots)}: {rows} rows, "
                        f"server {statistics.median(timings):.0f} ms, axe: {report or 'no violation'}"
                    )
                context.close()
            browser.close()


if __name__ == "__main__":
    main()
