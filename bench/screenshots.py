"""Screenshots of the main pages at phone (375 px) and desktop (1280 px) widths, in both languages.

    .venv/bin/python bench/screenshots.py [--port 8852] [--database site_ordre_screenshots]

Serves the seeded site (bench/site_server.py, database site_ordre_screenshots), drives Debian's
Chromium with Playwright and writes docs/screenshots/<page>-<language>-<width>.png: the first
screens of each page, reduced to a 256-colour palette to keep the repository small.
"""

import argparse
import os
import shutil
from io import BytesIO

from PIL import Image
from playwright.sync_api import sync_playwright
from site_server import ROOT, main_pages, seeded_site

OUT = ROOT / "docs" / "screenshots"
VIEWPORTS = {"phone": (375, 812), "desktop": (1280, 900)}
MAX_HEIGHT = {"phone": 1600, "desktop": 1400}  # the first screens, not the whole page
CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"


def save_small_png(png: bytes, path) -> None:
    image = Image.open(BytesIO(png)).convert("RGB")
    image.quantize(colors=256, method=Image.Quantize.MEDIANCUT).save(path, optimize=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", default="site_ordre_screenshots", help="PostgreSQL database to recreate and seed")
    parser.add_argument("--port", type=int, default=8852)
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    with seeded_site(args.port, args.database) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--disable-gpu"])
        for device, (width, height) in VIEWPORTS.items():
            context = browser.new_context(viewport={"width": width, "height": height}, device_scale_factor=1)
            page = context.new_page()
            for name, language, path in main_pages():
                page.goto(base + path, wait_until="networkidle")
                full_height = page.evaluate("document.documentElement.scrollHeight")
                clip = {"x": 0, "y": 0, "width": width, "height": min(full_height, MAX_HEIGHT[device])}
                png = page.screenshot(full_page=True, clip=clip)
                target = OUT / f"{name.replace(' ', '-')}-{language}-{device}.png"
                save_small_png(png, target)
                print(f"{target.relative_to(ROOT)}  {target.stat().st_size // 1024} KB")
            context.close()
        browser.close()


if __name__ == "__main__":
    main()
