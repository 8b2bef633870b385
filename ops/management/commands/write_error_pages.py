"""Write the site's own 503 page, one file per language, for a proxy to serve when no node can.

    python manage.py write_error_pages deploy/cluster/errors

The cluster's Varnish reads deploy/cluster/errors/503.<language>.html (committed; a test checks
that they are what this command writes today). A CDN's custom error page can be the same files.
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.test import RequestFactory

from ops.views import service_unavailable


def error_pages() -> dict[str, bytes]:
    """File name → the 503 page exactly as the site renders it, in each language."""
    factory = RequestFactory()
    return {
        f"503.{code}.html": service_unavailable(factory.get(f"/{code}/")).content for code, _name in settings.LANGUAGES
    }


class Command(BaseCommand):
    help = "Write the site's 503 page in each language (503.fr.html, 503.en.html) into a folder."

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path)

    def handle(self, *args, folder: Path, **options):
        folder.mkdir(parents=True, exist_ok=True)
        for name, content in error_pages().items():
            (folder / name).write_bytes(content)
            self.stdout.write(f"wrote {folder / name}")
