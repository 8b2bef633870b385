"""Create or update the directory pages from the data file (idempotent)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from professions.loading import DATA_FILE, LINKS_FILE, DirectoryDataError, load_directory_file


class Command(BaseCommand):
    help = "Load professions/data/directory.json into the page tree (orders, professions, sectors)."

    def add_arguments(self, parser):
        parser.add_argument("--file", type=Path, default=DATA_FILE, help="Data file (default: %(default)s).")
        parser.add_argument(
            "--links-file",
            type=Path,
            default=LINKS_FILE,
            help="The orders' complaint and register addresses, loaded as unverified links (default: %(default)s).",
        )
        parser.add_argument("--no-links", action="store_true", help="Do not read the links file.")
        parser.add_argument(
            "--overwrite-text",
            action="store_true",
            help="Also replace summaries and descriptions that editors changed in the admin.",
        )

    def handle(self, *args, file, links_file, no_links, overwrite_text, **options):
        try:
            report = load_directory_file(
                file, overwrite_text=overwrite_text, links_path=None if no_links else links_file
            )
        except DirectoryDataError as error:
            raise CommandError(f"Nothing was loaded: {error}") from error
        self.stdout.write(self.style.SUCCESS(f"Directory loaded: {report}."))
