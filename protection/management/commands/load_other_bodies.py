"""Create or update the bodies that are not orders and the unregulated occupations (idempotent)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from protection.bodies import DATA_FILE, OtherBodiesDataError, load_other_bodies_file


class Command(BaseCommand):
    help = "Load protection/data/other_bodies.json: public bodies that are not orders, occupations without one."

    def add_arguments(self, parser):
        parser.add_argument("--file", type=Path, default=DATA_FILE, help="Another data file of the same form.")
        parser.add_argument(
            "--overwrite",
            action="store_true",
            help="Also replace text that editors changed in the admin (else only empty fields are filled).",
        )

    def handle(self, *args, file, overwrite, **options):
        try:
            counts = load_other_bodies_file(file, overwrite=overwrite)
        except OtherBodiesDataError as error:
            raise CommandError(f"Nothing was loaded: {error}") from error
        summary = ", ".join(f"{count} {state}" for state, count in counts.items())
        self.stdout.write(self.style.SUCCESS(f"Other bodies loaded: {summary}."))
