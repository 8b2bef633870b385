"""Create or update the campaign home's content and the contribution page (idempotent)."""

from django.core.management.base import BaseCommand, CommandError

from home.loading import HomeDataError, load_home_file


class Command(BaseCommand):
    help = "Load home/data/home.json: the home page's introduction and body, and the contribution page."

    def add_arguments(self, parser):
        parser.add_argument(
            "--overwrite",
            action="store_true",
            help="Also replace text that editors changed in the admin (else only empty fields are filled).",
        )

    def handle(self, *args, overwrite, **options):
        try:
            report = load_home_file(overwrite=overwrite)
        except HomeDataError as error:
            raise CommandError(f"Nothing was loaded: {error}") from error
        self.stdout.write(self.style.SUCCESS(f"Home content loaded: {report}."))
